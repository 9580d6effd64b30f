// journal.js — the public record: the current signed checkpoint, the latest entries, and a
// "verify" button that checks, in this browser, that an entry is in the tree the checkpoint
// signs (RFC 6962 inclusion proof, SHA-256) and that the log's key signed the checkpoint
// (Ed25519, where WebCrypto has it). The server is not trusted for the answer: only for the
// hashes it hands over, which the checks tie to the signed root.
import { api, errText } from './api.js';
import { h, fill, scroller } from './dom.js';
import {
  hexToBytes, bytesToHex, verifyInclusion, verifyNote, parseNote, parseCheckpoint, ed25519Supported,
} from './verify.js';

function resultLine(ok, text) {
  return h('li', { class: ok ? 'pass' : 'fail' }, h('span', { class: 'mark', 'aria-hidden': 'true' }, ok ? '✓' : '✗'),
    ` ${text}`);
}

async function runVerify(out, cp, vkey, index) {
  fill(out, h('p', { class: 'status' }, 'Verifying…'));
  const items = [];
  let note;
  try {
    note = parseCheckpoint(parseNote(cp.note).text);
  } catch (e) {
    fill(out, h('ul', { class: 'checks' }, resultLine(false, `checkpoint: ${e.message}`)));
    return;
  }
  if (await ed25519Supported()) {
    try {
      const r = await verifyNote(cp.note, vkey);
      items.push(resultLine(r.ok, `Checkpoint signature by the log's key: ${r.reason}`));
    } catch (e) {
      items.push(resultLine(false, `Checkpoint signature: ${e.message}`));
    }
  } else {
    items.push(h('li', { class: 'skip' }, 'This browser has no Ed25519 in WebCrypto: the signature was not checked here (gsi journal verify checks it).'));
  }
  const pr = await api(`/v1/journal/proof/inclusion?index=${index}&size=${note.size}`);
  if (!pr.ok) {
    items.push(resultLine(false, `Inclusion proof: ${errText(pr)}`));
  } else {
    try {
      const proof = pr.body.proof.map(hexToBytes);
      const ok = await verifyInclusion(index, note.size, hexToBytes(pr.body.leaf_hash), proof, note.root);
      items.push(resultLine(ok, ok
        ? `Entry ${index} is in the signed tree of ${note.size} entries (${proof.length} proof hashes lead from its leaf hash to the signed root ${bytesToHex(note.root).slice(0, 16)}…)`
        : `Entry ${index}: the proof does not lead to the signed root`));
    } catch (e) {
      items.push(resultLine(false, `Inclusion proof: ${e.message}`));
    }
  }
  fill(out, h('ul', { class: 'checks', 'data-verified': items.every((li) => !li.classList.contains('fail')) ? 'yes' : 'no' }, items));
}

// `params`: entry=N shows the entries from a little before N, N marked, and offers N to verify
// (a form's "journal entry N" links here); without it, the latest ten.
export async function journalView(main, params = new URLSearchParams()) {
  const [cp, key] = await Promise.all([api('/v1/journal/checkpoint'), api('/v1/journal/key')]);
  if (!cp.ok || !key.ok) {
    fill(main, h('h1', {}, 'Journal'), h('p', { class: 'error' }, `The journal is not available: ${errText(cp.ok ? key : cp)}`));
    return;
  }
  const size = cp.body.size;
  const want = /^[0-9]{1,15}$/.test(params.get('entry') || '') ? Number(params.get('entry')) : null;
  const shown = want !== null && want < size ? want : null;
  const start = shown !== null ? Math.max(0, Math.min(shown - 4, size - 10)) : Math.max(0, size - 10);
  const en = await api(`/v1/journal/entries?start=${start}&end=${Math.min(size, start + 10)}`);
  const input = h('input', { id: 'vindex', type: 'number', min: 0, max: size - 1, value: shown !== null ? shown : size - 1, inputmode: 'numeric' });
  const out = h('div', { id: 'vresult', 'aria-live': 'polite' });
  const rows = en.ok ? en.body.entries.slice().reverse() : [];
  fill(main,
    h('h1', {}, 'Journal'),
    h('p', {}, 'Every act is an entry in an append-only log; the log signs its size and root hash. Anyone can check an entry against the signed root.'),
    h('p', {}, 'A confidential act shows only its index and leaf hash, a salted commitment: checking it here proves that an act is in the log at that index, not which. Its parties, who read the record and its salt, can recompute the leaf and show which.'),
    h('section', { 'aria-labelledby': 'cph' },
      h('h2', { id: 'cph' }, 'Current signed checkpoint'),
      h('dl', { class: 'facts' },
        h('dt', {}, 'Origin'), h('dd', {}, cp.body.origin),
        h('dt', {}, 'Entries'), h('dd', {}, String(size)),
        h('dt', {}, 'Root (base64)'), h('dd', { class: 'mono' }, cp.body.root),
        h('dt', {}, 'Verifier key'), h('dd', { class: 'mono' }, key.body.vkey)),
      h('details', {}, h('summary', {}, 'The signed note'), h('pre', { class: 'mono' }, cp.body.note))),
    h('section', { 'aria-labelledby': 'vh' },
      h('h2', { id: 'vh' }, 'Verify an entry'),
      h('form', { class: 'row', onsubmit: (ev) => { ev.preventDefault(); runVerify(out, cp.body, key.body.vkey, Number(input.value)); } },
        h('label', { for: 'vindex' }, 'Entry index'), input,
        h('button', { type: 'submit', id: 'verify' }, 'Verify')),
      out),
    h('section', { 'aria-labelledby': 'eh' },
      h('h2', { id: 'eh' }, shown !== null ? `Entries ${start} to ${Math.min(size, start + 10) - 1}` : 'Latest entries'),
      want !== null && shown === null ? h('p', { class: 'note', id: 'entry-unsigned' }, `Entry ${want} is not in the signed checkpoint of ${size} entries yet: the server signs the journal within seconds of a write; reload this view to see it.`) : null,
      scroller('Latest entries', h('table', {},
        h('thead', {}, h('tr', {}, ['#', 'Type', 'Party', 'Time', 'Leaf hash'].map((t) => h('th', { scope: 'col' }, t)))),
        h('tbody', {}, rows.map((e) => h('tr', { 'data-index': e.index, class: e.index === shown ? 'hit' : null, 'aria-current': e.index === shown ? 'true' : null },
          h('td', {}, String(e.index)), h('td', {}, e.confidential ? 'confidential act' : e.type),
          h('td', {}, e.party || ''), h('td', {}, e.time || ''),
          h('td', { class: 'mono' }, `${e.leaf_hash.slice(0, 16)}…`))))))));
}
