// Frozen once landed: add a new migration rather than editing this one.
// Issue 10: a referral's lifecycle and chase, and a plan action's chase, run as protocol instances
// (referral-chase and plan-action-chase version 1, src/protocols). Each referral gets its instance (open at
// "await_response" or "accepted", or ended with its status as the result); the referral's own status, due date,
// rule and escalation count go (they are read from the engine). Each open plan action with a named owner gets an
// open chase instance. Pending deadline rows of the old ladders become the steps' ladder rungs (same dates), so
// nothing already scheduled is lost or fired twice; the new service manager rung is added to actions'.
import { createHash } from 'node:crypto';
import { type Kysely, sql } from 'kysely';
import { addWorkingDays } from '../../domain/calendar.ts';
import { asDefinition, type ProtocolDefinition } from '../../domain/protocol/definition.ts';
import { planActionChase } from '../../protocols/plan-action-chase.ts';
import { referralChase } from '../../protocols/referral-chase.ts';

const endOfDay = (date: string) => sql`((${date}::date + 1)::timestamp AT TIME ZONE 'Europe/London')`;

async function record(db: Kysely<unknown>, def: ProtocolDefinition) {
  const sum = createHash('sha256').update(JSON.stringify(def)).digest('hex');
  await sql`
    INSERT INTO protocol_versions (protocol_id, version, title, origin, definition, checksum)
    VALUES (${def.id}, ${def.version}, ${def.title}, 'built-in', ${JSON.stringify(def)}::jsonb, ${sum})
    ON CONFLICT (protocol_id, version) DO NOTHING
  `.execute(db);
}

/** The involvement a chase is about: the owner's open one on the case, else the first open one. */
const involvementOf = (person: unknown, worker: unknown) => sql`(
  SELECT i.id FROM involvements i WHERE i.person_id = ${person} AND i.end_date IS NULL
  ORDER BY (i.worker_id = ${worker}) DESC NULLS LAST, i.start_date LIMIT 1)`;

interface Referral {
  id: string;
  authority_id: string;
  person_id: string;
  to_user_id: string | null;
  to_service_id: string | null;
  status: string;
  response_due: string;
  due_rule: string;
  referred_by: string;
  sent_at: Date;
  responded_at: Date | null;
  display_name: string;
}

async function carryReferral(db: Kysely<unknown>, r: Referral) {
  const open = r.status === 'sent' || r.status === 'accepted';
  const sent = new Date(r.sent_at).toISOString().slice(0, 10);
  const inst = await sql<{ id: string }>`
    INSERT INTO protocol_instances (authority_id, person_id, involvement_id, protocol_id, protocol_version, status,
      result, anchors, data, started_by, started_at, ended_at)
    VALUES (${r.authority_id}, ${r.person_id}, ${involvementOf(r.person_id, r.referred_by)}, 'referral-chase', 1,
      ${open ? 'open' : 'ended'}, ${open ? null : r.status},
      ${JSON.stringify({ started: sent, referral: sent, response_due: r.response_due })}::jsonb,
      ${JSON.stringify({ to_user_id: r.to_user_id, to_service_id: r.to_service_id })}::jsonb,
      ${r.referred_by}, ${r.sent_at}, ${open ? null : (r.responded_at ?? r.sent_at)})
    RETURNING id`.execute(db);
  const instanceId = (inst.rows[0] as { id: string }).id;
  await sql`UPDATE referrals SET protocol_instance_id = ${instanceId} WHERE id = ${r.id}`.execute(db);
  // An answered referral keeps one closed step: its response date and the answer (its outcome).
  const step = await sql<{ id: string }>`
    INSERT INTO protocol_steps (authority_id, instance_id, person_id, step_key, status, entered_at, entered_on,
      due_date, due_rule, owner_user_id, owner_label, outcome, decided_at)
    VALUES (${r.authority_id}, ${instanceId}, ${r.person_id}, ${r.status === 'accepted' ? 'accepted' : 'await_response'},
      ${open ? 'open' : 'done'}, ${r.status === 'accepted' ? (r.responded_at ?? r.sent_at) : r.sent_at}, ${sent},
      ${r.response_due}, ${r.due_rule}, ${r.referred_by}, ${r.display_name}, ${open ? null : r.status},
      ${open ? null : (r.responded_at ?? r.sent_at)})
    RETURNING id`.execute(db);
  const stepId = (step.rows[0] as { id: string }).id;
  if (!open) {
    await sql`DELETE FROM deadlines WHERE subject_type = 'referral' AND subject_id = ${r.id}`.execute(db);
    return;
  }
  await sql`UPDATE protocol_instances SET current_step_id = ${stepId} WHERE id = ${instanceId}`.execute(db);
  // The old rungs were 0 (remind) and 1 (line manager): the same indices on the step's ladder.
  await sql`
    UPDATE deadlines SET subject_type = 'protocol_step', subject_id = ${stepId}, action = jsonb_build_object('rung', rung)
    WHERE subject_type = 'referral' AND subject_id = ${r.id}`.execute(db);
}

