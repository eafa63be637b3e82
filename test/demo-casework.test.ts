// The demo's casework (issue 11): case notes of several types on the demo social worker's young people, two of them
// significant with a summary (the chronology has entries), written through the notes service so the audit chain
// verifies; a leaving worker in the Disabled Children's Team North whose cases and overdue plan action a team manager
// can move; and a PDF on a record (scanning is off in the demo without clamd, so it is stored as not scanned).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ageOn } from '../src/domain/age.ts';
import { verifyAuditChain } from '../src/modules/audit/service.ts';
import { demoPdf, LEAVER_EMAIL } from '../src/modules/demo/casework.ts';
import { DEMO_PASSWORD, ensureDemo } from '../src/modules/demo/seed.ts';
import { sniff } from '../src/modules/documents/sniff.ts';
import { Browser, fixedClock, testApp, testConfig, testDatabase } from './helpers.ts';

const { db } = await testDatabase({ demo: true });
const clock = fixedClock('2026-11-23T10:00:00Z');
const config = testConfig();
const demo = await ensureDemo(db, { config, now: clock.now });
const app = await testApp(db, { now: clock.now });
const email = (role: string) => demo.users.find((u) => u.role === role)?.email as string;

test('case notes of several types, two significant with summaries, each with its audit row; the chain verifies', async () => {
  const notes = await db
    .selectFrom('case_note_versions as v')
    .innerJoin('users as u', 'u.id', 'v.written_by')
    .select(['v.note_type', 'v.significant', 'v.summary', 'u.email', 'v.note_id'])
    .execute();
  assert.ok(notes.length >= 5, `${notes.length} notes`);
  assert.ok(new Set(notes.map((n) => n.note_type)).size >= 4, 'at least four types of note');
  const significant = notes.filter((n) => n.significant);
  assert.equal(significant.length, 2);
  assert.ok(significant.every((n) => n.summary && n.summary.length > 10));
  assert.ok(notes.every((n) => n.email === 'social.worker@demoshire.example'));
  const ages = await db
    .selectFrom('case_note_versions as v')
    .innerJoin('people as p', 'p.id', 'v.person_id')
    .select('p.date_of_birth')
    .execute();
  assert.ok(
    ages.every((a) => ageOn(a.date_of_birth, '2026-11-23') >= 5 && ageOn(a.date_of_birth, '2026-11-23') <= 15),
    'the notes (school, the school bus) are about school-age children',
  );
  const audited = await db
    .selectFrom('audit_log')
    .where(
      'entity_id',
      'in',
      notes.map((n) => n.note_id),
    )
    .select('entity_id')
    .execute();
  assert.equal(new Set(audited.map((a) => a.entity_id)).size, notes.length, 'every note is on the audit log');
  const verdict = await verifyAuditChain(db);
  assert.equal(verdict.ok, true, JSON.stringify(verdict));
});

test('the worker sees the chronology and the document on the record', async () => {
  const doc = await db
    .selectFrom('documents as d')
    .innerJoin('users as u', 'u.id', 'd.uploaded_by')
    .select(['d.person_id', 'd.title', 'd.media_type', 'd.scan_result', 'u.email'])
    .executeTakeFirstOrThrow();
  assert.deepEqual(
    [doc.media_type, doc.scan_result, doc.email],
    ['application/pdf', 'not_scanned', 'social.worker@demoshire.example'],
  );
  const sam = new Browser(app);
  await sam.login(email('social_worker'), DEMO_PASSWORD);
  const record = await sam.get(`/people/${doc.person_id}`);
  assert.equal(record.statusCode, 200);
  assert.match(record.body, /Short breaks assessment \(demo document\)/);
  const chronology = await sam.get(`/people/${doc.person_id}/chronology`);
  assert.equal(chronology.statusCode, 200);
  assert.match(chronology.body, /Told school of bullying on the school bus/);
  assert.equal((await sniff(demoPdf('x')))?.mediaType, 'application/pdf');
});

test('a leaving worker in the team holds cases and an overdue action the team manager can move', async () => {
  const leaver = demo.users.find((u) => u.email === LEAVER_EMAIL);
  assert.ok(leaver, 'the leaver is among the sign-ins');
  const cases = await db
    .selectFrom('involvements as i')
    .innerJoin('teams as t', 't.id', 'i.team_id')
    .where('i.worker_id', '=', leaver.id)
    .where('i.end_date', 'is', null)
    .select(['t.name', 'i.id', 'i.team_id'])
    .execute();
  assert.equal(cases.length, 3);
  assert.ok(cases.every((c) => c.name === "Disabled Children's Team North"));
  const action = await db
    .selectFrom('plan_actions')
    .where('owner_user_id', '=', leaver.id)
    .select(['due_date', 'status'])
    .executeTakeFirstOrThrow();
  assert.ok(action.due_date && action.due_date < '2026-11-23', 'the action is overdue');
  const manager = new Browser(app);
  await manager.login(email('team_manager'), DEMO_PASSWORD);
  const page = await manager.get(`/teams/${cases[0]?.team_id}/workers/${leaver.id}/reallocate`);
  assert.equal(page.statusCode, 200, page.body.slice(0, 300));
  assert.match(page.body, /Book the travel training assessment/);
  assert.match(page.body, /Sam Social-Worker/, 'Sam is offered as the receiver');
});
