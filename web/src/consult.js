// consult.js — consultations: the list, and one consultation's consensus view (GET
// /v1/consultations/{id}/consensus): the opinion map (each participant placed by the
// engine's projection and coloured by opinion group), the groups with their representative
// statements, the common ground and the differences. The view is polled while it is open
// and redrawn when votes arrive.
import { api, auth, errText } from './api.js';
import { h, fill, scroller, fmtInt } from './dom.js';
import { has } from './caps.js';
import { consultAgreements } from './agree.js';
import { actForm, poster } from './form.js';

// Okabe–Ito colours, distinguishable with the common colour-vision deficiencies; the
// legend and the groups table name each group by letter.
const GROUP_COLOURS = ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#E69F00', '#56B4E9', '#F0E442', '#000000'];
const letter = (g) => String.fromCharCode(65 + g);
export const POLL_MS = 5000;

export const hasConsultations = () => has('/v1/consultations');

function opinionMap(view) {
  const w = 640;
  const hgt = 400;
  const pad = 16;
  const ps = view.participants;
  const xs = ps.map((p) => p.x);
  const ys = ps.map((p) => p.y);
  const [x0, x1] = [Math.min(...xs), Math.max(...xs)];
  const [y0, y1] = [Math.min(...ys), Math.max(...ys)];
  // One participant, or all in one place: the middle of the frame.
  const sx = (x) => (x1 > x0 ? pad + ((x - x0) / (x1 - x0)) * (w - 2 * pad) : w / 2);
  const sy = (y) => (y1 > y0 ? hgt - pad - ((y - y0) / (y1 - y0)) * (hgt - 2 * pad) : hgt / 2);
  return h('figure', { class: 'opinion' },
    h('svg:svg', { viewBox: `0 0 ${w} ${hgt}`, role: 'img', id: 'opinion-map',
      'aria-label': `Opinion map: ${ps.length} participants in ${view.groups.length} groups; the table below lists the groups` },
    h('svg:rect', { x: 0, y: 0, width: w, height: hgt, class: 'frame' }),
    ps.map((p) => h('svg:circle', {
      cx: sx(p.x).toFixed(1), cy: sy(p.y).toFixed(1), r: p.kind === 'public' ? 4 : 7,
      fill: p.group >= 0 ? GROUP_COLOURS[p.group % GROUP_COLOURS.length] : '#999',
      'data-group': p.group, class: p.kind === 'public' ? 'pt' : 'pt party',
    }))),
    h('figcaption', {}, 'Each dot is a participant, placed by how they voted (principal components); its colour is its opinion group (ringed dots are parties). ',
      h('ul', { class: 'groups-legend' }, view.groups.map((g) => h('li', {},
        h('span', { class: 'swatch', style: `background:${GROUP_COLOURS[g.id % GROUP_COLOURS.length]}` }),
        `Group ${letter(g.id)}: ${g.size} participants`)),
      ps.some((p) => p.group < 0) ? h('li', {}, h('span', { class: 'swatch', style: 'background:#999' }),
        `not in a group (too few votes): ${ps.filter((p) => p.group < 0).length}`) : null)));
}

function statementList(items, label, value) {
  return h('ol', { class: 'stmts' }, items.map((s) => h('li', {}, s.text, h('span', { class: 'score' }, ` (${label} ${value(s).toFixed(2)})`))));
}

function groupsTable(view, text) {
  return scroller('Opinion groups', h('table', { id: 'groups' },
    h('thead', {}, h('tr', {}, ['Group', 'Participants', 'What sets it apart (agrees / disagrees, share of the group)'].map((t) => h('th', { scope: 'col' }, t)))),
    h('tbody', {}, view.groups.map((g) => h('tr', {},
      h('th', { scope: 'row' }, `Group ${letter(g.id)}`), h('td', {}, String(g.size)),
      h('td', {}, h('ul', { class: 'plain' }, g.representative.map((r) => h('li', {},
        h('strong', {}, r.agree ? 'agrees: ' : 'disagrees: '), text.get(r.statement) || `statement ${r.statement}`,
        ` (${Math.round(r.p_success * 100)}%)`)))))))));
}

