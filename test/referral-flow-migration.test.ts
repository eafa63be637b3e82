// Migration 0160 carries referrals and plan-action chasers in flight onto the engine: each referral gets its
// referral-chase instance at the step its status meant (or ended with it), each open owned action a
// plan-action-chase instance, and the old ladders' pending rows become the steps' rungs on the same dates (a rung
// already fired does not fire again). Runs the migration's parts on rows written in the shape before it.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import {
  ACTION_CHASE_V1,
  ACTION_CHASE_V1_CHECKSUM,
  carryActions,
  carryReferrals,
  dropLegacy,
  REFERRAL_V1,
  REFERRAL_V1_CHECKSUM,
} from '../src/db/migrations/2026_12_05_0160_referral_flow.ts';
import { asDefinition } from '../src/domain/protocol/definition.ts';
import { sweepDue } from '../src/jobs/deadlines.ts';
import { authUser } from '../src/modules/demo/journeys.ts';
import { checksum } from '../src/modules/protocols/registry.ts';
import { registerProtocolTimers } from '../src/modules/protocols/timers.ts';
import { endOfLondonDay } from '../src/modules/timers/repository.ts';
import { planActionChase } from '../src/protocols/plan-action-chase.ts';
import { referralChase } from '../src/protocols/referral-chase.ts';
import { fixedClock, seedOrganisation, testApp, testDatabase, userByRole } from './helpers.ts';

const t = await testDatabase();
const { db } = t;
const org = await seedOrganisation(db, 'mig');
const clock = fixedClock('2026-11-23T10:00:00Z');
const app = await testApp(db, { now: clock.now });
after(registerProtocolTimers(app.services.protocols));
const sam = userByRole(org, 'social_worker');
const marcus = userByRole(org, 'team_manager');

test('migration 0160 records version 1 of both chases exactly as built in', () => {
  assert.equal(REFERRAL_V1, JSON.stringify(asDefinition(referralChase)));
  assert.equal(REFERRAL_V1_CHECKSUM, checksum(asDefinition(referralChase)));
  assert.equal(ACTION_CHASE_V1, JSON.stringify(asDefinition(planActionChase)));
  assert.equal(ACTION_CHASE_V1_CHECKSUM, checksum(asDefinition(planActionChase)));
});

