// Issue 10 part 3: a council changes a workflow in a file, without a release. The referral chase is a built-in
// protocol (src/protocols/referral-chase.ts, 10 working days, referrer reminded, their line manager told 3
// working days later). The council's version (docs/examples/referral-chase.yaml, copied into a temporary
// PROTOCOLS_DIR and loaded through the app's config) gives 5 working days and adds a rung: the service lead told
// 5 working days after the due date. A referral made after the change runs the council's ladder; one made before
// keeps version 1 and its 10 days to the end. The deadline sweep runs on a fixed clock.
import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { sweepDue } from '../src/jobs/deadlines.ts';
import { registerProtocolTimers } from '../src/modules/protocols/timers.ts';
import { Browser, fixedClock, seedOrganisation, testApp, testDatabase, userByRole } from './helpers.ts';

const { db } = await testDatabase();
const org = await seedOrganisation(db, 'council');
const clock = fixedClock('2026-11-23T10:00:00Z'); // a Monday
const dir = mkdtempSync(path.join(os.tmpdir(), 'handover-council-protocols-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const worker = userByRole(org, 'social_worker');
const lineManager = userByRole(org, 'team_manager');
const team = org.teams['dct-north'] as string;
const { service_id: serviceId } = await db
  .selectFrom('teams')
  .where('id', '=', team)
  .select('service_id')
  .executeTakeFirstOrThrow();
const serviceLead = await db
  .insertInto('users')
  .values({
    authority_id: org.authorityId,
    email: 'lead@council.test.example',
    display_name: 'Sol Service-Lead',
    roles: ['service_lead'],
    service_id: serviceId,
  })
  .returning('id')
  .executeTakeFirstOrThrow();
const person = await db
  .insertInto('people')
  .values({
    authority_id: org.authorityId,
    case_number: 'HO880321',
    given_name: 'Tamsin',
    family_name: 'Wrexleigh',
    date_of_birth: '2009-09-09',
  })
  .returning('id')
  .executeTakeFirstOrThrow();
await db
  .insertInto('involvements')
  .values({
    authority_id: org.authorityId,
    person_id: person.id,
    team_id: team,
    worker_id: worker.id,
    reason: 'Transition to adulthood',
    start_date: '2026-10-01',
  })
  .execute();
const services = await db.selectFrom('services').where('authority_id', '=', org.authorityId).select('id').execute();

/** Makes a referral on the plan page, as the worker would; returns its chase instance. */
async function refer(app: FastifyInstance, reason: string) {
  const b = new Browser(app);
  await b.login(worker.email);
  const form = await b.get(`/people/${person.id}/referrals/new`);
  const sent = await b.post(`/people/${person.id}/referrals`, {
    to_service_id: services[0]?.id as string,
    reason,
    basis: 'consent',
    basis_detail: 'The young person agreed',
  });
  assert.equal(sent.statusCode, 303, sent.body.slice(0, 300));
  const r = await db
    .selectFrom('referrals')
    .where('reason', '=', reason)
    .select(['id', 'protocol_instance_id'])
    .executeTakeFirstOrThrow();
  const page = await b.get(`/people/${person.id}/referrals/${r.id}`);
  return { ...r, page: page.body, form: form.body };
}

const told = async (userId: string, instanceId: string) =>
  (
    await db
      .selectFrom('notifications')
      .where('user_id', '=', userId)
      .where('link', 'like', `%${instanceId}%`)
      .where('message', 'like', 'Overdue%')
      .orderBy('created_at')
      .select('message')
      .execute()
  ).map((n) => n.message);

test('a council file changes the referral chase to 5 working days and adds the service lead; older referrals keep theirs', async () => {
  // Before the council's file: the built-in, version 1.
  const builtIn = await testApp(db, { now: clock.now });
  const before = await refer(builtIn, 'Supported living assessment (made before the change)');
  const v1 = await builtIn.services.transitions.referralFlow.state(db, before.protocol_instance_id);
  assert.deepEqual([v1.protocolVersion, v1.step, v1.due], [1, 'await_response', '2026-12-07']);
  assert.match(before.page, /10 working days from the referral on 23 November 2026/);
  assert.match(before.form, /Leave blank for 10 working days from today/);

  // The council puts its version in PROTOCOLS_DIR and restarts.
  copyFileSync('docs/examples/referral-chase.yaml', path.join(dir, 'referral-chase.yaml'));
  const app = await testApp(db, { now: clock.now, config: { protocolsDir: dir } });
  after(registerProtocolTimers(app.services.protocols));
  const afterChange = await refer(app, 'Supported living assessment (made after the change)');
  const v2 = await app.services.transitions.referralFlow.state(db, afterChange.protocol_instance_id);
  assert.deepEqual([v2.protocolVersion, v2.step, v2.due], [2, 'await_response', '2026-11-30']);
  assert.match(
    afterChange.page,
    /5 working days from the referral on 23 November 2026 \(Local referral standard \(example\)/,
  );
  // The referral made before the change still runs version 1.
  assert.equal((await app.services.transitions.referralFlow.state(db, before.protocol_instance_id)).due, '2026-12-07');

  const sweep = async (iso: string) => {
    clock.set(iso);
    const r = await sweepDue(db, clock.now());
    assert.equal(r.failed, 0);
  };
  const ladder = (instanceId: string) =>
    db
      .selectFrom('deadlines as d')
      .innerJoin('protocol_steps as s', (j) => j.onRef('s.id', '=', 'd.subject_id'))
      .where('s.instance_id', '=', instanceId)
      .orderBy('d.rung')
      .select(['d.rung', 'd.fired_at'])
      .execute();
  assert.deepEqual(
    (await ladder(afterChange.protocol_instance_id)).map((r) => r.rung),
    [0, 1, 2],
  );
  assert.deepEqual(
    (await ladder(before.protocol_instance_id)).map((r) => r.rung),
    [0, 1],
  );

  // The council's ladder: due Monday 30 November; reminded the next day; the line manager 3 working days on;
  // the service lead 5 working days after the due date.
  const b = afterChange.protocol_instance_id;
  await sweep('2026-12-01T09:00:00Z');
  assert.deepEqual(await told(worker.id, b), ['Overdue: Get a response to the referral']);
  assert.deepEqual(await told(lineManager.id, b), []);
  await sweep('2026-12-04T09:00:00Z');
  assert.deepEqual(await told(lineManager.id, b), [
    'Overdue step on a case you oversee: Get a response to the referral',
  ]);
  assert.deepEqual(await told(serviceLead.id, b), []);
  await sweep('2026-12-08T09:00:00Z');
  assert.deepEqual(await told(serviceLead.id, b), [
    'Overdue step on a case you oversee: Get a response to the referral',
  ]);

  // The older referral's 10-day ladder: reminded after 7 December, its line manager after 10 December, and
  // no service lead (version 1 has no such rung).
  const a = before.protocol_instance_id;
  assert.deepEqual(await told(worker.id, a), ['Overdue: Get a response to the referral']);
  assert.deepEqual(await told(lineManager.id, a), []);
  await sweep('2026-12-11T09:00:00Z');
  assert.deepEqual(await told(lineManager.id, a), [
    'Overdue step on a case you oversee: Get a response to the referral',
  ]);
  await sweep('2026-12-31T09:00:00Z');
  assert.deepEqual(await told(serviceLead.id, a), []);
  assert.equal((await told(serviceLead.id, b)).length, 1, 'each rung fires once');

  // The timeline says who was told, for each.
  const events = await db
    .selectFrom('events')
    .where('person_id', '=', person.id)
    .where('title', 'like', 'Get a response to the referral: overdue%')
    .select('title')
    .execute();
  assert.equal(events.length, 5, events.map((e) => e.title).join('\n'));
});

test('a council version that drops a response the module records is refused at start, naming the step', async () => {
  const broken = mkdtempSync(path.join(os.tmpdir(), 'handover-council-broken-'));
  after(() => rmSync(broken, { recursive: true, force: true }));
  const text = readFileSync('docs/examples/referral-chase.yaml', 'utf8')
    .replace('version: 2', 'version: 3')
    .replace(/ {6}- id: withdrawn\n {8}label: Withdrawn\n {8}end: withdrawn\n\n/, '\n');
  assert.notEqual(text.length, readFileSync('docs/examples/referral-chase.yaml', 'utf8').length);
  writeFileSync(path.join(broken, 'referral-chase.yaml'), text);
  await assert.rejects(
    testApp(db, { now: clock.now, config: { protocolsDir: broken } }),
    /referral-chase version 3 \(.*referral-chase\.yaml\) cannot run:\n {2}step await_response: the module moves it on with outcome "withdrawn"; keep it/,
  );
});
