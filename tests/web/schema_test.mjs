// schema_test.mjs — the dashboard's reader of the procedures' payload schemas (web/src/schema.js)
// against PyYAML, an independent YAML parser, on docs/api.yaml: for every schema in the
// document's `# generated:` blocks (the ones the forms are built from), the name, required
// list, oneOf branches and each property's type, format, bounds, enum, $ref and description
// must be what PyYAML reads. Also: the kinds of POST /v1/notifications, and a schema that
// does not exist is null. Prints "checks: N passed, M failed".
//
//   node tests/web/schema_test.mjs docs/api.yaml
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const file = process.argv[2];
if (!file) {
  console.error('usage: node tests/web/schema_test.mjs API_YAML');
  process.exit(2);
}
const text = readFileSync(file, 'utf8');
const { parseSchemas } = await import(join(here, '..', '..', 'web', 'src', 'schema.js'));

let passed = 0;
let failed = 0;
function check(ok, what) {
  if (ok) passed++;
  else failed++;
  if (!ok) console.log(`FAIL ${what}`);
  return ok;
}

// PyYAML's reading: the schemas, and the names inside the generated blocks.
const py = `
import json, re, sys, yaml
text = open(sys.argv[1], encoding='utf-8').read()
doc = yaml.safe_load(text)
names = []
inside = False
for line in text.split('\\n'):
    if re.match(r'^    # generated: ', line): inside = True
    elif re.match(r'^    # end generated: ', line): inside = False
    elif inside:
        m = re.match(r'^    ([A-Za-z0-9]+):\\s*$', line)
        if m: names.append(m.group(1))
post = doc['paths']['/v1/notifications']['post']['requestBody']['content']['application/json']['schema']
print(json.dumps({'schemas': doc['components']['schemas'], 'generated': names,
                  'kinds': post['properties']['type']['enum']}))
`;
const peer = JSON.parse(execFileSync('python3', ['-c', py, file], { encoding: 'utf8', maxBuffer: 64 << 20 }));
const mine = parseSchemas(text);
check(peer.generated.length >= 40, `the document has the generated schemas (${peer.generated.length})`);

const KEYS = ['type', 'format', 'minimum', 'maximum', 'minLength', 'maxLength', 'minItems', 'maxItems', 'enum', '$ref', 'description', 'items'];
const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);
// PyYAML follows YAML 1.1, where a float needs a dot: it reads 9e+18 as a string. YAML 1.2
// (and the OpenAPI document's readers) read it as the number; so does the page.
const num = (w) => (typeof w === 'string' && /^[0-9]+e\+[0-9]+$/.test(w) ? Number(w) : w);
let props = 0;
for (const name of peer.generated) {
  const want = peer.schemas[name];
  const got = mine[name];
  if (!check(got !== undefined, `${name}: read`)) continue;
  check(same(got.required || [], want.required || []), `${name}: required ${JSON.stringify(got.required)} = ${JSON.stringify(want.required)}`);
  check(same(got.oneOf || [], (want.oneOf || []).map((r) => r.$ref.split('/').pop())), `${name}: oneOf`);
  check(got.description === want.description, `${name}: description`);
  for (const [p, w] of Object.entries(want.properties || {})) {
    props++;
    const g = got.properties[p];
    if (!check(g !== undefined, `${name}.${p}: read`)) continue;
    for (const k of KEYS) check(same(g[k], num(w[k])), `${name}.${p}.${k}: ${JSON.stringify(g[k])} = ${JSON.stringify(w[k])}`);
  }
  check(Object.keys(got.properties).length === Object.keys(want.properties || {}).length, `${name}: no property more`);
}
for (const shared of ['Domain', 'Art33Means']) {
  check(same(mine[shared] && mine[shared].enum, peer.schemas[shared].enum), `${shared}: its ${peer.schemas[shared].enum.length} values`);
}
console.log(`${peer.generated.length} generated schemas, ${props} properties compared with PyYAML`);

// postTypes and schema() read through caps.js's document; give it this one.
globalThis.fetch = async () => ({ ok: true, text: async () => text });
const caps = await import(join(here, '..', '..', 'web', 'src', 'caps.js'));
await caps.loadCaps();
const { postTypes, schema, schemaName } = await import(join(here, '..', '..', 'web', 'src', 'schema.js'));
const kinds = postTypes('/v1/notifications');
check(same(kinds, peer.kinds), `POST /v1/notifications kinds: ${kinds.join(', ')}`);
check(kinds.every((k) => schema(schemaName('Notification', k)) !== null), 'each kind has its schema (missile_launch -> NotificationMissileLaunch)');
check(same(schema('CooperationOfferAmend'), mine.CooperationOffer), 'an amend schema resolves to the schema it restates');
check(schema('NoSuchSchema') === null, 'a schema the document lacks is null');
console.log(`checks: ${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
