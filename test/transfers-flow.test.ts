// The Kent transfer as a protocol the transfers module drives (src/modules/transfers/flow.ts): the engine's step
// is the transfer's status, its checklist steps move by the facts, a changed summary goes back to the sign-off, and
// the copy of version 2 that migration 0150 records is the built-in one.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  CAPACITY_V1,
  CAPACITY_V1_CHECKSUM,
  carryEscalations,
  carryTransfers,
  V2,
  V2_CHECKSUM,
} from '../src/db/migrations/2026_12_05_0150_transfers_flow.ts';
import { asDefinition } from '../src/domain/protocol/definition.ts';
import { capabilitiesOf } from '../src/domain/roles.ts';
import type { AuthUser } from '../src/http/types.ts';
import { checksum } from '../src/modules/protocols/registry.ts';
import { statusAt } from '../src/modules/transfers/flow.ts';
import { kentCapacityEscalation } from '../src/protocols/kent-capacity-escalation.ts';
import { kentTeamTransfer } from '../src/protocols/kent-team-transfer.ts';
import { fixedClock, seedOrganisation, testApp, testDatabase, userByRole } from './helpers.ts';

const { db } = await testDatabase();
const org = await seedOrganisation(db, 'tf');
const clock = fixedClock('2026-11-23T10:00:00Z');
const app = await testApp(db, { now: clock.now });
const tm = userByRole(org, 'team_manager'); // DCT North
const sm = userByRole(org, 'service_manager'); // Young People's Team
const sw = userByRole(org, 'social_worker'); // DCT North
const dct = org.teams['dct-north'] as string;
const ypt = org.teams.ypt as string;
const as = (u: { id: string; role: string }, teamIds: string[]): AuthUser => ({
  id: u.id,
  authorityId: org.authorityId,
  email: 'x@example.com',
  displayName: u.role,
  roles: [u.role],
  caps: capabilitiesOf([u.role]),
  teamIds,
});

test('migration 0150 records version 2 exactly as built in (the registry would refuse a different copy)', () => {
  assert.equal(V2, JSON.stringify(asDefinition(kentTeamTransfer)));
  assert.equal(V2_CHECKSUM, checksum(asDefinition(kentTeamTransfer)));
  assert.equal(CAPACITY_V1, JSON.stringify(asDefinition(kentCapacityEscalation)));
  assert.equal(CAPACITY_V1_CHECKSUM, checksum(asDefinition(kentCapacityEscalation)));
});

test('the status is where the instance is', () => {
  assert.equal(statusAt('summary', false), 'requested');
  assert.equal(statusAt('summary', true), 'returned');
  assert.equal(statusAt('receiving_decision', false), 'sent');
  assert.equal(statusAt('remedial_work', true), 'returned');
  assert.equal(statusAt('allocation', true), 'accepted');
  assert.equal(statusAt('a_council_step', false), null);
});

