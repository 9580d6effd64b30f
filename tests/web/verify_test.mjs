// verify_test.mjs — the dashboard's in-browser journal checks (web/src/verify.js), run by
// Node's WebCrypto against published vectors: the RFC 6962 8-leaf tree, transparency-dev's
// inclusion proofs (good and bad), and the C2SP signed-note example. A tampered proof, root,
// note or key must fail. Prints "checks: N passed, M failed".
//   node tests/web/verify_test.mjs VECTORS_DIR   (tests/data/vectors/converted)
import { webcrypto } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  hexToBytes, bytesToHex, leafHash, nodeHash, verifyInclusion, verifyNote, parseNote,
  parseCheckpoint,
} from '../../web/src/verify.js';
import { parseSignerKey, signBytes } from '../../web/src/agree.js';

// Node 18 has WebCrypto only as node:crypto's webcrypto; the browser's name for it is global.
if (!globalThis.crypto) globalThis.crypto = webcrypto;

const dir = process.argv[2];
if (!dir) {
  console.error('usage: node tests/web/verify_test.mjs VECTORS_DIR');
  process.exit(2);
}
let passed = 0;
let failed = 0;
function check(ok, what) {
  if (ok) passed++;
  else { failed++; console.log(`FAIL ${what}`); }
}

// "KEY = value" records separated by blank lines (tests/data/vectors/convert.py's format).
function records(file) {
  return readFileSync(join(dir, file), 'utf8').split(/\n\s*\n/).map((blk) => {
    const r = {};
    for (const line of blk.split('\n')) {
      const m = /^([A-Z0-9_]+) = ?(.*)$/.exec(line);
      if (m) r[m[1]] = m[2];
    }
    return r;
  }).filter((r) => Object.keys(r).length);
}

// PROOF_LEN tells [] from [""] (an empty element is garbage that must fail).
function proofOf(r) {
  const n = Number(r.PROOF_LEN ?? (r.PROOF === '-' ? 0 : r.PROOF.split(',').length));
  const parts = n === 0 ? [] : (r.PROOF === '-' ? [''] : r.PROOF.split(','));
  return parts.map((x) => (x === '' ? new Uint8Array(0) : hexToBytes(x)));
}

async function safe(f) {
  try { return await f(); } catch { return false; }
}

async function rfc6962() {
  const recs = records('rfc6962_tree.txt');
  const leafRecs = recs.filter((r) => 'LEAF_HASH' in r);
  for (const r of leafRecs) {
    check(bytesToHex(await leafHash(hexToBytes(r.LEAF_DATA))) === r.LEAF_HASH, `leaf hash of '${r.LEAF_DATA}'`);
  }
  const node = recs.find((r) => 'NODE_HASH' in r);
  check(bytesToHex(await nodeHash(hexToBytes(node.LEFT), hexToBytes(node.RIGHT))) === node.NODE_HASH, 'node hash');
  const tree = recs.find((r) => 'LEAVES' in r);
  const leaves = tree.LEAVES.split(',').map((x) => (x === '-' ? '' : x));
  const roots = tree.ROOTS.split(',').map(hexToBytes);
  for (const r of recs.filter((x) => 'INDEX' in x && 'SIZE' in x)) {
    const idx = Number(r.INDEX);
    const size = Number(r.SIZE);
    const leaf = await leafHash(hexToBytes(leaves[idx]));
    const proof = proofOf(r);
    check(await verifyInclusion(idx, size, leaf, proof, roots[size - 1]), `RFC 6962 inclusion ${idx} in ${size}`);
    if (proof.length) {
      const bad = proof.map((p) => p.slice());
      bad[0][0] ^= 1;
      check(!(await safe(() => verifyInclusion(idx, size, leaf, bad, roots[size - 1]))), `RFC 6962 inclusion ${idx} in ${size}, one bit flipped, fails`);
    }
    if (idx + 1 < size) {
      check(!(await safe(() => verifyInclusion(idx + 1, size, leaf, proof, roots[size - 1]))), `RFC 6962 inclusion ${idx} in ${size}: the proof fails for leaf ${idx + 1}`);
    }
  }
}

