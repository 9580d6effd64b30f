// proc.js — concerns and notifications (the procedures of /v1/concerns and
// /v1/notifications): lists with overdue parties marked, a form to lodge a concern and
// buttons to acknowledge, for a signed-in delegate; the server decides what the delegate may
// do, and its refusal (403, 409, 422 with the field) is shown as it comes.
import { api, auth, errText } from './api.js';
import { h, fill, scroller } from './dom.js';
import { has } from './caps.js';
import countries from 'gsi:countries';
import { actForm, poster, fieldErrors } from './form.js';
import { postTypes, schemaName } from './schema.js';

const KINDS = [
  { path: 'concerns', title: 'Concerns', one: 'concern' },
  { path: 'notifications', title: 'Notifications', one: 'notification' },
];

const day = (t) => (t ? t.slice(0, 16).replace('T', ' ') : '–');

// The addressed parties' states, overdue ones marked in words (not colour alone).
function partiesCell(c) {
  return h('ul', { class: 'plain' }, c.parties.map((p) => h('li', {},
    `${p.party}: ${p.state}`,
    p.due && !p.overdue ? ` (${p.due_what} by ${day(p.due)})` : null,
    p.overdue ? h('span', { class: 'overdue' }, ` overdue: ${p.due_what} was due ${day(p.due)}`) : null)));
}

// The acts the signed-in party may take on a case it is addressed by: acknowledge while
// its row waits for it. The server checks again.
function actions(kind, c, reload, msg) {
  const me = auth.me;
  const row = me && c.parties.find((p) => p.party === me.party);
  if (!row || row.due_what !== 'acknowledge') return null;
  return h('button', { type: 'button', class: 'small', onclick: async () => {
    const r = await api(`/v1/${kind.path}/${c.id}/acknowledge`, { method: 'POST', body: {} });
    msg.textContent = r.ok ? `${kind.one} ${c.id} acknowledged for ${me.party}` : `Not acknowledged: ${errText(r)}`;
    if (r.ok) reload();
  } }, `Acknowledge for ${me.party}`);
}

function table(kind, list, reload, msg) {
  if (list.length === 0) return h('p', {}, `No ${kind.title.toLowerCase()} to show.`);
  return scroller(kind.title, h('table', { class: 'proc', 'data-kind': kind.path },
    h('thead', {}, h('tr', {}, ['#', 'Title', 'From', 'Domain', 'State', 'Parties', 'Opened', ''].map((t) => h('th', { scope: 'col' }, t)))),
    h('tbody', {}, list.map((c) => h('tr', { 'data-id': c.id, class: c.overdue.length ? 'late' : null },
      h('td', {}, String(c.id)),
      h('th', { scope: 'row' }, c.title || c.type, c.confidential ? h('span', { class: 'tag' }, ' confidential') : null),
      h('td', {}, c.owner), h('td', {}, c.domain || '–'), h('td', {}, c.state),
      h('td', {}, partiesCell(c)), h('td', {}, day(c.opened)),
      h('td', {}, actions(kind, c, reload, msg)))))));
}

// `at`: judge deadlines at this time (RFC 3339) instead of now, to see what will be overdue.
async function listOf(kind, party, at) {
  const q = `limit=200${party ? `&party=${encodeURIComponent(party)}` : ''}${at ? `&at=${encodeURIComponent(at)}` : ''}`;
  const r = await api(`/v1/${kind.path}?${q}`);
  // A country that is no party (a territory) has no cases: the API says 404 "no party".
  if (!r.ok && r.status === 404 && party) return { list: [] };
  return r.ok ? { list: r.body[kind.path].slice().reverse() } : { error: errText(r) };
}

