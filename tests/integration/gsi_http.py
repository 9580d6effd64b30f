"""Helpers for the HTTP integration tests: a scratch database, `gsi serve` on a free loopback
port, a tiny JSON client (urllib), RFC 6962 proof checks, and the "checks: N passed, M failed"
tally that scripts/test.sh adds up. Standard library only."""

import base64
import hashlib
import json
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request


# The source tree (data/, tests/data/): GSI_SOURCE_ROOT, which tests/meson.build sets, or the
# folder two above this one.
SOURCE_ROOT = os.environ.get("GSI_SOURCE_ROOT",
                             os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))


class Checks:
    def __init__(self):
        self.passed = 0
        self.failed = 0

    def ok(self, cond, what):
        if cond:
            self.passed += 1
        else:
            self.failed += 1
            print(f"FAIL: {what}", flush=True)
        return cond

    def eq(self, got, want, what):
        return self.ok(got == want, f"{what}: got {got!r}, want {want!r}")

    def finish(self):
        print(f"checks: {self.passed} passed, {self.failed} failed", flush=True)
        sys.exit(0 if self.failed == 0 else 1)


class Env:
    """A scratch database (SQLite in a temp dir, or the PostgreSQL URL given) and the CLI."""

    def __init__(self, gsi, db_url=None):
        self.gsi = os.path.abspath(gsi)
        self.tmp = tempfile.mkdtemp(prefix="gsi-http-")
        self.db = db_url or os.path.join(self.tmp, "gsi.db")
        # PostgreSQL keeps its key and checkpoint beside the working directory.
        self.cwd = self.tmp

    def run(self, *args, check=True):
        p = subprocess.run([self.gsi, *args, "--db", self.db], cwd=self.cwd,
                           capture_output=True, text=True, timeout=300)
        if check and p.returncode != 0:
            raise RuntimeError(f"gsi {' '.join(args)} exited {p.returncode}: {p.stderr}")
        return p

    def init(self):
        self.run("init")

    def delegate(self, party, role="delegate", name=None):
        p = self.run("delegate", "add", "--party", party, "--role", role,
                     "--name", name or f"{role} of {party}")
        m = re.search(r"gsi_[A-Za-z0-9_-]{20,}", p.stdout)
        if m is None:
            raise RuntimeError(f"no token in: {p.stdout!r}")
        return m.group(0)

    def cleanup(self):
        subprocess.run(["rm", "-rf", self.tmp])


