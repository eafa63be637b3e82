// No cliff edge at 18 (issue 12 part 8): the daily job starts a joint transition plan only for a young person under
// 18 at the start age whose latest screening is open and at medium or above, and only once; at 17½ with no post-18
// owner the deadline sweep escalates to the service manager and then the exploitation lead (notifications, My
// work); naming the owner stops it; the allocation guard refuses to end the children's involvement and allows it
// once a decision is recorded; the API reads and moves the plan, names each field on bad input and writes nothing.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, test } from 'node:test';
import { sweepDue } from '../src/jobs/deadlines.ts';
import { sha256 } from '../src/modules/auth/service.ts';
import { addMonths } from '../src/modules/post18/dates.ts';
import { registerProtocolTimers } from '../src/modules/protocols/timers.ts';
import { fixedClock, personInTeam, seedOrganisation, testApp, testDatabase, userByRole } from './helpers.ts';

const { db } = await testDatabase();
const org = await seedOrganisation(db, 'p18');
// Monday 23 November 2026, 10:00 in London.
const clock = fixedClock('2026-11-23T10:00:00Z');
const app = await testApp(db, { now: clock.now });
after(registerProtocolTimers(app.services.protocols));
const { post18 } = app.services;
const worker = userByRole(org, 'social_worker');
const manager = userByRole(org, 'service_manager');
const lead = userByRole(org, 'exploitation_lead');
const team = org.teams['dct-north'] as string;
const today = '2026-11-23';

