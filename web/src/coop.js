// coop.js — cooperation (docs/internals/cooperation.md): the open offers and requests across
// the 20 priority domains, filtered by domain, party and kind; each request's best matches
// with the reasons that hold and those missing (GET /v1/cooperation/matches); the max-min
// fair allocation of the places (GET /v1/cooperation/allocations). A signed-in delegate
// offers or requests places (forms built from the procedures' schemas) and withdraws its own.
import { api, auth, errText } from './api.js';
import { h, fill, scroller, fmtInt } from './dom.js';
import { has } from './caps.js';
import { actForm, poster } from './form.js';
import countries from 'gsi:countries';

export const hasCooperation = () => has('/v1/cooperation/offers') && has('/v1/cooperation/requests');

const KINDS = [
  { path: 'offers', one: 'offer', title: 'Offers', schema: 'CooperationOffer' },
  { path: 'requests', one: 'request', title: 'Requests', schema: 'CooperationRequest' },
];
const domainName = (k) => (countries.domains.find((d) => d.key === k) || { name: k }).name;
const dates = (d) => (d.start || d.end ? `${d.start || '…'} to ${d.end || '…'}` : 'any');

function withdrawButton(kind, c, reload, msg) {
  if (!auth.me || c.owner !== auth.me.party || c.state !== 'open') return null;
  return h('button', { type: 'button', class: 'small', onclick: async () => {
    const r = await api(`/v1/cooperation/${kind.path}/${c.id}/withdraw`, { method: 'POST', body: {} });
    msg.textContent = r.ok ? `${kind.one} ${c.id} withdrawn` : `Not withdrawn: ${errText(r)}`;
    if (r.ok) reload();
  } }, `Withdraw ${kind.one} ${c.id}`);
}

// The declared answer to a match is to amend one's own offer or request (restating it whole,
// say with the language or the dates the other side needs) or to withdraw it: the
// cooperation procedure has no other act. The amend form comes prefilled with the case's
// terms, below the matches.
function amendButton(kind, c, ctx) {
  if (!auth.me || c.owner !== auth.me.party || c.state !== 'open' || !has(`/v1/cooperation/${kind.path}/{id}/amend`)) return null;
  return h('button', { type: 'button', class: 'small', 'data-amend': c.id, onclick: () => {
    const f = actForm({ id: 'amend', schema: `${kind.schema}Amend`, title: `Amend ${kind.one} ${c.id}: ${c.title}`, submit: `Amend ${kind.one} ${c.id}`,
      values: c.data, send: poster(`/v1/cooperation/${kind.path}/${c.id}/amend`),
      done: (r) => `${kind.one[0].toUpperCase()}${kind.one.slice(1)} ${c.id} amended for ${auth.me.party}; it is in the journal as entry ${r.body.index}.`,
      after: (r, text) => { ctx.msg.textContent = text; fill(ctx.amend); ctx.reload(); } });
    fill(ctx.amend, f.el);
    f.form.querySelector('input, select, textarea').focus();
  } }, `Amend ${kind.one} ${c.id}`);
}

function casesTable(kind, list, ctx) {
  if (list.length === 0) return h('p', {}, `No open ${kind.title.toLowerCase()} match the filter.`);
  return scroller(kind.title, h('table', { class: 'coop', 'data-kind': kind.path },
    h('thead', {}, h('tr', {}, ['#', 'Title', 'Party', 'Domain', 'Places', 'Languages', kind.one === 'offer' ? 'Open to' : 'Region', 'Dates', ''].map((t) => h('th', { scope: 'col' }, t)))),
    h('tbody', {}, list.map((c) => h('tr', { 'data-id': c.id },
      h('td', {}, String(c.id)), h('th', { scope: 'row' }, c.title),
      h('td', {}, c.owner), h('td', {}, domainName(c.domain)), h('td', {}, fmtInt(c.data.places)),
      h('td', {}, (c.data.languages || []).join(', ')),
      h('td', {}, kind.one === 'offer' ? (c.data.regions || ['every region']).join(', ') : c.data.region || 'its own'),
      h('td', {}, dates(c.data)), h('td', {}, h('div', { class: 'row' }, amendButton(kind, c, ctx), withdrawButton(kind, c, ctx.reload, ctx.msg))))))));
}

