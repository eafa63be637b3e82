// The protocol engine end to end: start, decide step by step through the pages and the API, race two deciders,
// go overdue, escalate by itself, and email exactly once.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, test } from 'node:test';
import { sweepDue } from '../src/jobs/deadlines.ts';
import { sha256 } from '../src/modules/auth/service.ts';
import { registerProtocolTimers } from '../src/modules/protocols/timers.ts';
import { Browser, fixedClock, seedOrganisation, testApp, testDatabase, userByRole } from './helpers.ts';

const { db } = await testDatabase();
const org = await seedOrganisation(db, 'proto');
// Monday 23 November 2026, 10:00.
const clock = fixedClock('2026-11-23T10:00:00Z');
const app = await testApp(db, { now: clock.now });
after(registerProtocolTimers(app.services.protocols));

const coordinator = userByRole(org, 'ehcp_coordinator');
const sendManager = userByRole(org, 'send_manager');
const adviceGiver = userByRole(org, 'advice_giver');
const clinicalLead = org.users.find((u) => u.name.startsWith('Raj'))!;

const person = await db
  .insertInto('people')
  .values({
    authority_id: org.authorityId,
    case_number: 'HO777001',
    given_name: 'Zara',
    family_name: 'Quarrie',
    date_of_birth: '2015-03-03',
  })
  .returning('id')
  .executeTakeFirstOrThrow();
await db
  .insertInto('involvements')
  .values({
    authority_id: org.authorityId,
    person_id: person.id,
    team_id: org.teams['send-statutory'] as string,
    worker_id: coordinator.id,
    reason: 'EHC needs assessment',
    start_date: '2026-10-01',
  })
  .execute();

async function token(userId: string) {
  const t = `hov_${randomBytes(16).toString('hex')}`;
  await db
    .insertInto('api_tokens')
    .values({ user_id: userId, token_hash: sha256(t), label: 'test' })
    .execute();
  return { authorization: `Bearer ${t}` };
}
const currentStep = async (instanceId: string) =>
  db
    .selectFrom('protocol_steps')
    .where('instance_id', '=', instanceId)
    .where('status', '=', 'open')
    .selectAll()
    .executeTakeFirstOrThrow();

