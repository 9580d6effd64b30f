// browser_test.mjs — the dashboard in a real browser: Debian's Chromium, headless, driven by
// playwright-core (no browser download). It starts `gsi serve` on a fresh database made from
// the test data, walks every view at 1280×800 and at 390×844, and fails on any console
// error, page error, failed request, request outside the server, or serious/critical axe-core
// violation. Screenshots go to ARTEFACTS.
//
//   node tests/web/browser_test.mjs GSI_BINARY BUNDLE_DIR ARTEFACTS
//
// BUNDLE_DIR holds the esbuild output (app.js.gz for the size figure). Prints
// "checks: N passed, M failed" last; the time to the first interactive view and the bundle
// size are printed as figures, not asserted.
import { spawn, execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
const require = createRequire(join(root, 'web', 'package.json'));
const { chromium } = require('playwright-core');
const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

const [gsi, bundleDir, artefacts] = process.argv.slice(2);
if (!gsi || !bundleDir || !artefacts) {
  console.error('usage: node tests/web/browser_test.mjs GSI_BINARY BUNDLE_DIR ARTEFACTS');
  process.exit(2);
}
const CHROMIUM = '/usr/bin/chromium';
mkdirSync(artefacts, { recursive: true });

let passed = 0;
let failed = 0;
function check(ok, what) {
  if (ok) passed++;
  else failed++;
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${what}`);
  return ok;
}

const work = mkdtempSync(join(tmpdir(), 'gsi-web-test-'));
const db = join(work, 'gsi.db');
const run = (...args) => execFileSync(gsi, [...args, '--db', db], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

// The server: a fresh database with the parties, one delegate of Kenya, and a forecast run
// on the ViEWS/UCDP actuals of the test data (when this gsi has `warn run`).
function setup() {
  run('init');
  if (caps.forecasts) {
    run('warn', 'run', '--actuals', join(root, 'tests', 'data', 'views', 'cm_actuals_2018_2022.csv'),
      '--through', '2022-10', '--top', '0', '--format', 'csv');
  }
  if (caps.events) {
    const dir = join(root, 'tests', 'data', 'gdelt');
    const files = readdirSync(dir).filter((f) => f.endsWith('.export.CSV')).map((f) => join(dir, f));
    run('events', 'load', ...files, '--format', 'csv');
  }
  if (caps.consultations) {
    // A real Polis conversation (204 participants, tests/data/SOURCES.md) as an open one.
    const dir = join(root, 'tests', 'data', 'deliberation', 'brexit-consensus');
    run('consultation', 'import', '--comments', join(dir, 'comments.csv'), '--votes', join(dir, 'votes.csv'),
      '--question', 'Brexit: where is the common ground?');
  }
  // Each delegate has an Ed25519 key from `gsi keygen`, its public half registered, so each
  // can sign an agreement: Ethiopia's with `gsi sign`, Kenya's in the browser.
  for (const k of ['ken', 'eth']) execFileSync(gsi, ['keygen', '--name', `${k}-delegate`, '--out', join(work, `${k}.key`)], { stdio: 'ignore' });
  const out = run('delegate', 'add', '--party', 'KEN', '--role', 'delegate', '--name', 'Test Delegate', '--pubkey-file', join(work, 'ken.key.pub'));
  const token = /^token (\S+)$/m.exec(out)[1];
  const eth = run('delegate', 'add', '--party', 'ETH', '--role', 'delegate', '--name', 'Ethiopia Delegate', '--pubkey-file', join(work, 'eth.key.pub'));
  return { token, ethToken: /^token (\S+)$/m.exec(eth)[1] };
}

function serve() {
  return new Promise((resolve, reject) => {
    const p = spawn(gsi, ['serve', '--listen', '127.0.0.1:0', '--db', db, '--quiet'], { stdio: ['ignore', 'pipe', 'inherit'] });
    let buf = '';
    p.stdout.on('data', (d) => {
      buf += d;
      const m = /listening on (http:\/\/\S+)/.exec(buf);
      if (m) resolve({ proc: p, base: m[1] });
    });
    p.on('exit', (code) => reject(new Error(`gsi serve exited with ${code} before listening`)));
  });
}

// Watches one page: every console error, page error, failed request, 4xx/5xx answer and
// request outside `base` is a problem, except a refusal the test provokes on purpose
// (page.expectRefusal(status, path) before it: the answer and Chromium's console line for it).
function watch(page, base, problems) {
  const expected = [];
  page.expectRefusal = (status, path) => expected.push({ status, path, response: false, console: false });
  const take = (what, status, url) => {
    const e = expected.find((x) => x.status === status && !x[what] && (url === undefined || url.includes(x.path)));
    if (e) e[what] = true;
    return e !== undefined;
  };
  page.on('console', (m) => {
    if (m.type() !== 'error') return;
    const st = /the server responded with a status of (\d{3})/.exec(m.text());
    if (!st || !take('console', Number(st[1]))) problems.push(`console error: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('requestfailed', (r) => problems.push(`request failed: ${r.url()} (${r.failure() && r.failure().errorText})`));
  page.on('response', (r) => { if (r.status() >= 400 && !take('response', r.status(), r.url())) problems.push(`HTTP ${r.status()}: ${r.url()}`); });
  page.on('request', (r) => {
    if (!r.url().startsWith(base) && !r.url().startsWith('data:')) problems.push(`request outside the server: ${r.url()}`);
  });
}

async function axe(page, name) {
  await page.evaluate(axeSource);
  const res = await page.evaluate(() => globalThis.axe.run(document, { resultTypes: ['violations'] }));
  const bad = res.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  for (const v of bad) console.log(`     axe ${v.impact} ${v.id}: ${v.help} (${v.nodes.length} nodes, e.g. ${v.nodes[0].target.join(' ')})`);
  check(bad.length === 0, `${name}: axe-core finds no serious or critical violation (${res.violations.length - bad.length} moderate or minor)`);
}

async function shot(page, name) {
  await page.screenshot({ path: join(artefacts, `${name}.png`), fullPage: true });
}

// What this gsi says its server answers (its OpenAPI document, `gsi serve` embeds it), so
// each check runs where the feature exists.
function capabilities() {
  const yaml = readFileSync(join(root, 'docs', 'api.yaml'), 'utf8');
  const has = (p) => new RegExp(`^  ${p.replace(/[{}/]/g, '\\$&')}:\\s*$`, 'm').test(yaml);
  return {
    forecasts: has('/v1/forecasts/latest'),
    events: has('/v1/events/countries/{iso3}/trend'),
    concerns: has('/v1/concerns'),
    notifications: has('/v1/notifications'),
    consultations: has('/v1/consultations/{id}/consensus'),
    agreements: has('/v1/agreements/{id}/sign'),
    cooperation: has('/v1/cooperation/offers') && has('/v1/cooperation/matches') && has('/v1/cooperation/allocations'),
    forums: has('/v1/forums/{id}/session'),
    answer: has('/v1/concerns/{id}/answer'),
    proposals: has('/v1/consultations/{id}/proposals'),
  };
}

let caps;

async function desktop(ctx, base, token, ethToken) {
  const page = await ctx.newPage();
  const problems = [];
  watch(page, base, problems);
  // In the page: an element's text, '' while a view redraws and it is not there.
  await page.addInitScript(() => { globalThis.text = (sel) => { const e = document.querySelector(sel); return e ? e.textContent : ''; }; });
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto(`${base}/`);
  await page.waitForSelector('body[data-ready]');
  const ready = await page.evaluate(() => Number(document.body.dataset.ready));
  console.log(`figure: first view interactive ${ready} ms after navigation start (1280x800, loopback)`);
  const shapes = await page.$$eval('svg.map path.country', (ps) => ps.map((p) => p.getAttribute('data-iso3')));
  check(shapes.length >= 170, `map: ${shapes.length} country shapes`);
  check(shapes.every((s) => /^[A-Z]{3}$/.test(s)), 'map: every shape carries an ISO3 data-iso3');
  check(await page.isVisible('.legend figcaption'), 'map: the legend names the quantity');
  await shot(page, 'map-1280');
  await axe(page, 'map');

  // Hover and click a country that has a forecast. A server whose API has no forecasts (its
  // OpenAPI document lists none) cannot show one; any server that has the API must.
  // The highest-risk country, as the list under the map names it.
  const topIso = await page.evaluate(() => {
    const a = document.querySelector('.toplist a');
    return a ? a.getAttribute('href').slice(-3) : '';
  });
  const target = await page.$(`svg.map path.country[tabindex][data-iso3="${topIso}"]`);
  if (!caps.forecasts) {
    console.log('skip the country page: this server has no /v1/forecasts API');
  } else if (check(target !== null, 'map: some country has a forecast')) {
    const iso3 = await target.getAttribute('data-iso3');
    await target.hover();
    await page.waitForSelector('.tip:not([hidden])');
    const tip = await page.textContent('.tip');
    check(/P\(≥ 25 deaths\)/.test(tip) && /90% interval/.test(tip), `hover ${iso3}: the figures show (${tip.slice(0, 60)}…)`);
    await shot(page, 'map-hover');
    await target.click();
    await page.waitForFunction((c) => location.hash === `#/country/${c}` && document.body.dataset.view === 'country', iso3);
    await page.waitForSelector('#chart canvas');
    const bands = await page.getAttribute('#chart', 'data-bands');
    const legend = await page.textContent('#chart .u-legend');
    check(bands === '2' && /90% band/.test(legend) && /50% band/.test(legend) && /median/.test(legend),
      `country ${iso3}: the chart has the median and the 50% and 90% bands`);
    if (caps.events) {
      await page.waitForSelector('#events-chart canvas');
      const rows = await page.$$eval('#events .scroll tbody tr', (trs) => trs.length);
      check(rows > 0, `country ${iso3}: the GDELT conflict/cooperation trend shows (${rows} months)`);
    }
    await shot(page, 'country-1280');
    await axe(page, 'country');
  }

  // Sign in with the delegate's token.
  await page.click('#signin-open');
  await page.fill('#token', token);
  await page.click('#signin-go');
  await page.waitForSelector('#whoami');
  check(/Test Delegate/.test(await page.textContent('#whoami')), 'sign-in: the header names the delegate');
  check(await page.evaluate(() => sessionStorage.getItem('gsi.token') !== null), 'sign-in: the token is in sessionStorage');

  // Lodge a concern as Kenya's delegate and see it listed, then on the addressed country's page.
  if (!caps.concerns) {
    console.log('skip lodging a concern: this server has no /v1/concerns API');
  } else {
    await page.goto(`${base}/#/concerns`);
    await page.waitForSelector('#lodge');
    await axe(page, 'concerns (signed in)');
    const title = 'Cross-border displacement along the Ethiopia–Kenya border';
    await page.fill('#c-to', 'ZZZ');
    await page.selectOption('#c-domain', 'conflict-prevention');
    await page.fill('#c-title', title);
    await page.fill('#c-text', 'Kenya asks Ethiopia for a joint assessment of displacement near Moyale.');
    await refusedAt(page, 'lodge', 'to', '/to/0: expected a party id', '/v1/concerns', 'c-to');
    await page.fill('#c-to', 'ETH');
    await page.click('#lodge-go');
    await page.waitForFunction(() => /lodged for KEN/.test(document.querySelector('#lodge-msg').textContent));
    await page.waitForFunction((t) => [...document.querySelectorAll('table[data-kind=concerns] tbody th')].some((th) => th.textContent.includes(t)), title);
    const row = await page.$$eval('table[data-kind=concerns] tbody tr', (trs) => trs.map((tr) => tr.textContent));
    check(row.some((r) => r.includes(title) && r.includes('KEN') && /ETH: lodged/.test(r)),
      'concerns: the lodged concern is listed, from KEN, ETH to acknowledge');
    // A notification from Ethiopia (through the API) that Kenya acknowledges in the page.
    if (caps.notifications) await acknowledge(page, base, ethToken);
    // Thirty days on, Ethiopia's acknowledgement of the concern is overdue, and the list says so.
    const later = new Date(Date.now() + 30 * 86400e3).toISOString().slice(0, 10);
    await page.fill('#as-of', later);
    await page.click('#as-of-go');
    await page.waitForFunction(() => /ETH: lodged overdue: acknowledge was due/.test(document.querySelector('table[data-kind=concerns]').textContent));
    check(await page.$('table[data-kind=concerns] tr.late') !== null, 'concerns: judged 30 days on, ETH is marked overdue');
    await shot(page, 'concerns-1280');
    await page.goto(`${base}/#/country/ETH`);
    await page.waitForSelector('#country-proc');
    check((await page.textContent('#country-proc')).includes(title), 'country ETH: the concern addressed to it is listed');
    // From Ethiopia's page, a concern about its hotspot: the form comes prefilled, and the
    // hotspot's API page lists the concern.
    if (caps.forecasts) {
      await page.click('#lodge-hotspot');
      await page.waitForSelector('#lodge');
      const hs = await page.inputValue('#c-hotspot');
      check(await page.inputValue('#c-to') === 'ETH' && /^ETH-\d{4}-\d{2}$/.test(hs), `concerns: the form is prefilled from the country page (${hs})`);
      await page.fill('#c-title', 'Escalation risk in Amhara');
      await page.fill('#c-text', 'Kenya proposes early consultations on the forecast surge.');
      await page.click('#lodge-go');
      await page.waitForFunction(() => /lodged for KEN/.test(document.querySelector('#lodge-msg').textContent));
      const linked = (await (await fetch(`${base}/v1/hotspots/${hs}`)).json()).linked;
      check(linked && linked.concerns.length === 1, `hotspot ${hs}: its page lists the concern (${linked ? linked.concerns.length : 'none'})`);
    }
  }

  if (caps.concerns && caps.notifications && caps.answer) await procForms(page, base, ethToken);
  else console.log('skip the notification and answer forms: this server lacks /v1/notifications or /v1/concerns/{id}/answer');
  if (caps.cooperation) await cooperation(page, base, ethToken);
  else console.log('skip cooperation: this server has no /v1/cooperation API');
  if (caps.forums) await forums(page, base, ethToken);
  else console.log('skip forums: this server has no /v1/forums API');

  if (!caps.consultations) {
    console.log('skip the consensus view: this server has no /v1/consultations API');
  } else {
    await consensus(page, base);
    await consentAndVote(page, base, ethToken);
    if (caps.agreements) await signAgreement(page, base, token, ethToken);
    else console.log('skip signing an agreement: this server has no /v1/agreements/{id}/sign API');
  }

  // Hotspots, then the journal and its in-browser verification.
  await page.goto(`${base}/#/hotspots`);
  await page.waitForFunction(() => document.body.dataset.view === 'hotspots');
  const alerts = await page.$$eval('#alerts dd a', (as) => as.length);
  const flagged = caps.forecasts ? (await (await fetch(`${base}/v1/hotspots`)).json()).hotspots.filter((x) => x.alerts.length) : [];
  check(!caps.forecasts || (flagged.length > 0 && alerts >= flagged.length), `hotspots: the alerts list names every alerted country (${alerts} links, ${flagged.length} countries)`);
  await shot(page, 'hotspots-1280');
  await axe(page, 'hotspots');

  await page.goto(`${base}/#/journal`);
  await page.waitForSelector('#verify');
  await page.click('#verify');
  await page.waitForSelector('#vresult ul[data-verified]');
  const verdict = await page.getAttribute('#vresult ul', 'data-verified');
  const lines = await page.$$eval('#vresult li', (ls) => ls.map((l) => l.textContent.trim()));
  check(verdict === 'yes' && lines.some((l) => /signature verified/.test(l)) && lines.some((l) => /is in the signed tree/.test(l)),
    `journal: the browser verifies the checkpoint signature and an inclusion proof (${lines.join(' | ').slice(0, 160)})`);
  await page.fill('#vindex', '0');
  await page.click('#verify');
  await page.waitForFunction(() => /Entry 0 is in the signed tree/.test(document.querySelector('#vresult').textContent));
  check(true, 'journal: entry 0 verifies too');
  await shot(page, 'journal-1280');
  await axe(page, 'journal');

  check(problems.length === 0, `desktop: no console error, failed request or outside request${problems.length ? `: ${problems.join('; ')}` : ''}`);
  await page.close();
}

// Ethiopia notifies Kenya of a flood (through the API); Kenya's delegate acknowledges it in the
// page and the list shows the new state.
async function acknowledge(page, base, ethToken) {
  const note = await fetch(`${base}/v1/notifications`, {
    method: 'POST', headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${ethToken}` },
    body: JSON.stringify({ type: 'disaster', to: ['KEN'], title: 'Flooding on the Omo river', hazard: 'flood',
      time: '2026-11-30T06:00:00Z', area: { type: 'Point', coordinates: [36.0, 4.6] }, description: 'Flood waters moving south towards Lake Turkana.' }),
  });
  check(note.status === 201, `notifications: ETH notifies KEN of a flood (HTTP ${note.status})`);
  await page.goto(`${base}/#/`);
  await page.waitForFunction(() => document.body.dataset.view === 'map');
  await page.goto(`${base}/#/concerns`);
  await page.waitForSelector('table[data-kind=notifications] button');
  await page.click('table[data-kind=notifications] button');
  await page.waitForFunction(() => /acknowledged for KEN/.test(document.querySelector('#proc-msg').textContent));
  await page.waitForFunction(() => /KEN: acknowledged/.test(document.querySelector('table[data-kind=notifications]').textContent));
  check(true, 'notifications: KEN acknowledges in the page and the list shows it');
}

// The consultation list, one consultation's consensus view, and the view refreshing when a
// member of the public votes while it is open.
async function consensus(page, base) {
  await page.goto(`${base}/#/consultations`);
  await page.waitForSelector('#consultations a');
  await page.click('#consultations a');
  await page.waitForFunction(() => document.body.dataset.view === 'consultation');
  await page.waitForSelector('#opinion-map circle');
  const dots = await page.$$eval('#opinion-map circle', (cs) => cs.length);
  check(dots === 204, `consensus: the opinion map has a dot per participant (${dots}; Polis export: 204)`);
  const groups = await page.$$eval('.groups-legend li', (ls) => ls.filter((l) => l.textContent.startsWith('Group')).length);
  const colours = await page.$$eval('#opinion-map circle', (cs) => new Set(cs.filter((c) => Number(c.dataset.group) >= 0).map((c) => c.getAttribute('fill'))).size);
  check(groups >= 2 && colours === groups, `consensus: ${groups} opinion groups, each its own colour`);
  const common = await page.$$eval('#cgh ~ ol li', (ls) => ls.length);
  const diffs = await page.$$eval('#dfh ~ ol li', (ls) => ls.length);
  check(common > 0 && diffs > 0, `consensus: common ground (${common}) and differences (${diffs}) listed`);
  await shot(page, 'consensus-1280');
  await axe(page, 'consensus');
  // Live: a member of the public registers and votes; the open view picks the vote up.
  const id = (await page.evaluate(() => location.hash)).split('/').pop();
  const before = Number(await page.getAttribute('#consensus-status', 'data-last-vote'));
  const votesBefore = Number(await page.getAttribute('#consensus-status', 'data-votes'));
  const post = async (path, body) => (await fetch(`${base}${path}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) })).json();
  const reg = await post(`/v1/consultations/${id}/participants`, { name: 'Browser test voter' });
  const view = await (await fetch(`${base}/v1/consultations/${id}/consensus`)).json();
  await post(`/v1/consultations/${id}/public/vote`, { token: reg.token, statement: view.statements[0].statement, vote: 'agree' });
  await page.waitForFunction((b) => Number(document.querySelector('#consensus-status').dataset.lastVote) > b, before, { timeout: 60000 });
  const votesAfter = Number(await page.getAttribute('#consensus-status', 'data-votes'));
  check(votesAfter === votesBefore + 1, `consensus: the open view refreshed itself after a public vote (${votesBefore} -> ${votesAfter} votes)`);
}

// POSTs JSON to the server as a delegate; resolves to {status, body}.
const poster = (base, tok) => async (path, body) => {
  const r = await fetch(`${base}${path}`, { method: 'POST', headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${tok}` }, body: JSON.stringify(body) });
  return { status: r.status, body: await r.json() };
};

// Ethiopia proposes a consultation to Kenya (through the API); Kenya's signed-in delegate
// consents in the page, Ethiopia makes a statement, and Kenya votes on it in the page.
async function consentAndVote(page, base, ethToken) {
  const as = (tok) => poster(base, tok);
  const eth = as(ethToken);
  const p = await eth('/v1/consultations', { type: 'propose', parties: ['KEN'], means: 'negotiation', domain: 'conflict-prevention', question: 'Water sharing on the Omo–Turkana basin', rule: 'consensus' });
  if (!check(p.status === 201, `consultation: ETH proposes one to KEN (HTTP ${p.status})`)) return;
  const id = p.body.case;
  await page.goto(`${base}/#/consultation/${id}`);
  await page.waitForSelector('#consent');
  await axe(page, 'consultation (consent)');
  await page.click('#consent');
  await page.waitForFunction(() => document.querySelector('#consult-state') && document.querySelector('#consult-state').dataset.state === 'active');
  check(true, 'consultation: KEN consents in the page and the consultation becomes active');
  const st = await eth(`/v1/consultations/${id}/statement`, { text: 'Both parties share monthly river-flow data.' });
  check(st.status === 201, `consultation: ETH makes a statement (HTTP ${st.status})`);
  await page.goto(`${base}/#/consultations`);
  await page.waitForFunction(() => document.body.dataset.view === 'consultations');
  await page.goto(`${base}/#/consultation/${id}`);
  await page.waitForSelector('#vote-table tbody tr button');
  await page.click('#vote-table tbody tr button');
  await page.waitForFunction(() => /KEN voted agree/.test(document.querySelector('#vote-msg').textContent));
  await page.waitForFunction(() => Number(document.querySelector('#consensus-status').dataset.votes) === 1, null, { timeout: 60000 });
  check(true, 'consultation: KEN votes in the page and the live view counts the one vote');
  await shot(page, 'consultation-vote-1280');
  if (caps.proposals) await consultActs(page, base, id);
}

// An agreement between Ethiopia and Kenya, reached through the API as
// tests/integration/http_consult.py does (a consultation proposed and consented to, a proposal
// both support, the agreement drafted by Ethiopia naming Kenya); Ethiopia signs with `gsi sign`,
// and Kenya's delegate signs in the page by choosing the key file gsi keygen wrote. The server
// checks the signature against Kenya's registered key; the agreement is then adopted.
async function signAgreement(page, base, token, ethToken) {
  const as = (tok) => poster(base, tok);
  const eth = as(ethToken);
  const ken = as(token);
  const c = await eth('/v1/consultations', { type: 'propose', parties: ['KEN'], means: 'negotiation', domain: 'conflict-prevention', question: 'Joint patrols near Moyale', rule: 'consensus' });
  const cid = c.body.case;
  const steps = [await ken(`/v1/consultations/${cid}/consent`, {})];
  const pr = await eth(`/v1/consultations/${cid}/proposal`, { text: 'Joint monthly patrols along the Moyale crossing.' });
  steps.push(pr, await eth(`/v1/consultations/${cid}/position`, { proposal: pr.body.record, position: 'support' }),
    await ken(`/v1/consultations/${cid}/position`, { proposal: pr.body.record, position: 'support' }));
  const text = 'Ethiopia and Kenya patrol the Moyale crossing jointly once a month.\n';
  const ag = await eth('/v1/agreements', { consultation: cid, proposal: pr.body.record, title: 'Joint patrols at Moyale', text, signatories: ['KEN'] });
  if (!check(c.status === 201 && steps.every((x) => x.status === 201) && ag.status === 201,
    `agreement: consultation, consent, proposal, both positions and the draft through the API (HTTP ${[c, ...steps, ag].map((x) => x.status).join(' ')})`)) return;
  const id = ag.body.case;
  const bytes = Buffer.from(await (await fetch(`${base}/v1/agreements/${id}/bytes`)).arrayBuffer());
  const bpath = join(work, 'agreement.txt');
  writeFileSync(bpath, bytes);
  const ethSig = execFileSync(gsi, ['sign', '--key', join(work, 'eth.key'), bpath], { encoding: 'utf8' }).trim();
  const es = await eth(`/v1/agreements/${id}/sign`, { signature: ethSig, body_sha256: createHash('sha256').update(bytes).digest('hex') });
  check(es.status === 201, `agreement: ETH signs with gsi sign (HTTP ${es.status})`);
  await page.goto(`${base}/#/consultation/${cid}`);
  await page.waitForSelector('#agreements a');
  await page.click('#agreements a');
  await page.waitForSelector('#sign-key');
  check(/never leaves this browser/.test(await page.textContent('#sign')), 'agreement: the page says the key never leaves the browser');
  await axe(page, 'agreement (sign)');
  await page.setInputFiles('#sign-key', join(work, 'ken.key'));
  await page.click('#sign-go');
  await page.waitForFunction(() => document.querySelector('#agreement-state') && document.querySelector('#agreement-state').dataset.state === 'adopted');
  const rows = await page.$$eval('#signatures tbody tr', (trs) => trs.map((tr) => `${tr.dataset.party}:${tr.dataset.signed}`));
  const server = await (await fetch(`${base}/v1/agreements/${id}`)).json();
  const signedBy = server.acts.filter((x) => x.type === 'agreement.sign').map((x) => x.party).sort();
  check(server.state === 'adopted' && signedBy.join() === 'ETH,KEN' && rows.sort().join() === 'ETH:yes,KEN:yes',
    `agreement: KEN signs in the page with its key file; the server accepts it and the agreement is adopted (${server.state}; signed by ${signedBy.join(', ')}; page ${rows.join(' ')})`);
  await shot(page, 'agreement-1280');
  await axe(page, 'agreement (adopted)');
}

// A form's invalid submission: the server refuses it (422) and the page shows the server's
// words beside the field its JSON pointer names, marks the control invalid and moves the
// focus there. `pointer` is the field's pointer and the start of what the server says, as
// the procedure's documentation gives it (docs/internals/cooperation.md, procedures.md).
// `id`: the control's id, `${form}-${field}` in the forms built from the schemas.
async function refusedAt(page, form, field, pointer, path, id = `${form}-${field}`) {
  page.expectRefusal(422, path);
  await page.click(`#${form}-go`);
  const err = `#${id}-err`;
  await page.waitForFunction((sel) => document.querySelector(sel) && document.querySelector(sel).textContent !== '', err);
  const text = await page.textContent(err);
  const invalid = await page.getAttribute(`#${id}`, 'aria-invalid');
  const focused = await page.evaluate(() => document.activeElement && document.activeElement.id);
  const described = await page.getAttribute(`#${id}`, 'aria-describedby');
  check(text.startsWith(pointer) && invalid === 'true' && focused === id && described.includes(`${id}-err`),
    `${form}: an invalid submission shows the server's 422 at the field (${text}), marked invalid and focused`);
}

// After a form's act: its journal entry (the index the page reported) is in the journal view
// with the act's type. The view shows the signed tree, and the server signs the newest
// entries on its next tick (gsi serve --checkpoint-every, 1 s): first wait for a checkpoint
// that covers the entry.
async function inJournal(page, base, index, type) {
  // At most 600 polls: a server that never signs fails at the selector below, by name.
  for (let i = 0; i < 600; i++) {
    const cp = await (await fetch(`${base}/v1/journal/checkpoint`)).json();
    if (cp.size > index) break;
    await new Promise((r) => { setTimeout(r, 100); });
  }
  await page.goto(`${base}/#/journal?entry=${index}`);
  await page.waitForSelector(`#main tr.hit[data-index="${index}"]`);
  const row = await page.textContent(`#main tr[data-index="${index}"]`);
  check(row.includes(type), `journal: entry ${index} is the ${type} the form sent`);
}
const entryOf = (text) => Number(/entry (\d+)/.exec(text)[1]);

// Types `values` into form `form`'s fields (a select is chosen from, any other control filled).
async function fillForm(page, form, values) {
  for (const [k, v] of Object.entries(values)) {
    const sel = `#${form}-${k}`;
    if (await page.$eval(sel, (e) => e.tagName === 'SELECT')) await page.selectOption(sel, v);
    else await page.fill(sel, v);
  }
}

// Submits form `form` and waits for its status line to say "<word> <id> ..."; resolves to
// {msg, id}.
async function sent(page, form, word) {
  await page.click(`#${form}-go`);
  await page.waitForFunction(([f, w]) => new RegExp(`^${w} \\d+ `).test(text(`#${f}-msg`)), [form, word]);
  const msg = await page.textContent(`#${form}-msg`);
  return { msg, id: Number(/\d+/.exec(msg)[0]) };
}

// Cooperation: Ethiopia offers a maritime course (through the API); Kenya's delegate requests
// places in the page (first with a language that is not an ISO 639 code), sees its request,
// the match with every reason holding and the allocation, then offers a course of its own.
async function cooperation(page, base, ethToken) {
  const eth = poster(base, ethToken);
  const off = await eth('/v1/cooperation/offers', { domain: 'maritime', title: 'Maritime law-enforcement course', places: 4, languages: ['en'], start: '2027-03-01', end: '2027-03-10', text: 'Boarding, inspection and evidence at sea.' });
  if (!check(off.status === 201, `cooperation: ETH offers 4 places through the API (HTTP ${off.status})`)) return;
  await page.goto(`${base}/#/cooperation`);
  await page.waitForSelector('#request');
  // The form is drawn before the lists arrive: wait for the row rather than look once.
  const offerRow = await page.waitForSelector(`table[data-kind=offers] tr[data-id="${off.body.case}"]`, { timeout: 15000 }).catch(() => null);
  check(offerRow !== null, 'cooperation: the open offer is listed');
  await axe(page, 'cooperation (signed in)');
  await fillForm(page, 'request', { domain: 'maritime', title: 'Coast guard officers', places: '3', languages: 'english' });
  await refusedAt(page, 'request', 'languages', '/languages/0: expected an ISO 639 code', '/v1/cooperation/requests');
  await page.fill('#request-languages', 'en, sw');
  const { msg, id: rid } = await sent(page, 'request', 'Request');
  await page.waitForSelector(`table[data-kind=requests] tr[data-id="${rid}"]`);
  check(/KEN/.test(await page.textContent(`table[data-kind=requests] tr[data-id="${rid}"]`)), `cooperation: KEN's request ${rid} is listed`);
  const match = await page.textContent(`#matches tr[data-request="${rid}"][data-offer="${off.body.case}"]`);
  check(/domain, language, region, dates/.test(match) && /nothing: compatible/.test(match), `cooperation: the match names the four reasons and nothing missing (${match.trim()})`);
  // By hand: one compatible offer of 4 places, one request of 3: KEN gets 3.
  const share = await page.textContent('#shares tr[data-party=KEN]');
  check(/KEN\s*3\s*3/.test(share), `cooperation: the allocation gives KEN the 3 places it asked for (${share})`);
  await shot(page, 'cooperation-1280');
  // Kenya answers the match by amending its request (the procedure's act for it): the form
  // comes with the request's terms; 5 places against the offer's 4 give KEN 4 (by hand).
  await page.click(`#matches tr[data-request="${rid}"] button[data-amend="${rid}"]`);
  await page.waitForSelector('#amend');
  check(await page.inputValue('#amend-title') === 'Coast guard officers' && await page.inputValue('#amend-places') === '3' && await page.evaluate(() => document.activeElement.id) === 'amend-domain',
    'cooperation: answering the match opens the amend form with the request\'s terms, focused');
  await page.fill('#amend-places', '5');
  await page.click('#amend-go');
  await page.waitForFunction((id) => new RegExp(`^Request ${id} amended`).test(text('#coop-msg')), rid);
  await page.waitForFunction(() => /KEN\s*5\s*4/.test(text('#shares tr[data-party=KEN]')));
  const amsg = await page.textContent('#coop-msg');
  check(true, `cooperation: after the amendment the allocation gives KEN 4 of the 5 places it asks for (${amsg})`);
  // Kenya offers a course too; the filter by kind, domain and party shows only it.
  await fillForm(page, 'offer', { domain: 'public-health', title: 'Field epidemiology', places: '10', languages: 'en, sw', regions: 'Africa', start: '2027-05-03', end: '2027-05-14' });
  const { msg: omsg, id: oid } = await sent(page, 'offer', 'Offer');
  await page.selectOption('#f-kind', 'offers');
  await page.selectOption('#f-domain', 'public-health');
  await page.fill('#f-party', 'KEN');
  await page.click('#f-go');
  await page.waitForFunction(() => !document.querySelector('table[data-kind=requests]') && document.querySelectorAll('table[data-kind=offers] tbody tr').length === 1);
  check(await page.$(`table[data-kind=offers] tr[data-id="${oid}"]`) !== null, `cooperation: filtered to KEN's public-health offers, offer ${oid} alone is listed`);
  // Kenya withdraws it: it leaves the open offers, and the server says it is withdrawn.
  await page.click(`table[data-kind=offers] tr[data-id="${oid}"] button:not([data-amend])`);
  await page.waitForFunction((id) => !document.querySelector(`table[data-kind=offers] tr[data-id="${id}"]`), oid);
  const wd = await (await fetch(`${base}/v1/cooperation/offers/${oid}`)).json();
  check(wd.state === 'withdrawn', `cooperation: KEN withdraws offer ${oid} in the page (${wd.state})`);
  await inJournal(page, base, entryOf(msg), 'cooperation.request');
  await inJournal(page, base, entryOf(amsg), 'cooperation.request.amend');
  await inJournal(page, base, entryOf(omsg), 'cooperation.offer');
}

// Forums: Ethiopia convenes a conference with Kenya (through the API) and Kenya accepts in
// the page; Kenya convenes a forum in the page (first with its end before its start),
// records a session and adopts an outcome document.
async function forums(page, base, ethToken) {
  const eth = poster(base, ethToken);
  const f = await eth('/v1/forums', { kind: 'conference', title: 'Horn of Africa water security', participants: ['KEN'], agenda: ['Data sharing', 'Early warning'], start: '2027-02-01T09:00:00Z', end: '2027-02-03T17:00:00Z', venue: 'Addis Ababa' });
  if (!check(f.status === 201, `forums: ETH convenes a conference with KEN (HTTP ${f.status})`)) return;
  await page.goto(`${base}/#/forums`);
  await page.waitForSelector(`#forums tr[data-id="${f.body.case}"] a`);
  await axe(page, 'forums (signed in)');
  await page.click(`#forums tr[data-id="${f.body.case}"] a`);
  await page.waitForSelector('#forum-accept');
  await page.click('#forum-accept');
  await page.waitForSelector('#participants li[data-party=KEN][data-state=accepted]');
  check(true, 'forums: KEN accepts in the page and the participants list shows it');
  await page.goto(`${base}/#/forums`);
  await page.waitForSelector('#convene');
  await fillForm(page, 'convene', { kind: 'forum', title: 'Turkana basin dialogue', participants: 'ETH', agenda: 'River flows\nGrazing corridors', start: '2027-04-10T09:00', end: '2027-04-09T17:00' });
  await refusedAt(page, 'convene', 'end', '/end: expected a time after start', '/v1/forums');
  await page.fill('#convene-end', '2027-04-11T17:00');
  await page.click('#convene-go');
  await page.waitForFunction(() => document.body.dataset.view === 'forum' && document.querySelector('#session'));
  const fid = (await page.evaluate(() => location.hash)).split('/').pop();
  await axe(page, 'forum (convenor)');
  await fillForm(page, 'session', { title: 'Opening session', start: '2027-04-10T09:00', end: '2027-04-10T12:00', items: 'River flows' });
  await page.click('#session-go');
  await page.waitForSelector('#sessions li[data-record]');
  check(/Opening session/.test(await page.textContent('#sessions')), `forums: the session recorded in the page is listed on forum ${fid}`);
  await fillForm(page, 'outcome', { title: 'Chair’s summary', text: 'The parties agree to exchange river-flow data monthly.' });
  await page.click('#outcome-go');
  await page.waitForSelector('#outcomes article[data-record]');
  const note = await page.textContent('#forum-note');
  const server = await (await fetch(`${base}/v1/forums/${fid}`)).json();
  check(/exchange river-flow data/.test(await page.textContent('#outcomes')) && server.acts.some((a) => a.type === 'forum.outcome'),
    'forums: the outcome document is on the page and among the forum\'s acts');
  await shot(page, 'forum-1280');
  await axe(page, 'forum (sessions and outcome)');
  await inJournal(page, base, entryOf(note), 'forum.outcome');
  // The convenor closes it: the page and the server say closed, and the acts are gone.
  await page.goto(`${base}/#/forum/${fid}`);
  await page.click('#forum-close');
  await page.waitForSelector('#forum-facts[data-state=closed]');
  const closed = await (await fetch(`${base}/v1/forums/${fid}`)).json();
  check(closed.state === 'closed' && await page.$('#session') === null, `forums: KEN closes forum ${fid} in the page (${closed.state}); no act is offered after`);
}

// Kenya's delegate sends a notification in the page (the disaster kind, fields from its
// schema; first with a longitude out of range), and answers, by keyboard, a concern Ethiopia
// lodged with it (first with no text).
async function procForms(page, base, ethToken) {
  const eth = poster(base, ethToken);
  const c = await eth('/v1/concerns', { to: ['KEN'], domain: 'maritime', title: 'Fishing vessels in Lake Turkana', text: 'Ethiopia asks Kenya about seized fishing boats.' });
  check(c.status === 201, `concerns: ETH lodges one with KEN (HTTP ${c.status})`);
  await page.goto(`${base}/#/concerns`);
  await page.waitForSelector('#notify');
  await page.selectOption('#n-kind', 'disaster');
  await page.waitForSelector('#notify-hazard');
  await fillForm(page, 'notify', { to: 'ETH', title: 'Flash floods in Turkana', hazard: 'flood', time: '2026-11-29T22:00', area: '200, 4', description: 'Flash floods cut the Lodwar road.' });
  await refusedAt(page, 'notify', 'area', '/area/coordinates/0: expected a longitude', '/v1/notifications');
  await page.fill('#notify-area', '35.6, 3.1');
  const { msg: nmsg, id: nid } = await sent(page, 'notify', 'Notification');
  await page.waitForSelector(`table[data-kind=notifications] tr[data-id="${nid}"]`);
  check(/Flash floods in Turkana/.test(await page.textContent(`table[data-kind=notifications] tr[data-id="${nid}"]`)), `notifications: the one sent in the page is listed (${nid})`);
  await axe(page, 'concerns (notification and answer forms)');
  // The answer, by keyboard only: the case, Tab to the text, Tab to the button, Enter.
  await page.selectOption('#a-case', String(c.body.case));
  await page.focus('#a-case');
  page.expectRefusal(422, '/answer');
  await page.keyboard.press('Tab');
  await page.keyboard.press('Tab');
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => text('#answer-text-err') !== '');
  const err = await page.textContent('#answer-text-err');
  const focused = await page.evaluate(() => document.activeElement.id);
  check(err.startsWith('/text: required') && focused === 'answer-text', `answer: submitted empty by keyboard, the server's 422 is at the text (${err}) and the focus moves there`);
  await page.keyboard.type('Kenya released the boats on 2 December.');
  await page.keyboard.press('Tab');
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => /^Concern \d+ answered/.test(text('#answer-msg')));
  const amsg = await page.textContent('#answer-msg');
  await page.waitForFunction((id) => /KEN: answered/.test(text(`table[data-kind=concerns] tr[data-id="${id}"]`)), c.body.case);
  check(true, `answer: KEN answers concern ${c.body.case} by keyboard and the list shows it answered`);
  await shot(page, 'concerns-forms-1280');
  await inJournal(page, base, entryOf(nmsg), 'notification.disaster');
  await inJournal(page, base, entryOf(amsg), 'concern.answer');
}

