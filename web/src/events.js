// events.js — a country's conflict and cooperation trend from the loaded event files (GDELT):
// events per month where they happened, cooperation (CAMEO quad classes 1–2) against conflict
// (3–4), with the mean Goldstein score, as bars and as a table.
import uPlot from 'uplot';
import { api, errText } from './api.js';
import { h, scroller, fmtInt } from './dom.js';
import { has } from './caps.js';

const monthSec = (m) => Date.UTC(+m.slice(0, 4), +m.slice(5, 7) - 1, 1) / 1000;

function chart(host, periods) {
  const bars = uPlot.paths.bars({ size: [0.35, 40], align: 0 });
  const x = periods.map((p) => monthSec(p.period));
  const width = Math.max(300, Math.min(host.clientWidth || 900, 1100));
  const opts = {
    width,
    height: 220,
    title: 'Events per month where they happened (GDELT)',
    // Room at both ends so the first and last month's bars are whole.
    scales: { x: { time: true, range: (u, lo, hi) => [lo - 20 * 86400, hi + 40 * 86400] } },
    axes: [{}, { label: 'events', size: 60 }],
    series: [
      { label: 'month', value: (u, v) => (v == null ? '–' : new Date(v * 1000).toISOString().slice(0, 7)) },
      { label: 'cooperation', stroke: '#1b6b2f', fill: 'rgba(27,107,47,0.55)', paths: bars, points: { show: false } },
      { label: 'conflict', stroke: '#a4161a', fill: 'rgba(164,22,26,0.55)', paths: uPlot.paths.bars({ size: [0.35, 40], align: 1 }), points: { show: false } },
    ],
  };
  return new uPlot(opts, [x, periods.map((p) => p.cooperation), periods.map((p) => p.conflict)], host);
}

// The section for `iso3`, or null when this server has no event trend API.
export async function eventsSection(iso3) {
  if (!has('/v1/events/countries/{iso3}/trend')) return null;
  const r = await api(`/v1/events/countries/${encodeURIComponent(iso3)}/trend?by=month`);
  const sec = h('section', { 'aria-labelledby': 'evh', id: 'events' }, h('h2', { id: 'evh' }, 'Conflict and cooperation in the news'));
  if (!r.ok) {
    sec.append(h('p', { class: 'error' }, errText(r)));
    return sec;
  }
  const t = r.body;
  if (t.files === 0) {
    sec.append(h('p', { class: 'note' }, 'No event file is loaded on this server (gsi events load stores GDELT exports).'));
    return sec;
  }
  if (t.periods.length === 0) {
    sec.append(h('p', {}, `None of the ${fmtInt(t.events_loaded)} events in the ${t.files} loaded GDELT files happened here.`));
    return sec;
  }
  const host = h('div', { class: 'chart', id: 'events-chart' });
  sec.append(
    h('p', {}, `From ${t.files} GDELT export files (${fmtInt(t.events_loaded)} events in all), dated by when the events happened. GDELT codes news reports, so counts follow coverage as well as events.`),
    host,
    scroller('Events by month', h('table', {},
      h('thead', {}, h('tr', {}, ['Month', 'Events', 'Cooperation', 'Conflict', 'Mean Goldstein'].map((c) => h('th', { scope: 'col' }, c)))),
      h('tbody', {}, t.periods.map((p) => h('tr', {},
        h('th', { scope: 'row' }, p.period), h('td', {}, fmtInt(p.events)), h('td', {}, fmtInt(p.cooperation)),
        h('td', {}, fmtInt(p.conflict)), h('td', {}, p.goldstein_mean === null ? '–' : p.goldstein_mean.toFixed(2))))))));
  // Drawn once the section is in the page, so the chart knows its width.
  requestAnimationFrame(() => chart(host, t.periods));
  return sec;
}
