// verify.js — checking the journal in the browser with WebCrypto alone: RFC 6962 (RFC 9162
// §2.1.3.2) inclusion proofs over SHA-256, and C2SP signed notes with Ed25519 keys. Node runs
// the same file against published test vectors (tests/web/verify_test.mjs).

const subtle = () => globalThis.crypto.subtle;

export function hexToBytes(hex) {
  if (typeof hex !== 'string' || hex.length % 2 !== 0 || /[^0-9a-fA-F]/.test(hex)) {
    throw new Error(`not a hex string: '${String(hex).slice(0, 80)}'`);
  }
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.substr(2 * i, 2), 16);
  return out;
}

export const bytesToHex = (b) => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');

export function b64ToBytes(s) {
  const bin = atob(s);
  return Uint8Array.from(bin, (c) => c.charCodeAt(0));
}

const concat = (...parts) => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) { out.set(p, o); o += p.length; }
  return out;
};

export async function sha256(bytes) {
  return new Uint8Array(await subtle().digest('SHA-256', bytes));
}

// RFC 6962 leaf hash: SHA-256(0x00 || data).
export const leafHash = (data) => sha256(concat(Uint8Array.of(0), data));
// RFC 6962 interior node: SHA-256(0x01 || left || right).
export const nodeHash = (l, r) => sha256(concat(Uint8Array.of(1), l, r));

// The root that `proof` (array of 32-byte arrays) leads to from leaf `index` of a tree of
// `size` leaves; throws when the proof has the wrong length for (index, size). Indices are
// JavaScript numbers, exact up to 2^53 leaves.
export async function rootFromInclusion(index, size, leaf, proof) {
  if (!(Number.isSafeInteger(index) && Number.isSafeInteger(size)) || index < 0 || index >= size) {
    throw new Error(`leaf ${index} is not in a tree of ${size}`);
  }
  let fn = index;
  let sn = size - 1;
  let r = leaf;
  for (const p of proof) {
    if (p.length !== 32) throw new Error('a proof hash is not 32 bytes');
    if (sn === 0) throw new Error('the proof is longer than the tree is deep');
    if (fn % 2 === 1 || fn === sn) {
      r = await nodeHash(p, r);
      if (fn % 2 === 0) {
        while (fn % 2 === 0 && fn !== 0) { fn /= 2; sn = Math.floor(sn / 2); }
      }
    } else {
      r = await nodeHash(r, p);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  if (sn !== 0) throw new Error('the proof is shorter than the tree is deep');
  return r;
}

const equal = (a, b) => a.length === b.length && a.every((x, i) => x === b[i]);

// True when `proof` shows `leaf` at `index` in the tree of `size` whose root is `root`.
export async function verifyInclusion(index, size, leaf, proof, root) {
  if (leaf.length !== 32 || root.length !== 32) throw new Error('a leaf or root hash is not 32 bytes');
  return equal(await rootFromInclusion(index, size, leaf, proof), root);
}

// Parses a C2SP vkey "name+hex8+base64(0x01 || 32-byte key)".
export function parseVkey(vkey) {
  const m = /^([^+\s]+)\+([0-9a-f]{8})\+([A-Za-z0-9+/=]+)$/.exec(vkey.trim());
  if (!m) throw new Error('the verifier key is not name+keyid+key');
  const raw = b64ToBytes(m[3]);
  if (raw.length !== 33 || raw[0] !== 1) throw new Error('the verifier key is not an Ed25519 key');
  return { name: m[1], id: hexToBytes(m[2]), pub: raw.slice(1) };
}

// Splits a signed note into its text (with its final newline) and signature lines
// [{name, id, sig}]; throws on a note without the blank line or a malformed signature line.
export function parseNote(note) {
  const cut = note.lastIndexOf('\n\n');
  if (cut < 0 || !note.endsWith('\n')) throw new Error('not a signed note: no blank line before the signatures');
  const text = note.slice(0, cut + 1);
  const sigs = note.slice(cut + 2, -1).split('\n').map((line) => {
    const m = /^\u2014 (\S+) ([A-Za-z0-9+/=]+)$/.exec(line);
    if (!m) throw new Error(`not a signature line: '${line.slice(0, 80)}'`);
    const raw = b64ToBytes(m[2]);
    if (raw.length < 5) throw new Error('a signature is too short');
    return { name: m[1], id: raw.slice(0, 4), sig: raw.slice(4) };
  });
  return { text, sigs };
}

// The key ID of an Ed25519 note key: SHA-256(name || 0x0A || 0x01 || key)[0:4].
export async function keyId(name, pub) {
  const d = await sha256(concat(new TextEncoder().encode(name), Uint8Array.of(0x0a, 0x01), pub));
  return d.slice(0, 4);
}

// Whether this browser's WebCrypto verifies Ed25519 (Chromium 137+, Firefox 129+, Safari 17+).
export async function ed25519Supported() {
  try {
    await subtle().importKey('raw', new Uint8Array(32).fill(1), { name: 'Ed25519' }, false, ['verify']);
    return true;
  } catch {
    return false;
  }
}

// Verifies the note's signature by `vkey`. Resolves to {ok, reason}.
export async function verifyNote(note, vkey) {
  const key = parseVkey(vkey);
  const { text, sigs } = parseNote(note);
  const want = await keyId(key.name, key.pub);
  if (!equal(want, key.id)) return { ok: false, reason: 'the key ID does not match the key' };
  const s = sigs.find((x) => x.name === key.name && equal(x.id, key.id));
  if (!s) return { ok: false, reason: 'no signature by this key' };
  if (s.sig.length !== 64) return { ok: false, reason: 'the signature is not 64 bytes' };
  const k = await subtle().importKey('raw', key.pub, { name: 'Ed25519' }, false, ['verify']);
  const ok = await subtle().verify({ name: 'Ed25519' }, k, s.sig, new TextEncoder().encode(text));
  return { ok, reason: ok ? 'signature verified' : 'the signature does not verify' };
}

// The checkpoint body's three lines: origin, size, base64 root (C2SP tlog-checkpoint).
export function parseCheckpoint(text) {
  const [origin, size, root] = text.split('\n');
  if (!origin || !/^[0-9]+$/.test(size || '') || !root) throw new Error('not a checkpoint');
  const r = b64ToBytes(root);
  if (r.length !== 32) throw new Error('the checkpoint root is not 32 bytes');
  return { origin, size: Number(size), root: r };
}
