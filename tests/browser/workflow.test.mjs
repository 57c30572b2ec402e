// The disclosure workflow in real headless Chromium: a maintainer writes and submits a request
// to open-source their work; an OSPO member takes it from the review queue, reviews it with the
// OSPO checklist, records the licence engine's recommendation (after an override without a
// reason is refused), approves and publishes it; the project then appears in the catalogue and
// the maintainer sees the whole history. Then the other paths: risks typed in the form reach the
// reviewer and an approval with conditions reaches the maintainer; a declined request shows why,
// and another maintainer is refused; hardware goes to KT on submission, KT reviews it and the
// OSPO publishes it under an open-hardware licence. Screenshots go to tests/artifacts/.
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

function token(account, name, role) {
  execFileSync(bin, ['access', '--database', db, 'account', account, '--name', name, '--role', role]);
  return execFileSync(bin, ['access', '--database', db, 'issue', account]).toString().match(/ospo_[0-9a-f]+/)[0];
}

async function signedIn(secret) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 1400 } });
  const page = await context.newPage();
  const errors = [];
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(`${base}/disclosures`);
  await page.waitForURL(/\/login\?next=/);
  await page.getByLabel('API token').fill(secret);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(/\/disclosures$/);
  return { page, errors };
}

before(async () => {
  db = join(mkdtempSync(join(tmpdir(), 'ospo-workflow-')), 'site.db');
  ({ server, base } = await serve(bin, db));
  browser = await launch();
});

after(async () => {
  await browser?.close();
  server?.kill();
});

