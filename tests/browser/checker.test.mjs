// The in-browser licence checker (/licences/check) in real headless Chromium: the verdict as
// you type from the WebAssembly engine, a shared link, keyboard use, the fallbacks (JSON API,
// no JavaScript), offline after the first load, and the static folder. Needs scripts/wasm.sh's
// output (target/wasm, found beside the ospo binary). Screenshots go to tests/artifacts/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import { mkdtempSync, mkdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname, resolve, extname, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
const artifacts = join(root, 'tests', 'artifacts');
mkdirSync(artifacts, { recursive: true });
const bin = process.env.OSPO_BIN ?? join(root, 'target', 'debug', 'ospo');
const wasmDir = process.env.OSPO_WASM_DIR ?? join(dirname(dirname(resolve(bin))), 'wasm');

const servers = [];
let base;
let browser;

/** Starts `ospo serve` on a free port; resolves to its base URL. */
async function serve(env = {}) {
  const db = join(mkdtempSync(join(tmpdir(), 'ospo-checker-')), 'site.db');
  const server = spawn(bin, ['serve', '--database', db, '--listen', '127.0.0.1:0'],
    { stdio: ['ignore', 'pipe', 'ignore'], env: { ...process.env, ...env } });
  servers.push(server);
  const url = await new Promise((resolve, reject) => {
    server.stdout.on('data', (chunk) => {
      const m = String(chunk).match(/http:\/\/[0-9.:]+/);
      if (m) resolve(m[0]);
    });
    server.on('exit', (code) => reject(new Error(`ospo serve exited with ${code}`)));
  });
  return { server, url };
}

before(async () => {
  ({ url: base } = await serve());
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
});

after(async () => {
  await browser?.close();
  for (const s of servers) s.kill();
});

/** A page that records console errors and the requests it makes. */
async function open(url, options = {}) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 1000 }, ...options });
  const page = await context.newPage();
  page.errors = [];
  page.requests = [];
  page.on('console', (m) => { if (m.type() === 'error') page.errors.push(m.text()); });
  page.on('pageerror', (e) => page.errors.push(String(e)));
  page.on('request', (r) => page.requests.push(r.url()));
  await page.goto(url);
  return page;
}

async function ready(page) {
  await page.waitForSelector('form#checker[data-ready="true"]');
}

async function verdict(page, expected) {
  await page.locator('#result .verdict', { hasText: new RegExp(`^${expected}$`) }).waitFor();
}

test('a visitor types a combination and reads the verdict as they type, computed in the browser', async () => {
  const page = await open(`${base}/licences/check`);
  await ready(page);
  assert.equal(await page.locator('form#checker').getAttribute('data-mode'), 'wasm');
  assert.match(await page.locator('#engine-status').innerText(), /in your browser.*nothing you type is sent/s);

  const first = page.getByLabel('Component 1', { exact: true });
  await first.click();
  await first.pressSequentially('MIT OR Apa');
  const options = await page.locator('#spdx-ids option').evaluateAll((os) => os.map((o) => o.value));
  assert.ok(options.includes('MIT OR Apache-2.0'), `suggestions complete the word being typed: ${options.slice(0, 5)}`);
  await first.pressSequentially('che-2.0');
  await first.fill('MIT OR GPL-2.0-only');
  const outbound = page.getByLabel(/Outbound licence/);
  await outbound.pressSequentially('Apache-2.0');
  await verdict(page, 'yes');
  assert.match(await page.locator('#result .choices').innerText(), /MIT OR GPL-2\.0-only: MIT\./,
    'the OR branch chosen is shown');
  assert.match(await page.locator('#result .sources').innerText(), /OSADL/);

  await page.getByRole('button', { name: 'Add a component' }).click();
  assert.equal(await page.evaluate(() => document.activeElement.id), 'inbound-2', 'focus moves to the new component');
  await page.keyboard.type('GPL-2.0-onl');
  assert.ok((await page.locator('#spdx-ids option').evaluateAll((os) => os.map((o) => o.value))).includes('GPL-2.0-only'));
  await page.keyboard.type('y');
  await verdict(page, 'no');
  const fixes = await page.locator('#result .fixes li').allInnerTexts();
  assert.ok(fixes.some((f) => /^Outbound licence GPL-2\.0-(only|or-later) \(yes\)/.test(f)), fixes.join('\n'));
  assert.match(await page.locator('#result .explanation').innerText(), /GPL-2\.0-only/);

  await page.getByLabel(/Separate/).check();
  await verdict(page, 'yes');
  assert.match(page.url(), /inbound=MIT\+OR\+GPL-2\.0-only&inbound=GPL-2\.0-only&outbound=Apache-2\.0&use=separate/);
  assert.equal(await page.locator('#share-link').getAttribute('href'), page.url());
  assert.deepEqual(page.requests.filter((u) => u.includes('/api/')), [], 'no check was sent to the server');
  await page.screenshot({ path: join(artifacts, 'checker.png'), fullPage: true });
  assert.deepEqual(page.errors, [], 'no console errors');
  await page.context().close();
});