function matchesTable(matches, titles, cases, ctx) {
  const answer = (id, kind) => (cases.has(id) ? amendButton(kind, cases.get(id), ctx) : null);
  if (matches.length === 0) return h('p', {}, 'No request has an offer in its domain.');
  return scroller('Matches', h('table', { id: 'matches' },
    h('thead', {}, h('tr', {}, ['Request', 'Party', 'Rank', 'Offer', 'Offered by', 'Places', 'Reasons that hold', 'Missing', ''].map((t) => h('th', { scope: 'col' }, t)))),
    h('tbody', {}, matches.map((m) => h('tr', { 'data-request': m.request, 'data-offer': m.offer, class: m.missing.length ? null : 'fit' },
      h('th', { scope: 'row' }, titles.get(m.request) || `request ${m.request}`), h('td', {}, m.party), h('td', {}, String(m.rank)),
      h('td', {}, titles.get(m.offer) || `offer ${m.offer}`), h('td', {}, m.offered_by), h('td', {}, fmtInt(m.places)),
      h('td', {}, m.reasons.join(', ') || 'none'), h('td', {}, m.missing.length ? h('span', { class: 'overdue' }, m.missing.join(', ')) : 'nothing: compatible'),
      h('td', {}, answer(m.request, KINDS[1]), answer(m.offer, KINDS[0])))))));
}

function allocationSection(a, titles) {
  return h('section', { 'aria-labelledby': 'alloch', id: 'allocation' }, h('h2', { id: 'alloch' }, 'Fair allocation of the places'),
    h('p', {}, `${fmtInt(a.allocated)} places allocated, lexicographically max-min fair over the requesting parties (the smallest share as large as it can be, then the next), as of act ${a.as_of}.`),
    a.shares.length === 0 ? h('p', {}, 'No party has requested places.') : scroller('Shares', h('table', { id: 'shares' },
      h('thead', {}, h('tr', {}, ['Party', 'Requested', 'Allocated'].map((t) => h('th', { scope: 'col' }, t)))),
      h('tbody', {}, a.shares.map((s) => h('tr', { 'data-party': s.party },
        h('th', { scope: 'row' }, s.party), h('td', {}, fmtInt(s.requested)), h('td', {}, fmtInt(s.allocated))))))),
    a.grants.length ? h('details', {}, h('summary', {}, `The ${a.grants.length} grants (request ← offer)`),
      h('ul', { id: 'grants' }, a.grants.map((g) => h('li', {},
        `${g.party}: ${g.places} of “${titles.get(g.offer) || `offer ${g.offer}`}” for “${titles.get(g.request) || `request ${g.request}`}”`)))) : null);
}

function filterForm(params, onChange) {
  const domain = h('select', { id: 'f-domain' }, h('option', { value: '' }, 'all 20 domains'),
    countries.domains.map((d) => h('option', { value: d.key, selected: params.domain === d.key }, d.name)));
  const party = h('input', { id: 'f-party', autocomplete: 'off', size: 8, value: params.party || null, placeholder: 'e.g. KEN' });
  const kind = h('select', { id: 'f-kind' }, [['', 'offers and requests'], ['offers', 'offers'], ['requests', 'requests']]
    .map(([v, t]) => h('option', { value: v, selected: params.kind === v }, t)));
  return h('form', { class: 'row filters', id: 'coop-filter', onsubmit: (ev) => {
    ev.preventDefault();
    onChange({ domain: domain.value, party: party.value.trim().toUpperCase(), kind: kind.value });
  } },
  h('label', { for: 'f-kind' }, 'Show'), kind, h('label', { for: 'f-domain' }, 'Domain'), domain,
  h('label', { for: 'f-party' }, 'Party'), party, h('button', { type: 'submit', id: 'f-go' }, 'Filter'));
}