function render(host, c, view) {
  const text = new Map(view.statements.map((s) => [s.statement, s.text]));
  fill(host,
    h('p', { class: 'status', id: 'consensus-status', 'data-last-vote': view.last_vote, 'data-votes': view.votes },
      `${fmtInt(view.participants.length)} participants, ${fmtInt(view.votes)} votes on ${view.statements.length} statements, `,
      'every vote counted so far. The view refreshes as votes arrive.'),
    opinionMap(view),
    h('section', { 'aria-labelledby': 'cgh' }, h('h2', { id: 'cgh' }, 'Common ground'),
      h('p', {}, 'Statements that every group tends to agree on.'),
      statementList(view.common_ground, 'consensus', (s) => s.consensus)),
    h('section', { 'aria-labelledby': 'dfh' }, h('h2', { id: 'dfh' }, 'Differences'),
      h('p', {}, 'Statements on which the groups most disagree.'),
      statementList(view.differences, 'divisiveness', (s) => s.divisiveness)),
    h('section', { 'aria-labelledby': 'grh' }, h('h2', { id: 'grh' }, 'The groups'), groupsTable(view, text)),
    auth.me && c.state === 'active' ? voteSection(c, view) : null);
}

// A signed-in delegate votes for its party on each statement; the server decides whether the
// party may (a party concerned or a mediator) and says why not.
function voteSection(c, view) {
  const msg = h('p', { role: 'status', id: 'vote-msg' });
  const vote = async (s, v) => {
    const r = await api(`/v1/consultations/${c.id}/vote`, { method: 'POST', body: { statement: s.statement, vote: v } });
    msg.textContent = r.ok ? `${auth.me.party} voted ${v} on "${s.text.slice(0, 60)}"; the view updates with the next refresh.` : `Not recorded: ${errText(r)}`;
  };
  const live = view.statements.filter((s) => !s.moderated);
  return h('section', { 'aria-labelledby': 'vth' }, h('h2', { id: 'vth' }, `Vote for ${auth.me.party_name}`), msg,
    scroller('Statements to vote on', h('table', { id: 'vote-table' },
      h('thead', {}, h('tr', {}, ['Statement', 'Agree / disagree / pass so far', 'Your party’s vote'].map((t) => h('th', { scope: 'col' }, t)))),
      h('tbody', {}, live.map((s) => h('tr', { 'data-statement': s.statement },
        h('th', { scope: 'row' }, s.text), h('td', {}, `${s.agree} / ${s.disagree} / ${s.pass}`),
        h('td', {}, h('div', { class: 'row' }, ['agree', 'disagree', 'pass'].map((v) => h('button', {
          type: 'button', class: 'small', 'aria-label': `${v}: ${s.text.slice(0, 80)}`, onclick: () => vote(s, v) }, v))))))))));
}

// Consent or refusal, for a party a proposed consultation is put to.
function consentControls(c, reload) {
  const me = auth.me;
  const row = me && c.parties.find((p) => p.party === me.party);
  if (c.state !== 'proposed' || !row || row.state !== 'invited') return null;
  const msg = h('p', { role: 'status', id: 'consent-msg' });
  const act = async (verb) => {
    const r = await api(`/v1/consultations/${c.id}/${verb}`, { method: 'POST', body: {} });
    msg.textContent = r.ok ? `${me.party}: ${verb === 'consent' ? 'consented' : 'refused'}.` : `Not recorded: ${errText(r)}`;
    if (r.ok) reload();
  };
  return h('div', { class: 'row' }, h('span', {}, `${me.party_name} is asked to take part.`),
    h('button', { type: 'button', id: 'consent', onclick: () => act('consent') }, 'Consent'),
    h('button', { type: 'button', id: 'refuse', onclick: () => act('refuse') }, 'Refuse'), msg);
}

