// issue 3's whole path for a council-authored file: validated and loaded from PROTOCOLS_DIR, drawn, started for a
// person, decided step by step through the pages, left to go overdue, escalated by the sweep, emailed once.
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

  const started = await b.post(`/people/${person.id}/protocols`, { protocol_id: 'referral-chase' });
  assert.equal(started.statusCode, 303, started.body.slice(0, 300));
  const url = String(started.headers.location);
  const instanceId = url.split('/').pop()!;
  const open = () =>
    db
      .selectFrom('protocol_steps')
      .where('instance_id', '=', instanceId)
      .where('status', '=', 'open')
      .selectAll()
      .executeTakeFirstOrThrow();
  let step = await open();
  assert.equal(step.owner_user_id, worker.id);
  const sent = await b.post(`${url}/steps/${step.id}/decide`, {
    version: String(step.version),
    receiving_service: 'Adult Social Care',
    'referral_date-day': '23',
    'referral_date-month': '11',
    'referral_date-year': '2026',
    outcome: 'sent',
  });
  assert.equal(sent.statusCode, 303);
  step = await open();
  assert.equal(step.step_key, 'await_response');
  assert.equal(step.due_date, '2026-12-07', '10 working days from Monday 23 November');
  const page = await b.get(url);
  assert.match(page.body, /10 working days from the referral on 2026-11-23 \(Local referral standard \(example\)/);

  // Overdue: reminded on 8 December; two working days later the line manager takes it over, and is emailed once.
  clock.set('2026-12-08T09:00:00Z');
  assert.deepEqual(await sweepDue(db, clock.now()), { fired: 1, failed: 0 });
  clock.set('2026-12-10T09:00:00Z');
  assert.deepEqual(await sweepDue(db, clock.now()), { fired: 1, failed: 0 });
  assert.deepEqual(await sweepDue(db, clock.now()), { fired: 0, failed: 0 });
  step = await open();
  assert.equal(step.owner_user_id, manager.id, 'escalated to the worker’s line manager');
  const toManager = (await db.selectFrom('outbox').selectAll().execute()).filter((m) =>
    m.to_addresses.includes(manager.email),
  );
  assert.equal(toManager.filter((m) => m.subject.includes('HO880001/await_response')).length, 1);
  assert.doesNotMatch(toManager.map((m) => m.subject + m.body).join('\n'), /Ezra|Nettleship/);
});