export async function cooperationView(main, params = new URLSearchParams()) {
  const filter = { domain: params.get('domain') || '', party: params.get('party') || '', kind: params.get('kind') || '' };
  const msg = h('p', { role: 'status', id: 'coop-msg' });
  const lists = h('div', { id: 'coop-lists' });
  const amend = h('div', { id: 'coop-amend' });
  const ctx = { msg, amend, reload: null };
  const reload = async () => {
    const q = `state=open&limit=200${filter.domain ? `&domain=${encodeURIComponent(filter.domain)}` : ''}${filter.party ? `&party=${encodeURIComponent(filter.party)}` : ''}`;
    const shown = KINDS.filter((k) => !filter.kind || filter.kind === k.path);
    // Titles of every open case, for the matches and grants (not only the filtered ones).
    const [all, mr, ar, ...rs] = await Promise.all([
      Promise.all(KINDS.map((k) => api(`/v1/cooperation/${k.path}?state=open&limit=200`))),
      has('/v1/cooperation/matches') ? api('/v1/cooperation/matches?top=3') : null,
      has('/v1/cooperation/allocations') ? api('/v1/cooperation/allocations') : null,
      ...shown.map((k) => api(`/v1/cooperation/${k.path}?${q}`))]);
    const titles = new Map();
    const cases = new Map();
    all.forEach((r, i) => { if (r.ok) for (const c of r.body[KINDS[i].path]) { titles.set(c.id, c.title); cases.set(c.id, c); } });
    const parts = shown.map((k, i) => h('section', { 'aria-labelledby': `coop-${k.path}-h` }, h('h2', { id: `coop-${k.path}-h` }, `Open ${k.title.toLowerCase()}`),
      rs[i].ok ? casesTable(k, rs[i].body[k.path].slice().reverse(), ctx) : h('p', { class: 'error' }, errText(rs[i]))));
    if (mr) {
      parts.push(h('section', { 'aria-labelledby': 'matchh' }, h('h2', { id: 'matchh' }, 'Matches'),
        h('p', {}, 'For each open request, the offers of its domain, best first: a match needs the same domain, a language in common, the request’s region among those the offer is open to, and the course within the request’s dates.'),
        mr.ok ? [matchesTable(mr.body.matches.filter((m) => !filter.party || m.party === filter.party || m.offered_by === filter.party), titles, cases, ctx), amend] : h('p', { class: 'error' }, errText(mr))));
    }
    if (ar) parts.push(ar.ok ? allocationSection(ar.body, titles) : h('p', { class: 'error' }, errText(ar)));
    fill(lists, parts);
  };
  ctx.reload = reload;
  const done = (kind) => (r) => `${kind} ${r.body.case} posted for ${auth.me.party}; it is in the journal as entry ${r.body.index}.`;
  fill(main, h('h1', {}, 'Cooperation: training and assistance'),
    h('p', {}, 'Parties offer places of training or assistance in the 20 priority domains; others request them. GSI matches them and shares the places out fairly.'),
    filterForm(filter, (f) => { Object.assign(filter, f); reload(); }),
    msg, lists,
    auth.me ? h('section', { 'aria-labelledby': 'coop-act-h' }, h('h2', { id: 'coop-act-h' }, `Act for ${auth.me.party_name}`),
      actForm({ id: 'offer', schema: 'CooperationOffer', title: 'Offer places', submit: 'Post the offer', send: poster('/v1/cooperation/offers'), done: done('Offer'), after: reload }).el,
      actForm({ id: 'request', schema: 'CooperationRequest', title: 'Request places', submit: 'Post the request', send: poster('/v1/cooperation/requests'), done: done('Request'), after: reload }).el)
      : h('p', {}, 'A delegate signs in to offer or request places.'));
  await reload();
}

// The country page's section: the open offers and requests of the country, and its share
// of the allocation; the cooperation view filtered to it is a link away.
export async function countryCoopSection(iso3) {
  if (!hasCooperation()) return null;
  const [rs, ar] = await Promise.all([
    Promise.all(KINDS.map((k) => api(`/v1/cooperation/${k.path}?state=open&party=${encodeURIComponent(iso3)}&limit=200`))),
    has('/v1/cooperation/allocations') ? api('/v1/cooperation/allocations') : null]);
  const sec = h('section', { 'aria-labelledby': 'ccoh', id: 'country-coop' }, h('h2', { id: 'ccoh' }, 'Cooperation: training and assistance'));
  KINDS.forEach((k, i) => {
    const r = rs[i];
    const list = r.ok ? r.body[k.path] : [];
    sec.append(h('h3', {}, `Open ${k.title.toLowerCase()}`), !r.ok ? h('p', { class: 'error' }, errText(r)) : list.length === 0 ? h('p', {}, 'None.')
      : h('ul', { 'data-kind': k.path }, list.map((c) => h('li', { 'data-id': c.id }, `${c.title} (${domainName(c.domain)}, ${fmtInt(c.data.places)} places)`))));
  });
  const share = ar && ar.ok ? ar.body.shares.find((s) => s.party === iso3) : null;
  if (share) sec.append(h('p', {}, `The fair allocation gives it ${fmtInt(share.allocated)} of the ${fmtInt(share.requested)} places it requested.`));
  sec.append(h('p', {}, h('a', { href: `#/cooperation?party=${iso3}` }, 'Its cooperation with matches and the allocation')));
  return sec;
}
