// country.js — one country: monthly state-based conflict deaths (actuals), the forecast's
// median with its 50% and 90% bands (uPlot), the reasons the model gives, and what else the
// server knows about the country.
import uPlot from 'uplot';
import { api, errText } from './api.js';
import { h, fill, scroller, fmtInt, fmtPct } from './dom.js';
import countries from 'gsi:countries';

const monthSec = (m) => Date.UTC(+m.slice(0, 4), +m.slice(5, 7) - 1, 1) / 1000;

// The chart's columns: x (seconds), actual, median, q25, q75, q05, q95; nulls where a series
// has no value. Actuals end where the forecast begins.
export function chartData(c) {
  const months = [...new Set([...c.actuals.map((a) => a.month), ...c.forecast.map((f) => f.month)])].sort();
  const act = new Map(c.actuals.map((a) => [a.month, a.deaths]));
  const fc = new Map(c.forecast.map((f) => [f.month, f]));
  const col = (k) => months.map((m) => (fc.has(m) ? fc.get(m)[k] : null));
  return [months.map(monthSec), months.map((m) => (act.has(m) ? act.get(m) : null)),
    col('q50'), col('q25'), col('q75'), col('q05'), col('q95')];
}

function chart(host, c) {
  const data = chartData(c);
  const width = Math.max(300, Math.min(host.clientWidth || 900, 1100));
  const blue = '#1f4e9c';
  const opts = {
    width,
    height: width < 500 ? 240 : 320,
    title: `${c.name}: state-based conflict deaths per month (scale: asinh)`,
    // asinh: linear near zero, logarithmic for large counts, so a quiet month and a
    // 100,000-death month both stay readable (a log scale cannot show zero).
    scales: { x: { time: true }, y: { distr: 4, asinh: 10 } },
    axes: [{}, { label: 'deaths', size: 70, values: (u, v) => v.map(fmtInt) }],
    series: [
      { label: 'month', value: (u, v) => (v == null ? '–' : new Date(v * 1000).toISOString().slice(0, 7)) },
      { label: 'observed', stroke: '#222', width: 2, points: { size: 4 }, value: (u, v) => fmtInt(v) },
      { label: 'forecast median', stroke: blue, width: 2, dash: [6, 4], value: (u, v) => fmtInt(v) },
      { label: '50% band low', stroke: 'transparent', value: (u, v) => fmtInt(v) },
      { label: '50% band high', stroke: 'transparent', value: (u, v) => fmtInt(v) },
      { label: '90% band low', stroke: 'transparent', value: (u, v) => fmtInt(v) },
      { label: '90% band high', stroke: 'transparent', value: (u, v) => fmtInt(v) },
    ],
    bands: [
      { series: [6, 5], fill: 'rgba(31,78,156,0.15)' },
      { series: [4, 3], fill: 'rgba(31,78,156,0.35)' },
    ],
  };
  const u = new uPlot(opts, data, host);
  host.dataset.bands = String(opts.bands.length);
  host.dataset.forecastMonths = String(c.forecast.length);
  return u;
}

function forecastTable(c) {
  return scroller('Forecast by month', h('table', {},
    h('caption', {}, 'Forecast by month: deaths (median and intervals) and the probability of 25 or more'),
    h('thead', {}, h('tr', {}, ['Month', 'Median', '50% interval', '90% interval', 'Mean', 'P(≥ 25)'].map((t) => h('th', { scope: 'col' }, t)))),
    h('tbody', {}, c.forecast.map((f) => h('tr', {},
      h('th', { scope: 'row' }, f.month), h('td', {}, fmtInt(f.q50)),
      h('td', {}, `${fmtInt(f.q25)} – ${fmtInt(f.q75)}`), h('td', {}, `${fmtInt(f.q05)} – ${fmtInt(f.q95)}`),
      h('td', {}, fmtInt(f.mean)), h('td', {}, fmtPct(f.p_ge_25)))))));
}

// `extras` are sections other views add for this country (concerns, notifications,
// consultations, events), each a function (iso3) → Promise<Element|null>.
export async function countryView(main, iso3, run, extras = []) {
  const name = countries.names[iso3] || iso3;
  fill(main, h('h1', {}, name), h('p', { class: 'status' }, 'Loading the forecast…'));
  const parts = [h('p', {}, h('a', { href: '#/' }, '← Back to the map'))];
  if (!run) {
    parts.push(h('p', { class: 'note' }, 'This server has no stored forecast yet (gsi warn run --db stores one).'));
  } else {
    const r = await api(`/v1/forecasts/${encodeURIComponent(run.run)}/countries/${encodeURIComponent(iso3)}`);
    if (!r.ok) {
      parts.push(h('p', { class: 'note' }, `No forecast for ${name}: ${errText(r)}`));
    } else {
      const c = r.body;
      const host = h('div', { id: 'chart', class: 'chart' });
      parts.push(
        h('p', {}, `Forecast run ${c.run}, on data through ${run.through}; the shaded bands hold the middle 50% and 90% of the forecast's samples.`),
        host,
        h('section', { 'aria-labelledby': 'rh' }, h('h2', { id: 'rh' }, 'Why'),
          c.reasons.length ? h('ul', { class: 'reasons' }, c.reasons.map((x) => h('li', {}, x))) : h('p', {}, 'The model gives no reasons for this country.')),
        forecastTable(c));
      fill(main, h('h1', {}, name), parts);
      chart(host, c);
      parts.length = 0;
    }
  }
  if (parts.length) fill(main, h('h1', {}, name), parts);
  for (const x of extras) {
    const el = await x(iso3);
    if (el) main.append(el);
  }
}
