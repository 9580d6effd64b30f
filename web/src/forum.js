// forum.js — forums and conferences (GET /v1/forums, the forum procedure of
// docs/internals/cooperation.md): the list, and one forum's page with its agenda, its
// participants' answers, its sessions and outcome documents (each an act of the case, its
// text in the act's record). A signed-in delegate convenes one, and acts on one as the
// procedure allows (an invited party accepts or declines; the convenor records sessions and
// outcomes, closes or cancels); the server decides, the page shows its answer.
import { api, auth, errText } from './api.js';
import { h, fill, scroller } from './dom.js';
import { has } from './caps.js';
import { actForm, poster } from './form.js';

export const hasForums = () => has('/v1/forums') && has('/v1/forums/{id}');

const when = (t) => (t ? t.slice(0, 16).replace('T', ' ') : '–');

export async function forumsView(main) {
  const r = await api('/v1/forums?limit=200');
  const list = r.ok ? r.body.forums.slice().reverse() : [];
  fill(main, h('h1', {}, 'Forums and conferences'),
    h('p', {}, 'Dialogues and high-level meetings convened by a party: who is invited and who accepted, the sessions held and the outcome documents adopted.'),
    !r.ok ? h('p', { class: 'error' }, errText(r)) : list.length === 0 ? h('p', {}, 'No forum to show.') : scroller('Forums', h('table', { id: 'forums' },
      h('thead', {}, h('tr', {}, ['#', 'Title', 'Kind', 'Convened by', 'State', 'Dates', 'Participants'].map((t) => h('th', { scope: 'col' }, t)))),
      h('tbody', {}, list.map((f) => h('tr', { 'data-id': f.id },
        h('td', {}, String(f.id)), h('th', { scope: 'row' }, h('a', { href: `#/forum/${f.id}` }, f.title)),
        h('td', {}, f.data.kind || '–'), h('td', {}, f.owner), h('td', {}, f.state),
        h('td', {}, `${when(f.data.start)} to ${when(f.data.end)}`),
        h('td', {}, f.parties.map((p) => `${p.party} ${p.state}`).join(', '))))))),
    auth.me ? actForm({ id: 'convene', schema: 'ForumConvene', title: `Convene a forum or conference for ${auth.me.party_name}`, submit: 'Convene',
      send: poster('/v1/forums'), done: (x) => `Forum ${x.body.case} convened; it is in the journal as entry ${x.body.index}.`,
      after: (x) => { location.hash = `#/forum/${x.body.case}`; } }).el : h('p', {}, 'A delegate signs in to convene a forum.'));
}

// The sessions and outcome documents: each act's record holds its text.
async function actRecords(f) {
  const acts = (f.acts || []).filter((a) => a.type === 'forum.session' || a.type === 'forum.outcome');
  const recs = await Promise.all(acts.map((a) => api(`/v1/records/${a.record}`)));
  return acts.map((a, i) => ({ ...a, payload: recs[i].ok ? recs[i].body.payload : null, error: recs[i].ok ? null : errText(recs[i]) }));
}

function sessionsSection(items) {
  const sessions = items.filter((a) => a.type === 'forum.session');
  return h('section', { 'aria-labelledby': 'sessh', id: 'sessions' }, h('h2', { id: 'sessh' }, 'Sessions'),
    sessions.length === 0 ? h('p', {}, 'No session recorded yet.') : h('ol', {}, sessions.map((s) => h('li', { 'data-record': s.record },
      s.error ? h('span', { class: 'error' }, s.error) : [h('strong', {}, s.payload.title), ` — ${when(s.payload.start)} to ${when(s.payload.end)}`,
        s.payload.chair ? `, chaired by ${s.payload.chair}` : '', h('br'), `Items: ${(s.payload.items || []).join('; ')}`,
        s.payload.summary ? h('p', {}, s.payload.summary) : null]))));
}

function outcomesSection(items) {
  const docs = items.filter((a) => a.type === 'forum.outcome');
  return h('section', { 'aria-labelledby': 'outh', id: 'outcomes' }, h('h2', { id: 'outh' }, 'Outcome documents'),
    docs.length === 0 ? h('p', {}, 'No outcome document yet.') : docs.map((d) => h('article', { 'data-record': d.record, class: 'outcome' },
      d.error ? h('p', { class: 'error' }, d.error) : [h('h3', {}, d.payload.title),
        h('p', { class: 'status' }, `Adopted ${when(d.time)} (record ${d.record})`,
          d.payload.consultation ? [', from ', h('a', { href: `#/consultation/${d.payload.consultation}` }, `consultation ${d.payload.consultation}`)] : null,
          d.payload.agreement ? [', recording ', h('a', { href: `#/agreement/${d.payload.agreement}` }, `agreement ${d.payload.agreement}`)] : null),
        h('div', { class: 'agreement-text' }, d.payload.text)])));
}

