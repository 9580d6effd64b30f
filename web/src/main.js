// main.js — the situation room: a hash router over the views, sign-in with a delegate token,
// and the latest forecast run that the map, the hotspots and the country pages share.
import 'uplot/dist/uPlot.min.css';
import './style.css';
import { api, auth, errText } from './api.js';
import { h, fill, fmtPct, fmtInt } from './dom.js';
import { loadCaps, has } from './caps.js';
import { drawMap } from './map.js';
import { countryView } from './country.js';
import { hotspotsView } from './hotspots.js';
import { journalView } from './journal.js';
import { eventsSection } from './events.js';
import { procView, countryProcSection, hasProcedures } from './proc.js';
import { consultationsView, consultationView, countryConsultSection, hasConsultations } from './consult.js';
import { agreementView } from './agree.js';
import { cooperationView, hasCooperation, countryCoopSection } from './coop.js';
import { forumsView, forumView, hasForums } from './forum.js';

const mainEl = document.getElementById('main');
let run; // undefined: not loaded yet; null: the server stores none

async function latestRun() {
  if (run !== undefined) return run;
  run = null;
  if (has('/v1/forecasts/latest')) {
    const r = await api('/v1/forecasts/latest');
    if (r.ok) run = r.body;
  }
  return run;
}

const open = (iso3) => { location.hash = `#/country/${iso3}`; };

async function mapView(main) {
  const r = await latestRun();
  const host = h('div', { id: 'map' });
  const top = r ? r.countries.slice().sort((a, b) => b.p_ge_25_next - a.p_ge_25_next || b.median_12m - a.median_12m).slice(0, 15) : [];
  fill(main,
    h('h1', {}, 'Where conflict risk stands'),
    r ? null : h('p', { class: 'note' }, 'This server has no stored forecast yet (gsi warn run --db stores one); the map shows no risk.'),
    host,
    top.length ? h('section', { 'aria-labelledby': 'toph' },
      h('h2', { id: 'toph' }, 'Highest risk next month'),
      h('ol', { class: 'toplist' }, top.map((c) => h('li', {},
        h('a', { href: `#/country/${c.iso3}` }, c.name), ` — ${fmtPct(c.p_ge_25_next)}; median ${fmtInt(c.median_12m)} deaths in 12 months`)))) : null);
  drawMap(host, r, open);
}

function signInForm() {
  const input = h('input', { id: 'token', type: 'password', autocomplete: 'off', required: true, spellcheck: 'false' });
  const msg = h('p', { class: 'error', role: 'alert' });
  const dlg = h('dialog', { id: 'signin', 'aria-labelledby': 'sih' },
    h('form', { method: 'dialog', onsubmit: async (ev) => {
      ev.preventDefault();
      const r = await api('/v1/me', { token: input.value.trim() });
      if (!r.ok) { msg.textContent = `Not signed in: ${errText(r)}`; return; }
      auth.set(input.value.trim());
      auth.me = r.body;
      input.value = '';
      dlg.close();
      header();
      route();
    } },
    h('h2', { id: 'sih' }, 'Sign in as a delegate'),
    h('label', { for: 'token' }, 'Delegate token (from gsi delegate add)'), input, msg,
    h('div', { class: 'row' },
      h('button', { type: 'submit', id: 'signin-go' }, 'Sign in'),
      h('button', { type: 'button', onclick: () => dlg.close() }, 'Cancel'))));
  return dlg;
}

function header() {
  const who = document.getElementById('who');
  if (auth.me) {
    fill(who, h('span', { id: 'whoami' }, `${auth.me.name} (${auth.me.party_name}, ${auth.me.role})`),
      h('button', { type: 'button', onclick: () => { auth.clear(); auth.me = null; header(); route(); } }, 'Sign out'));
  } else {
    const dlg = signInForm();
    fill(who, h('span', {}, 'Public view'),
      h('button', { type: 'button', id: 'signin-open', onclick: () => dlg.showModal() }, 'Sign in'), dlg);
  }
}

async function route() {
  document.body.removeAttribute('data-view');
  // "#/concerns?to=ETH&hotspot=ETH-2022-11": a view and what to prefill.
  const [hash, query] = (location.hash || '#/').split('?');
  const params = new URLSearchParams(query || '');
  const m = /^#\/country\/([A-Z]{3})$/.exec(hash);
  const cm = /^#\/consultation\/([0-9]{1,18})$/.exec(hash);
  const am = /^#\/agreement\/([0-9]{1,18})$/.exec(hash);
  const fm = /^#\/forum\/([0-9]{1,18})$/.exec(hash);
  for (const a of document.querySelectorAll('header nav a')) {
    a.toggleAttribute('aria-current', a.getAttribute('href') === hash);
    if (a.hasAttribute('aria-current')) a.setAttribute('aria-current', 'page');
  }
  // Each route renders into a fresh element: a view still loading when the reader moves on
  // writes into a detached one, never into the view that replaced it.
  const host = h('div', { class: 'view' });
  fill(mainEl, host);
  try {
    if (m) await countryView(host, m[1], await latestRun(), [eventsSection, countryProcSection, countryConsultSection, countryCoopSection]);
    else if (hash === '#/hotspots') await hotspotsView(host, await latestRun());
    else if (hash === '#/journal') await journalView(host, params);
    else if (hash === '#/concerns') await procView(host, params);
    else if (hash === '#/consultations') await consultationsView(host);
    else if (cm) await consultationView(host, cm[1]);
    else if (am) await agreementView(host, am[1]);
    else if (hash === '#/cooperation') await cooperationView(host, params);
    else if (hash === '#/forums') await forumsView(host);
    else if (fm) await forumView(host, fm[1]);
    else await mapView(host);
  } catch (e) {
    fill(host, h('p', { class: 'error' }, `This view failed: ${e.message}`));
    throw e;
  }
  if (host.isConnected) document.body.dataset.view = m ? 'country' : cm ? 'consultation' : am ? 'agreement' : fm ? 'forum' : hash.slice(2) || 'map';
}

async function start() {
  await loadCaps();
  if (hasProcedures()) {
    document.querySelector('header nav').insertBefore(h('a', { href: '#/concerns' }, 'Concerns'),
      document.querySelector('header nav a[href="#/journal"]'));
  }
  if (hasConsultations()) {
    document.querySelector('header nav').insertBefore(h('a', { href: '#/consultations' }, 'Consultations'),
      document.querySelector('header nav a[href="#/journal"]'));
  }
  for (const [ok, href, text] of [[hasCooperation(), '#/cooperation', 'Cooperation'], [hasForums(), '#/forums', 'Forums']]) {
    if (ok) {
      document.querySelector('header nav').insertBefore(h('a', { href }, text),
        document.querySelector('header nav a[href="#/journal"]'));
    }
  }
  if (auth.token()) {
    const r = await api('/v1/me');
    if (r.ok) auth.me = r.body;
    else auth.clear();
  }
  header();
  await route();
  document.body.dataset.ready = String(Math.round(performance.now()));
  window.addEventListener('hashchange', async () => {
    await route();
    mainEl.focus({ preventScroll: true });
  });
}

start();
