// Browser journeys for documents on what is on a record (issue 11 capability 10): a worker attaches a document on a
// transfer's page (the success banner takes focus, the document is listed under Documents and downloads), and an
// advice giver sends their advice as a document instead of typing it. A clamd of the test's own scans the files;
// every page is checked with axe (and the W3C checker), and nothing scrolls sideways at 320px.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { capabilitiesOf } from '../../src/domain/roles.ts';
import { startClamd } from '../clamd.ts';
import { userByRole } from '../helpers.ts';
import { type Session, startHarness, textOf } from './harness.ts';

const clamd = await startClamd();
const h = await startHarness({
  documents: { scanning: 'clamd', clamd: { socket: clamd.socket }, dir: null, maxBytes: 1024 * 1024 },
});
const { db, org } = h;
const worker = userByRole(org, 'social_worker');
const manager = userByRole(org, 'team_manager');
const giver = userByRole(org, 'advice_giver');
const coordinator = userByRole(org, 'ehcp_coordinator');
const { allocated } = h.people;
const PDF = Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n');

async function checked(s: Session) {
  await s.checkAxe();
  const overflow = await s.page.evaluate(
    () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
  );
  assert.equal(overflow, 0, `nothing scrolls sideways on ${s.page.url()}`);
}

test('a worker attaches a document on a transfer’s page and downloads it', async () => {
  const dct = org.teams['dct-north'] as string;
  const inv = await db
    .selectFrom('involvements')
    .where('person_id', '=', allocated.id)
    .select('id')
    .executeTakeFirstOrThrow();
  const transferId = await h.app.services.transfers.request(
    {
      id: manager.id,
      authorityId: org.authorityId,
      email: manager.email,
      displayName: manager.name,
      roles: [manager.role],
      caps: capabilitiesOf([manager.role]),
      teamIds: [dct],
    },
    allocated.id,
    { involvement_id: inv.id, to_team_id: org.teams['dct-south'] as string, reason: 'Moving south' },
  );
  const s = await h.session({ as: worker });
  await s.page.setViewportSize({ width: 320, height: 800 });
  await s.goto(`/people/${allocated.id}/transfers/${transferId}`);
  await checked(s);
  const panel = s.page.locator('form[action$="/documents"]');
  await panel
    .getByLabel('Attach a document')
    .setInputFiles({ name: 'notes.pdf', mimeType: 'application/pdf', buffer: PDF });
  await panel.getByLabel('Title (optional)').fill('Handover meeting notes');
  await panel.getByRole('button', { name: 'Upload document' }).click();
  await s.page.waitForFunction(() => document.activeElement?.classList.contains('govuk-notification-banner'));
  assert.equal(
    await textOf(s.page.locator('.govuk-notification-banner__content')),
    'Document attached to the transfer',
  );
  await checked(s);
  const link = s.page.getByRole('link', { name: /Handover meeting notes/ });
  const [download] = await Promise.all([s.page.waitForEvent('download'), link.click()]);
  assert.match(download.suggestedFilename(), /^document-[0-9a-f-]{36}\.pdf$/);

  // The record's documents say what it is attached to, and link back to the transfer.
  await s.goto(`/people/${allocated.id}/documents`);
  await checked(s);
  await s.page.getByRole('link', { name: /^Transfer requested/ }).click();
  assert.match(s.page.url(), new RegExp(`/transfers/${transferId}$`));
});

test('an advice giver sends their advice as a document instead of typing it', async () => {
  const assessment = await db
    .insertInto('ehcp_assessments')
    .values({
      authority_id: org.authorityId,
      person_id: allocated.id,
      request_date: '2026-09-14',
      requested_by: 'parent',
      coordinator_id: coordinator.id,
      decision_to_assess: 'assess',
      decision_date: '2026-10-12',
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const request = await db
    .insertInto('ehcp_advice_requests')
    .values({
      authority_id: org.authorityId,
      assessment_id: assessment.id,
      person_id: allocated.id,
      kind: 'health',
      giver_user_id: giver.id,
      responsible_user_id: giver.id,
      question: 'Health needs relevant to education',
      requested_date: '2026-10-12',
      due_date: '2026-11-23',
      due_rule: '6 weeks from the request for advice on 2026-10-12 (SEND Regulations 2014 reg 8(1))',
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const s = await h.session({ as: giver });
  await s.page.setViewportSize({ width: 320, height: 800 });
  await s.goto(`/advice/${request.id}`);
  await checked(s);
  await s.page
    .getByLabel('Attach the advice as a document (optional)')
    .setInputFiles({ name: 'advice.pdf', mimeType: 'application/pdf', buffer: PDF });
  await s.page.getByLabel('Summary of needs (optional)').fill('Mobility');
  await s.page.getByRole('button', { name: 'Send advice' }).click();
  await s.page.waitForFunction(() => document.activeElement?.classList.contains('govuk-notification-banner'));
  assert.match(await textOf(s.page.locator('.govuk-notification-banner__content')), /Your advice has been sent/);
  await checked(s);
  assert.match(await textOf(s.page.locator('main')), /Sent as a document: advice/);
  const r = await db
    .selectFrom('ehcp_advice_requests')
    .where('id', '=', request.id)
    .select('status')
    .executeTakeFirstOrThrow();
  assert.equal(r.status, 'received');
});
