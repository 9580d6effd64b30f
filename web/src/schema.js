// schema.js — the payload schemas of the procedures' acts, read from the server's own
// OpenAPI document (docs/api.yaml's `# generated:` blocks, which platform_proc_openapi writes
// from the procedure tables and tests/unit/platform/test_proc.c checks byte for byte). The
// forms are built from them, so a field the server adds or drops shows in the page without a
// change here. Only the layout that generator writes is read: a schema name at indent 4, its
// keys at 6, property names at 8 and their keys at 10, one scalar, flow list or flow map per
// line.
import { apiDoc } from './caps.js';

let cache = null;

// 'a', "a b", [x, y z], {type: string} → JS values (flow maps only one level deep).
function scalar(v) {
  v = v.trim();
  if (v.startsWith('[') && v.endsWith(']')) return v.slice(1, -1).split(',').map((s) => scalar(s)).filter((s) => s !== '');
  if (v.startsWith('{') && v.endsWith('}')) {
    return Object.fromEntries(v.slice(1, -1).split(',').map((kv) => {
      const i = kv.indexOf(':');
      return [kv.slice(0, i).trim(), scalar(kv.slice(i + 1))];
    }));
  }
  if ((v.startsWith('"') && v.endsWith('"')) || (v.startsWith("'") && v.endsWith("'"))) return v.slice(1, -1);
  if (v === 'true' || v === 'false') return v === 'true';
  if (/^-?[0-9.e+]+$/.test(v) && !Number.isNaN(Number(v))) return Number(v);
  return v;
}

// Every schema under components/schemas: name → {type, description, required, properties,
// enum, oneOf}. Unknown layouts are skipped, never guessed.
export function parseSchemas(text) {
  const out = {};
  const lines = text.split('\n');
  let i = lines.findIndex((l) => l === '  schemas:');
  if (i < 0) return out;
  let cur = null;
  let prop = null;
  let block = null; // 'properties' | 'oneOf' | null
  for (i++; i < lines.length; i++) {
    const l = lines[i];
    if (/^\S/.test(l) || /^ {2}\S/.test(l)) break; // the end of components/schemas
    let m;
    if ((m = /^ {4}([A-Za-z0-9]+):\s*$/.exec(l))) {
      cur = { properties: {}, required: [] };
      out[m[1]] = cur;
      prop = null;
      block = null;
    } else if (!cur || /^\s*#/.test(l) || l.trim() === '') {
      continue;
    } else if ((m = /^ {6}([A-Za-z$]+):\s*(.*)$/.exec(l))) {
      block = m[2] === '' ? m[1] : null;
      prop = null;
      if (m[2] !== '') cur[m[1]] = scalar(m[2]);
      if (m[1] === 'oneOf') cur.oneOf = [];
    } else if (block === 'oneOf' && (m = /^ {8}- \$ref: '#\/components\/schemas\/([A-Za-z0-9]+)'/.exec(l))) {
      cur.oneOf.push(m[1]);
    } else if (block === 'properties' && (m = /^ {8}([A-Za-z_0-9]+):\s*(.*)$/.exec(l))) {
      prop = m[2] === '' ? {} : scalar(m[2]);
      cur.properties[m[1]] = prop;
    } else if (block === 'properties' && prop && (m = /^ {10}([A-Za-z$]+):\s*(.*)$/.exec(l))) {
      prop[m[1]] = scalar(m[2]);
    }
  }
  return out;
}

export function schemas() {
  if (!cache) cache = parseSchemas(apiDoc());
  return cache;
}

// One act's payload schema by name (ConcernAnswer, NotificationDisaster...), a oneOf resolved
// to its first branch; null when the server's document has none.
export function schema(name) {
  const all = schemas();
  let s = all[name];
  if (s && s.oneOf && s.oneOf.length) s = all[s.oneOf[0]];
  if (!s || !s.properties) return null;
  return s;
}

// The enum a property takes, following a $ref to a shared schema (Domain, Art33Means).
export function enumOf(prop) {
  if (prop.enum) return prop.enum;
  const m = prop.$ref && /\/([A-Za-z0-9]+)$/.exec(prop.$ref);
  const ref = m && schemas()[m[1]];
  return ref && ref.enum ? ref.enum : null;
}

// The values of `type` a path's POST body takes (POST /v1/notifications: its eight kinds),
// read from that path's block of the document.
export function postTypes(path) {
  const text = apiDoc();
  const start = text.indexOf(`\n  ${path}:\n`);
  if (start < 0) return [];
  const end = text.indexOf('\n  /v1/', start + 4);
  const m = /^ +type: \{type: string, enum: \[([^\]]*)\]\}/m.exec(text.slice(start, end < 0 ? undefined : end));
  return m ? scalar(`[${m[1]}]`) : [];
}

// notification kind → schema name: missile_launch → NotificationMissileLaunch (the
// generator's camel-casing of the act type notification.missile_launch).
export const schemaName = (prefix, type) => prefix + type.split(/[._]/).map((w) => w[0].toUpperCase() + w.slice(1)).join('');