interface Action {
  id: string;
  authority_id: string;
  person_id: string;
  owner_user_id: string;
  due_date: string | null;
  version: number;
  created_at: Date;
  display_name: string;
}

async function carryAction(db: Kysely<unknown>, a: Action) {
  const created = new Date(a.created_at).toISOString().slice(0, 10);
  const anchors = a.due_date ? { started: created, due: a.due_date } : { started: created };
  const inst = await sql<{ id: string }>`
    INSERT INTO protocol_instances (authority_id, person_id, involvement_id, protocol_id, protocol_version, anchors,
      data, started_by, started_at)
    VALUES (${a.authority_id}, ${a.person_id}, ${involvementOf(a.person_id, a.owner_user_id)}, 'plan-action-chase', 1,
      ${JSON.stringify(anchors)}::jsonb, ${JSON.stringify({ owner_user_id: a.owner_user_id, action_id: a.id })}::jsonb,
      ${a.owner_user_id}, ${a.created_at})
    RETURNING id`.execute(db);
  const instanceId = (inst.rows[0] as { id: string }).id;
  const step = await sql<{ id: string }>`
    INSERT INTO protocol_steps (authority_id, instance_id, person_id, step_key, entered_at, entered_on, due_date,
      due_rule, owner_user_id, owner_label)
    VALUES (${a.authority_id}, ${instanceId}, ${a.person_id}, 'complete_action', ${a.created_at}, ${created},
      ${a.due_date}, ${a.due_date ? 'the due recorded for this case' : null}, ${a.owner_user_id}, ${a.display_name})
    RETURNING id`.execute(db);
  const stepId = (step.rows[0] as { id: string }).id;
  await sql`UPDATE protocol_instances SET current_step_id = ${stepId} WHERE id = ${instanceId}`.execute(db);
  await sql`UPDATE plan_actions SET chase_instance_id = ${instanceId} WHERE id = ${a.id}`.execute(db);
  // The current ladder's rungs were version*10 (owner) and version*10 + 1 (line manager): rungs 0 and 1.
  await sql`
    UPDATE deadlines SET subject_type = 'protocol_step', subject_id = ${stepId}, rung = rung % 10,
      action = jsonb_build_object('rung', rung % 10)
    WHERE subject_type = 'plan_action' AND subject_id = ${a.id} AND rung / 10 = ${a.version}`.execute(db);
  if (a.due_date)
    await sql`
      INSERT INTO deadlines (authority_id, subject_type, subject_id, rung, due_at, action)
      VALUES (${a.authority_id}, 'protocol_step', ${stepId}, 2, ${endOfDay(addWorkingDays(a.due_date, 10))},
        '{"rung": 2}'::jsonb)`.execute(db);
}

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    ALTER TABLE referrals ADD COLUMN protocol_instance_id uuid REFERENCES protocol_instances(id);
    ALTER TABLE plan_actions ADD COLUMN chase_instance_id uuid REFERENCES protocol_instances(id);
  `.execute(db);
  await record(db, asDefinition(referralChase));
  await record(db, asDefinition(planActionChase));
  const referrals = await sql<Referral>`
    SELECT r.id, r.authority_id, r.person_id, r.to_user_id, r.to_service_id, r.status, r.response_due::text,
      r.due_rule, r.referred_by, r.sent_at, r.responded_at, u.display_name
    FROM referrals r JOIN users u ON u.id = r.referred_by ORDER BY r.sent_at`.execute(db);
  for (const r of referrals.rows) await carryReferral(db, r);
  const actions = await sql<Action>`
    SELECT a.id, a.authority_id, a.person_id, a.owner_user_id, a.due_date::text, a.version, a.created_at,
      u.display_name
    FROM plan_actions a JOIN users u ON u.id = a.owner_user_id
    WHERE a.status IN ('not_started', 'in_progress') ORDER BY a.created_at`.execute(db);
  for (const a of actions.rows) await carryAction(db, a);
  await sql`
    -- What is left of the old ladders (older versions of an action, done actions) had nothing more to do.
    DELETE FROM deadlines WHERE subject_type IN ('referral', 'plan_action');
    DROP INDEX IF EXISTS referrals_to_user_open_idx;
    ALTER TABLE referrals DROP COLUMN status, DROP COLUMN response_due, DROP COLUMN due_rule,
      DROP COLUMN escalations;
    ALTER TABLE referrals ALTER COLUMN protocol_instance_id SET NOT NULL;
    CREATE INDEX referrals_instance_idx ON referrals(protocol_instance_id);
    CREATE INDEX plan_actions_chase_idx ON plan_actions(chase_instance_id);
  `.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('2026_12_05_0160_referral_flow cannot be undone: referral statuses now live in protocol instances');
}