// The consultation acts of the page besides consent and votes: Kenya invites a mediator
// (first a party that does not exist), puts a proposal and supports it (first without a
// position).
async function consultActs(page, base, id) {
  await page.goto(`${base}/#/consultation/${id}`);
  await page.waitForSelector('#invite');
  await page.fill('#invite-mediator', 'ZZZ');
  await refusedAt(page, 'invite', 'mediator', '/mediator: expected a party id', `/v1/consultations/${id}/invite`);
  await page.fill('#invite-mediator', 'UN');
  await page.click('#invite-go');
  await page.waitForFunction(() => /^The invitation recorded/.test(text('#consult-note')));
  const imsg = await page.textContent('#consult-note');
  await page.fill('#proposal-text', 'Both parties publish monthly river-flow data for the Omo.');
  await page.click('#proposal-go');
  await page.waitForSelector('#proposal-table tbody tr');
  const pid = await page.getAttribute('#proposal-table tbody tr', 'data-id');
  check(await page.inputValue('#position-proposal') === pid, `consultation: the position form names the pending proposal ${pid}`);
  await refusedAt(page, 'position', 'position', '/position: required', `/v1/consultations/${id}/position`);
  await page.selectOption('#position-position', 'support');
  await page.click('#position-go');
  await page.waitForFunction(() => /KEN: support/.test(text('#proposal-table')));
  check(true, 'consultation: KEN supports the proposal in the page and the proposals table shows it');
  await axe(page, 'consultation (acts)');
  await shot(page, 'consultation-acts-1280');
  await inJournal(page, base, entryOf(imsg), 'consultation.invite');
}

