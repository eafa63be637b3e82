// Browser journey for the Kent transfer protocol: a team manager requests a transfer from the person record,
// completes the transfer standards (summary, sign-off, quality assurance, notices, handover meeting) and sends it;
// the receiving team manager returns it with missing work; the originating team does it and sends again; the
// receiving team accepts and allocates. The unallocated list and the timeliness page render. axe on every page.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { userByRole } from '../helpers.ts';
import { type Session, startHarness, textOf } from './harness.ts';

const h = await startHarness();
const { db, org } = h;
const tm = userByRole(org, 'team_manager'); // DCT North
const sw = userByRole(org, 'social_worker'); // DCT North
const sm = userByRole(org, 'service_manager'); // Young People's Team
const person = await db
  .insertInto('people')
  .values({
    authority_id: org.authorityId,
    case_number: 'HO777001',
    given_name: 'Tamsin',
    family_name: 'Ashdown',
    date_of_birth: '2010-05-02',
  })
  .returning('id')
  .executeTakeFirstOrThrow();
await db
  .insertInto('involvements')
  .values({
    authority_id: org.authorityId,
    person_id: person.id,
    team_id: org.teams['dct-north'] as string,
    worker_id: sw.id,
    reason: 'Disabled child in need',
    start_date: '2025-01-06',
  })
  .execute();
await db
  .insertInto('contacts')
  .values({ authority_id: org.authorityId, person_id: person.id, name: 'Rhian Ashdown', relationship: 'Mother' })
  .execute();
await db
  .insertInto('person_statuses')
  .values({
    authority_id: org.authorityId,
    person_id: person.id,
    status: 'child_protection_plan',
    start_date: '2026-02-01',
  })
  .execute();
const P = `/people/${person.id}`;

async function visit(s: Session, path: string, status = 200) {
  assert.equal(await s.goto(path), status, path);
  await s.checkAxe();
}
async function press(s: Session, name: string) {
  if (process.env.DEBUG_STEPS) console.log('press', name, s.page.url());
  await s.click(s.page.getByRole('button', { name, exact: true }));
  await s.checkAxe();
}
const main = (s: Session) => textOf(s.page.locator('main'));

test('a transfer from the record to allocation, returned once with missing work', async () => {
  const s = await h.session({ as: tm });
  await visit(s, P);
  await s.click(s.page.getByRole('link', { name: "Transfer from Disabled Children's Team North" }));
  await s.checkAxe();
  assert.match(await main(s), /The team remits propose Young People/);
  await s.page.getByLabel('Receiving team').selectOption({ index: 0 });
  await press(s, 'Record the transfer decision');
  // The error summary is shown and the form is still accessible.
  await s.page.getByLabel('Receiving team').selectOption(org.teams.ypt as string);
  await s.page.getByLabel('Your decision as team manager: why the case is transferring').fill('Turned 16');
  await press(s, 'Record the transfer decision');
  const url = new URL(s.page.url()).pathname;
  assert.match(url, /\/transfers\/[0-9a-f-]{36}$/);
  assert.match(await main(s), /the transfer protocol for this case/);

  // The allocated worker writes the summary; the team manager signs it off and quality-assures the file: the
  // summary's writer may not also assure it (Kent 5.1, issue 11 defect 6).
  const w = await h.session({ as: sw });
  await visit(w, url);
  await w.page.getByLabel('Updated case information').fill('Settled at home; CP plan reviewed');
  await w.page.getByLabel('Important dates').fill('CP review 3 December 2026');
  await w.page.getByLabel('Urgent actions to follow up').fill('None');
  await press(w, 'Save summary');
  await w.page.waitForFunction(() => document.activeElement?.classList.contains('govuk-notification-banner'));
  assert.match(await main(w), /Transfer summary saved/);
  await w.close();
  await visit(s, url);
  await press(s, 'Sign off the summary as team manager');
  await s.page.getByLabel('What you checked in the file').fill('Chronology and plan up to date');
  await s.page.getByLabel('Records are up to date and the case meets the practice standards').check();
  await press(s, 'Record quality assurance');
  await press(s, 'Send the written notices');
  await s.page.getByRole('radio', { name: 'No, it is not possible' }).check();
  await s.page.getByLabel('Why not, if there is no meeting').fill('Carer unavailable this month');
  await press(s, 'Record the meeting');
  assert.match(await main(s), /The checklist is complete/);
  await press(s, "Send the transfer to Young People's Team");
  assert.match(await main(s), /Status\s*Sent/);

  // The protocol instance behind it: the receiving team's decision is the open step.
  await s.click(s.page.getByRole('link', { name: 'the transfer protocol for this case' }));
  await s.checkAxe();
  assert.match(await main(s), /Receiving team accepts the transfer or returns it/);
  await s.close();

  // The receiving team manager returns it with missing work.
  const r = await h.session({ as: sm });
  await visit(r, '/transfers');
  await r.click(r.page.getByRole('link', { name: 'Tamsin Ashdown' }).first());
  await r.checkAxe();
  await r.page
    .getByLabel('Missing exemplars, assessments or other work (one item a line)')
    .fill('Up-to-date chronology');
  await press(r, 'Return the transfer');
  assert.match(await main(r), /Status\s*Returned/);

  // The originating team does it and sends again.
  const o = await h.session({ as: tm });
  await visit(o, url);
  await o.click(o.page.getByRole('button', { name: /Mark done/ }));
  await o.checkAxe();
  await press(o, "Send the transfer to Young People's Team");
  await o.close();

  // Receiving accepts and allocates; the child is never without a worker.
  await visit(r, url);
  await press(r, 'Accept the transfer');
  assert.match(await main(r), /Status\s*Accepted/);
  await r.page
    .getByRole('radio', { name: sm.email === '' ? '' : (/./ as unknown as string) })
    .first()
    .check();
  await press(r, 'Allocate and complete the transfer');
  assert.match(await main(r), /Status\s*Completed/);
  await visit(r, '/transfers#unallocated');
  assert.match(await main(r), /Waiting for a worker/);
  await visit(r, '/transfers/timeliness');
  assert.match(await main(r), /Young People/);
  await r.close();

  const open = await db
    .selectFrom('involvements')
    .where('person_id', '=', person.id)
    .where('end_date', 'is', null)
    .select(['team_id', 'worker_id'])
    .execute();
  assert.equal(open.length, 1);
  assert.equal(open[0]?.team_id, org.teams.ypt);
});