test('referrals sent, accepted and declined, and an overdue owned action, carried onto the engine', async () => {
  const owner = t.asOwner();
  // The shape before the migration: the referral's own status, due date, rule and escalation count.
  await owner.schema
    .alterTable('referrals')
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('sent'))
    .addColumn('response_due', 'date')
    .addColumn('due_rule', 'text')
    .addColumn('escalations', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await owner.schema
    .alterTable('referrals')
    .alterColumn('protocol_instance_id', (c) => c.dropNotNull())
    .execute();
  const person = await owner
    .insertInto('people')
    .values({
      authority_id: org.authorityId,
      case_number: 'HO160160',
      given_name: 'Ivo',
      family_name: 'Migrant',
      date_of_birth: '2009-02-02',
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await owner
    .insertInto('involvements')
    .values({
      authority_id: org.authorityId,
      person_id: person.id,
      team_id: org.teams['dct-north'] as string,
      worker_id: sam.id,
      reason: 'Transition',
      start_date: '2026-10-01',
    })
    .execute();
  const plan = await owner
    .insertInto('plans')
    .values({ authority_id: org.authorityId, person_id: person.id, created_by: sam.id })
    .returning('id')
    .executeTakeFirstOrThrow();
  const action = await owner
    .insertInto('plan_actions')
    .values({
      authority_id: org.authorityId,
      plan_id: plan.id,
      person_id: person.id,
      description: 'Book the college taster day',
      owner_user_id: sam.id,
      due_date: '2026-11-20',
      status: 'in_progress',
      version: 3,
      updated_at: clock.now(),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const legacy = (subjectType: string, subjectId: string, rung: number, due: string, fired = false) =>
    owner
      .insertInto('deadlines')
      .values({
        authority_id: org.authorityId,
        subject_type: subjectType,
        subject_id: subjectId,
        rung,
        due_at: endOfLondonDay(due),
        action: JSON.stringify({ step: rung % 10 === 0 ? 'remind' : 'escalate' }),
        fired_at: fired ? new Date('2026-11-21T09:00:00Z') : null,
      })
      .execute();
  // The action's current ladder (version 3): the reminder fired; the line manager is due 27 November.
  await legacy('plan_action', action.id, 30, '2026-11-20', true);
  await legacy('plan_action', action.id, 31, '2026-11-27');
  await legacy('plan_action', action.id, 20, '2026-11-10');
  const referral = async (status: string, due: string) => {
    const values = {
      authority_id: org.authorityId,
      person_id: person.id,
      to_service_id: (await owner.selectFrom('services').select('id').executeTakeFirstOrThrow()).id,
      reason: `Referral ${status}`,
      basis: 'consent',
      basis_detail: 'Agreed',
      status,
      decline_reason: status === 'declined' ? 'Not eligible' : null,
      response_due: due,
      due_rule: '10 working days from the referral on 2026-11-09 (local standard)',
      referred_by: sam.id,
      sent_at: new Date('2026-11-09T10:00:00Z'),
    };
    // The columns before the migration are not in the schema types.
    return (
      await owner
        .insertInto('referrals')
        .values(values as never)
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id;
  };
  const sent = await referral('sent', '2026-11-23');
  const accepted = await referral('accepted', '2026-11-23');
  await referral('declined', '2026-11-23');
  await legacy('referral', sent, 0, '2026-11-23');
  await legacy('referral', sent, 1, '2026-11-26');
  await legacy('referral', accepted, 0, '2026-11-23');
  await legacy('referral', accepted, 1, '2026-11-26');

  await carryReferrals(owner as never);
  await carryActions(owner as never);
  await dropLegacy(owner as never);

  assert.deepEqual(
    await db.selectFrom('deadlines').where('subject_type', 'in', ['referral', 'plan_action']).select('id').execute(),
    [],
    'no deadline row outside a protocol step',
  );
  const states = await app.services.transitions.plan(
    await authUser(db, sam.id),
    { personId: person.id, breakGlassId: null },
    'api',
  );
  const byReason = new Map(states.referrals.map((r) => [r.reason, r]));
  assert.deepEqual(
    ['sent', 'accepted', 'declined'].map((s) => {
      const r = byReason.get(`Referral ${s}`);
      return [r?.status, r?.response_due, r?.responses.join(' ')];
    }),
    [
      ['sent', '2026-11-23', 'accepted declined successful withdrawn'],
      ['accepted', '2026-11-23', 'declined successful withdrawn'],
      ['declined', '2026-11-23', ''],
    ],
  );
  assert.match(byReason.get('Referral sent')?.due_rule ?? '', /10 working days from the referral on 2026-11-09/);
  assert.equal(byReason.get('Referral declined')?.decline_reason, 'Not eligible');

  // The old ladders carry on: each open referral's reminder after 23 November and the line manager after the
  // 26th; the action's line manager after 27 November (its reminder had fired), and the new service manager rung.
  const before = await db
    .selectFrom('notifications')
    .where('user_id', 'in', [sam.id, marcus.id])
    .select('id')
    .execute();
  clock.set('2026-11-24T09:00:00Z');
  await sweepDue(db, clock.now());
  clock.set('2026-11-28T09:00:00Z');
  await sweepDue(db, clock.now());
  const seen = new Set(before.map((n) => n.id));
  const told = (
    await db
      .selectFrom('notifications')
      .where('user_id', 'in', [sam.id, marcus.id])
      .select(['id', 'user_id', 'message'])
      .execute()
  ).filter((n) => !seen.has(n.id));
  const lines = told.map((n) => `${n.user_id === sam.id ? 'sam' : 'marcus'}: ${n.message}`).sort();
  assert.deepEqual(lines, [
    'marcus: Overdue step on a case you oversee: Accepted: find out whether the referral worked',
    'marcus: Overdue step on a case you oversee: Complete the plan action',
    'marcus: Overdue step on a case you oversee: Get a response to the referral',
    'sam: Overdue: Accepted: find out whether the referral worked',
    'sam: Overdue: Get a response to the referral',
  ]);
  const actionRungs = await db
    .selectFrom('plan_actions as a')
    .innerJoin('protocol_instances as i', 'i.id', 'a.chase_instance_id')
    .innerJoin('deadlines as d', (j) => j.onRef('d.subject_id', '=', 'i.current_step_id'))
    .where('a.id', '=', action.id)
    .orderBy('d.rung')
    .select(['d.rung', 'd.due_at'])
    .execute();
  assert.deepEqual(
    actionRungs.map((r) => [r.rung, r.due_at.toISOString()]),
    [
      [0, endOfLondonDay('2026-11-20').toISOString()],
      [1, endOfLondonDay('2026-11-27').toISOString()],
      [2, endOfLondonDay('2026-12-04').toISOString()],
    ],
  );
  clock.set('2026-11-23T10:00:00Z');
  // A response recorded now moves the carried instance on.
  const r = byReason.get('Referral sent');
  await app.services.transitions.respond(await authUser(db, sam.id), person.id, r?.id as string, {
    status: 'successful',
    decline_reason: null,
    version: r?.version as number,
  });
  const ended = await app.services.transitions.referralFlow.state(db, r?.protocol_instance_id as string);
  assert.deepEqual([ended.status, ended.result], ['ended', 'successful']);
});
