#!/usr/bin/env python3
"""json_roundtrip.py JSON_ECHO — the JSON writer against Python's json module on random input.

Random byte strings (valid UTF-8, control characters, and arbitrary bytes), random doubles
(any bit pattern: subnormals, NaN, infinities) and random int64s go through json_echo, which
writes them with src/core/json.h. Python must parse the output (so it is valid UTF-8 and valid
JSON) and get back: each string as bytes.decode('utf-8', 'replace') (the writer's U+FFFD
policy), each finite double exactly (NaN and infinities as null), each integer exactly.
Prints "checks: N passed, M failed"."""
import json, math, random, struct, subprocess, sys

rng = random.Random(20261203)
values = []
for _ in range(3000):
    kind = rng.random()
    if kind < 0.4:
        n = rng.randrange(0, 40)
        b = bytes(rng.randrange(256) for _ in range(n))
    elif kind < 0.7:
        cps = [rng.choice([rng.randrange(0, 0x80), rng.randrange(0x80, 0x800),
                           rng.randrange(0x800, 0xd800), rng.randrange(0xe000, 0x110000)])
               for _ in range(rng.randrange(0, 20))]
        b = "".join(map(chr, cps)).encode("utf-8")
    else:
        b = bytes(rng.choice(b'\x00\x01\x1f "\\/\x7f\xc3\xa9\xe2\x82\xed\xa0\xf4\x90')
                  for _ in range(rng.randrange(0, 30)))
    values.append(("s", b))
for _ in range(3000):
    values.append(("d", struct.pack(">Q", rng.getrandbits(64))))
for _ in range(300):
    values.append(("i", rng.randrange(-2**63, 2**63)))
rng.shuffle(values)

lines = []
for k, v in values:
    lines.append(f"i {v}" if k == "i" else f"{k} {v.hex()}")
out = subprocess.run([sys.argv[1]], input=("\n".join(lines) + "\n").encode(),
                     capture_output=True, check=True).stdout
passed = failed = 0
try:
    got = json.loads(out)  # bytes: must be valid UTF-8
    passed += 1
except ValueError as e:
    print("output is not valid JSON:", e)
    print("checks: 0 passed, 1 failed")
    sys.exit(1)
for (k, v), g in zip(values, got):
    if k == "s":
        want = v.decode("utf-8", "replace")
    elif k == "d":
        d = struct.unpack(">d", v)[0]
        want = d if math.isfinite(d) else None
    else:
        want = v
    ok = g == want and (k != "d" or want is None or math.copysign(1, g) == math.copysign(1, want))
    if ok:
        passed += 1
    else:
        failed += 1
        if failed <= 10:
            print(f"mismatch: {k} {v!r}: got {g!r}, want {want!r}")
if len(got) != len(values):
    failed += 1
    print(f"{len(got)} values back, {len(values)} sent")
print(f"checks: {passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