// The proposals put to decision, each with its deadline, outcome and the parties' positions.
function proposalsSection(list) {
  return h('section', { 'aria-labelledby': 'proph', id: 'proposals' }, h('h2', { id: 'proph' }, 'Proposals'),
    list.length === 0 ? h('p', {}, 'No proposal yet.') : scroller('Proposals', h('table', { id: 'proposal-table' },
      h('thead', {}, h('tr', {}, ['#', 'Proposal', 'By', 'Deadline', 'Outcome', 'Positions'].map((t) => h('th', { scope: 'col' }, t)))),
      h('tbody', {}, list.map((p) => h('tr', { 'data-id': p.id },
        h('td', {}, String(p.id)), h('th', { scope: 'row' }, p.text), h('td', {}, p.party),
        h('td', {}, p.deadline.slice(0, 16).replace('T', ' ')), h('td', {}, p.outcome),
        h('td', {}, h('ul', { class: 'plain' }, p.positions.map((x) => h('li', {}, `${x.party}: ${x.position}`, x.explanation ? ` (${x.explanation})` : ''))))))))));
}

// The acts of the consultation procedure a delegate takes here besides consent and votes:
// invite a mediator (proposed or active), put a proposal and take a position (active). The
// forms come from the acts' schemas; the server decides who may.
function proceedings(c, proposals, reload) {
  if (!auth.me || (c.state !== 'proposed' && c.state !== 'active')) return null;
  const done = (what) => (r) => `${what} recorded for ${auth.me.party}; journal entry ${r.body.index}.`;
  const pending = proposals.filter((p) => p.outcome === 'pending');
  const forms = [actForm({ id: 'invite', schema: 'ConsultationInvite', title: 'Invite a mediator', submit: 'Invite',
    send: poster(`/v1/consultations/${c.id}/invite`), done: done('The invitation'), after: reload }).el];
  if (c.state === 'active') {
    forms.push(actForm({ id: 'proposal', schema: 'ConsultationProposal', title: 'Put a proposal to decision', submit: 'Propose',
      send: poster(`/v1/consultations/${c.id}/proposal`), done: done('The proposal'), after: reload }).el,
    actForm({ id: 'position', schema: 'ConsultationPosition', title: 'Take a position on a proposal', submit: 'Record the position',
      values: pending.length ? { proposal: pending[pending.length - 1].id } : {},
      send: poster(`/v1/consultations/${c.id}/position`), done: done('The position'), after: reload }).el);
  }
  return h('section', { 'aria-labelledby': 'procdh' }, h('h2', { id: 'procdh' }, `Act for ${auth.me.party_name}`), forms);
}

