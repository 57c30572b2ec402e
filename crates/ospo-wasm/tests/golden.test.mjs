// The engine compiled to WebAssembly gives the same answers as the native `ospo` binary:
// every golden case of crates/ospo-licence/tests/cases, a sweep of licence pairs and uses,
// the errors, recommendations and licence profiles. Run by scripts/test.sh (node --test)
// after scripts/wasm.sh; OSPO_BIN names the native binary, OSPO_WASM_DIR the built folder.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const target = resolve(root, process.env.CARGO_TARGET_DIR ?? 'target');
const bin = resolve(process.env.OSPO_BIN ?? join(target, 'debug', 'ospo'));
// scripts/wasm.sh builds into the same target folder as the binary: target/wasm.
const wasmDir = process.env.OSPO_WASM_DIR ?? join(dirname(dirname(bin)), 'wasm');
const casesDir = join(root, 'crates', 'ospo-licence', 'tests', 'cases');

/** Outbound licences people ask about most, software and hardware. */
const OUTBOUND = ['MIT', 'BSD-3-Clause', 'Apache-2.0', 'MPL-2.0', 'EUPL-1.2', 'LGPL-2.1-only',
  'LGPL-3.0-or-later', 'GPL-2.0-only', 'GPL-2.0-or-later', 'GPL-3.0-only', 'AGPL-3.0-or-later',
  'CERN-OHL-P-2.0', 'CERN-OHL-W-2.0', 'CERN-OHL-S-2.0'];
const USES = ['merged', 'static-link', 'dynamic-link', 'separate', 'network'];

let checker;

before(async () => {
  const bindings = await import(pathToFileURL(join(wasmDir, 'ospo_wasm.js')).href);
  bindings.initSync({ module: readFileSync(join(wasmDir, 'ospo_wasm_bg.wasm')) });
  checker = new bindings.Checker();
});

/** Runs the native binary; JSON output parsed. */
function native(args, input) {
  const r = spawnSync(bin, args, { input, encoding: 'utf8', maxBuffer: 1 << 30 });
  if (r.error) throw r.error;
  assert.ok([0, 1, 2].includes(r.status), `${bin} ${args.join(' ')}: exit ${r.status}\n${r.stderr}`);
  return r;
}

/** Every request answered by `ospo licence check --batch -` and by the WebAssembly checker. */
function compareBatch(requests) {
  const out = native(['licence', 'check', '--batch', '-'],
    requests.map((r) => JSON.stringify(r)).join('\n') + '\n');
  const lines = out.stdout.trim().split('\n').map((l) => JSON.parse(l));
  assert.equal(lines.length, requests.length, 'one native answer per request');
  const reports = [];
  requests.forEach((request, i) => {
    const { line, ...expected } = lines[i];
    assert.equal(line, i + 1);
    const what = JSON.stringify(request);
    if (expected.verdict === 'error') {
      assert.throws(() => checker.check(request), (e) => {
        assert.ok(e instanceof Error, `${what}: an Error`);
        // The same message; a malformed request object is introduced in each frontend's words.
        const words = (m) => m.replace(/^line \d+: /, '')
          .replace(/^(not a JSON object with inbound, outbound and use|request): /, '');
        assert.equal(words(e.message), words(expected.explanation), what);
        return true;
      });
      reports.push(null);
    } else {
      const report = checker.check(request);
      assert.deepStrictEqual(report, expected, what);
      reports.push(report);
    }
  });
  return reports;
}

function readCases() {
  return readdirSync(casesDir).filter((f) => f.endsWith('.case')).sort().map((file) => {
    const c = { file, inbound: [] };
    for (const raw of readFileSync(join(casesDir, file), 'utf8').split('\n')) {
      const line = raw.trim();
      if (!line || line.startsWith('#')) continue;
      const at = line.indexOf(':');
      const [key, value] = [line.slice(0, at).trim(), line.slice(at + 1).trim()];
      if (key === 'inbound') c.inbound.push(value); else c[key] = value;
    }
    return c;
  });
}

test('every golden case gives the same report natively and in WebAssembly', () => {
  const cases = readCases();
  assert.ok(cases.length >= 30, `only ${cases.length} cases`);
  const reports = compareBatch(cases.map((c) => ({ inbound: c.inbound, outbound: c.outbound, use: c.use })));
  cases.forEach((c, i) => {
    assert.equal(reports[i].verdict, c.verdict, `${c.file}: the case's expected verdict`);
  });
});

