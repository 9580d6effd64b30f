"""cli_files.py GSI — every file a CLI command reads, given a file that is no good: /dev/zero,
a FIFO no one writes to, a directory, a missing file, a file with a NUL byte and a 2 GiB
sparse file (all zero bytes, no line end). Each run must end on its own (the 60 s `timeout`
is only the test's guard) with exit status 1, 2 or 65 and a message that names the file.

The commands, subcommands and their file options are read from `gsi --help` and each
command's own --help, so a file option added later is found here; the table FILE_ARGS says
for each one what else the command needs to reach the file (or that the option names a file
the command writes, which is not probed). A discovered option missing from the table is a
failure: add it. Prints "checks: N passed, M failed"."""

import os
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.join(HERE, "..", "data")
SEATTLE = os.path.join(DATA, "deliberation", "15-per-hour-seattle")
ACTUALS = os.path.join(DATA, "views", "cm_actuals_2018_2022.csv")
GED = os.path.join(DATA, "ucdp", "ged231_sierra_leone.csv")
OFFERS = os.path.join(HERE, "..", "fuzz", "corpus", "coop_json", "offers")
REQUESTS = os.path.join(HERE, "..", "fuzz", "corpus", "coop_json", "requests")

# (command words, option or positional metavariable) -> the arguments of one run, with X
# where the bad file goes; None: the command writes that file, not reads it. {db}, {tmp},
# {key}, {wkey}, {body} and {vkey} are filled in by main().
FILE_ARGS = {
    ("events summarize", "FILE"): ["events", "summarize", "X"],
    ("events convert", "FILE"): ["events", "convert", "X", "--to", "csv"],
    ("events load", "FILE"): ["events", "load", "X", "--db", "{db}"],
    ("consensus", "--votes"): ["consensus", "--votes", "X"],
    ("consensus", "--matrix"): ["consensus", "--matrix", "X"],
    ("consensus", "--comments"): ["consensus", "--votes", SEATTLE + "/votes.csv",
                                  "--comments", "X"],
    ("consensus", "--compare"): ["consensus", "--votes", SEATTLE + "/votes.csv",
                                 "--compare", "X"],
    ("warn forecast", "--actuals"): ["warn", "forecast", "--actuals", "X", "--year", "2021",
                                     "--out", "{tmp}/f.csv"],
    ("warn forecast", "--out"): None,
    ("warn evaluate", "--actuals"): ["warn", "evaluate", "--actuals", "X", "--forecast",
                                     ACTUALS],
    ("warn evaluate", "--forecast"): ["warn", "evaluate", "--actuals", ACTUALS,
                                      "--forecast", "X"],
    ("warn evaluate", "--plots"): None,
    ("warn backtest", "--actuals"): ["warn", "backtest", "--actuals", "X", "--years", "2021"],
    ("warn backtest", "--plots"): None,
    ("warn brief", "--actuals"): ["warn", "brief", "--actuals", "X"],
    ("warn run", "--actuals"): ["warn", "run", "--db", "{db}", "--actuals", "X"],
    ("warn run", "--ged"): ["warn", "run", "--db", "{db}", "--ged", "X"],
    ("warn run", "--candidate"): ["warn", "run", "--db", "{db}", "--candidate", "X"],
    ("warn actuals", "--ged"): ["warn", "actuals", "--ged", "X", "--out", "{tmp}/a.csv"],
    ("warn actuals", "--candidate"): ["warn", "actuals", "--candidate", "X",
                                      "--out", "{tmp}/a.csv"],
    ("warn actuals", "--actuals"): ["warn", "actuals", "--ged", "X", "--actuals", "X",
                                    "--out", "{tmp}/a.csv"],
    ("warn actuals", "--compare"): ["warn", "actuals", "--ged", GED, "--compare", "X"],
    ("warn actuals", "--out"): None,
    ("init", "--key"): ["init", "--db", "{fresh}", "--key", "X"],
    # The log's key is read when something is signed: commands that sign.
    ("init", "--checkpoint"): ["init", "--db", "{db}", "--checkpoint", "X"],
    ("keygen", "--out"): None,
    ("delegate", "--key"): ["delegate", "add", "--db", "{db}", "--party", "CHN", "--role",
                            "observer", "--name", "probe", "--key", "X"],
    ("delegate", "--checkpoint"): ["delegate", "add", "--db", "{db}", "--party", "CHN",
                                   "--role", "observer", "--name", "probe", "--checkpoint", "X"],
    ("delegate", "--pubkey-file"): ["delegate", "add", "--db", "{db}", "--party", "CHN",
                                    "--role", "delegate", "--name", "probe", "--pubkey-file",
                                    "X"],
    # journal's commands sign only when the journal grew (the reader is delegate's --key's).
    ("journal", "--key"): None,
    ("journal", "--checkpoint"): ["journal", "verify", "--db", "{db}", "--checkpoint", "X"],
    ("journal export-tiles", "DIR"): None,
    ("journal verify", "--tiles"): ["journal", "verify", "--tiles", "X", "--vkey", "{vkey}"],
    ("journal verify", "--policy"): ["journal", "verify", "--tiles", "{tmp}", "--policy", "X"],
    ("serve", "--witness-key"): ["serve", "--listen", "127.0.0.1:0", "--db", "{db}",
                                 "--witness-key", "X", "--witness-logs", "X"],
    ("serve", "--witness-logs"): ["serve", "--listen", "127.0.0.1:0", "--db", "{db}",
                                  "--witness-key", "{wkey}", "--witness-logs", "X"],
    ("serve", "--witnesses"): ["serve", "--listen", "127.0.0.1:0", "--db", "{db}",
                               "--witnesses", "X"],
    # cooperation reads the database only: its --key and --checkpoint are not read.
    ("cooperation", "--key"): None,
    ("cooperation", "--checkpoint"): None,
    ("cooperation", "--offers"): ["cooperation", "match", "--offers", "X", "--requests",
                                  REQUESTS],
    ("cooperation", "--requests"): ["cooperation", "match", "--offers", OFFERS, "--requests",
                                    "X"],
    ("sign", "--key"): ["sign", "--key", "X", "{body}"],
    ("sign", "BODY"): ["sign", "--key", "{key}", "X"],
    ("agreement verify", "BUNDLE"): ["agreement", "verify", "X"],
    ("agreement verify", "--log-key-file"): ["agreement", "verify", "--log-key-file", "X",
                                             "{bundle}"],
    ("agreement export", "--out"): None,
    ("witness keygen", "--out"): None,
    ("witness vkey", "--key"): ["witness", "vkey", "--key", "X"],
    ("notify", "FILE"): ["notify", "X", "--party", "CHN", "--db", "{db}"],
    ("consultation import", "--comments"): ["consultation", "import", "--db", "{db}",
                                            "--comments", "X", "--votes",
                                            SEATTLE + "/votes.csv"],
    ("consultation import", "--votes"): ["consultation", "import", "--db", "{db}",
                                         "--comments", SEATTLE + "/comments.csv", "--votes",
                                         "X"],
}

