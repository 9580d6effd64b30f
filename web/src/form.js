// form.js — a form for one act, built from the act's payload schema (schema.js): a control
// per field (a select for an enum or a domain, a checkbox for a boolean, a number, a date or
// time, a list, a GeoJSON area), the field's description as its hint. The page checks
// nothing the server checks: it sends what was typed, and shows the server's refusal beside
// the field its JSON pointer names ("/languages/0: expected an ISO 639 code..."), with
// aria-invalid and aria-describedby, and moves the focus there.
import { api, errText } from './api.js';
import { h, fill } from './dom.js';
import { schema, enumOf } from './schema.js';
import countries from 'gsi:countries';

// A priority domain is chosen by its name; its key is sent.
const optionText = (p, v) => (/Domain$/.test(p.$ref || '') ? (countries.domains.find((d) => d.key === v) || { name: v }).name : v);

// Fields a delegate never types: the party acted for (the delegate's own by default) and
// what the server sets itself.
const hidden = (name, p) => name === 'party' || /set by the server/.test(p.description || '');

const label = (name) => (name[0].toUpperCase() + name.slice(1)).replace(/_/g, ' ');

// A JSON pointer's first token ("/launch_area/coordinates/0" → "launch_area").
export function pointerField(message) {
  const m = /^\/([^/\s:]*)[^\s:]*:\s/.exec(message || '');
  return m ? m[1].replace(/~1/g, '/').replace(/~0/g, '~') : null;
}

// Marks a control with the server's refusal: the words in its error element, aria-invalid,
// and the focus. `fields`: name → {el, err}.
function markField(fields, name, text) {
  const c = fields[name];
  c.err.textContent = text;
  c.el.setAttribute('aria-invalid', 'true');
  c.el.focus();
}

function clearFields(fields) {
  for (const c of Object.values(fields)) {
    c.err.textContent = '';
    c.el.removeAttribute('aria-invalid');
  }
}

// For a form built by hand (the concern's lodge form): an error element after each control
// of `controls` (field name → control, already in the form) and, for a refusal, show(result)
// puts a 422 beside the field its pointer names; it returns whether it did.
export function fieldErrors(controls) {
  const fields = {};
  for (const [name, el] of Object.entries(controls)) {
    const err = h('span', { class: 'field-error', id: `${el.id}-err` });
    el.setAttribute('aria-describedby', [el.getAttribute('aria-describedby'), err.id].filter(Boolean).join(' '));
    (el.type === 'checkbox' ? el.parentNode : el).after(err);
    fields[name] = { el, err };
  }
  return {
    clear: () => clearFields(fields),
    show: (r) => {
      const f = r.status === 422 ? pointerField(errText(r)) : null;
      if (f && fields[f]) markField(fields, f, errText(r));
      return Boolean(f && fields[f]);
    },
  };
}

const isDate = (p) => p.type === 'string' && /YYYY-MM-DD/.test(p.description || '') && p.maxLength === 10;
const isGeo = (p) => /Geometry$/.test(p.$ref || '');

// One control for property `p`; value(): what to send (undefined: leave the field out), or
// throws an Error whose message says what was expected (only where the page must parse,
// as for a GeoJSON area or a list).
function control(id, name, p, initial) {
  const values = enumOf(p);
  let el;
  let value;
  if (values) {
    el = h('select', { id }, h('option', { value: '' }, '—'), values.map((v) => h('option', { value: v, selected: v === initial }, optionText(p, v))));
    value = () => el.value || undefined;
  } else if (p.type === 'boolean') {
    el = h('input', { id, type: 'checkbox', checked: initial === true });
    value = () => (el.checked ? true : undefined);
  } else if (p.type === 'integer' || p.type === 'number') {
    el = h('input', { id, type: 'number', inputmode: 'numeric', min: p.minimum, max: p.maximum < 1e12 ? p.maximum : null, value: initial });
    value = () => (el.value === '' ? undefined : Number(el.value));
  } else if (p.type === 'array') {
    el = h('textarea', { id, rows: 2 }, initial ? initial.join('\n') : null);
    // One per line; on one line, comma-separated.
    value = () => {
      const t = el.value.trim();
      if (!t) return undefined;
      return t.split(t.includes('\n') ? '\n' : ',').map((s) => s.trim()).filter(Boolean);
    };
  } else if (isGeo(p)) {
    el = h('textarea', { id, rows: 2, spellcheck: 'false' }, initial ? JSON.stringify(initial) : null);
    value = () => {
      const t = el.value.trim();
      if (!t) return undefined;
      const m = /^(-?[0-9.]+)\s*[, ]\s*(-?[0-9.]+)$/.exec(t);
      if (m) return { type: 'Point', coordinates: [Number(m[1]), Number(m[2])] };
      try {
        return JSON.parse(t);
      } catch {
        throw new Error('expected "longitude, latitude" or a GeoJSON object');
      }
    };
  } else if (p.format === 'date-time') {
    el = h('input', { id, type: 'datetime-local', value: initial ? initial.slice(0, 16) : null });
    // The control has no time zone; the label says UTC, and so is it sent.
    value = () => (el.value ? `${el.value.length === 16 ? `${el.value}:00` : el.value}Z` : undefined);
  } else if (isDate(p)) {
    el = h('input', { id, type: 'date', value: initial });
    value = () => el.value || undefined;
  } else if ((p.maxLength || 0) > 2000) {
    el = h('textarea', { id, rows: 4 }, initial || null);
    value = () => el.value.trim() || undefined;
  } else {
    el = h('input', { id, autocomplete: 'off', value: initial });
    value = () => el.value.trim() || undefined;
  }
  return { el, value };
}

