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
function countryTable() {
  const path = join(here, '..', 'data', 'ref', 'countries.csv');
  const lines = readFileSync(path, 'utf8').trim().split('\n');
  const head = lines[0].split(',');
  const col = (n) => {
    const i = head.indexOf(n);
    if (i < 0) throw new Error(`${path}:1: no column '${n}'`);
    return i;
  };
  const [iIso3, iNum, iName] = [col('iso3'), col('isonum'), col('name')];
  const byNum = {};
  const names = {};
  lines.slice(1).forEach((line, k) => {
    const f = line.split(',');
    if (f.length !== head.length) throw new Error(`${path}:${k + 2}: expected ${head.length} fields`);
    if (+f[iNum] > 0) byNum[+f[iNum]] = f[iIso3];
    names[f[iIso3]] = f[iName];
  });
  const byName = { 'N. Cyprus': 'CYP', Somaliland: 'SOM', Kosovo: 'XKX' };
  return { byNum, byName, names };
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
