// The event benchmark query in DuckDB: the peer of
//   gsi events summarize FILE... --by country,day --format csv
// over GDELT 2.0 event exports (61 tab-separated columns, no header row).
//
//   node bench/events/duckdb_query.mjs [--crosswalk CSV]... [--out OUT.csv] [--threads N] FILE...
//
// --crosswalk names a CSV with columns fips and iso3 (others are ignored); it may be given
// several times, as data/ref/countries.csv then data/ref/fips_aliases.csv, and a FIPS code
// takes the ISO3 of its first row in the first file that has it (default:
// data/ref/countries.csv and data/ref/fips_aliases.csv, the tables GSI compiles in).
//
// Writes the CSV with header
//   country,day,events,goldstein_sum,goldstein_mean,mentions,tone_mean,fatalities,q1,q2,q3,q4
// one row per (country, day), sorted by country then day (byte order, empty country first).
// country is the ISO3 code of ActionGeo_CountryCode (FIPS 10-4) through the crosswalk's
// fips -> iso3 columns; an empty or unmapped FIPS code gives an empty country. day is SQLDATE
// as YYYY-MM-DD. fatalities is always empty: GDELT carries none.
//
// Fairness: every column is declared (no type sniffing), the six used columns with their real
// types and the rest as VARCHAR, which DuckDB's reader does not convert because the query
// never projects them. Quoting is off, as GDELT fields are never quoted (a stray '"' in a
// name or URL would otherwise swallow lines). DuckDB runs on all cores unless --threads says
// otherwise. Strings sort in byte order, DuckDB's default collation.
import os from 'node:os';
import process from 'node:process';
import { DuckDBInstance } from '@duckdb/node-api';

// 0-based column indexes in the GDELT 2.0 event export, from
// GDELT_2.0_Events_Column_Labels_Header_Row_Sep2016.csv.
const GDELT_COLUMNS = 61;
const USED = new Map([
  [1, ['sqldate', 'INTEGER']],
  [29, ['quadclass', 'INTEGER']],
  [30, ['goldstein', 'DOUBLE']],
  [31, ['nummentions', 'BIGINT']],
  [34, ['avgtone', 'DOUBLE']],
  [53, ['actiongeo_cc', 'VARCHAR']],
]);

function usage(msg) {
  process.stderr.write(`duckdb_query: ${msg}\n` +
    'usage: node duckdb_query.mjs [--crosswalk CSV]... [--out OUT.csv] [--threads N] FILE...\n');
  process.exit(2);
}

function parseArgs(argv) {
  const opt = { crosswalks: [], out: null, threads: os.cpus().length, files: [] };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const next = () => (i + 1 < argv.length ? argv[++i] : usage(`${a} needs a value`));
    if (a === '--crosswalk') opt.crosswalks.push(next());
    else if (a === '--out') opt.out = next();
    else if (a === '--threads') opt.threads = Number.parseInt(next(), 10);
    else if (a.startsWith('--')) usage(`unknown option ${a}`);
    else opt.files.push(a);
  }
  if (opt.files.length === 0) usage('no input FILE');
  if (opt.crosswalks.length === 0) {
    opt.crosswalks.push('data/ref/countries.csv', 'data/ref/fips_aliases.csv');
  }
  if (!(opt.threads >= 1)) usage('--threads must be a positive integer');
  return opt;
}

// SQL string literal.
const lit = (s) => `'${String(s).replaceAll("'", "''")}'`;

function columnsSpec() {
  const parts = [];
  for (let i = 0; i < GDELT_COLUMNS; i++) {
    const [name, type] = USED.get(i) ?? [`c${i}`, 'VARCHAR'];
    parts.push(`${lit(name)}: ${lit(type)}`);
  }
  return `{${parts.join(', ')}}`;
}

async function main() {
  const opt = parseArgs(process.argv.slice(2));
  const instance = await DuckDBInstance.create(':memory:', { threads: String(opt.threads) });
  const con = await instance.connect();

  // The crosswalk: one ISO3 per FIPS code. Should a FIPS code appear on several rows
  // (historical states) or files (aliases), the first row of the first file wins.
  const xwFiles = opt.crosswalks.map((f, i) => `
    SELECT fips, iso3, ${i} AS f, row_number() OVER () AS rn
    FROM read_csv(${lit(f)}, header = true, all_varchar = true)`);
  await con.run(`
    CREATE TEMP TABLE xw AS
    SELECT fips, arg_min(iso3, f * 4294967296 + rn) AS iso3
    FROM (${xwFiles.join(' UNION ALL ')})
    WHERE fips IS NOT NULL AND fips <> '' AND iso3 IS NOT NULL AND iso3 <> ''
    GROUP BY fips`);

  const files = `[${opt.files.map(lit).join(', ')}]`;
  // Group on the raw FIPS code and SQLDATE (a few hundred groups), then map and format the
  // keys on the small result: the mapping join never touches the millions of event rows.
  const query = `
    WITH ev AS (
      SELECT * FROM read_csv(${files}, delim = '\t', header = false, quote = '', escape = '',
                             auto_detect = false, columns = ${columnsSpec()})
    ), g AS (
      SELECT actiongeo_cc AS fips, sqldate,
             count(*) AS events,
             sum(goldstein) AS goldstein_sum,
             count(goldstein) AS goldstein_n,
             sum(nummentions) AS mentions,
             sum(avgtone) AS tone_sum,
             count(avgtone) AS tone_n,
             count(*) FILTER (WHERE quadclass = 1) AS q1,
             count(*) FILTER (WHERE quadclass = 2) AS q2,
             count(*) FILTER (WHERE quadclass = 3) AS q3,
             count(*) FILTER (WHERE quadclass = 4) AS q4
      FROM ev GROUP BY ALL
    ), k AS (
      SELECT coalesce(xw.iso3, '') AS country,
             strftime(strptime(CAST(g.sqldate AS VARCHAR), '%Y%m%d'), '%Y-%m-%d') AS day,
             g.* EXCLUDE (fips, sqldate)
      FROM g LEFT JOIN xw ON g.fips = xw.fips
    )
    -- Two FIPS codes can share an ISO3 (or both be unmapped), so sum again by the final key.
    SELECT nullif(country, '') AS country, day,
           sum(events) AS events,
           sum(goldstein_sum) AS goldstein_sum,
           sum(goldstein_sum) / nullif(sum(goldstein_n), 0) AS goldstein_mean,
           sum(mentions) AS mentions,
           sum(tone_sum) / nullif(sum(tone_n), 0) AS tone_mean,
           CAST(NULL AS VARCHAR) AS fatalities,
           sum(q1) AS q1, sum(q2) AS q2, sum(q3) AS q3, sum(q4) AS q4
    FROM k GROUP BY country, day
    ORDER BY country NULLS FIRST, day`;

  if (opt.out) {
    // NULL is written as an empty field, so an empty country and fatalities print as nothing.
    await con.run(`COPY (${query}) TO ${lit(opt.out)} (FORMAT csv, HEADER true, DELIMITER ',')`);
  } else {
    const reader = await con.runAndReadAll(query);
    const cols = reader.columnNames();
    const lines = [cols.join(',')];
    for (const row of reader.getRows()) {
      lines.push(row.map((v) => (v === null ? '' : String(v))).join(','));
    }
    process.stdout.write(lines.join('\n') + '\n');
  }
  con.closeSync?.();
  instance.closeSync?.();
}

main().catch((e) => {
  process.stderr.write(`duckdb_query: ${e.message}\n`);
  process.exit(1);
});