# Files a command creates when they are missing (the log's key at init, the checkpoint file
# whenever a checkpoint is signed): a missing one is not an error there.
CREATED_WHEN_MISSING = {("init", "--key"), ("init", "--checkpoint"),
                        ("delegate", "--checkpoint"), ("journal", "--checkpoint")}

FILE_WORDS = r"(FILE(?:\.\w+)?|DIR|BUNDLE|BODY|URL\|DIR)"


def run(gsi, args, timeout=60):
    try:
        p = subprocess.run([gsi, *args], capture_output=True, timeout=timeout,
                           stdin=subprocess.DEVNULL)
        return p.returncode, p.stdout.decode(errors="replace"), p.stderr.decode(errors="replace")
    except subprocess.TimeoutExpired:
        return "timeout", "", ""


def commands(gsi):
    """[(words, help text)] for every command and subcommand `gsi --help` leads to."""
    _, out, _ = run(gsi, ["--help"])
    cmds = re.findall(r"^  ([a-z][a-z-]*)\s", out.split("Commands:")[1].split("Options:")[0],
                      re.M)
    found = []
    for cmd in cmds:
        _, h, _ = run(gsi, [cmd, "--help"])
        subs = set(re.findall(rf"gsi {cmd} ([a-z][a-z-]+)", h))
        for alt in re.findall(rf"gsi {cmd} <([a-z|-]+)>", h):
            subs.update(alt.split("|"))
        subs.discard(cmd)
        found.append((cmd, h))
        for sub in sorted(subs):
            _, sh, _ = run(gsi, [cmd, sub, "--help"])
            if sh:
                found.append((f"{cmd} {sub}", sh))
    return found


def file_options(words, text):
    """The options (and positional metavariables) of one help text that name a file."""
    opts = set(re.findall(rf"^\s+(--[a-z-]+)[ =]{FILE_WORDS}\b", text, re.M))
    opts = {o for o, _ in opts}
    for line in re.findall(r"^(?:Usage:|\s+)\s*gsi (.*)$", text, re.M):
        if not line.startswith(words + " ") and line != words:
            continue
        rest = line[len(words):]
        if re.match(r"\s+[a-z]", rest):
            continue  # a subcommand's line: its own help lists it
        opts.update(o for o, _ in re.findall(rf"(--[a-z-]+)[ =]{FILE_WORDS}", rest))
        rest = re.sub(rf"--[a-z-]+[ =]{FILE_WORDS}", "", rest)
        for m in re.findall(rf"(?<![-\w]){FILE_WORDS}(?:\.\.\.)?", rest):
            opts.add(m if m != "URL|DIR" else "DIR")
    return opts