test('a sweep of licences × outbound licences × uses agrees', () => {
  const ids = checker.licences().filter((e) => !e.deprecated && !e.exception).map((e) => e.id);
  assert.ok(ids.length > 600, `${ids.length} licences`);
  // Every 9th licence of the SPDX list, and the outbound ones themselves.
  const inbound = ids.filter((_, i) => i % 9 === 0).concat(OUTBOUND);
  const requests = [];
  for (const i of inbound) for (const o of OUTBOUND) for (const use of USES) requests.push({ inbound: i, outbound: o, use });
  // Expressions with choices, exceptions, or-later and lenient spellings.
  for (const i of ['MIT OR GPL-2.0-only', 'GPL-2.0-or-later WITH Classpath-exception-2.0',
    'LGPL-2.1+', 'Apache 2.0', '(MIT AND BSD-3-Clause) OR GPL-3.0-only', 'LicenseRef-Proprietary',
    'CC-BY-SA-4.0 OR CERN-OHL-S-2.0']) {
    for (const use of USES) requests.push({ inbound: [i, 'BSD-2-Clause'], outbound: 'GPL-3.0-or-later', use });
  }
  const reports = compareBatch(requests);
  const verdicts = new Set(reports.filter(Boolean).map((r) => r.verdict));
  assert.deepEqual([...verdicts].sort(), ['depends', 'no', 'unknown', 'yes'], 'all four verdicts met');
});

test('input the engine cannot read fails the same way in both', () => {
  const bad = [
    { inbound: 'GPL-2.0-onyl', outbound: 'MIT' },
    { inbound: 'MIT AND', outbound: 'MIT' },
    { inbound: 'MIT', outbound: 'LicenseRef-Mine' },
    { inbound: 'MIT', outbound: 'MIT', use: 'linked' },
    { inbound: 'Apache 2.0', outbound: 'MIT', strict: true },
    { inbound: 'MIT', outbound: 'MIT', usage: 'merged' },
  ];
  compareBatch(bad);
  assert.throws(() => checker.check({ inbound: 'GPL-2.0-onyl', outbound: 'MIT' }),
    (e) => e.name === 'ParseError' && e.suggestion === 'GPL-2.0-only' && e.column === 1);
  assert.throws(() => checker.check('MIT'), (e) => e.name === 'RequestError');
});

test('recommendations and licence profiles are the native ones', () => {
  for (const [inbound, use] of [['LGPL-2.1-only', 'dynamic-link'], ['CERN-OHL-W-2.0', 'merged'], ['GPL-2.0-only', 'merged']]) {
    const expected = JSON.parse(native(['licence', 'recommend', inbound, '--use', use, '--format', 'json']).stdout);
    const got = checker.recommend({ inbound, use });
    assert.deepStrictEqual(got.recommendations, expected, `${inbound} (${use})`);
    assert.ok(got.recommendations.length > 0);
  }
  for (const id of ['MIT', 'CERN-OHL-S-2.0', 'Classpath-exception-2.0']) {
    const expected = JSON.parse(native(['licence', 'show', id, '--format', 'json']).stdout);
    assert.deepStrictEqual(checker.licence(id), expected, id);
  }
  assert.throws(() => checker.licence('Apache-2'), (e) => e.name === 'UnknownLicence' && e.suggestion === 'Apache-2.0');
  const listed = JSON.parse(native(['licence', 'list', '--exceptions', '--deprecated', '--format', 'json']).stdout);
  assert.deepStrictEqual(checker.licences().map((e) => e.id).sort(), listed.map((p) => p.id).sort());
});

test('explain joins every citation with its source', () => {
  const request = { inbound: 'AGPL-3.0-only', outbound: 'MIT', use: 'network' };
  const e = checker.explain(request);
  const c = checker.check(request);
  assert.equal(e.verdict, c.verdict);
  assert.equal(e.explanation, c.explanation);
  assert.equal(e.findings.length, c.findings.length);
  const refs = e.findings.flatMap((f) => f.basis);
  assert.ok(refs.length > 0);
  for (const r of refs) assert.ok(r.source.title && r.source.version, JSON.stringify(r));
});

test('the TypeScript declarations type the API', () => {
  const dts = readFileSync(join(wasmDir, 'ospo_wasm.d.ts'), 'utf8');
  for (const signature of ['check(request: CheckRequest): Check;', 'explain(request: CheckRequest): Explanation;',
    'recommend(request: RecommendRequest): Recommendations;', 'licences(): LicenceEntry[];',
    'licence(id: string): LicenceProfile;', 'export interface Check {', 'export type Verdict =']) {
    assert.ok(dts.includes(signature), `ospo_wasm.d.ts declares ${signature}`);
  }
});