test('a shared link opens the same question and verdict', async () => {
  const link = `${base}/licences/check?inbound=Apache-2.0&inbound=LGPL-2.1-or-later&outbound=GPL-2.0-only&use=dynamic-link`;
  const page = await open(link);
  await ready(page);
  assert.equal(await page.getByLabel('Component 1', { exact: true }).inputValue(), 'Apache-2.0');
  assert.equal(await page.getByLabel('Component 2', { exact: true }).inputValue(), 'LGPL-2.1-or-later');
  assert.equal(await page.getByLabel(/Outbound licence/).inputValue(), 'GPL-2.0-only');
  assert.ok(await page.getByLabel(/Dynamic link/).isChecked());
  await verdict(page, 'no');
  assert.match(await page.locator('#result .explanation').innerText(), /Apache-2\.0/);
  await page.screenshot({ path: join(artifacts, 'checker-shared-link.png'), fullPage: true });

  // Removing a component by keyboard gives focus back and a new verdict.
  await page.getByRole('button', { name: 'Remove component 1' }).focus();
  await page.keyboard.press('Enter');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'inbound-1');
  assert.equal(await page.getByLabel('Component 1', { exact: true }).inputValue(), 'LGPL-2.1-or-later');
  await verdict(page, 'yes');
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('the keyboard alone drives the form, and input is shown as text, never markup', async () => {
  const page = await open(`${base}/licences/check`);
  await ready(page);
  await page.keyboard.press('Tab');
  let guard = 0;
  while (await page.evaluate(() => document.activeElement.id) !== 'inbound-1' && guard++ < 30) await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'inbound-1', 'Tab reaches the first component');
  await page.keyboard.type('AGPL-3.0-only');
  await page.getByLabel(/Outbound licence/).focus();
  await page.keyboard.type('MIT');
  await page.keyboard.press('Enter');
  await verdict(page, 'no');
  assert.match(page.url(), /\/licences\/check\?/);
  await page.getByLabel(/Merged/).focus();
  for (let i = 0; i < 4; i++) await page.keyboard.press('ArrowDown');
  assert.ok(await page.getByLabel(/Network/).isChecked(), 'arrow keys move between uses');
  await verdict(page, 'depends');

  await page.getByLabel('Component 1', { exact: true }).fill('<img src=x onerror="window.hacked=1">');
  await page.locator('#result pre.error').waitFor();
  assert.match(await page.locator('#result').innerText(), /<img src=x/);
  assert.equal(await page.locator('#result img').count(), 0);
  assert.equal(await page.evaluate(() => window.hacked), undefined);
  await page.context().close();
});