async function tdev() {
  for (const r of records('tdev_inclusion.txt').filter((x) => 'FILE' in x)) {
    const idx = Number(r.INDEX);
    const size = Number(r.SIZE);
    let ok;
    try {
      ok = await verifyInclusion(idx, size, hexToBytes(r.LEAF), proofOf(r), hexToBytes(r.ROOT));
    } catch {
      ok = false;
    }
    check(ok === (r.WANT_ERR === '0'), `transparency-dev ${r.FILE}: ${r.WANT_ERR === '0' ? 'verifies' : 'fails'}`);
  }
}

async function notes() {
  const [ex] = records('c2sp_examples.txt').filter((r) => 'VKEY' in r);
  const note = Buffer.from(ex.NOTE_HEX, 'hex').toString('utf8');
  check((await verifyNote(note, ex.VKEY)).ok === (ex.EXPECT === 'ok'), 'C2SP example note verifies');
  const text = parseNote(note).text;
  const tampered = note.replace(text, text.replace('example', 'Example'));
  check(!(await verifyNote(tampered, ex.VKEY)).ok, 'C2SP example note with its text changed fails');
  const otherName = ex.VKEY.replace(/^[^+]+/, 'example.com/bar');
  check(!(await verifyNote(note, otherName)).ok, 'C2SP example note under another key name fails');
  const cp = records('c2sp_examples.txt').find((r) => 'CHECKPOINT_HEX' in r);
  const c = parseCheckpoint(parseNote(Buffer.from(cp.CHECKPOINT_HEX, 'hex').toString('utf8')).text);
  check(c.origin === 'example.com/behind-the-sofa' && c.size === 20852163 && c.root.length === 32, 'C2SP example checkpoint parses');
}

// Signing in the page (agree.js): the signer key Go's golang.org/x/mod/sumdb/note example
// publishes, parsed and imported into WebCrypto, must sign the example text to exactly the
// signature Go wrote (Ed25519 is deterministic). Malformed keys are refused with a reason.
async function signing() {
  const recs = records('go_sumdb_note.txt');
  const key = recs.find((r) => 'SKEY' in r);
  const ex = recs.find((r) => 'EXPECTED_HEX' in r && r.SIGN_KEY === key.KEY);
  const { name, seed } = parseSignerKey(`${key.SKEY}\n`);
  check(name === key.KEY && seed.length === 32, 'the Go example signer key parses to a 32-byte seed');
  const text = hexToBytes(ex.TEXT_HEX);
  const { signature, sha256 } = await signBytes(seed, text);
  const note = Buffer.from(ex.EXPECTED_HEX, 'hex').toString('utf8');
  const sigLine = note.slice(note.lastIndexOf('\u2014 ')).trim().split(' ').pop();
  const goSig = Buffer.from(sigLine, 'base64').subarray(4).toString('base64');
  check(signature === goSig, `the page's Ed25519 signature equals Go's for the same key and text (${signature.slice(0, 16)}…)`);
  check(sha256 === bytesToHex(new Uint8Array(await crypto.subtle.digest('SHA-256', text))), 'the body hash sent is SHA-256 of the bytes');
  const bad = [key.SKEY.replace('PRIVATE+KEY+', ''), key.VKEY, key.SKEY.replace(/\+c74f20a3\+/, '+c74f20+'),
    key.SKEY.slice(0, -4), `${key.SKEY}\n${key.SKEY}`, `PRIVATE+KEY+x+00000000+${Buffer.from([2, ...new Uint8Array(32)]).toString('base64')}`];
  for (const b of bad) {
    let msg = '';
    try { parseSignerKey(b); } catch (e) { msg = e.message; }
    check(/expected|base64/.test(msg), `a malformed signer key is refused (${msg || 'accepted'})`);
  }
}

await rfc6962();
await signing();
await tdev();
await notes();
console.log(`checks: ${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