// `note`: what the last act here did, shown again after the redraw.
export async function consultationView(main, id, note) {
  fill(main, h('h1', {}, `Consultation ${id}`), h('p', { class: 'status' }, 'Loading…'));
  const cr = await api(`/v1/consultations/${id}`);
  if (!cr.ok) {
    fill(main, h('h1', {}, `Consultation ${id}`), h('p', { class: 'error' }, errText(cr)));
    return;
  }
  const c = cr.body;
  const reload = (r, text) => consultationView(main, id, text);
  const parties = c.parties.map((p) => `${p.party} ${p.state}`).join(', ');
  const body = h('div', { id: 'consensus' });
  fill(main, h('p', {}, h('a', { href: '#/consultations' }, '← All consultations')),
    h('h1', {}, c.title || c.data.question || `Consultation ${id}`),
    h('p', { id: 'consult-state', 'data-state': c.state },
      `Convened by ${c.owner}; ${c.state}; domain ${c.domain}; opened ${c.opened.slice(0, 10)}.`,
      parties ? ` Parties: ${parties}.` : ''),
    note ? h('p', { role: 'status', id: 'consult-note' }, note) : null,
    consentControls(c, reload));
  // The proposals, the consensus view (drawn into `body` below), then the delegate's acts.
  let act = null;
  if (has('/v1/consultations/{id}/proposals') && c.state !== 'refused') {
    const pr = await api(`/v1/consultations/${id}/proposals`);
    const list = pr.ok && Array.isArray(pr.body) ? pr.body : [];
    if (c.state !== 'proposed') main.append(pr.ok ? proposalsSection(list) : h('p', { class: 'error' }, errText(pr)));
    act = proceedings(c, list, reload);
  }
  main.append(body);
  if (act) main.append(act);
  const ags = await consultAgreements(id);
  if (ags && body.isConnected) main.append(ags);
  // A consultation talks, and has a consensus view, once every party concerned consented.
  if (c.state === 'proposed' || c.state === 'refused') {
    body.append(h('p', {}, c.state === 'proposed' ? 'The consultation starts once every party concerned consents.' : 'A party refused: the consultation did not start.'));
    return;
  }
  const vr = await api(`/v1/consultations/${id}/consensus`);
  if (!vr.ok) {
    body.append(h('p', { class: 'error' }, errText(vr)));
    return;
  }
  render(body, c, vr.body);
  // Live: poll while this view is on the page; redraw only when a vote or a statement has
  // arrived (a new statement has no vote yet, but must appear to be voted on).
  const key = (v) => `${v.last_vote} ${v.statements.length}`;
  let last = key(vr.body);
  const tick = async () => {
    if (!body.isConnected) return;
    const r = await api(`/v1/consultations/${id}/consensus`);
    if (body.isConnected && r.ok && key(r.body) !== last) {
      last = key(r.body);
      render(body, c, r.body);
    }
    if (body.isConnected) setTimeout(tick, POLL_MS);
  };
  setTimeout(tick, POLL_MS);
}

export async function consultationsView(main) {
  const r = await api('/v1/consultations?limit=200');
  if (!r.ok) {
    fill(main, h('h1', {}, 'Consultations'), h('p', { class: 'error' }, errText(r)));
    return;
  }
  const list = r.body.consultations.slice().reverse();
  fill(main, h('h1', {}, 'Consultations'),
    h('p', {}, 'Consultations between the parties concerned, and the public where a consultation is open to it; each has a live consensus view.'),
    list.length === 0 ? h('p', {}, 'No consultation to show.') : scroller('Consultations', h('table', { id: 'consultations' },
      h('thead', {}, h('tr', {}, ['#', 'Question', 'Convened by', 'State', 'Statements', 'Votes'].map((t) => h('th', { scope: 'col' }, t)))),
      h('tbody', {}, list.map((c) => h('tr', {},
        h('td', {}, String(c.id)),
        h('th', { scope: 'row' }, h('a', { href: `#/consultation/${c.id}` }, c.title || c.data.question || `Consultation ${c.id}`)),
        h('td', {}, c.owner), h('td', {}, c.state),
        h('td', {}, c.data.statements === undefined ? '–' : fmtInt(c.data.statements)),
        h('td', {}, c.data.votes === undefined ? '–' : fmtInt(c.data.votes))))))));
}

// The country page's section: consultations it convenes or is a party to.
export async function countryConsultSection(iso3) {
  if (!hasConsultations()) return null;
  const r = await api(`/v1/consultations?party=${encodeURIComponent(iso3)}&limit=200`);
  const sec = h('section', { 'aria-labelledby': 'cch' }, h('h2', { id: 'cch' }, 'Consultations'));
  // 404: the country is no party (a territory), so it is a party to none.
  if (!r.ok && r.status !== 404) sec.append(h('p', { class: 'error' }, errText(r)));
  else if (!r.ok || r.body.consultations.length === 0) sec.append(h('p', {}, 'None with this country as a party.'));
  else {
    sec.append(h('ul', {}, r.body.consultations.map((c) => h('li', {},
      h('a', { href: `#/consultation/${c.id}` }, c.title || `Consultation ${c.id}`), ` (${c.state})`))));
  }
  return sec;
}
