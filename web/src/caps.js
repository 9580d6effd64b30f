// caps.js — what this server answers, read once from its own OpenAPI document, so the page
// offers only the views whose API exists and never asks for a resource that is not there.
// The document also carries the payload schemas the server generates from its procedure
// tables (schema.js reads them), so the forms follow the server's fields.

let paths = null;
let doc = '';

export async function loadCaps() {
  if (paths) return paths;
  paths = new Set();
  try {
    const res = await fetch('/v1/openapi.yaml');
    if (res.ok) {
      doc = await res.text();
      // Paths are the keys at indent 2 under "paths:" (the layout tests/unit/http checks).
      for (const m of doc.matchAll(/^ {2}(\/v1\/[^:\s]*):\s*$/gm)) paths.add(m[1]);
    }
  } catch {
    /* no document: no optional views */
  }
  return paths;
}

export const has = (p) => paths !== null && paths.has(p);
// The OpenAPI document as the server sent it ('' when it sent none).
export const apiDoc = () => doc;