test('without the WebAssembly build the page says so and asks the JSON API', async () => {
  const empty = mkdtempSync(join(tmpdir(), 'ospo-no-wasm-'));
  const { url } = await serve({ OSPO_CHECKER_DIR: empty });
  const page = await open(`${url}/licences/check?inbound=CC-BY-SA-4.0&outbound=GPL-3.0-only`);
  await ready(page);
  assert.equal(await page.locator('form#checker').getAttribute('data-mode'), 'api');
  assert.match(await page.locator('#engine-status').innerText(), /sent to this server's JSON API/);
  await verdict(page, 'yes');
  await page.getByLabel(/Outbound licence/).fill('MIT');
  await verdict(page, 'no');
  await page.getByLabel(/Outbound licence/).fill('GPL-2.0-o');
  const options = await page.locator('#spdx-ids option').evaluateAll((os) => os.map((o) => o.value));
  assert.ok(options.includes('GPL-2.0-only'), 'suggestions come from the list the server sent');
  assert.ok(page.requests.some((u) => u.endsWith('/api/licences/check')));
  // Half-typed expressions are refused by the API (422) while typing: Chromium logs each such
  // answer as a failed resource; anything else is an error of the page.
  assert.deepEqual(page.errors.filter((e) => !/status of 422/.test(e)), []);
  await page.context().close();
});

test('without JavaScript the server answers the form', async () => {
  const page = await open(`${base}/licences/check`, { javaScriptEnabled: false });
  await page.getByLabel('Component 1', { exact: true }).fill('Apache-2.0');
  await page.getByLabel(/Outbound licence/).fill('GPL-2.0-only');
  await page.getByRole('button', { name: 'Check' }).click();
  await page.waitForURL(/inbound=Apache-2\.0/);
  await verdict(page, 'no');
  assert.match(await page.locator('#result .sources').innerText(), /OSADL/);
  await page.context().close();
});

test('once loaded, the checker works offline', async () => {
  const { server, url } = await serve();
  const page = await open(`${url}/licences/check?inbound=MPL-2.0&outbound=GPL-3.0-or-later`);
  await ready(page);
  await page.waitForSelector('form#checker[data-offline="ready"]');
  await verdict(page, 'yes');
  server.kill();
  await new Promise((r) => server.once('exit', r));
  await page.goto(`${url}/licences/check?inbound=EUPL-1.2&outbound=MIT&use=merged`);
  await ready(page);
  assert.equal(await page.locator('form#checker').getAttribute('data-mode'), 'wasm');
  assert.equal(await page.getByLabel('Component 1', { exact: true }).inputValue(), 'EUPL-1.2');
  await verdict(page, 'no');
  await page.getByLabel(/Outbound licence/).fill('EUPL-1.2');
  await verdict(page, 'yes');
  await page.screenshot({ path: join(artifacts, 'checker-offline.png'), fullPage: true });
  await page.context().close();
});

test('the static folder works on a plain file server', async () => {
  const types = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.wasm': 'application/wasm' };
  const files = createServer((req, res) => {
    const path = new URL(req.url, 'http://x').pathname;
    const file = normalize(join(wasmDir, path === '/' ? 'index.html' : path));
    try {
      const body = readFileSync(file);
      res.writeHead(200, { 'content-type': types[extname(file)] ?? 'application/octet-stream' });
      res.end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  await new Promise((r) => files.listen(0, '127.0.0.1', r));
  try {
    const page = await open(`http://127.0.0.1:${files.address().port}/?inbound=GPL-2.0-or-later&outbound=GPL-3.0-only`);
    await ready(page);
    assert.equal(await page.locator('form#checker').getAttribute('data-mode'), 'wasm');
    await verdict(page, 'yes');
    assert.match(await page.locator('#result .explanation').innerText(), /GPL-2\.0-or-later.*GPL-3\.0-only/s);
    await page.getByLabel('Component 1', { exact: true }).fill('Apache-2.0 WITH LLV');
    const exceptions = await page.locator('#spdx-ids option').evaluateAll((os) => os.map((o) => o.value));
    assert.ok(exceptions.includes('Apache-2.0 WITH LLVM-exception'), 'after WITH the suggestions are exceptions');
    assert.deepEqual(page.errors, []);
    await page.context().close();
  } finally {
    files.close();
  }
});