// What the signed-in party may do here, by the procedure: an invited participant answers;
// the convenor records and ends. The server checks again.
function forumActs(f, reload) {
  const me = auth.me;
  if (!me || f.state !== 'open') return null;
  const msg = h('p', { role: 'status', id: 'forum-msg' });
  const act = (verb, word, text) => h('button', { type: 'button', id: `forum-${verb}`, onclick: async () => {
    const r = await api(`/v1/forums/${f.id}/${verb}`, { method: 'POST', body: {} });
    msg.textContent = r.ok ? `${me.party}: ${word}; journal entry ${r.body.index}.` : `Not recorded: ${errText(r)}`;
    if (r.ok) reload(r, msg.textContent);
  } }, text);
  const row = f.parties.find((p) => p.party === me.party);
  const out = [];
  if (row) {
    out.push(h('div', { class: 'row' }, h('span', {}, `${me.party_name} is ${row.state}.`),
      row.state !== 'accepted' ? act('accept', 'accepted', 'Accept') : null, row.state === 'invited' ? act('decline', 'declined', 'Decline') : null));
  }
  if (f.owner === me.party) {
    const done = (what) => (r) => `${what} recorded; journal entry ${r.body.index}.`;
    out.push(actForm({ id: 'session', schema: 'ForumSession', title: 'Record a session', submit: 'Record the session',
      send: poster(`/v1/forums/${f.id}/session`), done: done('Session'), after: reload }).el,
    actForm({ id: 'outcome', schema: 'ForumOutcome', title: 'Adopt an outcome document', submit: 'Adopt',
      send: poster(`/v1/forums/${f.id}/outcome`), done: done('Outcome document'), after: reload }).el,
    h('div', { class: 'row' }, act('close', 'closed', `Close this ${f.data.kind || 'forum'}`), act('cancel', 'cancelled', `Cancel this ${f.data.kind || 'forum'}`)));
  }
  if (out.length === 0) return null;
  return h('section', { 'aria-labelledby': 'facth' }, h('h2', { id: 'facth' }, `Act for ${me.party_name}`), msg, out);
}

// `note`: what the last act here did, shown again after the redraw.
export async function forumView(main, id, note) {
  const r = await api(`/v1/forums/${id}`);
  if (!r.ok) {
    fill(main, h('h1', {}, `Forum ${id}`), h('p', { class: 'error' }, errText(r)));
    return;
  }
  const f = r.body;
  const d = f.data;
  const items = await actRecords(f);
  const reload = (r, text) => forumView(main, id, text);
  fill(main, h('p', {}, h('a', { href: '#/forums' }, '← All forums and conferences')),
    h('h1', {}, f.title),
    note ? h('p', { role: 'status', id: 'forum-note' }, note) : null,
    h('dl', { class: 'facts', id: 'forum-facts', 'data-state': f.state },
      h('dt', {}, 'Kind'), h('dd', {}, d.kind || '–'),
      h('dt', {}, 'Convened by'), h('dd', {}, f.owner),
      h('dt', {}, 'State'), h('dd', {}, f.state),
      h('dt', {}, 'When'), h('dd', {}, `${when(d.start)} to ${when(d.end)} (UTC)`),
      h('dt', {}, 'Venue'), h('dd', {}, d.venue || '–'),
      h('dt', {}, 'Domain'), h('dd', {}, d.domain || '–')),
    d.text ? h('p', {}, d.text) : null,
    h('section', { 'aria-labelledby': 'agh' }, h('h2', { id: 'agh' }, 'Agenda'), h('ol', { id: 'agenda' }, (d.agenda || []).map((a) => h('li', {}, a)))),
    h('section', { 'aria-labelledby': 'parth' }, h('h2', { id: 'parth' }, 'Participants'),
      h('ul', { class: 'plain', id: 'participants' }, f.parties.map((p) => h('li', { 'data-party': p.party, 'data-state': p.state }, `${p.party}: ${p.state}`)))),
    sessionsSection(items), outcomesSection(items), forumActs(f, reload));
}