test('a coordinator runs the Cumbria advice query to a logged follow-up; it goes overdue, escalates by itself and emails once', async () => {
  const jo = new Browser(app);
  await jo.login(coordinator.email);
  const start = await jo.get(`/people/${person.id}/protocols/new?protocol=cumbria-advice-query`);
  assert.equal(start.statusCode, 200);
  const started = await jo.post(`/people/${person.id}/protocols`, {
    protocol_id: 'cumbria-advice-query',
    // Version 1: this test covers the step-owner escalation ladder (version 2 keeps steps with the coordinator).
    protocol_version: '1',
    routes_tried: 'Phoned the setting twice',
  });
  assert.equal(started.statusCode, 303, started.body.slice(0, 400));
  const instanceUrl = String(started.headers.location);
  const instanceId = instanceUrl.split('/').pop()!;

  let page = await jo.get(instanceUrl);
  assert.match(page.body, /Current step: Check the advice received/);
  let step = await currentStep(instanceId);
  assert.equal(step.owner_user_id, coordinator.id);

  // A decision without an outcome: the field is named, nothing moves.
  const bad = await jo.post(`${instanceUrl}/steps/${step.id}/decide`, { version: String(step.version) });
  assert.equal(bad.statusCode, 400);
  assert.match(bad.body, /href="#outcome">Choose what happens next/);
  assert.equal((await currentStep(instanceId)).id, step.id);

  assert.equal(
    (await jo.post(`${instanceUrl}/steps/${step.id}/decide`, { outcome: 'unclear', version: String(step.version) }))
      .statusCode,
    303,
  );
  step = await currentStep(instanceId);
  assert.equal(step.step_key, 'discuss_with_line_manager');
  assert.equal(step.owner_user_id, sendManager.id, "the coordinator's line manager owns the discussion");
  assert.equal(step.due_date, '2026-11-25', '2 working days from Monday 23 November');

  // Two people decide the same step at once: exactly one wins, the other is told.
  const priya = await token(sendManager.id);
  const decide = (notes: string) =>
    app.inject({
      method: 'POST',
      url: `/api/v1/people/${person.id}/protocols/${instanceId}/steps/${step.id}/decision`,
      headers: priya,
      payload: { outcome: 'option_2', notes, version: step.version },
    });
  const raced = await Promise.all([decide('First decision'), decide('Second decision')]);
  assert.deepEqual(raced.map((r) => r.statusCode).sort(), [200, 409]);
  const loser = raced.find((r) => r.statusCode === 409)!;
  assert.match(loser.json().message, /already decided this step/);
  assert.equal(
    Number(
      (
        await db
          .selectFrom('protocol_steps')
          .where('instance_id', '=', instanceId)
          .where('step_key', '=', 'log_follow_up')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    ),
    1,
  );

  step = await currentStep(instanceId);
  assert.equal(step.step_key, 'log_follow_up');
  page = await jo.get(instanceUrl);
  assert.match(page.body, /Date of the email/);
  const logged = await jo.post(`${instanceUrl}/steps/${step.id}/decide`, {
    version: String(step.version),
    advice_giver: adviceGiver.id,
    what_is_needed: 'Section on speech and language needs is missing',
    'email_date-day': '23',
    'email_date-month': '11',
    'email_date-year': '2026',
    outcome: 'sent',
  });
  assert.equal(logged.statusCode, 303, logged.body.slice(0, 300));
  step = await currentStep(instanceId);
  assert.equal(step.step_key, 'await_updated_advice');
  assert.equal(step.owner_user_id, adviceGiver.id);
  assert.equal(step.due_date, '2026-11-30', '5 working days from the email on Monday 23 November');
  assert.match(
    String(step.due_rule),
    /5 working days from the follow up email on 2026-11-23 \(Cumbria advice query protocol step 3, Option 2\)/,
  );

  // The advice giver owns the step and sees it in My work, but owning a step does not open the record for an
  // advice giver: they see only what they are asked for (issue 9, finding 5).
  const fiona = new Browser(app);
  await fiona.login(adviceGiver.email);
  assert.equal((await fiona.get(`/people/${person.id}`)).statusCode, 403);
  assert.match((await fiona.get('/')).body, /Return the updated advice/);

  // Not yet overdue: the sweep does nothing on the due date itself.
  clock.set('2026-11-30T20:00:00Z');
  assert.deepEqual(await sweepDue(db, clock.now()), { fired: 0, failed: 0 });
  const outboxBefore = Number(
    (
      await db
        .selectFrom('outbox')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );

  // The day after: remind the advice giver, and escalate to their line manager.
  clock.set('2026-12-01T00:00:00Z');
  const first = await sweepDue(db, clock.now());
  assert.deepEqual(first, { fired: 2, failed: 0 });
  step = await currentStep(instanceId);
  assert.equal(step.owner_user_id, clinicalLead.id, 'escalated to the advice giver’s line manager');
  assert.equal(step.escalations, 1);
  const again = await sweepDue(db, clock.now());
  assert.deepEqual(again, { fired: 0, failed: 0 }, 'nothing fires twice');

  const mail = await db.selectFrom('outbox').orderBy('created_at').selectAll().offset(outboxBefore).execute();
  assert.equal(mail.length, 2, 'one reminder to the advice giver, one escalation notice to their manager');
  assert.deepEqual(mail.map((m) => m.to_addresses[0]).sort(), [adviceGiver.email, clinicalLead.email].sort());
  for (const m of mail) {
    assert.match(m.subject, /HO777001\/await_updated_advice/);
    assert.doesNotMatch(`${m.subject}\n${m.body}`, /Zara|Quarrie|2015-03-03/, 'no child-identifying data in email');
    assert.match(m.body, new RegExp(`/people/${person.id}/protocols/${instanceId}`));
  }

  // Two working days later the SEND managers are told as well (third rung), once.
  clock.set('2026-12-03T00:00:01Z');
  assert.deepEqual(await sweepDue(db, clock.now()), { fired: 1, failed: 0 });

  // The line manager closes it when the updated advice arrives.
  const raj = await token(clinicalLead.id);
  const closed = await app.inject({
    method: 'POST',
    url: `/api/v1/people/${person.id}/protocols/${instanceId}/steps/${step.id}/decision`,
    headers: raj,
    payload: { outcome: 'received', version: step.version + 0 },
  });
  assert.equal(closed.statusCode, 200, closed.body);
  assert.deepEqual(closed.json(), { ended: true });
  // Raj's access came from owning the open step; now it is closed, the allocated worker reads the result.
  assert.equal(
    (await app.inject({ method: 'GET', url: `/api/v1/people/${person.id}/protocols/${instanceId}`, headers: raj }))
      .statusCode,
    403,
  );
  const read = await app.inject({
    method: 'GET',
    url: `/api/v1/people/${person.id}/protocols/${instanceId}`,
    headers: await token(coordinator.id),
  });
  assert.equal(read.json().status, 'ended');
  assert.equal(read.json().result, 'follow_up_closed');
  assert.equal(read.json().history.length, 4, 'review, discussion, follow-up, awaiting advice');

  // The whole history is on the young person's timeline, and every move is audited.
  const again2 = new Browser(app);
  await again2.login(coordinator.email);
  const record = await again2.get(`/people/${person.id}`);
  for (const line of [
    'EHCP advice query escalation \\(Cumbria\\) started',
    'overdue, escalated from Fiona Advice-Giver',
    'ended: follow up closed',
  ]) {
    assert.match(record.body, new RegExp(line));
  }
  const audited = await db
    .selectFrom('audit_log')
    .where('entity', 'in', ['protocol_instance', 'protocol_step'])
    .select('action')
    .execute();
  assert.equal(
    audited.filter((a) => a.action === 'decide').length,
    4,
    'four decisions; the losing racer wrote nothing',
  );
  assert.ok(audited.some((a) => a.action === 'overdue'));
});

test('an instance keeps the definition version it started on', async () => {
  const row = await db
    .selectFrom('protocol_versions')
    .where('protocol_id', '=', 'cumbria-advice-query')
    .orderBy('version')
    .selectAll()
    .executeTakeFirstOrThrow();
  assert.equal(row.version, 1);
  const instances = await db.selectFrom('protocol_instances').select(['protocol_version']).execute();
  assert.ok(instances.every((i) => i.protocol_version === 1));
});

test('only the owner, their queue or their manager may decide; managers may reassign', async () => {
  const jo = await token(coordinator.id);
  const started = await app.inject({
    method: 'POST',
    url: `/api/v1/people/${person.id}/protocols`,
    headers: jo,
    payload: { protocol_id: 'cumbria-advice-query', protocol_version: '1' },
  });
  assert.equal(started.statusCode, 201, started.body);
  const instanceId = started.json().id;
  const step = await currentStep(instanceId);
  const stranger = await token(userByRole(org, 'forum_chair').id);
  const refused = await app.inject({
    method: 'POST',
    url: `/api/v1/people/${person.id}/protocols/${instanceId}/steps/${step.id}/decision`,
    headers: stranger,
    payload: { outcome: 'clear', version: step.version },
  });
  assert.ok([403, 404].includes(refused.statusCode), String(refused.statusCode));
  // Jo's line manager passes the step to someone else.
  const priya = await token(sendManager.id);
  const moved = await app.inject({
    method: 'POST',
    url: `/api/v1/people/${person.id}/protocols/${instanceId}/steps/${step.id}/reassignment`,
    headers: priya,
    payload: { owner_user_id: sendManager.id, version: step.version },
  });
  assert.equal(moved.statusCode, 204, moved.body);
  assert.equal((await currentStep(instanceId)).owner_user_id, sendManager.id);
  const stale = await app.inject({
    method: 'POST',
    url: `/api/v1/people/${person.id}/protocols/${instanceId}/steps/${step.id}/decision`,
    headers: jo,
    payload: { outcome: 'clear', version: step.version },
  });
  assert.equal(stale.statusCode, 409);
});
