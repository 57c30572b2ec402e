// The inventory website in real headless Chromium, on a real SBOM (MediaWiki's container image,
// CycloneDX XML, from the shared corpus) ingested with the CLI: a visitor who is not signed in is
// sent to sign in and comes back to the question they asked; a member of staff asks "where is
// ghostscript used?" from the inventory page, gets the service, follows it to the service page
// with its policy violation (AGPL in an externally exposed service), and from there the
// component page lists who uses it. A range the ecosystem cannot read is said on the page.
// Untrusted names are shown as text. Screenshots go to tests/artifacts/.
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
const shared = process.env.OSPO_SHARED_DATA ?? join(root, '..', 'shared', 'data');
const wikiSbom = join(shared, 'sboms', 'bom-shelter', 'cyclonedx_mediawiki-cdx.xml');

let server;
let base;
let db;
let browser;
let secret;

function ospo(...args) {
  return execFileSync(bin, [...args, '--database', db]).toString();
}

before(async () => {
  db = join(mkdtempSync(join(tmpdir(), 'ospo-inventory-')), 'site.db');
  ospo('inventory', 'services', 'add', 'wiki', '--name', 'Lab wiki <b>beta</b>', '--owner', 'IT-CDA',
    '--criticality', 'critical', '--exposure', 'external');
  ospo('inventory', 'services', 'add', 'idle', '--name', 'Not yet inventoried', '--owner', 'IT-CDA',
    '--criticality', 'standard', '--exposure', 'internal');
  const stored = JSON.parse(ospo('inventory', 'ingest', '--service', 'wiki', '--date', '2026-02-01', '-f', 'json', wikiSbom));
  assert.equal(stored.snapshot.usages, 196);
  execFileSync(bin, ['access', '--database', db, 'account', 'sam', '--name', 'Sam', '--role', 'maintainer']);
  secret = execFileSync(bin, ['access', '--database', db, 'issue', 'sam']).toString().match(/ospo_[0-9a-f]+/)[0];
  ({ server, base } = await serve(bin, db));
  browser = await launch();
});

after(async () => {
  await browser?.close();
  server?.kill();
});

async function page() {
  const context = await browser.newContext({ viewport: { width: 1280, height: 1200 } });
  const p = await context.newPage();
  const errors = [];
  p.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  p.on('pageerror', (e) => errors.push(String(e)));
  return { p, errors };
}

test('a question asked before signing in is answered after it', async () => {
  const { p, errors } = await page();
  await p.goto(`${base}/inventory/where-used?package=ghostscript&ecosystem=`);
  await p.waitForURL(/\/login\?next=/);
  await p.getByLabel('API token').fill(secret);
  await p.getByRole('button', { name: 'Sign in' }).click();
  await p.waitForURL(/\/inventory\/where-used\?package=ghostscript/);
  assert.equal(await p.getByRole('heading', { level: 2, name: /Used now by 1 service$/ }).count(), 1);
  assert.equal(await p.getByLabel('Package').inputValue(), 'ghostscript');
  assert.deepEqual(errors, []);
});

test('staff find who uses ghostscript, then the service, its violation and the component', async () => {
  const { p, errors } = await page();
  await p.goto(`${base}/inventory`);
  await p.waitForURL(/\/login\?next=/);
  await p.getByLabel('API token').fill(secret);
  await p.getByRole('button', { name: 'Sign in' }).click();
  await p.waitForURL(/\/inventory$/);

  // The overview: both services, the one without an inventory said so; names are text.
  const rows = p.locator('table tr', { hasText: 'Lab wiki' });
  assert.equal(await rows.count(), 1);
  assert.match(await rows.innerText(), /Lab wiki <b>beta<\/b>.*critical.*external.*2026-02-01: 196 components/s);
  assert.equal(await p.locator('table b').count(), 0, 'the service name is not markup');
  assert.match(await p.locator('table tr', { hasText: 'Not yet inventoried' }).innerText(), /no inventory/);

  // A range Alpine's packages cannot be compared with is refused on the page, with the form kept.
  await p.getByLabel('Package').fill('ghostscript');
  await p.getByLabel('Versions').fill('>=9');
  await p.getByRole('button', { name: 'Find' }).click();
  await p.waitForURL(/\/inventory\/where-used\?/);
  const alert = p.getByRole('alert');
  assert.match(await alert.innerText(), /alpine/i);
  assert.equal(await p.getByLabel('Versions').inputValue(), '>=9');

  // The exact version is found: the service, the component, its licence.
  await p.getByLabel('Versions').fill('=9.56.1-r0');
  await p.getByRole('button', { name: 'Find' }).click();
  await p.waitForURL(/range=%3D9\.56\.1-r0/);
  const found = p.locator('#now + p + table tr, #now + table tr').filter({ hasText: 'ghostscript' });
  assert.equal(await found.count(), 1);
  assert.match(await found.innerText(), /Lab wiki <b>beta<\/b>.*critical.*external.*ghostscript 9\.56\.1-r0.*AGPL-3\.0-or-later/s);
  assert.match(await p.locator('#history + ul').innerText(), /wiki, 2026-02-01/);
  await p.screenshot({ path: join(artifacts, 'inventory-where-used.png'), fullPage: true });

  // To the service: the AGPL use breaks INV001 (network copyleft in an exposed service).
  await found.getByRole('link', { name: 'Lab wiki <b>beta</b>' }).click();
  await p.waitForURL(/\/inventory\/services\/wiki$/);
  const violation = p.locator('table tr', { hasText: 'INV001' }).filter({ hasText: 'ghostscript' });
  assert.equal(await violation.count(), 1);
  assert.match(await violation.innerText(), /AGPL-3\.0-or-later.*open/s);
  assert.match(await p.getByRole('heading', { name: /^Components \(196\)$/ }).innerText(), /196/);

  // And to the component: who uses it.
  await violation.getByRole('link', { name: /ghostscript/ }).click();
  await p.waitForURL(/\/inventory\/components\/\d+$/);
  assert.equal(await p.locator('h1').innerText(), 'ghostscript 9.56.1-r0');
  const usedBy = p.locator('#used-by + p + table tr', { hasText: 'Lab wiki' });
  assert.match(await usedBy.innerText(), /9\.56\.1-r0.*critical.*external.*2026-02-01/s);
  // The one error Chromium logs is the refused range's status, 400.
  assert.deepEqual(errors, ['Failed to load resource: the server responded with a status of 400 (Bad Request)']);
});

test('a package nobody uses is said so', async () => {
  const { p, errors } = await page();
  await p.goto(`${base}/`);
  assert.equal(await p.getByRole('link', { name: 'Inventory' }).count(), 0, 'not offered to visitors');
  await p.goto(`${base}/login?next=/`);
  await p.getByLabel('API token').fill(secret);
  await p.getByRole('button', { name: 'Sign in' }).click();
  await p.waitForURL(`${base}/`);
  await p.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Inventory' }).click();
  await p.waitForURL(/\/inventory$/);
  await p.getByLabel('Package').fill('left-pad');
  await p.getByRole('button', { name: 'Find' }).click();
  await p.waitForURL(/package=left-pad/);
  assert.equal(await p.getByRole('heading', { level: 2, name: 'Used now by 0 services' }).count(), 1);
  assert.match(await p.locator('main').innerText(), /No version of left-pad matching this is in the inventory/);
  assert.deepEqual(errors, []);
});
