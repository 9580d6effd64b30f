// agree.js — agreements: a consultation's agreements, one agreement's page (its text, its
// signatories and who has signed), and signing it in the browser. The delegate picks the key
// file `gsi keygen` wrote; the page reads it locally, signs the agreement's canonical bytes
// (GET /v1/agreements/{id}/bytes) with WebCrypto's Ed25519, and sends only the signature and
// the bytes' SHA-256. The key never leaves the browser; the server checks the signature
// against the key the delegate registered and says why when it refuses.
import { api, auth, errText } from './api.js';
import { h, fill, scroller } from './dom.js';
import { has } from './caps.js';

export const hasAgreements = () => has('/v1/agreements/{id}');

// A signed note signer key (C2SP): "PRIVATE+KEY+<name>+<8 hex key id>+<base64(0x01 || seed)>".
// The base64 may itself hold '+', so only the first four separators split. Returns the 32-byte
// Ed25519 seed, or throws an Error saying what was expected.
export function parseSignerKey(text) {
  const line = text.trim();
  if (line.length > 512 || line.includes('\n')) throw new Error('expected one line, the private key file that gsi keygen writes');
  const parts = line.split('+');
  if (parts.length < 5 || parts[0] !== 'PRIVATE' || parts[1] !== 'KEY') throw new Error('expected a key starting with PRIVATE+KEY+ (the private key file gsi keygen writes, not its .pub)');
  if (!/^[0-9a-f]{8}$/.test(parts[3])) throw new Error('expected an 8-digit hex key id after the key name');
  let raw;
  try {
    raw = Uint8Array.from(atob(parts.slice(4).join('+')), (c) => c.charCodeAt(0));
  } catch {
    throw new Error('the key is not valid base64');
  }
  if (raw.length !== 33 || raw[0] !== 1) throw new Error(`expected 33 bytes (0x01 and a 32-byte Ed25519 seed), found ${raw.length}`);
  return { name: parts[2], seed: raw.slice(1) };
}

// The fixed DER prefix of a PKCS#8 Ed25519 private key (RFC 8410): the seed follows it.
const PKCS8_PREFIX = [0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20];

const hex = (buf) => [...new Uint8Array(buf)].map((b) => b.toString(16).padStart(2, '0')).join('');
const b64 = (buf) => btoa(String.fromCharCode(...new Uint8Array(buf)));

// Signs `bytes` with the seed; resolves to {signature (base64), sha256 (hex)}.
export async function signBytes(seed, bytes) {
  const der = new Uint8Array(48);
  der.set(PKCS8_PREFIX);
  der.set(seed, 16);
  const key = await crypto.subtle.importKey('pkcs8', der, { name: 'Ed25519' }, false, ['sign']);
  der.fill(0);
  const sig = await crypto.subtle.sign({ name: 'Ed25519' }, key, bytes);
  return { signature: b64(sig), sha256: hex(await crypto.subtle.digest('SHA-256', bytes)) };
}

// The signatories: the drafter and the parties named; who signed, from the case's acts.
function signatures(a) {
  const signed = new Map((a.acts || []).filter((x) => x.type === 'agreement.sign').map((x) => [x.party, x.time]));
  const who = [a.owner, ...a.parties.map((p) => p.party)];
  return { who, signed };
}