let serial = 0;
async function youngPerson(ageMonths: number, level: 'low' | 'medium' | 'high' | null, o: { closed?: boolean } = {}) {
  serial++;
  const id = await personInTeam(db, {
    authorityId: org.authorityId,
    team,
    worker: worker.id,
    caseNumber: `P18-${serial}`,
    givenName: 'Tia',
    familyName: `Transition${serial}`,
    dateOfBirth: addMonths(today, -ageMonths),
  });
  if (level) {
    const rank = { low: 0, medium: 1, high: 2 }[level];
    let instance: string | null = null;
    if (o.closed) {
      const i = await db
        .insertInto('protocol_instances')
        .values({
          authority_id: org.authorityId,
          person_id: id,
          protocol_id: 'exploitation-screening',
          protocol_version: 1,
          status: 'ended',
          result: 'closed',
          started_by: worker.id,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      instance = i.id;
    }
    await db
      .insertInto('screenings')
      .values({
        authority_id: org.authorityId,
        person_id: id,
        instrument_id: 'child-exploitation',
        instrument_version: 1,
        screened_on: '2026-11-01',
        age_at_screening: Math.floor(ageMonths / 12),
        send_or_learning_disability: false,
        answers: JSON.stringify({}),
        suggested_level: level,
        proposed_level: level,
        proposed_rank: rank,
        proposed_by: worker.id,
        review_due: '2027-02-01',
        protocol_instance_id: instance,
      })
      .execute();
  }
  return id;
}

const plan = (personId: string) =>
  db.selectFrom('transition_plans').where('person_id', '=', personId).selectAll().executeTakeFirst();

async function tokenFor(userId: string) {
  const token = `hov_${randomBytes(16).toString('hex')}`;
  await db
    .insertInto('api_tokens')
    .values({ user_id: userId, token_hash: sha256(token), label: 'test' })
    .execute();
  return { authorization: `Bearer ${token}` };
}
const workerApi = await tokenFor(worker.id);
const leadApi = await tokenFor(lead.id);
const actor = { id: worker.id, authorityId: org.authorityId, roles: ['social_worker'] } as never;

test('the daily job starts plans only for medium or above, under 18, from 17, open screenings, and only once', async () => {
  const medium17 = await youngPerson(12 * 17 + 1, 'medium');
  const high17 = await youngPerson(12 * 17 + 8, 'high');
  const low17 = await youngPerson(12 * 17 + 2, 'low');
  const closed17 = await youngPerson(12 * 17 + 2, 'high', { closed: true });
  const medium16 = await youngPerson(12 * 16 + 6, 'medium');
  const adult = await youngPerson(12 * 18 + 1, 'high');
  const unscreened = await youngPerson(12 * 17 + 3, null);
  const started = await post18.startDue();
  assert.ok(started >= 2, `started ${started}`);
  assert.ok(await plan(medium17));
  assert.ok(await plan(high17));
  for (const id of [low17, closed17, medium16, adult, unscreened]) assert.equal(await plan(id), undefined, id);
  assert.equal(await post18.startDue(), 0, 'a second run starts nothing');
  const p = await plan(medium17);
  const state = await post18.flow.state(db, p?.protocol_instance_id as string);
  assert.equal(state.step, 'start_plan');
  assert.equal(state.anchors.owner_due, addMonths(addMonths(today, -(12 * 17 + 1)), 12 * 18 - 6));
  const events = await db.selectFrom('events').where('person_id', '=', medium17).select('title').execute();
  assert.ok(events.some((e) => e.title.startsWith('Joint transition plan started')));
});

test('at 17½ with no post-18 owner the sweep escalates to the service manager, then the exploitation lead; naming the owner stops it', async () => {
  // 17 years 5 months today: the post-18 owner is due in a month.
  const id = await youngPerson(12 * 17 + 5, 'high');
  await post18.startDue();
  const p = await plan(id);
  assert.ok(p);
  await post18.savePlan(actor, id, {
    pre18_owner_id: worker.id,
    at_eighteen: 'Moves to the Exploitation Hub',
    views: 'Wants the same worker',
    version: p.version,
  });
  const inst = p.protocol_instance_id;
  assert.equal((await post18.flow.state(db, inst)).step, 'name_post18_owner');

  clock.set('2026-12-24T09:00:00Z'); // the day after 17½
  await sweepDue(db, clock.now());
  let state = await post18.flow.state(db, inst);
  assert.equal(state.ownerUserId, manager.id, `escalated to the service manager: ${state.ownerLabel}`);
  const toManager = await db
    .selectFrom('notifications')
    .where('user_id', '=', manager.id)
    .where('subject_type', 'is not', null)
    .select('message')
    .execute();
  assert.ok(
    toManager.some((n) => n.message.includes('Name the post-18 owner')),
    JSON.stringify(toManager),
  );

  clock.set('2027-01-08T09:00:00Z'); // more than 5 working days later
  await sweepDue(db, clock.now());
  state = await post18.flow.state(db, inst);
  assert.equal(state.ownerUserId, lead.id, `escalated to the exploitation lead: ${state.ownerLabel}`);
  assert.equal(state.escalations, 2);
  const work = await app.inject({ method: 'GET', url: '/api/v1/my-work', headers: leadApi });
  assert.equal(work.statusCode, 200, work.body);
  assert.ok(work.body.includes('Name the post-18 owner'), 'on the lead’s work list');

  const current = await plan(id);
  await post18.nameOwner(actor, id, {
    post18_setting: 'exploitation_hub',
    post18_owner_id: lead.id,
    version: current?.version as number,
  });
  state = await post18.flow.state(db, inst);
  assert.equal(state.step, 'care_act_assessment');
  assert.equal(state.ownerUserId, lead.id, 'the post-18 owner records the three-part test');
  const before = await db.selectFrom('notifications').where('user_id', '=', manager.id).select('id').execute();
  clock.set('2027-01-20T09:00:00Z');
  await sweepDue(db, clock.now());
  const afterRows = await db.selectFrom('notifications').where('user_id', '=', manager.id).select('id').execute();
  assert.equal(afterRows.length, before.length, 'no more escalation once the owner is named');
  clock.set('2026-11-23T10:00:00Z');
});

test('a plan never written escalates at 17½ too: to the service manager, then 5 working days later the lead', async () => {
  // 17 years 5 months today: the plan is due in 10 working days, the post-18 owner in a month.
  const id = await youngPerson(12 * 17 + 5, 'medium');
  await post18.startDue();
  const p = await plan(id);
  assert.ok(p);
  const inst = p.protocol_instance_id;
  clock.set('2026-12-22T09:00:00Z'); // the plan is overdue, 17½ not yet come
  await sweepDue(db, clock.now());
  let state = await post18.flow.state(db, inst);
  assert.equal(state.step, 'start_plan');
  assert.equal(state.ownerUserId, worker.id, 'before 17½ the worker keeps it (reminded, line manager told)');
  clock.set('2026-12-24T09:00:00Z'); // the day after 17½
  await sweepDue(db, clock.now());
  state = await post18.flow.state(db, inst);
  assert.equal(state.step, 'start_plan');
  assert.equal(state.ownerUserId, manager.id, `escalated to the service manager: ${state.ownerLabel}`);
  clock.set('2027-01-08T09:00:00Z');
  await sweepDue(db, clock.now());
  state = await post18.flow.state(db, inst);
  assert.equal(state.ownerUserId, lead.id, `escalated to the exploitation lead: ${state.ownerLabel}`);
  assert.equal(state.escalations, 2);
  clock.set('2026-11-23T10:00:00Z');
});

test('the children’s involvement cannot end with no post-18 owner until a decision is recorded', async () => {
  const id = await youngPerson(12 * 17 + 2, 'medium');
  await post18.startDue();
  const inv = await db
    .selectFrom('involvements')
    .where('person_id', '=', id)
    .where('end_date', 'is', null)
    .select('id')
    .executeTakeFirstOrThrow();
  const user = { ...org.users.find((u) => u.id === worker.id), id: worker.id, authorityId: org.authorityId } as never;
  await assert.rejects(
    app.services.people.endInvolvement(user, id, inv.id),
    (e: Error & { fields?: Record<string, string> }) => {
      assert.match(e.fields?.involvement ?? '', /no post-18 owner: name who will hold the case after 18/);
      return true;
    },
  );
  const p = await plan(id);
  const bad = await app.inject({
    method: 'PUT',
    url: `/api/v1/people/${id}/transition-plan/decision`,
    headers: workerApi,
    payload: { no_owner_decision: '', version: p?.version },
  });
  assert.equal(bad.statusCode, 400, bad.body);
  assert.match(bad.json().fields.no_owner_decision, /Enter why the children’s involvement can end/);
  const ok = await app.inject({
    method: 'PUT',
    url: `/api/v1/people/${id}/transition-plan/decision`,
    headers: workerApi,
    payload: { no_owner_decision: 'Moved to another council, which holds the case', version: p?.version },
  });
  assert.equal(ok.statusCode, 200, ok.body);
  const audit = await db
    .selectFrom('audit_log')
    .where('person_id', '=', id)
    .where('entity', '=', 'transition_plan')
    .select(['action', 'detail'])
    .execute();
  assert.ok(audit.some((a) => (a.detail as { part?: string }).part === 'no_owner_decision'));
  await app.services.people.endInvolvement(user, id, inv.id);
});

test('API: read, start early, name the owner, the three-part test, the handover by the post-18 owner only', async () => {
  const id = await youngPerson(12 * 16 + 2, 'medium');
  const url = `/api/v1/people/${id}/transition-plan`;
  const none = await app.inject({ method: 'GET', url, headers: workerApi });
  assert.equal(none.statusCode, 200, none.body);
  assert.equal(none.json().plan, null);
  const started = await app.inject({ method: 'POST', url, headers: workerApi });
  assert.equal(started.statusCode, 201, started.body);
  assert.equal(started.json().state.step, 'start_plan');
  const again = await app.inject({ method: 'POST', url, headers: workerApi });
  assert.equal(again.statusCode, 409, again.body);
  let version = started.json().plan.version;
  const bad = await app.inject({
    method: 'PUT',
    url: `${url}/post18-owner`,
    headers: workerApi,
    payload: { post18_setting: 'nowhere', version },
  });
  assert.equal(bad.statusCode, 400, bad.body);
  assert.ok(bad.json().fields.post18_owner_id);
  assert.equal((await plan(id))?.post18_owner_id, null, 'nothing written');
  const named = await app.inject({
    method: 'PUT',
    url: `${url}/post18-owner`,
    headers: workerApi,
    payload: { post18_setting: 'adult_social_care', post18_owner_id: lead.id, version },
  });
  assert.equal(named.statusCode, 200, named.body);
  assert.equal(named.json().state.step, 'start_plan', 'the plan is not written yet');
  version = named.json().plan.version;
  const stale = await app.inject({
    method: 'PUT',
    url: `${url}/plan`,
    headers: workerApi,
    payload: { pre18_owner_id: worker.id, at_eighteen: 'x', views: 'y', version: version - 1 },
  });
  assert.equal(stale.statusCode, 409, stale.body);
  const written = await app.inject({
    method: 'PUT',
    url: `${url}/plan`,
    headers: workerApi,
    payload: { pre18_owner_id: worker.id, at_eighteen: 'Adult Social Care from 18', views: 'Keen', version },
  });
  assert.equal(written.json().state.step, 'care_act_assessment', 'owner already named: straight on');
  const test3 = {
    impairment: true,
    impairment_evidence: 'Diagnosed anxiety disorder',
    outcomes_unable: true,
    outcomes_evidence: 'Cannot keep safe in the community, nor keep a tenancy',
    wellbeing_impact: true,
    wellbeing_evidence: 'Exploited when unsupported',
    care_act_conclusion: 'Eligible: care and support plan from 18',
    version: written.json().plan.version,
  };
  const assessed = await app.inject({ method: 'PUT', url: `${url}/care-act`, headers: workerApi, payload: test3 });
  assert.equal(assessed.statusCode, 200, assessed.body);
  assert.equal(assessed.json().state.step, 'handover');
  assert.equal(assessed.json().meets_all_three, true);
  const v = assessed.json().plan.version;
  const notOwner = await app.inject({
    method: 'POST',
    url: `${url}/handover`,
    headers: workerApi,
    payload: { version: v },
  });
  assert.equal(notOwner.statusCode, 403, notOwner.body);
  // The post-18 owner has no relationship with the record yet; the worker's read shows the end after they confirm.
  await post18.confirmHandover(
    { id: lead.id, authorityId: org.authorityId, roles: ['exploitation_lead'] } as never,
    id,
    v,
  );
  const done = await app.inject({ method: 'GET', url, headers: workerApi });
  assert.equal(done.json().state.status, 'ended');
  assert.equal(done.json().state.result, 'handed_over');
  const reads = await db
    .selectFrom('access_log')
    .where('person_id', '=', id)
    .where('purpose', '=', 'transition-plan')
    .select('id')
    .execute();
  assert.ok(reads.length >= 3, 'each read is logged');
  const spec = (await app.inject({ method: 'GET', url: '/api/docs/json' })).json();
  assert.ok(spec.paths['/api/v1/people/{personId}/transition-plan/care-act']?.put, 'in the OpenAPI document');
});
