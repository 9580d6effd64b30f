// hotspots.js — the ranked hotspots of a forecast run: the alerts, then the ranking with each
// country's figures and the reasons the model gives.
import { api, errText } from './api.js';
import { h, fill, scroller, fmtInt, fmtPct } from './dom.js';

export async function hotspotsView(main, run) {
  if (!run) {
    fill(main, h('h1', {}, 'Hotspots'), h('p', { class: 'note' }, 'This server has no stored forecast yet (gsi warn run --db stores one).'));
    return;
  }
  const r = await api(`/v1/hotspots?run=${encodeURIComponent(run.run)}`);
  if (!r.ok) {
    fill(main, h('h1', {}, 'Hotspots'), h('p', { class: 'error' }, errText(r)));
    return;
  }
  const list = r.body.hotspots;
  // The alerts first: each kind with the countries it fires for, highest ranked first.
  const kinds = new Map();
  for (const x of list) for (const a of x.alerts) kinds.set(a, [...(kinds.get(a) || []), x]);
  const meaning = {
    surge: 'the last 3 months more than double the 9 before',
    rising: 'the forecast 1.5 times the past year',
    new: 'deaths after 9 quiet months',
  };
  const alertsSection = h('section', { 'aria-labelledby': 'alh', id: 'alerts' }, h('h2', { id: 'alh' }, 'Alerts'),
    kinds.size === 0 ? h('p', {}, 'No escalation alert in this run.')
      : h('dl', { class: 'alerts' }, [...kinds].map(([k, xs]) => [
        h('dt', {}, h('span', { class: 'alert' }, k), meaning[k] ? ` ${meaning[k]}` : ''),
        h('dd', {}, xs.map((x, i) => [i ? ', ' : '', h('a', { href: `#/country/${x.iso3}` }, x.name)]))])));
  // The top of the ranking, with the rest a click away: 191 rows and their reasons would
  // bury the ones that matter.
  const TOP = 25;
  const rest = h('div');
  const show = (n) => {
    const shown = list.slice(0, n);
    fill(rest,
      scroller('Hotspots table', h('table', { class: 'hot' },
        h('thead', {}, h('tr', {}, ['Rank', 'Country', 'Median 12m', '90% interval', 'P(≥ 25)', 'P(≥ 1000)', 'Past 12m', 'Alerts', 'Why'].map((t) => h('th', { scope: 'col' }, t)))),
        h('tbody', {}, shown.map((x) => h('tr', {},
          h('td', {}, String(x.rank)),
          h('th', { scope: 'row' }, h('a', { href: `#/country/${x.iso3}` }, x.name)),
          h('td', {}, fmtInt(x.median_12m)), h('td', {}, `${fmtInt(x.lo90)} – ${fmtInt(x.hi90)}`),
          h('td', {}, fmtPct(x.p_ge_25)), h('td', {}, fmtPct(x.p_ge_1000)), h('td', {}, fmtInt(x.past_12m)),
          h('td', {}, x.alerts.length ? x.alerts.map((a) => h('span', { class: 'alert' }, a)) : '–'),
          h('td', { class: 'why' }, x.reasons.join('; ') || '–')))))),
      n < list.length ? h('button', { type: 'button', id: 'show-all', onclick: () => show(list.length) }, `Show all ${list.length} countries`) : null);
  };
  fill(main,
    h('h1', {}, 'Hotspots'),
    h('p', {}, `State-based conflict deaths expected in the 12 months from ${run.first_month} (forecast on data through ${run.through}), ranked.`),
    alertsSection, h('h2', {}, 'Ranking'), rest);
  show(TOP);
}