async function phone(ctx, base, token) {
  const page = await ctx.newPage();
  const problems = [];
  watch(page, base, problems);
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto(`${base}/`);
  await page.waitForSelector('body[data-ready]');
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  check(overflow <= 0, `phone: nothing wider than the 390 px screen (overflow ${overflow} px)`);
  await shot(page, 'map-390');
  await axe(page, 'map (phone)');
  // Keyboard: Tab reaches a country and Enter opens it.
  const first = await page.$('svg.map path.country[tabindex][data-iso3="ETH"]');
  if (caps.forecasts && first) {
    await first.focus();
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => document.body.dataset.view === 'country');
    await page.waitForSelector('#chart canvas');
    check(true, 'phone: Enter on a focused country opens its page');
    if (caps.cooperation) {
      await page.waitForSelector('#country-coop');
      const offers = await page.$$eval('#country-coop ul[data-kind=offers] li', (ls) => ls.map((l) => l.textContent));
      check(offers.some((o) => o.startsWith('Maritime law-enforcement course')), `country ETH: its open cooperation offer is listed (${offers.join('; ')})`);
    }
    await shot(page, 'country-390');
    await axe(page, 'country (phone)');
  }
  await page.goto(`${base}/#/journal`);
  await page.waitForSelector('#verify');
  await shot(page, 'journal-390');
  // The lists of cases and consultations, where the server has them, fit the phone too.
  for (const [hash, view, name] of [['#/concerns', 'concerns', 'concerns'], ['#/consultations', 'consultations', 'consultations'],
    ['#/cooperation', 'cooperation', 'cooperation'], ['#/forums', 'forums', 'forums']]) {
    if (!caps[name]) continue;
    await page.goto(`${base}/${hash}`);
    await page.waitForFunction((v) => document.body.dataset.view === v, view);
    const wide = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    check(wide <= 0, `phone: ${name} fits the screen (overflow ${wide} px)`);
    await shot(page, `${name}-390`);
    await axe(page, `${name} (phone)`);
  }
  // Signed in, the forms of the new views fit the phone and pass axe too.
  if (token && (caps.cooperation || caps.forums)) {
    await page.click('#signin-open');
    await page.fill('#token', token);
    await page.click('#signin-go');
    await page.waitForSelector('#whoami');
    const forum = caps.forums ? (await (await fetch(`${base}/v1/forums?limit=1`)).json()).forums[0] : null;
    for (const [hash, view, sel, name] of [['#/cooperation', 'cooperation', '#request', 'cooperation forms'], ['#/concerns', 'concerns', '#notify', 'notification form'],
      ['#/forums', 'forums', '#convene', 'convene form'], forum ? [`#/forum/${forum.id}`, 'forum', '#sessions', 'forum page'] : null].filter(Boolean)) {
      await page.goto(`${base}/${hash}`);
      await page.waitForFunction((v) => document.body.dataset.view === v, view);
      await page.waitForSelector(sel);
      const wide = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      check(wide <= 0, `phone: the ${name} fit the screen (overflow ${wide} px)`);
      await shot(page, `${view}-signed-in-390`);
      await axe(page, `${name} (phone)`);
    }
  }
  check(problems.length === 0, `phone: no console error, failed request or outside request${problems.length ? `: ${problems.join('; ')}` : ''}`);
  await page.close();
}

async function main() {
  const gz = statSync(join(bundleDir, 'app.js.gz')).size + statSync(join(bundleDir, 'app.css.gz')).size;
  console.log(`figure: bundle app.js + app.css ${gz} bytes gzipped (${(gz / 1024).toFixed(1)} KiB)`);
  check(gz < 300 * 1024, 'bundle: under 300 KiB gzipped');
  caps = capabilities();
  const { token, ethToken } = setup();
  const server = await serve();
  const profile = mkdtempSync(join(tmpdir(), 'gsi-chromium-'));
  const ctx = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  try {
    await desktop(ctx, server.base, token, ethToken);
    await phone(ctx, server.base, token);
  } catch (e) {
    check(false, `the walk through the views stopped: ${e.message.split('\n')[0]}`);
  } finally {
    await ctx.close();
    server.proc.kill('SIGTERM');
    rmSync(profile, { recursive: true, force: true });
    rmSync(work, { recursive: true, force: true });
  }
  console.log(`screenshots: ${artefacts}`);
  console.log(`checks: ${passed} passed, ${failed} failed`);
  process.exit(failed ? 1 : 0);
}

main();