test('a maintainer submits, an OSPO member reviews, recommends, approves and publishes', async () => {
  const dana = await signedIn(token('dana', 'Dana Dev', 'maintainer'));
  const anna = await signedIn(token('anna', 'Anna Ospo', 'ospo-member'));

  // The maintainer writes a draft; a malformed dependency line is named, nothing typed is lost.
  let page = dana.page;
  await page.getByRole('link', { name: 'New request' }).click();
  await page.waitForURL(/\/disclosures\/new$/);
  await page.getByLabel(/^Title/).fill('Muon trigger emulator <b>v2</b>');
  await page.getByLabel(/^Repository/).fill('https://gitlab.example.org/dana/muon-trigger');
  await page.getByLabel(/^Why publish it/).fill('Other experiments want to test their trigger menus with it');
  await page.getByLabel(/^Contributors/).fill('Dana Dev; lab\nA. Student; external EPFL');
  await page.getByLabel(/^Dependency licences/).fill('MIT: 10\nBSD-3-Clause two');
  await page.getByLabel(/^Uses outside high-energy physics/).fill('medical imaging: coincidence logic for PET scanners');
  await page.getByRole('button', { name: 'Save draft' }).click();
  assert.match(await page.getByRole('alert').innerText(), /Not saved\. Dependencies: 'BSD-3-Clause two'/);
  assert.equal(await page.getByLabel(/^Why publish it/).inputValue(), 'Other experiments want to test their trigger menus with it');
  await page.getByLabel(/^Dependency licences/).fill('MIT: 10\nBSD-3-Clause: 2');
  await page.getByRole('button', { name: 'Save draft' }).click();
  await page.waitForURL(/\/disclosures\/1\?saved=1$/);
  assert.equal(await page.locator('#state').innerText(), 'draft');
  assert.match(await page.locator('h1').innerText(), /Muon trigger emulator <b>v2<\/b>/, 'markup in a title is shown as text');
  await page.getByRole('button', { name: 'Submit' }).click();
  await page.waitForURL(/done=submit/);
  assert.equal(await page.locator('#state').innerText(), 'submitted');
  assert.match(await page.locator('.history').innerText(), /draft → submitted \(submit by dana\)/);
  assert.equal(await page.getByRole('button', { name: 'Start the review' }).count(), 0, 'a maintainer does not review');

  // The OSPO member works the queue.
  page = anna.page;
  await page.reload();
  const row = page.locator('table.queue tr', { hasText: 'Muon trigger emulator' });
  assert.match(await row.innerText(), /submitted/);
  await row.getByRole('link').click();
  await page.waitForURL(/\/disclosures\/1$/);
  await page.getByRole('button', { name: 'Start the review' }).click();
  await page.waitForURL(/done=start-review/);
  assert.equal(await page.locator('#state').innerText(), 'in-review');

  const review = page.locator('#review-ospo');
  const boxes = review.locator('input[type=checkbox]');
  for (let i = 0; i < await boxes.count(); i += 1) await boxes.nth(i).check();
  await review.getByLabel('Comment').fill('Discussed with Dana on 25 November');
  await review.getByRole('button', { name: 'Save the OSPO review' }).click();
  await page.waitForURL(/done=review/);
  assert.match(await page.locator('.reviews').innerText(), /OSPO by anna, .*: 4\/4 done — Discussed with Dana/);

  // The engine's recommendation, with its reasons and sources.
  assert.equal(await page.locator('#engine-licence').innerText(), 'Apache-2.0');
  const advice = await page.locator('.advice').innerText();
  assert.match(advice, /MIT \(10\)/);
  assert.match(advice, /OSADL/);
  const form = page.locator('#recommend-form');
  await form.getByLabel(/^Recommend/).fill('EUPL-1.2');
  await form.getByRole('button', { name: 'Record the recommendation' }).click();
  assert.match(await page.getByRole('alert').innerText(), /override_reason is empty/);
  assert.equal(await page.locator('#state').innerText(), 'in-review', 'nothing changed');
  await page.locator('#recommend-form').getByRole('button', { name: 'Record the recommendation' }).click();
  await page.waitForURL(/done=recommend/);
  assert.match(await page.locator('#recommendation').innerText(), /Recommended: Apache-2.0/);

  assert.equal(await page.getByLabel('Licence', { exact: true }).first().inputValue(), 'Apache-2.0');
  await page.getByRole('button', { name: 'Approve', exact: true }).click();
  await page.waitForURL(/done=approve/);
  assert.equal(await page.locator('#state').innerText(), 'approved');
  assert.equal(await page.getByLabel(/^Catalogue entry/).inputValue(), 'muon-trigger-emulator-b-v2-b');
  await page.getByLabel(/^Catalogue entry/).fill('muon-trigger-emulator');
  await page.getByRole('button', { name: 'Publish to the catalogue' }).click();
  await page.waitForURL(/done=publish/);
  assert.equal(await page.locator('#state').innerText(), 'published');
  await page.screenshot({ path: join(artifacts, 'disclosure-published.png'), fullPage: true });

  // The project is in the catalogue.
  await page.locator('#published').click();
  await page.waitForURL(/\/projects\/muon-trigger-emulator$/);
  assert.match(await page.locator('main').innerText(), /Apache-2\.0/);
  assert.match(await page.locator('main').innerText(), /coincidence logic for PET scanners/);
  await page.goto(`${base}/catalogue?q=muon+trigger`);
  assert.ok(await page.locator('article.hit', { hasText: 'Muon trigger emulator' }).count() === 1);

  // The maintainer follows it to the end.
  page = dana.page;
  await page.goto(`${base}/disclosures`);
  assert.match(await page.locator('table.mine').innerText(), /Muon trigger emulator.*published/s);
  await page.goto(`${base}/disclosures/1`);
  const history = await page.locator('.history').innerText();
  for (const step of ['submit by dana', 'start-review by anna', 'recommend by anna', 'approve by anna', 'publish by anna']) {
    assert.match(history, new RegExp(step));
  }
  await page.screenshot({ path: join(artifacts, 'disclosure-history.png'), fullPage: true });
  // Chromium reports each refused form (answered 422 on purpose above) as a failed load; there
  // is nothing else.
  const refused = ['Failed to load resource: the server responded with a status of 422 (Unprocessable Entity)'];
  assert.deepEqual(dana.errors, refused, 'only the refused draft');
  assert.deepEqual(anna.errors, refused, 'only the refused override');
});

