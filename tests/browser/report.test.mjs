// The yearly report in real headless Chromium: a visitor finds it from the navigation, the
// bar charts are drawn and visible, the figures agree with the JSON API, no console errors.
// Run by scripts/test.sh (node --test); screenshots go to tests/artifacts/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
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
let browser;

before(async () => {
  // A fresh database is seeded with the real catalogue on the first start.
  const db = join(mkdtempSync(join(tmpdir(), 'ospo-report-')), 'site.db');
  ({ server, base } = await serve(bin, db));
  browser = await launch();
});

after(async () => {
  await browser?.close();
  server?.kill();
});

test('the yearly report renders with visible charts and the API\'s figures', async () => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
  const errors = [];
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  page.on('pageerror', (e) => errors.push(String(e)));
  const year = new Date().getUTCFullYear();

  await page.goto(`${base}/`);
  await page.getByRole('link', { name: 'Reports', exact: true }).click();
  await page.waitForURL(/\/reports$/);
  await page.getByRole('link', { name: `Report ${year}` }).click();
  await page.waitForURL(new RegExp(`/reports/${year}$`));
  assert.equal(await page.locator('h1').innerText(), `Open source report ${year}`);

  // Every distribution is a chart with an accessible name, drawn with real bars.
  const charts = page.locator('svg.chart[role="img"]');
  const n = await charts.count();
  assert.ok(n >= 5, `${n} charts`);
  const kind = page.getByRole('img', { name: 'Projects by kind' });
  await kind.scrollIntoViewIfNeeded();
  assert.ok(await kind.isVisible());
  const box = await kind.boundingBox();
  assert.ok(box.width > 300 && box.height > 30, JSON.stringify(box));
  const widths = await kind.locator('rect').evaluateAll((rs) => rs.map((r) => r.getBBox().width));
  assert.ok(widths.length >= 2 && Math.max(...widths) > 100, JSON.stringify(widths));

  // The page shows the numbers the API gives.
  const api = await (await fetch(`${base}/api/reports/${year}`)).json();
  const kpis = api.sections.flatMap((s) => s.kpis);
  const projects = kpis.find((k) => k.id === 'catalogue.projects').count;
  assert.equal(await page.locator('#kpi-catalogue-projects .value').innerText(), String(projects));
  const byKind = kpis.find((k) => k.id === 'catalogue.by-kind').rows;
  for (const row of byKind) {
    const cells = page.locator('#kpi-catalogue-by-kind tbody tr', { hasText: row.label }).locator('td');
    assert.equal(await cells.first().innerText(), String(row.count));
  }
  assert.match(await page.locator('#kpi-licences-reuse-clean .value').innerText(), /^not measured/);

  await page.screenshot({ path: join(artifacts, 'report-page.png'), fullPage: true });
  assert.deepEqual(errors, [], 'no console errors');
});
