// Bundles the dashboard with esbuild into OUTDIR: index.html, app.js, app.css and a gzip of
// each (level 9, made once here so the server only picks). Meson runs it (web/meson.build);
// the C build embeds the outputs (src/http/embed_assets.c).
//   node web/build.mjs OUTDIR
import { build } from 'esbuild';
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { gzipSync, constants } from 'node:zlib';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const out = process.argv[2];
if (!out) {
  console.error('usage: node web/build.mjs OUTDIR');
  process.exit(2);
}
mkdirSync(out, { recursive: true });

// world-atlas names countries by ISO 3166-1 numeric code; the page speaks ISO3, as the API
// does. The table comes from the project's own reference file, so both agree by
// construction. Three Natural Earth shapes have no numeric code: the conflict data records
// their events under the state named here.
// Reads a reference CSV (RFC 4180: quoted fields may hold commas and doubled quotes) as
// rows of objects keyed by the header; throws naming the file and line of a bad row.
function readCsv(name) {
  const path = join(here, '..', 'data', 'ref', name);
  const lines = readFileSync(path, 'utf8').trim().split('\n');
  const split = (line) => {
    const out = [];
    let cur = '';
    let quoted = false;
    for (let i = 0; i < line.length; i++) {
      const c = line[i];
      if (quoted && c === '"' && line[i + 1] === '"') { cur += '"'; i++; } else if (c === '"') quoted = !quoted;
      else if (c === ',' && !quoted) { out.push(cur); cur = ''; } else cur += c;
    }
    out.push(cur);
    return out;
  };
  const head = split(lines[0]);
  return lines.slice(1).map((line, k) => {
    const f = split(line);
    if (f.length !== head.length) throw new Error(`${path}:${k + 2}: expected ${head.length} fields, found ${f.length}`);
    return Object.fromEntries(head.map((h, i) => [h, f[i]]));
  });
}

function countryTable() {
  const byNum = {};
  const names = {};
  for (const r of readCsv('countries.csv')) {
    if (+r.isonum > 0) byNum[+r.isonum] = r.iso3;
    names[r.iso3] = r.name;
  }
  const byName = { 'N. Cyprus': 'CYP', Somaliland: 'SOM', Kosovo: 'XKX' };
  // The 20 priority domains a concern is lodged under (the platform checks the key).
  const domains = readCsv('domains.csv').map((r) => ({ key: r.key, name: r.name }));
  return { byNum, byName, names, domains };
}

const virtual = {
  name: 'gsi-countries',
  setup(b) {
    b.onResolve({ filter: /^gsi:countries$/ }, (a) => ({ path: a.path, namespace: 'gsi' }));
    b.onLoad({ filter: /.*/, namespace: 'gsi' }, () => ({
      contents: JSON.stringify(countryTable()),
      loader: 'json',
    }));
  },
};

const result = await build({
  entryPoints: { app: join(here, 'src', 'main.js') },
  bundle: true,
  minify: true,
  format: 'iife',
  target: ['es2020'],
  outdir: out,
  legalComments: 'eof',
  plugins: [virtual],
  logLevel: 'warning',
  metafile: true,
});

writeFileSync(join(out, 'index.html'), readFileSync(join(here, 'src', 'index.html')));
for (const f of ['index.html', 'app.js', 'app.css']) {
  const raw = readFileSync(join(out, f));
  writeFileSync(join(out, f + '.gz'), gzipSync(raw, { level: constants.Z_BEST_COMPRESSION }));
}
if (process.env.GSI_WEB_SIZES) {
  for (const f of ['app.js', 'app.css']) {
    const raw = readFileSync(join(out, f));
    console.log(`${f}: ${raw.length} bytes, ${readFileSync(join(out, f + '.gz')).length} gzipped`);
  }
}
void result;
