// caps.js — what this server answers, read once from its own OpenAPI document, so the page
// offers only the views whose API exists and never asks for a resource that is not there.

let paths = null;

export async function loadCaps() {
  if (paths) return paths;
  paths = new Set();
  try {
    const res = await fetch('/v1/openapi.yaml');
    if (res.ok) {
      // Paths are the keys at indent 2 under "paths:" (the layout tests/unit/http checks).
      for (const m of (await res.text()).matchAll(/^ {2}(\/v1\/[^:\s]*):\s*$/gm)) paths.add(m[1]);
    }
  } catch {
    /* no document: no optional views */
  }
  return paths;
}

export const has = (p) => paths !== null && paths.has(p);
