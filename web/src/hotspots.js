// hotspots.js — the ranked hotspots of a forecast run with their alerts and reasons.
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
  fill(main,
    h('h1', {}, 'Hotspots'),
    h('p', {}, `State-based conflict deaths expected in the 12 months from ${run.first_month} (forecast on data through ${run.through}), ranked.`),
    scroller('Hotspots table', h('table', { class: 'hot' },
      h('thead', {}, h('tr', {}, ['Rank', 'Country', 'Median 12m', '90% interval', 'P(≥ 25)', 'P(≥ 1000)', 'Past 12m', 'Alerts'].map((t) => h('th', { scope: 'col' }, t)))),
      h('tbody', {}, list.map((x) => h('tr', {},
        h('td', {}, String(x.rank)),
        h('th', { scope: 'row' }, h('a', { href: `#/country/${x.iso3}` }, x.name)),
        h('td', {}, fmtInt(x.median_12m)), h('td', {}, `${fmtInt(x.lo90)} – ${fmtInt(x.hi90)}`),
        h('td', {}, fmtPct(x.p_ge_25)), h('td', {}, fmtPct(x.p_ge_1000)), h('td', {}, fmtInt(x.past_12m)),
        h('td', {}, x.alerts.length ? x.alerts.map((a) => h('span', { class: 'alert' }, a)) : '–')))))),
    h('section', { 'aria-labelledby': 'whyh' }, h('h2', { id: 'whyh' }, 'Reasons'),
      h('dl', { class: 'why' }, list.filter((x) => x.reasons.length).map((x) => [
        h('dt', {}, x.name), h('dd', {}, h('ul', {}, x.reasons.map((s) => h('li', {}, s))))]))));
}
