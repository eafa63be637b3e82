// Printing (issue 11 capability 14): every page carries the print stylesheet (navigation, buttons and forms hidden
// on paper, page breaks); the record bundle puts the summary, chronology, plan and documents list on one page, and
// opening it writes exactly one access-log row on the 'print' channel; without a relationship it is refused.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { Browser, userByRole } from './helpers.ts';
import { reallocationSetup } from './reallocation-setup.ts';

const { db, org, app, sam, coordinator, person, actionFor } = await reallocationSetup('prt');

async function printRows(personId: string) {
  return db
    .selectFrom('access_log')
    .where('person_id', '=', personId)
    .where('channel', '=', 'print')
    .select(['user_id', 'purpose'])
    .execute();
}

test('the print stylesheet hides navigation, buttons and forms, keeps rows whole and breaks bundle sections', () => {
  const css = readFileSync(new URL('../src/public/print.css', import.meta.url), 'utf8');
  const print = css.slice(css.indexOf('@media print'));
  for (const hidden of ['.govuk-service-navigation', '.govuk-footer', '.govuk-back-link', '.govuk-button', 'form'])
    assert.ok(print.includes(hidden), hidden);
  assert.match(print, /form \{\s*display: none;/);
  assert.match(print, /break-inside: avoid/);
  assert.match(print, /\.app-print-break \{\s*break-before: page;/);
});

test('the record, the plan and the record bundle load the print stylesheet', async () => {
  const p = await person();
  await actionFor(p.id);
  const b = new Browser(app);
  await b.login(sam.email);
  for (const url of [`/people/${p.id}`, `/people/${p.id}/plan`, `/people/${p.id}/bundle`]) {
    const res = await b.get(url);
    assert.equal(res.statusCode, 200, url);
    assert.match(res.body, /<link rel="stylesheet" href="\/assets\/print.css">/, url);
  }
  const css = await b.get('/assets/print.css');
  assert.equal(css.statusCode, 200);
  assert.match(css.body, /@media print/);
});

test('the record bundle: summary, chronology, plan and documents on one page; one access-log row per opening', async () => {
  const p = await person({ protected: true });
  await actionFor(p.id);
  const b = new Browser(app);
  await b.login(sam.email);
  const note = await b.post(`/people/${p.id}/notes`, {
    note_type: 'visit',
    'contact_date-day': '20',
    'contact_date-month': '11',
    'contact_date-year': '2026',
    contact_time: '2:30pm',
    present: 'Robin',
    what_happened: 'Home visit.',
    voice: '',
    significant: 'yes',
    summary: 'Moved to a new foster home',
  });
  assert.equal(note.statusCode, 303, note.body.slice(0, 300));
  const { id: authorityId } = { id: org.authorityId };
  await db
    .insertInto('documents')
    .values({
      authority_id: authorityId,
      person_id: p.id,
      target_kind: 'person',
      title: 'School report, autumn term',
      media_type: 'application/pdf',
      extension: 'pdf',
      size_bytes: 1234,
      sha256: 'a'.repeat(64),
      storage: 'database',
      scan_result: 'clean',
      uploaded_by: sam.id,
    } as never)
    .execute();

  const before = (await printRows(p.id)).length;
  const res = await b.get(`/people/${p.id}/bundle`);
  assert.equal(res.statusCode, 200, res.body.slice(0, 300));
  for (const heading of ['Summary', 'Chronology of significant events', 'Plan', 'Documents'])
    assert.match(res.body, new RegExp(`<h2 class="govuk-heading-m" id="[a-z]+-heading">${heading}</h2>`), heading);
  assert.match(res.body, /Child protection plan/);
  assert.match(res.body, /Disabled Children&#39;s Team North|Disabled Children’s Team North/);
  assert.match(res.body, /Moved to a new foster home/);
  assert.match(res.body, /Staying at my school/);
  assert.match(res.body, /Book the review meeting/);
  assert.match(res.body, /School report, autumn term/);
  assert.match(res.body, /Printed by Sam Social-Worker/);
  assert.match(res.body, /class="[^"]*app-print-break/);
  const rows = await printRows(p.id);
  assert.equal(rows.length, before + 1, 'exactly one print access row per opening');
  assert.deepEqual(rows.at(-1), { user_id: sam.id, purpose: 'record bundle' });

  // The record links to it.
  assert.match((await b.get(`/people/${p.id}`)).body, new RegExp(`href="/people/${p.id}/bundle"`));
});

test('the record bundle needs a relationship: refused, and nothing logged as printed', async () => {
  const p = await person();
  const b = new Browser(app);
  await b.login(coordinator.email);
  const res = await b.get(`/people/${p.id}/bundle`);
  assert.equal(res.statusCode, 403);
  assert.equal((await printRows(p.id)).length, 0);
  const admin = new Browser(app);
  await admin.login(userByRole(org, 'admin').email);
  assert.equal((await admin.get(`/people/${p.id}/bundle`)).statusCode, 403);
});
