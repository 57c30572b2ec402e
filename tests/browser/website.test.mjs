// The website in real headless Chromium: search, facets, a project page, a licence page, and a
// maintainer signing in to edit their project (and refused another's).
// Run by scripts/test.sh (node --test); screenshots go to tests/artifacts/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { serve, launch } from './support.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
const artifacts = join(root, 'tests', 'artifacts');
mkdirSync(artifacts, { recursive: true });
const bin = process.env.OSPO_BIN ?? join(root, 'target', 'debug', 'ospo');

let server;
let base;
let db;
let browser;

before(async () => {
  db = join(mkdtempSync(join(tmpdir(), 'ospo-browser-')), 'site.db');
  ({ server, base } = await serve(bin, db));
  browser = await launch();
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

test('a maintainer signs in, edits their project and is refused another', async () => {
  execFileSync(bin, ['access', '--database', db, 'account', 'dana', '--name', 'Dana Dev',
    '--role', 'maintainer', '--maintains', 'indico']);
  const token = execFileSync(bin, ['access', '--database', db, 'issue', 'dana']).toString().match(/ospo_[0-9a-f]+/)[0];
  const page = await browser.newPage({ viewport: { width: 1280, height: 1400 } });
  const errors = [];
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });

  await page.goto(`${base}/projects/indico`);
  await page.getByRole('link', { name: 'Sign in to edit it' }).click();
  await page.waitForURL(/\/login\?next=/);
  await page.getByLabel('API token').fill(token);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(/\/projects\/indico\/edit$/);
  assert.match(await page.locator('header').innerText(), /Signed in as Dana Dev/);

  await page.getByLabel(/^Summary/).fill('Event management for conferences, edited in Chromium');
  await page.getByLabel(/^Uses outside high-energy physics/).fill('conferences: runs the programme of scientific meetings');
  await page.getByLabel(/^What changed/).fill('summary for partners');
  await page.screenshot({ path: join(artifacts, 'project-edit.png'), fullPage: true });
  await page.getByRole('button', { name: 'Save' }).click();
  await page.waitForURL(/\/projects\/indico\?saved=/);
  assert.match(await page.getByRole('status').innerText(), /Saved: this is version \d+/);
  assert.match(await page.locator('main').innerText(), /edited in Chromium/);
  assert.match(await page.locator('main').innerText(), /runs the programme of scientific meetings/);

  // A malformed licence is named and nothing typed is lost.
  await page.getByRole('link', { name: 'Edit this project' }).click();
  await page.getByLabel(/^Licence/).fill('MIT AND');
  await page.getByLabel(/^Summary/).fill('Typed before a mistake');
  await page.getByRole('button', { name: 'Save' }).click();
  assert.match(await page.getByRole('alert').innerText(), /Not saved\. Licence:/);
  assert.equal(await page.getByLabel(/^Summary/).inputValue(), 'Typed before a mistake');

  // Another maintainer's project: no edit link, and the edit address refuses.
  await page.goto(`${base}/projects/root`);
  assert.equal(await page.getByRole('link', { name: 'Edit this project' }).count(), 0);
  const refused = await page.goto(`${base}/projects/root/edit`);
  assert.equal(refused.status(), 403);
  assert.match(await page.locator('main').innerText(), /You may not edit ROOT/);
  await page.screenshot({ path: join(artifacts, 'project-edit-refused.png'), fullPage: true });

  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.waitForURL(`${base}/`);
  assert.match(await page.locator('header').innerText(), /Sign in/);
  assert.deepEqual(errors.filter((e) => !/status of (403|422)/.test(e)), [], 'no console errors');
});