function signForm(a, bytesOk, reload) {
  const input = h('input', { id: 'sign-key', type: 'file', required: true });
  const msg = h('p', { role: 'status', id: 'sign-msg' });
  const form = h('form', { id: 'sign', onsubmit: async (ev) => {
    ev.preventDefault();
    const file = input.files[0];
    if (!file) { msg.textContent = 'Choose the key file first.'; return; }
    if (file.size > 512) { msg.textContent = `Not signed: ${file.name} is ${file.size} bytes; a key file is one line of about 90.`; return; }
    try {
      const { seed } = parseSignerKey(await file.text());
      const res = await fetch(`/v1/agreements/${a.id}/bytes`, { headers: auth.token() ? { Authorization: `Bearer ${auth.token()}` } : {} });
      if (!res.ok) throw new Error(`the agreement's bytes could not be fetched (HTTP ${res.status})`);
      const s = await signBytes(seed, new Uint8Array(await res.arrayBuffer()));
      seed.fill(0);
      input.value = '';
      const r = await api(`/v1/agreements/${a.id}/sign`, { method: 'POST', body: { signature: s.signature, body_sha256: s.sha256 } });
      msg.textContent = r.ok ? `${auth.me.party} signed.` : `Not signed: ${errText(r)}`;
      if (r.ok) reload();
    } catch (e) {
      msg.textContent = `Not signed: ${e.message}`;
    }
  } },
  h('h2', { id: 'signh' }, `Sign for ${auth.me.party_name}`),
  h('p', {}, 'Choose the private key file that gsi keygen wrote for you (its public key is the one registered with gsi delegate add). ',
    h('strong', {}, 'The key never leaves this browser:'), ' the page reads it here, signs the agreement’s bytes here, and sends only the signature.'),
  bytesOk ? null : h('p', { class: 'error' }, 'This browser has no Ed25519 in WebCrypto, so it cannot sign; use gsi sign instead.'),
  h('label', { for: 'sign-key' }, 'Private key file'), input,
  h('div', { class: 'row' }, h('button', { type: 'submit', id: 'sign-go', disabled: !bytesOk }, 'Sign')), msg);
  return form;
}

async function ed25519Available() {
  try {
    await crypto.subtle.importKey('raw', new Uint8Array(32), { name: 'Ed25519' }, false, ['verify']);
    return true;
  } catch {
    return false;
  }
}

export async function agreementView(main, id) {
  const r = await api(`/v1/agreements/${id}`);
  if (!r.ok) {
    fill(main, h('h1', {}, `Agreement ${id}`), h('p', { class: 'error' }, errText(r)));
    return;
  }
  const a = r.body;
  const { who, signed } = signatures(a);
  const me = auth.me;
  const canSign = me && who.includes(me.party) && !signed.has(me.party) && a.state === 'open';
  fill(main, h('p', {}, h('a', { href: `#/consultation/${a.data.consultation}` }, '← The consultation')),
    h('h1', {}, a.title || `Agreement ${id}`),
    h('p', { id: 'agreement-state', 'data-state': a.state },
      `Drafted by ${a.owner} from decision ${a.data.proposal}; `,
      a.state === 'adopted' ? 'adopted: every signatory has signed.' : `open: ${signed.size} of ${who.length} signatories have signed.`),
    h('blockquote', { class: 'agreement-text' }, a.data.text),
    h('section', { 'aria-labelledby': 'sgh' }, h('h2', { id: 'sgh' }, 'Signatures'),
      scroller('Signatures', h('table', { id: 'signatures' },
        h('thead', {}, h('tr', {}, ['Signatory', 'Signed'].map((t) => h('th', { scope: 'col' }, t)))),
        h('tbody', {}, who.map((p) => h('tr', { 'data-party': p, 'data-signed': signed.has(p) ? 'yes' : 'no' },
          h('th', { scope: 'row' }, p), h('td', {}, signed.has(p) ? `signed ${signed.get(p).replace('T', ' ').replace('Z', ' UTC')}` : 'not yet'))))))),
    h('p', {}, 'Each signature is Ed25519 over the agreement’s canonical bytes (',
      h('a', { href: `/v1/agreements/${id}/bytes` }, 'the bytes'), '); ',
      h('a', { href: `/v1/agreements/${id}/bundle` }, 'the bundle'), ' verifies offline with gsi agreement verify.'),
    canSign ? signForm(a, await ed25519Available(), () => agreementView(main, id)) : null);
}

// The consultation page's section: the agreements drafted in it.
export async function consultAgreements(cid) {
  if (!hasAgreements()) return null;
  const r = await api('/v1/agreements?limit=200');
  const sec = h('section', { 'aria-labelledby': 'agh' }, h('h2', { id: 'agh' }, 'Agreements'));
  if (!r.ok) {
    sec.append(h('p', { class: 'error' }, errText(r)));
    return sec;
  }
  const list = r.body.agreements.filter((a) => String(a.data.consultation) === String(cid));
  if (list.length === 0) return null;
  sec.append(h('ul', { id: 'agreements' }, list.map((a) => h('li', {},
    h('a', { href: `#/agreement/${a.id}` }, a.title || `Agreement ${a.id}`), ` (${a.state})`))));
  return sec;
}
