// Measures the in-browser checker's budgets (docs/wasm.md): time per verdict after load, in
// node and in headless Chromium, and the time until the page answers, on localhost.
// Figures only, no assertions: run after scripts/wasm.sh and `cargo build --bin ospo`:
//   node crates/ospo-wasm/bench/measure.mjs            (OSPO_BIN, CARGO_TARGET_DIR respected)
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const target = resolve(root, process.env.CARGO_TARGET_DIR ?? 'target');
const bin = resolve(process.env.OSPO_BIN ?? join(target, 'debug', 'ospo'));
const wasmDir = process.env.OSPO_WASM_DIR ?? join(dirname(dirname(bin)), 'wasm');
const { chromium } = createRequire(join(root, 'tests', 'browser', 'package.json'))('playwright-core');
const runs = Number(process.env.RUNS ?? 20);

/** The golden cases as check requests. */
const casesDir = join(root, 'crates', 'ospo-licence', 'tests', 'cases');
const requests = readdirSync(casesDir).filter((f) => f.endsWith('.case')).sort().map((f) => {
  const r = { inbound: [] };
  for (const line of readFileSync(join(casesDir, f), 'utf8').split('\n')) {
    const m = line.match(/^(inbound|outbound|use):\s*(.*)$/);
    if (m) { if (m[1] === 'inbound') r.inbound.push(m[2].trim()); else r[m[1]] = m[2].trim(); }
  }
  return r;
});

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const fmt = (ms) => (ms < 1 ? `${(ms * 1000).toFixed(0)} µs` : `${ms.toFixed(1)} ms`);

// ---- node -----------------------------------------------------------------------------------
{
  const bindings = await import(pathToFileURL(join(wasmDir, 'ospo_wasm.js')).href);
  let t = performance.now();
  bindings.initSync({ module: readFileSync(join(wasmDir, 'ospo_wasm_bg.wasm')) });
  const compile = performance.now() - t;
  t = performance.now();
  const checker = new bindings.Checker();
  const create = performance.now() - t;
  t = performance.now();
  checker.check(requests[0]);
  const first = performance.now() - t;
  for (const r of requests) checker.check(r); // warm
  const rounds = 200;
  t = performance.now();
  for (let i = 0; i < rounds; i++) for (const r of requests) checker.check(r);
  const per = (performance.now() - t) / (rounds * requests.length);
  console.log(`node ${process.version}: compile+instantiate ${fmt(compile)}, new Checker() ${fmt(create)}, first check ${fmt(first)}, then ${fmt(per)} per verdict (${requests.length} golden cases × ${rounds})`);
}

// ---- Chromium -------------------------------------------------------------------------------
const db = join(mkdtempSync(join(tmpdir(), 'ospo-measure-')), 'site.db');
const server = spawn(bin, ['serve', '--database', db, '--listen', '127.0.0.1:0'], { stdio: ['ignore', 'pipe', 'ignore'] });
const base = await new Promise((res, rej) => {
  server.stdout.on('data', (c) => { const m = String(c).match(/http:\/\/[0-9.:]+/); if (m) res(m[0]); });
  server.on('exit', (code) => rej(new Error(`ospo serve exited with ${code}`)));
});
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
try {
  const url = `${base}/licences/check?inbound=MIT+OR+GPL-2.0-only&inbound=Apache-2.0&outbound=GPL-3.0-or-later&use=static-link`;
  const marks = { dcl: [], interactive: [], engine: [], verdict: [] };
  for (let i = 0; i < runs; i++) {
    const context = await browser.newContext({ serviceWorkers: 'block' }); // a first visit: nothing cached
    const page = await context.newPage();
    await page.goto(url);
    await page.waitForSelector('form#checker[data-ready="true"]');
    const m = await page.evaluate(() => ({
      interactive: performance.getEntriesByName('checker-interactive')[0].startTime,
      engine: performance.getEntriesByName('checker-engine')[0].startTime,
      verdict: performance.getEntriesByName('checker-engine-verdict')[0].startTime,
      dcl: performance.getEntriesByType('navigation')[0].domContentLoadedEventEnd,
    }));
    for (const k of Object.keys(marks)) marks[k].push(m[k]);
    await context.close();
  }
  const row = (k) => `${median(marks[k]).toFixed(0)} (${Math.min(...marks[k]).toFixed(0)}–${Math.max(...marks[k]).toFixed(0)})`;
  console.log(`Chromium ${browser.version()}, first visit (nothing cached), ${runs} runs, ms after navigation start, median (min–max):`);
  console.log(`  HTML parsed (DOMContentLoaded)            ${row('dcl')}`);
  console.log(`  interactive (typing gets verdicts)        ${row('interactive')}`);
  console.log(`  engine loaded in the browser              ${row('engine')}`);
  console.log(`  first verdict from the in-browser engine  ${row('verdict')}`);

  // Repeat visits in one browser profile: the engine revalidates (304) and V8 reuses its
  // compiled code.
  {
    const context = await browser.newContext({ serviceWorkers: 'block' });
    const page = await context.newPage();
    const repeat = { dcl: [], interactive: [], engine: [], verdict: [] };
    for (let i = 0; i < runs + 2; i++) {
      await page.goto(url);
      await page.waitForSelector('form#checker[data-ready="true"]');
      if (i < 2) continue; // the first visit, and the one that stores the compiled code
      const m = await page.evaluate(() => ({
        dcl: performance.getEntriesByType('navigation')[0].domContentLoadedEventEnd,
        interactive: performance.getEntriesByName('checker-interactive')[0].startTime,
        engine: performance.getEntriesByName('checker-engine')[0].startTime,
        verdict: performance.getEntriesByName('checker-engine-verdict')[0].startTime,
      }));
      for (const k of Object.keys(repeat)) repeat[k].push(m[k]);
    }
    Object.assign(marks, repeat);
    console.log(`Chromium, repeat visits, ${runs} runs, ms after navigation start, median (min–max):`);
    console.log(`  HTML parsed (DOMContentLoaded)            ${row('dcl')}`);
    console.log(`  interactive (typing gets verdicts)        ${row('interactive')}`);
    console.log(`  engine loaded in the browser              ${row('engine')}`);
    console.log(`  first verdict from the in-browser engine  ${row('verdict')}`);
    await context.close();
  }

  const page = await (await browser.newContext()).newPage();
  await page.goto(url);
  await page.waitForSelector('form#checker[data-ready="true"]');
  const inPage = await page.evaluate(async (requests) => {
    const bindings = await import('/checker/ospo_wasm.js');
    const checker = new bindings.Checker();
    for (const r of requests) checker.check(r);
    const rounds = 200;
    const t = performance.now();
    for (let i = 0; i < rounds; i++) for (const r of requests) checker.check(r);
    const engine = (performance.now() - t) / (rounds * requests.length);
    // A keystroke: read the form, check, render the verdict into the page.
    const input = document.getElementById('outbound');
    const u = performance.now();
    const keystrokes = 200;
    for (let i = 0; i < keystrokes; i++) {
      input.value = i % 2 ? 'GPL-3.0-or-later' : 'Apache-2.0';
      input.dispatchEvent(new Event('input'));
      await Promise.resolve();
    }
    return { engine, keystroke: (performance.now() - u) / keystrokes };
  }, requests);
  console.log(`Chromium: ${fmt(inPage.engine)} per verdict (${requests.length} golden cases × 200), ${fmt(inPage.keystroke)} per keystroke including the page update`);
} finally {
  await browser.close();
  server.kill();
}