function lodgeForm(onDone, params) {
  const msg = h('p', { role: 'status', id: 'lodge-msg' });
  const to = h('input', { id: 'c-to', required: true, placeholder: 'e.g. ETH, SOM or IGAD', autocomplete: 'off', value: params.get('to') || null });
  const hotspot = h('input', { id: 'c-hotspot', placeholder: 'e.g. ETH-2022-11', autocomplete: 'off', pattern: '[A-Z]{3}-[0-9]{4}-[0-9]{2}', value: params.get('hotspot') || null });
  const domain = h('select', { id: 'c-domain', required: true },
    countries.domains.map((d) => h('option', { value: d.key }, d.name)));
  const title = h('input', { id: 'c-title', required: true, maxlength: 200 });
  const text = h('textarea', { id: 'c-text', required: true, rows: 4, maxlength: 20000 });
  const conf = h('input', { id: 'c-conf', type: 'checkbox' });
  let errs = null;
  const form = h('form', { id: 'lodge', class: 'stack', onsubmit: async (ev) => {
    ev.preventDefault();
    errs.clear();
    const body = {
      to: to.value.split(/[\s,]+/).filter(Boolean).map((s) => s.toUpperCase()),
      domain: domain.value, title: title.value.trim(), text: text.value.trim(), confidential: conf.checked,
    };
    if (hotspot.value) body.hotspot = hotspot.value;
    const r = await api('/v1/concerns', { method: 'POST', body });
    if (!r.ok) {
      errs.show(r);
      msg.textContent = `Not lodged: ${errText(r)}`;
      return;
    }
    msg.textContent = `Concern ${r.body.case} lodged for ${auth.me.party}; it is in the journal as entry ${r.body.index}.`;
    title.value = '';
    text.value = '';
    onDone();
  } },
  h('h2', { id: 'lodgeh' }, `Lodge a concern for ${auth.me.party_name}`),
  h('label', { for: 'c-to' }, 'Addressed to (party ids, comma-separated)'), to,
  h('label', { for: 'c-hotspot' }, 'The early-warning hotspot it responds to (optional)'), hotspot,
  h('label', { for: 'c-domain' }, 'Domain'), domain,
  h('label', { for: 'c-title' }, 'Title'), title,
  h('label', { for: 'c-text' }, 'The concern'), text,
  h('div', { class: 'row' }, conf, h('label', { for: 'c-conf' }, 'Confidential: only the parties addressed see it')),
  h('div', { class: 'row' }, h('button', { type: 'submit', id: 'lodge-go' }, 'Lodge')), msg);
  errs = fieldErrors({ to, hotspot, domain, title, text, confidential: conf });
  return h('section', { 'aria-labelledby': 'lodgeh' }, form);
}

// Send a notification: the kind first (the values of `type` the server's document lists for
// POST /v1/notifications), then that kind's fields from its generated schema.
function notifyForm(onDone) {
  const kinds = postTypes('/v1/notifications');
  const host = h('div', { id: 'notify-fields' });
  const kind = h('select', { id: 'n-kind' }, kinds.map((k) => h('option', { value: k }, k.replace(/_/g, ' '))));
  const draw = () => fill(host, actForm({ id: 'notify', schema: schemaName('Notification', kind.value), title: `Fields of a ${kind.value.replace(/_/g, ' ')} notification`,
    submit: 'Send the notification', fixed: { type: kind.value }, send: poster('/v1/notifications'), after: onDone,
    done: (r) => `Notification ${r.body.case} sent for ${auth.me.party}; it is in the journal as entry ${r.body.index}.` }).el);
  kind.addEventListener('change', draw);
  if (kinds.length) draw();
  return h('section', { 'aria-labelledby': 'notifyh', id: 'notify-sec' }, h('h2', { id: 'notifyh' }, `Send a notification for ${auth.me.party_name}`),
    kinds.length ? h('div', { class: 'row' }, h('label', { for: 'n-kind' }, 'Kind'), kind) : h('p', { class: 'error' }, 'This server lists no notification kinds.'), host);
}

