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
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

// Replaces the contents of `el` with `children`.
export function fill(el, ...children) {
  el.replaceChildren();
  for (const c of children.flat()) {
    if (c !== null && c !== undefined && c !== false) el.append(c);
  }
  return el;
}

const intFmt = new Intl.NumberFormat('en', { maximumFractionDigits: 0 });
export const fmtInt = (x) => (x === null || x === undefined || Number.isNaN(x) ? '–' : intFmt.format(x));
export const fmtPct = (p) => (p === null || p === undefined ? '–' : `${Math.round(p * 100)}%`);
