// The website in real headless Chromium: search, facets, a project page, a licence page.
// Run by scripts/test.sh (node --test); screenshots go to tests/artifacts/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
const artifacts = join(root, 'tests', 'artifacts');
mkdirSync(artifacts, { recursive: true });
const bin = process.env.OSPO_BIN ?? join(root, 'target', 'debug', 'ospo');

let server;
let base;
let browser;

before(async () => {
  const db = join(mkdtempSync(join(tmpdir(), 'ospo-browser-')), 'site.db');
  server = spawn(bin, ['serve', '--database', db, '--listen', '127.0.0.1:0'], { stdio: ['ignore', 'pipe', 'ignore'] });
  base = await new Promise((resolve, reject) => {
    server.stdout.on('data', (chunk) => {
      const m = String(chunk).match(/http:\/\/[0-9.:]+/);
      if (m) resolve(m[0]);
    });
    server.on('exit', (code) => reject(new Error(`ospo serve exited with ${code}`)));
  });
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
});

after(async () => {
  await browser?.close();
  server?.kill();
});

test('a visitor searches, narrows by a facet and opens a project', async () => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const errors = [];
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  await page.goto(`${base}/`);
  assert.match(await page.locator('.figures').innerText(), /213\s*projects/);
  await page.getByLabel('Search the catalogue').fill('timing');
  await page.keyboard.press('Enter');
  await page.waitForURL(/\/catalogue\?q=timing/);
  const count = await page.locator('#count').innerText();
  const total = Number(count.match(/^(\d+)/)[1]);
  assert.ok(total >= 5, count);
  assert.ok(await page.locator('article.hit').count() >= 5);
  await page.screenshot({ path: join(artifacts, 'catalogue-search.png'), fullPage: true });

  await page.locator('.facets a', { hasText: /^hardware$/ }).first().click();
  await page.waitForURL(/facet=kind%3Ahardware/);
  const narrowed = Number((await page.locator('#count').innerText()).match(/^(\d+)/)[1]);
  assert.ok(narrowed > 0 && narrowed <= total, `${narrowed} of ${total}`);
  assert.equal(await page.locator('.facets li.selected a', { hasText: 'hardware' }).getAttribute('aria-pressed'), 'true');

  await page.locator('article.hit h2 a').first().click();
  await page.waitForURL(/\/projects\//);
  assert.ok((await page.locator('h1').innerText()).length > 0);
  await page.screenshot({ path: join(artifacts, 'project-page.png'), fullPage: true });
  assert.deepEqual(errors, [], 'no console errors');
});

test('a licence page shows cited compatibility verdicts', async () => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 1400 } });
  await page.goto(`${base}/projects/root`);
  await page.locator('a', { hasText: 'LGPL-2.1-or-later' }).first().click();
  await page.waitForURL(/\/licences\/LGPL-2.1-or-later/);
  const rows = page.locator('table tbody tr');
  assert.ok(await rows.count() >= 10);
  const mit = await rows.filter({ hasText: /^MIT/ }).first().innerText();
  assert.match(mit, /no/, 'LGPL code merged into an MIT work is refused');
  assert.match(await page.locator('body').innerText(), /OSADL/);
  await page.screenshot({ path: join(artifacts, 'licence-page.png'), fullPage: true });
});

test('hostile search text is shown as text', async () => {
  const page = await browser.newPage();
  let dialogs = 0;
  page.on('dialog', async (d) => { dialogs += 1; await d.dismiss(); });
  await page.goto(`${base}/catalogue?q=${encodeURIComponent('<img src=x onerror=alert(1)>')}`);
  assert.equal(await page.getByLabel('Search').first().inputValue(), '<img src=x onerror=alert(1)>');
  assert.equal(dialogs, 0);
});