// Writes a software draft through the form and submits it; returns the request's page path.
async function submitDraft(page, title, { kind = 'software', risks = {} } = {}) {
  await page.goto(`${base}/disclosures/new`);
  await page.getByLabel(/^Title/).fill(title);
  await page.getByLabel(/^Kind/).selectOption(kind);
  await page.getByLabel(/^Repository/).fill('https://gitlab.example.org/lab/' + title.toLowerCase().replace(/[^a-z]+/g, '-'));
  await page.getByLabel(/^Why publish it/).fill('Others asked for it');
  await page.getByLabel(/^Dependency licences/).fill(kind === 'software' ? 'MIT: 3' : '');
  for (const [label, [level, notes]] of Object.entries(risks)) {
    await page.getByLabel(new RegExp(`^${label} risk`)).selectOption(level);
    await page.getByLabel(new RegExp(`^${label}: what was found`)).fill(notes);
  }
  await page.getByRole('button', { name: 'Save draft' }).click();
  await page.waitForURL(/\/disclosures\/\d+\?saved=1$/);
  const path = new URL(page.url()).pathname;
  await page.getByRole('button', { name: 'Submit' }).click();
  await page.waitForURL(/done=submit/);
  return path;
}

// The OSPO member takes a submitted request through the review to a recommendation.
async function reviewAndRecommend(page, path) {
  await page.goto(`${base}${path}`);
  await page.getByRole('button', { name: 'Start the review' }).click();
  await page.waitForURL(/done=start-review/);
  await page.locator('#recommend-form').getByRole('button', { name: 'Record the recommendation' }).click();
  await page.waitForURL(/done=recommend/);
  assert.equal(await page.locator('#state').innerText(), 'recommendation');
}

test('risks entered by the maintainer reach the reviewer; approved with conditions the maintainer sees', async () => {
  const erin = await signedIn(token('erin', 'Erin Dev', 'maintainer'));
  const olga = await signedIn(token('olga', 'Olga Ospo', 'ospo-member'));
  const path = await submitDraft(erin.page, 'Beam loss monitor firmware tools', {
    risks: {
      Legal: ['low', 'One file copied from a <b>vendor</b> example'],
      'Safety and security': ['medium', 'Config holds internal hostnames; to strip before release'],
      'Export control': ['none', ''],
    },
  });

  // The reviewer reads the risks, escaped, and the untouched one still unassessed.
  let page = olga.page;
  await page.goto(`${base}${path}`);
  assert.match(await page.locator('#risk-legal').innerText(), /low\s+One file copied from a <b>vendor<\/b> example/);
  assert.equal(await page.locator('#risk-legal b').count(), 0, 'markup in a note is text');
  assert.match(await page.locator('#risk-safety_security').innerText(), /medium\s+Config holds internal hostnames/);
  assert.match(await page.locator('#risk-export_control').innerText(), /none/);
  assert.match(await page.locator('#risk-reputational').innerText(), /unassessed/);
  await reviewAndRecommend(page, path);
  const form = page.locator('#step-approve-with-conditions');
  await form.getByLabel('Conditions').fill('Strip the internal hostnames from config/ before the first release');
  await form.getByRole('button', { name: 'Approve with conditions' }).click();
  await page.waitForURL(/done=approve-with-conditions/);
  assert.equal(await page.locator('#state').innerText(), 'approved-with-conditions');
  await page.screenshot({ path: join(artifacts, 'disclosure-conditions.png'), fullPage: true });

  // The maintainer sees the decision and its conditions, and has no decide buttons.
  page = erin.page;
  await page.goto(`${base}${path}`);
  assert.equal(await page.locator('#state').innerText(), 'approved-with-conditions');
  assert.match(await page.locator('.history').innerText(),
    /approve-with-conditions by olga\): Strip the internal hostnames from config\/ before the first release, licence Apache-2\.0/);
  assert.equal(await page.getByRole('button', { name: 'Publish to the catalogue' }).count(), 0);
  assert.deepEqual(erin.errors, []);
  assert.deepEqual(olga.errors, []);
});

