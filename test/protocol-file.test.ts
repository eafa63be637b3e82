// issue 3's whole path for a council-authored file: validated and loaded from PROTOCOLS_DIR, drawn, started for a
// person, left to go overdue, escalated by the sweep, emailed once. The file (docs/examples/referral-chase.yaml) is
// the council's version 2 of the built-in referral chase, which the transitions module drives: a referral made on
// the plan starts it, and it is not started from the protocol pages (test/council-protocol-file.test.ts: versions).
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, test } from 'node:test';
import { sweepDue } from '../src/jobs/deadlines.ts';
import { ProtocolRegistry } from '../src/modules/protocols/registry.ts';
import { registerProtocolTimers } from '../src/modules/protocols/timers.ts';
import { Browser, fixedClock, seedOrganisation, testApp, testDatabase, userByRole } from './helpers.ts';

test('a council protocol file runs from the folder to an escalation and one email', async () => {
  const { db } = await testDatabase();
  const org = await seedOrganisation(db, 'file');
  const clock = fixedClock('2026-11-23T10:00:00Z'); // a Monday
  const dir = path.resolve('docs/examples');
  const loaded = await ProtocolRegistry.load(dir);
  assert.deepEqual(loaded.problems, []);
  const app = await testApp(db, { now: clock.now, config: { protocolsDir: dir } });
  after(registerProtocolTimers(app.services.protocols));

  const worker = userByRole(org, 'social_worker');
  const manager = userByRole(org, 'team_manager');
  const person = await db
    .insertInto('people')
    .values({
      authority_id: org.authorityId,
      case_number: 'HO880001',
      given_name: 'Ezra',
      family_name: 'Nettleship',
      date_of_birth: '2010-05-05',
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await db
    .insertInto('involvements')
    .values({
      authority_id: org.authorityId,
      person_id: person.id,
      team_id: org.teams['dct-north'] as string,
      worker_id: worker.id,
      reason: 'Assessment',
      start_date: '2026-10-01',
    })
    .execute();

  const b = new Browser(app);
  await b.login(worker.email);
  const listed = await b.get('/protocols');
  assert.match(listed.body, /Chase a referral response/);
  const drawn = await b.get('/protocols/referral-chase');
  assert.match(drawn.body, /<svg[^>]*role="img"/);
  assert.match(drawn.body, /Get a response to the referral/);

  const refused = await b.post(`/people/${person.id}/protocols`, { protocol_id: 'referral-chase' });
  assert.equal(refused.statusCode, 400);
  assert.match(refused.body, /This protocol starts by itself: record the response on the person-led plan/);
  const service = await db
    .selectFrom('services')
    .where('authority_id', '=', org.authorityId)
    .where('name', '=', 'Adult Social Care')
    .select('id')
    .executeTakeFirstOrThrow();
  const sent = await b.post(`/people/${person.id}/referrals`, {
    to_service_id: service.id,
    reason: 'Care Act assessment',
    basis: 'consent',
    basis_detail: 'The young person agreed',
  });
  assert.equal(sent.statusCode, 303, sent.body.slice(0, 300));
  const { protocol_instance_id: instanceId } = await db
    .selectFrom('referrals')
    .where('person_id', '=', person.id)
    .select('protocol_instance_id')
    .executeTakeFirstOrThrow();
  const url = `/people/${person.id}/protocols/${instanceId}`;
  const open = () =>
    db
      .selectFrom('protocol_steps')
      .where('instance_id', '=', instanceId)
      .where('status', '=', 'open')
      .selectAll()
      .executeTakeFirstOrThrow();
  let step = await open();
  assert.equal(step.step_key, 'await_response');
  assert.equal(step.owner_user_id, worker.id);
  assert.equal(step.due_date, '2026-11-30', '5 working days from Monday 23 November');
  const page = await b.get(url);
  assert.match(page.body, /5 working days from the referral on 23 November 2026 \(Local referral standard \(example\)/);

  // Overdue: reminded on 1 December; three working days later the line manager is told, and emailed once.
  clock.set('2026-12-01T09:00:00Z');
  assert.deepEqual(await sweepDue(db, clock.now()), { fired: 1, failed: 0 });
  clock.set('2026-12-04T09:00:00Z');
  assert.deepEqual(await sweepDue(db, clock.now()), { fired: 1, failed: 0 });
  assert.deepEqual(await sweepDue(db, clock.now()), { fired: 0, failed: 0 });
  step = await open();
  assert.equal(step.owner_user_id, worker.id, 'the referrer keeps the step; their line manager is told');
  const toManager = (await db.selectFrom('outbox').selectAll().execute()).filter((m) =>
    m.to_addresses.includes(manager.email),
  );
  assert.equal(toManager.filter((m) => m.subject.includes('HO880001/await_response')).length, 1);
  assert.doesNotMatch(toManager.map((m) => m.subject + m.body).join('\n'), /Ezra|Nettleship/);
});