// actForm({id, schema: 'CooperationOffer', title, submit, send: (body) => Promise<api result>,
//   fixed: {type: 'disaster'} sent as given, values: {field: initial}, omit: [fields],
//   done: (result) => message, after: (result, message) => redraw}) → {el, form}. The returned element is a section headed by
// `title`; the status line (role=status) says what happened.
export function actForm(o) {
  const s = schema(o.schema);
  const sec = h('section', { 'aria-labelledby': `${o.id}-h`, class: 'act' }, h('h3', { id: `${o.id}-h` }, o.title));
  if (!s) {
    sec.append(h('p', { class: 'error' }, `This server's API document has no ${o.schema} schema.`));
    return { el: sec };
  }
  const msg = h('p', { role: 'status', id: `${o.id}-msg` });
  const fields = {};
  const rows = [];
  for (const [name, p] of Object.entries(s.properties)) {
    if (hidden(name, p) || (o.omit || []).includes(name) || (o.fixed && name in o.fixed)) continue;
    const id = `${o.id}-${name}`;
    const req = s.required.includes(name);
    const c = control(id, name, p, o.values ? o.values[name] : undefined);
    const hint = h('span', { class: 'hint', id: `${id}-hint` }, hintText(p));
    const err = h('span', { class: 'field-error', id: `${id}-err` });
    c.el.setAttribute('aria-describedby', `${id}-hint ${id}-err`);
    if (req) c.el.setAttribute('aria-required', 'true');
    c.err = err;
    fields[name] = c;
    const lab = h('label', { for: id }, label(name), req ? h('span', { class: 'req' }, ' (required)') : null);
    rows.push(p.type === 'boolean' ? h('div', { class: 'field' }, h('div', { class: 'row' }, c.el, lab), hint, err) : h('div', { class: 'field' }, lab, c.el, hint, err));
  }
  const clear = () => clearFields(fields);
  const mark = (name, text) => markField(fields, name, text);
  const form = h('form', { id: o.id, class: 'stack', novalidate: true, onsubmit: async (ev) => {
    ev.preventDefault();
    clear();
    const body = { ...(o.fixed || {}) };
    for (const [name, c] of Object.entries(fields)) {
      try {
        const v = c.value();
        if (v !== undefined) body[name] = v;
      } catch (e) {
        mark(name, e.message);
        msg.textContent = `Not sent: ${label(name)}: ${e.message}`;
        return;
      }
    }
    const r = await o.send(body);
    if (!r.ok) {
      const text = errText(r);
      const f = r.status === 422 ? pointerField(text) : null;
      if (f && fields[f]) mark(f, text);
      msg.textContent = `Not accepted (${r.status}): ${text}`;
      return;
    }
    const text = o.done ? o.done(r) : `Done: journal entry ${r.body.index}.`;
    fill(msg, `${text} `, h('a', { href: `#/journal?entry=${r.body.index}` }, 'See it in the journal.'));
    // A view that redraws itself after the act gets the words to show again.
    if (o.after) o.after(r, text);
  } }, rows, h('div', { class: 'row' }, h('button', { type: 'submit', id: `${o.id}-go` }, o.submit || 'Send')), msg);
  sec.append(form);
  return { el: sec, form };
}

function hintText(p) {
  const d = p.description || '';
  if (p.type === 'array') return `${d} (comma-separated, or one per line)`;
  if (isGeo(p)) return `${d}: "longitude, latitude" for a point, or a GeoJSON object`;
  if (p.format === 'date-time') return `${d} (UTC)`.replace('(UTC) (UTC)', '(UTC)');
  return d;
}

// POST body to path as the signed-in delegate.
export const poster = (path) => (body) => api(path, { method: 'POST', body });
