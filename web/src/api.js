// api.js — every request the page makes goes to its own server through here. A delegate's
// token lives in sessionStorage (gone when the tab closes) and is sent as a bearer token.

const KEY = 'gsi.token';

export const auth = {
  token: () => sessionStorage.getItem(KEY),
  set: (t) => sessionStorage.setItem(KEY, t),
  clear: () => sessionStorage.removeItem(KEY),
  me: null, // the signed-in delegate (GET /v1/me), null when public
};

// GET or send JSON. Resolves to {ok, status, body}; a non-JSON or network failure comes back
// as ok=false with body.error.message saying what happened, never as a thrown error, so each
// view can say "not available" instead of breaking.
export async function api(path, { method = 'GET', body, token = auth.token() } = {}) {
  const headers = { Accept: 'application/json' };
  if (token) headers.Authorization = `Bearer ${token}`;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  let res;
  try {
    res = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  } catch (e) {
    return { ok: false, status: 0, body: { error: { message: `the server did not answer (${e.message})` } } };
  }
  let json = null;
  try {
    json = await res.json();
  } catch {
    json = { error: { message: `the server answered ${res.status} without JSON` } };
  }
  return { ok: res.ok, status: res.status, body: json };
}

export const errText = (r) => (r.body && r.body.error && r.body.error.message) || `HTTP ${r.status}`;
