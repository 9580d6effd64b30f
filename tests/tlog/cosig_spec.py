"""An independent verifier of C2SP cosignature/v1 lines, written from the specs
(c2sp.org/tlog-cosignature, c2sp.org/signed-note) with Python's `cryptography` for Ed25519
and hashlib for SHA-256; it shares no code with GSI.

  - a cosigner vkey is "<name>+<8 hex key ID>+<base64(0x04 || 32-byte Ed25519 key)>";
  - its key ID is SHA-256(name || "\\n" || 0x04 || key)[:4];
  - a signature line is "\u2014 <name> <base64(key ID || u64 big-endian timestamp || sig)>";
  - the signature covers "cosignature/v1\\ntime <timestamp>\\n" + the note text (the
    checkpoint's lines up to the blank line, final newline included).
"""

import base64
import hashlib

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

DASH = "\u2014 "


def parse_vkey(vkey):
    name, kid, b64 = vkey.split("+", 2)
    raw = base64.b64decode(b64, validate=True)
    if len(raw) != 33 or raw[0] != 0x04:
        raise ValueError("not an Ed25519 cosigner key (0x04)")
    pub = raw[1:]
    want = hashlib.sha256(name.encode() + b"\n\x04" + pub).digest()[:4]
    if want.hex() != kid:
        raise ValueError("key ID does not match the key")
    return name, want, pub


def split_note(note):
    """(text, [signature lines]) of a signed note: the text ends at the last blank line."""
    i = note.rindex("\n\n")
    return note[: i + 1], [l for l in note[i + 2:].split("\n") if l]


def cosignatures(note, vkeys):
    """{name: timestamp} of the vkeys with a valid cosignature on `note`."""
    text, lines = split_note(note)
    keys = [parse_vkey(v) for v in vkeys]
    valid = {}
    for line in lines:
        if not line.startswith(DASH):
            continue
        name, _, b64 = line[len(DASH):].partition(" ")
        raw = base64.b64decode(b64, validate=True)
        for kname, kid, pub in keys:
            if name != kname or len(raw) != 76 or raw[:4] != kid:
                continue
            ts = int.from_bytes(raw[4:12], "big")
            msg = f"cosignature/v1\ntime {ts}\n".encode() + text.encode()
            try:
                Ed25519PublicKey.from_public_bytes(pub).verify(raw[12:], msg)
                valid[name] = ts
            except InvalidSignature:
                pass
    return valid