async function newCase(tag: string) {
  const p = await db
    .insertInto('people')
    .values({
      authority_id: org.authorityId,
      case_number: `TF-${tag}`,
      given_name: 'Ada',
      family_name: 'Flow',
      date_of_birth: '2010-07-01',
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const inv = await db
    .insertInto('involvements')
    .values({
      authority_id: org.authorityId,
      person_id: p.id,
      team_id: dct,
      worker_id: sw.id,
      reason: 'test',
      start_date: '2026-01-05',
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const id = await transfers.request(as(tm, [dct]), p.id, { involvement_id: inv.id, to_team_id: ypt, reason: 'Flow' });
  return { p, id };
}
const transfers = app.services.transfers;
const summary = {
  summary_updated_information: 'Stable',
  summary_important_dates: 'None',
  summary_urgent_actions: 'None',
};

test('the checklist steps move by their facts, and a changed summary goes back to the sign-off', async () => {
  const { p, id } = await newCase('1');
  const where = async () => {
    const x = await db
      .selectFrom('transfers as x')
      .innerJoin('protocol_instances as i', 'i.id', 'x.protocol_instance_id')
      .leftJoin('protocol_steps as s', 's.id', 'i.current_step_id')
      .where('x.id', '=', id)
      .select(['x.status', 's.step_key', 'i.protocol_version'])
      .executeTakeFirstOrThrow();
    return `${x.status}@${x.step_key}`;
  };
  assert.equal(await where(), 'requested@summary', 'no assessment on record: a summary is needed');
  const summary = {
    summary_updated_information: 'Stable',
    summary_important_dates: 'None',
    summary_urgent_actions: 'None',
  };
  await transfers.writeSummary(as(sw, [dct]), p.id, id, summary);
  assert.equal(await where(), 'requested@sign_off');
  await transfers.signOff(as(tm, [dct]), p.id, id);
  assert.equal(await where(), 'requested@quality_assurance');
  // The summary changes after the sign-off: the engine goes back to the sign-off by itself.
  await transfers.writeSummary(as(sw, [dct]), p.id, id, { ...summary, summary_urgent_actions: 'Chase the GP' });
  assert.equal(await where(), 'requested@sign_off');
  await transfers.signOff(as(tm, [dct]), p.id, id);
  await transfers.qualityAssure(as(tm, [dct]), p.id, id, { qa_notes: 'Checked', qa_confirm: 'yes' });
  await transfers.sendNotices(as(sw, [dct]), p.id, id);
  await transfers.recordMeeting(as(sw, [dct]), p.id, id, {
    meeting_held: 'no',
    meeting_date: null,
    meeting_not_possible_reason: 'Away',
  });
  assert.equal(await where(), 'requested@send');
  await transfers.cancel(as(tm, [dct]), p.id, id);
  assert.equal(await where(), 'cancelled@null');
  const open = await db
    .selectFrom('deadlines as d')
    .innerJoin('protocol_steps as s', 's.id', 'd.subject_id')
    .innerJoin('transfers as x', 'x.protocol_instance_id', 's.instance_id')
    .where('x.id', '=', id)
    .where('d.cancelled_at', 'is', null)
    .where('d.fired_at', 'is', null)
    .select('d.id')
    .execute();
  assert.equal(open.length, 0, 'a cancelled transfer leaves no deadline running');
});

test('migration 0150 carries an open version 1 transfer to version 2, and an open escalation onto the engine', async () => {
  const { p, id } = await newCase('2');
  await transfers.writeSummary(as(sw, [dct]), p.id, id, summary);
  await transfers.signOff(as(tm, [dct]), p.id, id);
  await transfers.qualityAssure(as(tm, [dct]), p.id, id, { qa_notes: 'Checked', qa_confirm: 'yes' });
  await transfers.sendNotices(as(sw, [dct]), p.id, id);
  await transfers.recordMeeting(as(sw, [dct]), p.id, id, {
    meeting_held: 'no',
    meeting_date: null,
    meeting_not_possible_reason: 'Away',
  });
  await transfers.send(as(tm, [dct]), p.id, id);
  await transfers.accept(as(sm, [ypt]), p.id, id);
  const x = await db.selectFrom('transfers').where('id', '=', id).selectAll().executeTakeFirstOrThrow();
  const instanceId = x.protocol_instance_id as string;
  // As before the migration: the instance on version 1, and an escalation with its own chase.
  await db.updateTable('protocol_instances').set({ protocol_version: 1 }).where('id', '=', instanceId).execute();
  const legacy = await db
    .insertInto('capacity_escalations')
    .values({
      authority_id: org.authorityId,
      person_id: p.id,
      transfer_id: id,
      team_id: ypt,
      owner_user_id: sm.id,
      owner_label: 'Sam (Service manager)',
      reason: 'No capacity',
      due_date: '2026-11-30',
      due_rule: '5 working days',
      raised_by: sm.id,
      raised_at: clock.now(),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const chase = await db
    .insertInto('deadlines')
    .values({
      authority_id: org.authorityId,
      subject_type: 'capacity_escalation',
      subject_id: legacy.id,
      rung: 0,
      due_at: new Date('2026-11-30T23:59:59Z'),
      action: JSON.stringify({ chase: 'assistant_director' }),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await carryTransfers(db as never);
  await carryEscalations(db as never);
  assert.equal(
    (await app.services.transfers.view(as(sm, [ypt]), { personId: p.id, breakGlassId: null }, id)).transfer.status,
    'accepted',
  );
  const state = await db
    .selectFrom('protocol_instances')
    .where('id', '=', instanceId)
    .select('protocol_version')
    .executeTakeFirstOrThrow();
  assert.equal(state.protocol_version, 2);
  const e = await db
    .selectFrom('capacity_escalations as e')
    .innerJoin('protocol_instances as i', 'i.id', 'e.protocol_instance_id')
    .innerJoin('protocol_steps as s', 's.id', 'i.current_step_id')
    .where('e.id', '=', legacy.id)
    .select(['i.id', 'i.protocol_id', 's.id as step_id', 's.owner_user_id', 's.due_date'])
    .executeTakeFirstOrThrow();
  assert.deepEqual([e.protocol_id, e.owner_user_id, e.due_date], ['kent-capacity-escalation', sm.id, '2026-11-30']);
  const rungs = await db
    .selectFrom('deadlines')
    .where('subject_type', '=', 'protocol_step')
    .where('subject_id', '=', e.step_id)
    .orderBy('rung')
    .select('rung')
    .execute();
  assert.deepEqual(
    rungs.map((r) => r.rung),
    [0, 1, 2],
  );
  // The old chase row is left for the migration's last statement, which cancels it.
  assert.ok(await db.selectFrom('deadlines').where('id', '=', chase.id).select('id').executeTakeFirst());
  // Allocating resolves it on the engine.
  await transfers.allocate(as(sm, [ypt]), p.id, id, { worker_id: sm.id });
  const ended = await db.selectFrom('protocol_instances').where('id', '=', e.id).selectAll().executeTakeFirstOrThrow();
  assert.deepEqual([ended.status, ended.result], ['ended', 'resolved']);
});

test('a suspension approved today moves the transfers it covers past the suspended part by themselves', async () => {
  const { p, id } = await newCase('3');
  await transfers.writeSummary(as(sw, [dct]), p.id, id, summary);
  await transfers.signOff(as(tm, [dct]), p.id, id);
  const step = async () =>
    (
      await db
        .selectFrom('transfers as x')
        .innerJoin('protocol_instances as i', 'i.id', 'x.protocol_instance_id')
        .innerJoin('protocol_steps as s', 's.id', 'i.current_step_id')
        .where('x.id', '=', id)
        .select('s.step_key')
        .executeTakeFirstOrThrow()
    ).step_key;
  assert.equal(await step(), 'quality_assurance');
  const ifs = await db
    .insertInto('users')
    .values({ authority_id: org.authorityId, email: 'ifs@tf.example', display_name: 'Ifs', roles: ['ifs_manager'] })
    .returning('id')
    .executeTakeFirstOrThrow();
  const suspension = await transfers.requestSuspension(as(tm, [dct]), {
    part: 'quality_assurance',
    team_id: dct,
    reason: 'Managers off sick',
    impact: 'Files go unchecked',
    mitigations: 'Service manager samples files',
    starts_date: '2026-11-23',
    ends_date: '2026-12-20',
  });
  assert.equal(await step(), 'quality_assurance', 'a request alone changes nothing');
  await transfers.decideSuspension(as({ id: ifs.id, role: 'ifs_manager' }, []), suspension, {
    decision: 'approved',
    decision_note: 'Agreed for four weeks',
  });
  assert.equal(await step(), 'notices');
});
