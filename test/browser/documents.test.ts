// Browser journey: a worker opens Documents from the record, uploads a PDF with the GOV.UK file upload (the success
// banner takes focus, the document is listed and downloads as an attachment named by id), then tries a file with
// the EICAR test virus (refused, the error summary links to the field). A clamd of the test's own scans the files;
// every page is checked with axe, and nothing scrolls sideways at 320px.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { EICAR, startClamd } from '../clamd.ts';
import { userByRole } from '../helpers.ts';
import { PersonRecordPage, type Session, startHarness, textOf } from './harness.ts';

const clamd = await startClamd();
const h = await startHarness({
  documents: { scanning: 'clamd', clamd: { socket: clamd.socket }, dir: null, maxBytes: 1024 * 1024 },
});
const worker = userByRole(h.org, 'social_worker');
const { allocated } = h.people;
const PDF = Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n');

async function on(s: Session, h1: string, title: string) {
  const headings = await s.page.getByRole('heading', { level: 1 }).allInnerTexts();
  assert.deepEqual(
    headings.map((t) => t.trim()),
    [h1],
    `the h1 on ${s.page.url()}`,
  );
  assert.equal(await s.page.title(), `${title} – Handover`);
  await s.checkAxe();
  const overflow = await s.page.evaluate(
    () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
  );
  assert.equal(overflow, 0, `nothing scrolls sideways on ${s.page.url()}`);
}

test('a worker uploads a PDF to the record, downloads it, and a file with a virus is refused', async () => {
  const s = await h.session({ as: worker });
  await s.page.setViewportSize({ width: 320, height: 800 });
  await s.goto(`/people/${allocated.id}`);
  await PersonRecordPage.on(s, allocated.fullName);
  await s.page.getByRole('link', { name: 'Upload a document' }).click();
  await on(s, 'Documents', 'Documents');
  assert.match(await textOf(s.page.locator('main')), /No documents have been uploaded yet/);

  await s.page
    .getByLabel('Upload a file')
    .setInputFiles({ name: 'report.pdf', mimeType: 'application/pdf', buffer: PDF });
  await s.page.getByLabel('Title (optional)').fill('Health assessment');
  await s.page.getByRole('button', { name: 'Upload document' }).click();
  await s.page.waitForFunction(() => document.activeElement?.classList.contains('govuk-notification-banner'));
  assert.equal(await textOf(s.page.locator('.govuk-notification-banner__content')), 'Document uploaded');
  await on(s, 'Documents', 'Documents');
  const link = s.page.getByRole('link', { name: /Health assessment/ });
  const [download] = await Promise.all([s.page.waitForEvent('download'), link.click()]);
  assert.match(download.suggestedFilename(), /^document-[0-9a-f-]{36}\.pdf$/);

  await s.page.getByLabel('Upload a file').setInputFiles({
    name: 'minutes.pdf',
    mimeType: 'application/pdf',
    buffer: Buffer.from(`%PDF-1.4\n${EICAR}\n`),
  });
  await s.page.getByRole('button', { name: 'Upload document' }).click();
  await on(s, 'Documents', 'Error: Documents');
  const summary = s.page.locator('.govuk-error-summary');
  assert.match(await textOf(summary), /The selected file contains a virus/);
  await summary.getByRole('link').first().click();
  assert.equal(await s.page.evaluate(() => document.activeElement?.id), 'file');
  assert.equal(await s.page.getByRole('link', { name: /Health assessment/ }).count(), 1, 'only the clean file is kept');

  await s.goto(`/people/${allocated.id}`);
  await PersonRecordPage.on(s, allocated.fullName);
  await s.checkAxe();
  assert.equal(await s.page.getByRole('link', { name: /Health assessment/ }).count(), 1);
});