test('a declined request shows the maintainer why; another maintainer may not open it', async () => {
  const finn = await signedIn(token('finn', 'Finn Dev', 'maintainer'));
  const gail = await signedIn(token('gail', 'Gail Dev', 'maintainer'));
  const paul = await signedIn(token('paul', 'Paul Ospo', 'ospo-member'));
  const path = await submitDraft(finn.page, 'Accelerator control panel scripts');

  let page = paul.page;
  await reviewAndRecommend(page, path);
  const form = page.locator('#step-decline');
  await form.getByLabel('Reason').fill('Depends on a controls library the lab may not redistribute');
  await form.getByRole('button', { name: 'Decline' }).click();
  await page.waitForURL(/done=decline/);
  assert.equal(await page.locator('#state').innerText(), 'declined');
  assert.equal(await page.locator('.steps button').count(), 0, 'declined is final');

  page = finn.page;
  await page.goto(`${base}/disclosures`);
  assert.match(await page.locator('table.mine').innerText(), /Accelerator control panel scripts.*declined/s);
  await page.goto(`${base}${path}`);
  assert.match(await page.locator('.history').innerText(),
    /recommendation → declined \(decline by paul\): Depends on a controls library the lab may not redistribute/);
  await page.screenshot({ path: join(artifacts, 'disclosure-declined.png'), fullPage: true });

  // Someone else's request is refused to another maintainer, with nothing of it shown.
  page = gail.page;
  const response = await page.goto(`${base}${path}`);
  assert.equal(response.status(), 403);
  assert.doesNotMatch(await page.locator('main').innerText(), /controls library/);
  await page.screenshot({ path: join(artifacts, 'disclosure-refused.png'), fullPage: true });
  assert.deepEqual(finn.errors, []);
  assert.deepEqual(paul.errors, []);
  assert.deepEqual(gail.errors, ['Failed to load resource: the server responded with a status of 403 (Forbidden)']);
});

test('hardware goes to KT on submission and comes back to the catalogue under an open-hardware licence', async () => {
  const hugo = await signedIn(token('hugo', 'Hugo Dev', 'maintainer'));
  const kate = await signedIn(token('kate', 'Kate KT', 'kt-reviewer'));
  const ines = await signedIn(token('ines', 'Ines Ospo', 'ospo-member'));
  const path = await submitDraft(hugo.page, 'Timing distribution board', { kind: 'hardware' });
  let page = hugo.page;
  assert.equal(await page.locator('#state').innerText(), 'sent-to-kt');
  assert.match(await page.locator('main').innerText(), /with Knowledge Transfer/);

  // KT's reviewer finds it in the queue and works it.
  page = kate.page;
  await page.goto(`${base}/disclosures`);
  const row = page.locator('table.queue tr', { hasText: 'Timing distribution board' });
  assert.match(await row.innerText(), /sent-to-kt/);
  await row.getByRole('link').click();
  await page.waitForURL(new RegExp(`${path}$`));
  const review = page.locator('#review-kt');
  const boxes = review.locator('input[type=checkbox]');
  for (let i = 0; i < await boxes.count(); i += 1) await boxes.nth(i).check();
  await review.getByLabel('Comment').fill('No patent filed; open-hardware release agreed');
  await review.getByRole('button', { name: 'Save the KT review' }).click();
  await page.waitForURL(/done=review/);
  assert.match(await page.locator('.reviews').innerText(), /KT by kate, .*done — No patent filed/);
  // KT informs the OSPO; making the catalogue entry is the OSPO's.
  assert.equal(await page.getByRole('button', { name: 'Publish to the catalogue' }).count(), 0);

  page = ines.page;
  await page.goto(`${base}${path}`);
  assert.match(await page.locator('.reviews').innerText(), /KT by kate/);
  await page.getByLabel(/^Catalogue entry/).fill('timing-distribution-board');
  await page.getByLabel(/^Released under/).fill('CERN-OHL-S-2.0');
  await page.getByRole('button', { name: 'Publish to the catalogue' }).click();
  await page.waitForURL(/done=publish/);
  assert.equal(await page.locator('#state').innerText(), 'published');
  await page.screenshot({ path: join(artifacts, 'disclosure-kt-published.png'), fullPage: true });

  await page.locator('#published').click();
  await page.waitForURL(/\/projects\/timing-distribution-board$/);
  assert.match(await page.locator('main').innerText(), /CERN-OHL-S-2\.0/);
  await page.goto(`${base}/catalogue?q=timing+distribution`);
  assert.equal(await page.locator('article.hit', { hasText: 'Timing distribution board' }).count(), 1);

  page = hugo.page;
  await page.goto(`${base}${path}`);
  assert.match(await page.locator('.history').innerText(), /sent-to-kt → published \(publish by ines\), licence CERN-OHL-S-2\.0/);
  assert.deepEqual(hugo.errors, []);
  assert.deepEqual(kate.errors, []);
  assert.deepEqual(ines.errors, []);
});