def main():
    gsi = os.path.abspath(sys.argv[1])
    tmp = tempfile.mkdtemp(prefix="gsi-files-")
    passed = failed = 0

    def check(cond, what):
        nonlocal passed, failed
        if cond:
            passed += 1
        else:
            failed += 1
            print(f"FAIL: {what}", flush=True)

    try:
        db = os.path.join(tmp, "gsi.db")
        check(run(gsi, ["init", "--db", db])[0] == 0, "init")
        key = os.path.join(tmp, "k")
        check(run(gsi, ["keygen", "--name", "probe", "--out", key])[0] == 0, "keygen")
        wkey = os.path.join(tmp, "w")
        check(run(gsi, ["witness", "keygen", "--name", "probe.example/w", "--out", wkey])[0]
              == 0, "witness keygen")
        # The log's verifier key, as GET /v1/journal/key serves it (kept in the meta table).
        with sqlite3.connect(db) as con:
            vkey = con.execute("SELECT value FROM meta WHERE key = 'log_vkey'").fetchone()[0]
        # An agreement's canonical bytes and a signed bundle, from the fuzz seed corpus (whose
        # first byte picks the parser there).
        corpus = os.path.join(HERE, "..", "fuzz", "corpus", "agree")
        body = os.path.join(tmp, "body")
        bundle = os.path.join(tmp, "bundle")
        for src, dst in (("body", body), ("bundle_signed3", bundle)):
            with open(os.path.join(corpus, src), "rb") as f, open(dst, "wb") as g:
                g.write(f.read()[1:])
        subst = {"{db}": db, "{tmp}": tmp, "{key}": key, "{wkey}": wkey, "{body}": body,
                 "{vkey}": vkey, "{bundle}": bundle}

        # /dev/zero through a link: a command that wrongly replaced the file it was given
        # (rename over it) replaces the link, never the device.
        os.symlink("/dev/zero", os.path.join(tmp, "zero"))
        bad = {"/dev/zero": os.path.join(tmp, "zero"), "a FIFO with no writer": os.path.join(tmp, "fifo"),
               "a directory": os.path.join(tmp, "dir"),
               "a missing file": os.path.join(tmp, "missing"),
               "a file with a NUL byte": os.path.join(tmp, "nul"),
               "a 2 GiB sparse file": os.path.join(tmp, "sparse")}
        os.mkfifo(bad["a FIFO with no writer"])
        os.mkdir(bad["a directory"])
        with open(bad["a file with a NUL byte"], "wb") as f:
            f.write(b"month_id,country_id,ged_sb\n457,1\x00,3\n")
        with open(bad["a 2 GiB sparse file"], "wb") as f:
            f.truncate(2 << 30)

        seen = set()
        runs = 0
        for words, text in commands(gsi):
            for opt in sorted(file_options(words, text)):
                key = (words, opt) if (words, opt) in FILE_ARGS else (words.split()[0], opt)
                if key in seen:
                    continue  # a subcommand's help repeats its command's options
                seen.add(key)
                if key not in FILE_ARGS:
                    check(False, f"gsi {words} {opt}: a file option the table does not list "
                                 "(add it to FILE_ARGS in cli_files.py)")
                    continue
                args = FILE_ARGS[key]
                if args is None:
                    continue
                for what, path in bad.items():
                    if what == "a missing file" and key in CREATED_WHEN_MISSING:
                        continue
                    runs += 1
                    subst["{fresh}"] = os.path.join(tmp, f"fresh{runs}.db")
                    argv = [path if a == "X" else re.sub(r"\{[a-z]+\}",
                                                         lambda m: subst[m.group(0)], a)
                            for a in args]
                    rc, _, err = run(gsi, argv)
                    name = f"gsi {' '.join(argv)} ({opt} on {what})"
                    check(rc in (1, 2, 65), f"{name}: exit {rc}, want 1, 2 or 65 "
                                            f"({err.strip()[:300]})")
                    check(path in err or os.path.basename(path) in err,
                          f"{name}: the message names the file ({err.strip()[:300]})")
        for k in FILE_ARGS:
            check(k in seen, f"FILE_ARGS lists gsi {k[0]} {k[1]}, which no --help names")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print(f"checks: {passed} passed, {failed} failed", flush=True)
    sys.exit(0 if failed == 0 else 1)


if __name__ == "__main__":
    main()
