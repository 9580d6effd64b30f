// dom.js — the one helper for building elements, so no view writes HTML strings (and so no
// data from the server is ever parsed as markup).

// h('a', {href: '#/'}, 'text', child...) → element. Attributes starting with "on" are
// listeners; `class` and data-* go through setAttribute; null/false children are skipped.
export function h(tag, attrs, ...children) {
  const svg = tag.startsWith('svg:');
  const el = svg
    ? document.createElementNS('http://www.w3.org/2000/svg', tag.slice(4))
    : document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children.flat(Infinity)) {
    if (c === null || c === undefined || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

// Replaces the contents of `el` with `children`.
export function fill(el, ...children) {
  el.replaceChildren();
  for (const c of children.flat(Infinity)) {
    if (c !== null && c !== undefined && c !== false) el.append(c);
  }
  return el;
}

const intFmt = new Intl.NumberFormat('en', { maximumFractionDigits: 0 });
export const fmtInt = (x) => (x === null || x === undefined || Number.isNaN(x) ? '–' : intFmt.format(x));
// A probability as a percentage; near-certainties are not rounded to certainties.
export function fmtPct(p) {
  if (p === null || p === undefined || Number.isNaN(p)) return '–';
  if (p > 0.99 && p < 1) return '> 99%';
  if (p > 0 && p < 0.01) return '< 1%';
  return `${Math.round(p * 100)}%`;
}

// A horizontally scrolling box for a wide table: focusable and named, so a keyboard user can
// scroll it too (WCAG 2.1.1).
export const scroller = (label, child) => h('div', { class: 'scroll', tabindex: 0, role: 'region', 'aria-label': label }, child);