// Answer a concern addressed to the signed-in party: the case, then the answer act's fields.
function answerForm(list, onDone) {
  // Those still open where the party has not answered; the server has the last word.
  const mine = list.filter((c) => c.state !== 'withdrawn' && c.state !== 'closed' &&
    c.parties.some((p) => p.party === auth.me.party && p.state !== 'answered'));
  if (mine.length === 0) return null;
  const pick = h('select', { id: 'a-case' }, mine.map((c) => h('option', { value: c.id }, `${c.id}: ${c.title} (from ${c.owner})`)));
  const f = actForm({ id: 'answer', schema: 'ConcernAnswer', title: 'The answer', submit: 'Answer',
    send: (body) => api(`/v1/concerns/${pick.value}/answer`, { method: 'POST', body }), after: onDone,
    done: (r) => `Concern ${r.body.case} answered for ${auth.me.party}; it is in the journal as entry ${r.body.index}.` });
  return h('section', { 'aria-labelledby': 'answerh', id: 'answer-sec' }, h('h2', { id: 'answerh' }, `Answer a concern addressed to ${auth.me.party_name}`),
    h('div', { class: 'row' }, h('label', { for: 'a-case' }, 'Concern'), pick), f.el);
}

// Whether this server has the procedures at all.
export const hasProcedures = () => has('/v1/concerns') || has('/v1/notifications');

export async function procView(main, params = new URLSearchParams()) {
  const msg = h('p', { role: 'status', id: 'proc-msg' });
  const lists = h('div', { id: 'proc-lists' });
  const asOf = h('input', { id: 'as-of', type: 'date' });
  const answerHost = h('div');
  const reload = async () => {
    const parts = [];
    const at = asOf.value ? `${asOf.value}T00:00:00Z` : null;
    for (const kind of KINDS.filter((k) => has(`/v1/${k.path}`))) {
      const r = await listOf(kind, null, at);
      parts.push(h('section', { 'aria-labelledby': `${kind.path}h` }, h('h2', { id: `${kind.path}h` }, kind.title),
        r.error ? h('p', { class: 'error' }, r.error) : table(kind, r.list, reload, msg)));
      // The answer form is drawn once, from the first list: redrawing it after each act
      // would lose what the delegate is typing.
      if (kind.path === 'concerns' && auth.me && !r.error && answerHost.childElementCount === 0 && has('/v1/concerns/{id}/answer')) {
        fill(answerHost, answerForm(r.list, reload));
      }
    }
    fill(lists, parts);
  };
  fill(main, h('h1', {}, 'Concerns and notifications'),
    h('p', {}, auth.me
      ? `Signed in for ${auth.me.party_name}: you see public cases and the confidential ones ${auth.me.party} is party to.`
      : 'The public view: confidential cases are left out. A delegate signs in to lodge and acknowledge.'),
    auth.me && has('/v1/concerns') ? lodgeForm(reload, params) : null,
    answerHost,
    auth.me && has('/v1/notifications') ? notifyForm(reload) : null,
    h('form', { class: 'row', id: 'as-of-form', onsubmit: (ev) => { ev.preventDefault(); reload(); } },
      h('label', { for: 'as-of' }, 'Judge deadlines as of (empty: now)'), asOf,
      h('button', { type: 'submit', id: 'as-of-go' }, 'Show')),
    msg, lists);
  await reload();
}

// The section of a country page: the cases opened by or addressed to it.
export async function countryProcSection(iso3) {
  if (!hasProcedures()) return null;
  const sec = h('section', { 'aria-labelledby': 'cph2', id: 'country-proc' }, h('h2', { id: 'cph2' }, 'Concerns and notifications'));
  const msg = h('p', { role: 'status' });
  for (const kind of KINDS.filter((k) => has(`/v1/${k.path}`))) {
    const r = await listOf(kind, iso3);
    sec.append(h('h3', {}, kind.title), r.error ? h('p', { class: 'error' }, r.error) : table(kind, r.list, () => {}, msg));
  }
  sec.append(msg);
  return sec;
}