class Server:
    """`gsi serve` on 127.0.0.1, port chosen by the kernel and read from its first line."""

    def __init__(self, env, *extra):
        self.env = env
        self.proc = subprocess.Popen(
            [env.gsi, "serve", "--listen", "127.0.0.1:0", "--db", env.db, "--quiet", *extra],
            cwd=env.cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        line = self.proc.stdout.readline()
        m = re.search(r"listening on http://127\.0\.0\.1:(\d+)", line)
        if m is None:
            err = self.proc.stderr.read() if self.proc.poll() is not None else ""
            self.proc.kill()
            raise RuntimeError(f"gsi serve did not start: {line!r} {err}")
        self.port = int(m.group(1))
        self.base = f"http://127.0.0.1:{self.port}"
        # Every (method, path, status, content type, body) call() got, for openapi_check.
        self.responses = []

    def stop(self):
        """SIGTERM, then wait: the server finishes requests and signs a last checkpoint."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=60)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        return self.proc.returncode

    def kill9(self):
        os.kill(self.proc.pid, signal.SIGKILL)
        self.proc.wait()

    def call(self, method, path, token=None, body=None, raw=None, headers=None, timeout=30):
        """Returns (status, parsed JSON or text, response headers)."""
        data = raw if raw is not None else (json.dumps(body).encode() if body is not None else None)
        req = urllib.request.Request(self.base + path, data=data, method=method)
        if data is not None:
            req.add_header("Content-Type", "application/json")
        if token is not None:
            req.add_header("Authorization", f"Bearer {token}")
        for k, v in (headers or {}).items():
            req.add_header(k, v)
        try:
            with urllib.request.urlopen(req, timeout=timeout) as r:
                status, text, hdrs = r.status, r.read().decode(), r.headers
        except urllib.error.HTTPError as e:
            status, text, hdrs = e.code, e.read().decode(), e.headers
        ctype = hdrs.get("Content-Type", "")
        body = json.loads(text) if ctype.startswith("application/json") and text else text
        self.responses.append((method, path, status, ctype, body))
        return status, body, hdrs

    def raw(self, head):
        """Sends raw request bytes (headers, perhaps no body) and returns (status, body text):
        for a request that the server answers before reading its body, which urllib cannot
        send (it writes the whole body first and meets the closed connection)."""
        with socket.create_connection(("127.0.0.1", self.port), timeout=30) as sock:
            sock.sendall(head)
            data = b""
            while True:
                chunk = sock.recv(65536)
                if not chunk:
                    break
                data += chunk
        head_end = data.find(b"\r\n\r\n")
        status = int(data[9:12]) if data.startswith(b"HTTP/1.") else 0
        return status, data[head_end + 4:].decode(errors="replace")


def run_script(steps, verify=True):
    """The frame every HTTP test script shares: `SCRIPT GSI [POSTGRESQL_URL]` from sys.argv, a
    scratch Env (initialised), the test's steps, and the tally.

    steps(c, env, serve) plays the test; serve(*extra) starts `gsi serve` on env's database
    (with `extra` arguments) and returns the Server, when the steps want it.
    After the steps, with verify (the default), two more checks: the last server started exits
    0 on SIGTERM, and `gsi journal verify` passes on the database; a server still running
    after an exception is killed with SIGKILL. Without verify, the servers are stopped with
    SIGTERM and nothing more is checked.
    An exception in the steps or in those checks is one failure, the scratch folder is always
    removed, and the tally is printed (the exit status is 0 only with no failure)."""
    c = Checks()
    env = Env(sys.argv[1], sys.argv[2] if len(sys.argv) > 2 else None)
    servers = []

    def serve(*extra):
        servers.append(Server(env, *extra))
        return servers[-1]

    try:
        env.init()
        steps(c, env, serve)
        if verify:
            c.eq(servers.pop().stop(), 0, "gsi serve exits 0 on SIGTERM")
            v = env.run("journal", "verify", check=False)
            c.eq(v.returncode, 0, f"gsi journal verify after the run ({v.stdout}{v.stderr})")
    except Exception as e:  # a broken step is one failure, and the tally still prints
        c.ok(False, f"exception: {e!r}")
    finally:
        for s in servers:
            if verify:
                s.kill9()
            else:
                s.stop()
        env.cleanup()
    c.finish()


# --- RFC 6962 / RFC 9162 proof verification, written from the RFC's text -----------------

def _node(l, r):
    return hashlib.sha256(b"\x01" + l + r).digest()


def verify_inclusion(index, size, leaf, proof, root):
    """RFC 9162 section 2.1.3.2."""
    if index >= size or len(leaf) != 32 or len(root) != 32:
        return False
    fn, sn, r = index, size - 1, leaf
    for p in proof:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            r = _node(p, r)
            if not fn & 1:
                while True:
                    fn >>= 1
                    sn >>= 1
                    if fn & 1 or fn == 0:
                        break
        else:
            r = _node(r, p)
        fn >>= 1
        sn >>= 1
    return sn == 0 and r == root


def verify_consistency(first, second, first_hash, second_hash, proof):
    """RFC 9162 section 2.1.4.2."""
    if first == 0:
        return False
    if first == second:
        return len(proof) == 0 and first_hash == second_hash
    if first == 0 or first > second or not proof:
        return False
    path = list(proof)
    if first & (first - 1) == 0:  # a power of two: the first tree is a node of the second
        path.insert(0, first_hash)
    fn, sn = first - 1, second - 1
    while fn & 1:
        fn >>= 1
        sn >>= 1
    fr = sr = path[0]
    for c in path[1:]:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            fr = _node(c, fr)
            sr = _node(c, sr)
            if not fn & 1:
                while True:
                    fn >>= 1
                    sn >>= 1
                    if fn & 1 or fn == 0:
                        break
        else:
            sr = _node(sr, c)
        fn >>= 1
        sn >>= 1
    return sn == 0 and fr == first_hash and sr == second_hash


def checkpoint_root(note):
    """(size, root bytes) from a C2SP checkpoint note body."""
    lines = note.split("\n")
    return int(lines[1]), base64.b64decode(lines[2])


def tile_path(level, n, width):
    """C2SP tlog-tiles: the path of tile `n` at `level` (-1: the entry bundles) holding `width`
    hashes or entries (under 256: a partial tile, .p/WIDTH). N is written in groups of three
    digits, all but the last prefixed x: 1234067 -> x001/x234/067."""
    groups = []
    while True:
        groups.insert(0, n % 1000)
        n //= 1000
        if n == 0:
            break
    name = "/".join(("x%03d" if i < len(groups) - 1 else "%03d") % g for i, g in enumerate(groups))
    lv = "entries" if level < 0 else str(level)
    return f"tile/{lv}/{name}" + (f".p/{width}" if width < 256 else "")


def wait_checkpoint(server, size, timeout=15):
    """Waits until the signed checkpoint covers at least `size` entries."""
    end = time.time() + timeout
    while time.time() < end:
        st, cp, _ = server.call("GET", "/v1/journal/checkpoint")
        if st == 200 and cp["size"] >= size:
            return cp
        time.sleep(0.2)
    return None
