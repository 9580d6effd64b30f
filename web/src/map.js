// map.js — the world map coloured by the latest forecast: the probability of at least 25
// state-based conflict deaths in the next month. Each shape carries data-iso3; hovering or
// focusing shows the figures, clicking or Enter opens the country page.
import { geoEqualEarth, geoPath } from 'd3-geo';
import { feature } from 'topojson-client';
import world from 'world-atlas/countries-110m.json';
import countries from 'gsi:countries';
import { h, fill, fmtInt, fmtPct } from './dom.js';

// Five classes of probability; colours from ColorBrewer's OrRd, ordered light to dark.
export const BINS = [0.05, 0.25, 0.5, 0.9];
export const COLOURS = ['#fef0d9', '#fdcc8a', '#fc8d59', '#e34a33', '#b30000'];
const NO_DATA = '#d9d9d9';

export function binOf(p) {
  let i = 0;
  while (i < BINS.length && p >= BINS[i]) i++;
  return i;
}

const shapes = feature(world, world.objects.countries).features.map((f) => ({
  iso3: countries.byNum[+f.id] || countries.byName[f.properties.name] || '',
  name: f.properties.name,
  f,
}));

function legend(run) {
  const labels = ['under 5%', '5–25%', '25–50%', '50–90%', '90% or more'];
  return h('figure', { class: 'legend' },
    h('figcaption', {}, 'Probability of ≥ 25 state-based conflict deaths next month',
      run ? ` (${run.first_month}, forecast on data through ${run.through})` : ''),
    h('ul', {},
      COLOURS.map((c, i) => h('li', {}, h('span', { class: 'swatch', style: `background:${c}` }), labels[i])),
      h('li', {}, h('span', { class: 'swatch', style: `background:${NO_DATA}` }), 'no forecast')));
}

// Draws the map into `host`; `run` is GET /v1/forecasts/latest or null. `open(iso3)` opens a
// country page.
export function drawMap(host, run, open) {
  const byIso = new Map((run ? run.countries : []).map((c) => [c.iso3, c]));
  const width = 960;
  const height = 470;
  const proj = geoEqualEarth().fitExtent([[4, 4], [width - 4, height - 4]], { type: 'Sphere' });
  const path = geoPath(proj);
  const tip = h('div', { class: 'tip', role: 'status', 'aria-live': 'polite', hidden: true });

  const show = (s, ev) => {
    const c = byIso.get(s.iso3);
    fill(tip,
      h('strong', {}, c ? c.name : s.name),
      c
        ? h('dl', {},
          h('dt', {}, 'P(≥ 25 deaths) next month'), h('dd', {}, fmtPct(c.p_ge_25_next)),
          h('dt', {}, 'Median, next 12 months'), h('dd', {}, fmtInt(c.median_12m)),
          h('dt', {}, '90% interval'), h('dd', {}, `${fmtInt(c.lo90_12m)} – ${fmtInt(c.hi90_12m)}`))
        : h('p', {}, 'No forecast for this country'));
    tip.hidden = false;
    const box = host.getBoundingClientRect();
    const r = ev && ev.clientX !== undefined ? { x: ev.clientX, y: ev.clientY } : null;
    const t = r || (() => { const b = ev.target.getBoundingClientRect(); return { x: b.x + b.width / 2, y: b.y + b.height / 2 }; })();
    tip.style.left = `${Math.min(t.x - box.left + 12, box.width - 220)}px`;
    tip.style.top = `${t.y - box.top + 12}px`;
  };

  const svg = h('svg:svg', { viewBox: `0 0 ${width} ${height}`, class: 'map', role: 'group',
    'aria-label': 'World map of conflict risk; Tab moves between countries with a forecast' },
  h('svg:path', { d: path({ type: 'Sphere' }), class: 'sphere', 'aria-hidden': 'true' }),
  shapes.map((s) => {
    const c = byIso.get(s.iso3);
    const label = c ? `${c.name}: ${fmtPct(c.p_ge_25_next)} chance of 25 or more deaths next month` : `${s.name}: no forecast`;
    return h('svg:path', {
      d: path(s.f),
      'data-iso3': s.iso3,
      fill: c ? COLOURS[binOf(c.p_ge_25_next)] : NO_DATA,
      class: 'country',
      role: c ? 'link' : null,
      tabindex: c ? 0 : null,
      'aria-label': c ? label : null,
      onmousemove: (ev) => show(s, ev),
      onmouseleave: () => { tip.hidden = true; },
      onfocus: (ev) => show(s, ev),
      onblur: () => { tip.hidden = true; },
      onclick: () => c && open(s.iso3),
      onkeydown: (ev) => { if (c && (ev.key === 'Enter' || ev.key === ' ')) { ev.preventDefault(); open(s.iso3); } },
    });
  }));
  fill(host, h('div', { class: 'mapwrap' }, svg, tip), legend(run));
}
