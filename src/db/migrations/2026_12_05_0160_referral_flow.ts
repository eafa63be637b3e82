// Frozen once landed: add a new migration rather than editing this one.
// Issue 10: a referral's lifecycle and chase, and a plan action's chase, run as protocol instances
// (referral-chase and plan-action-chase version 1, src/protocols). Each referral gets its instance (open at
// "await_response" or "accepted", or ended with its status as the result); the referral's own status, due date,
// rule and escalation count go (they are read from the engine). Each open plan action with a named owner gets an
// open chase instance. Pending deadline rows of the old ladders become the steps' ladder rungs (same dates), so
// nothing already scheduled is lost or fired twice; the new service manager rung is added to actions'.
import { type Kysely, sql } from 'kysely';
import { addWorkingDays } from '../../domain/calendar.ts';

// Version 1 of both built-ins as they were when this migration landed (test/referral-flow-migration.test.ts checks
// they are the built-ins), with the checksums the registry compares.
export const REFERRAL_V1 =
  '{"id":"referral-chase","version":1,"title":"Chase a referral response","description":"When a worker refers a young person to a service or a person, make sure an answer comes back: the response is due 10 working days after the referral (or on the date the referrer sets); when it is overdue the referrer is reminded, and 3 working days later their line manager is told.","source":"Devon County Council, Transitions protocol for professionals (modified 21 March 2025), step 4","inputs":[{"name":"to_user_id","label":"Person referred to","type":"user"},{"name":"to_service_id","label":"Service referred to","type":"service"}],"anchors":["referral","response_due"],"start":"await_response","steps":[{"id":"await_response","title":"Get a response to the referral","responsible":"starter","guidance":"Chase the service or person referred to. Record their answer on the plan (Referrals).","deadline":{"workingDays":10,"from":"referral","dueOn":"response_due","source":"Local referral standard: a response within 10 working days of the referral"},"overdue":[{"action":"remind"},{"after":{"workingDays":3},"action":"notify","to":"starter_line_manager"}],"outcomes":[{"id":"accepted","label":"Accepted","to":"accepted"},{"id":"declined","label":"Declined","end":"declined"},{"id":"successful","label":"Successful","end":"successful"},{"id":"withdrawn","label":"Withdrawn","end":"withdrawn"}]},{"id":"accepted","title":"Accepted: find out whether the referral worked","responsible":"starter","guidance":"Record on the plan (Referrals) whether the referral was successful, declined or withdrawn.","deadline":{"workingDays":10,"from":"referral","dueOn":"response_due","source":"Local referral standard: a response within 10 working days of the referral"},"overdue":[{"action":"remind"},{"after":{"workingDays":3},"action":"notify","to":"starter_line_manager"}],"outcomes":[{"id":"declined","label":"Declined","end":"declined"},{"id":"successful","label":"Successful","end":"successful"},{"id":"withdrawn","label":"Withdrawn","end":"withdrawn"}]}]}';
export const REFERRAL_V1_CHECKSUM = '6d35139da7f5567d57cda71ee6c3420e3e02f878bc4657b18486d02eafdfae74';
export const ACTION_CHASE_V1 =
  '{"id":"plan-action-chase","version":1,"title":"Chase an overdue plan action","description":"An action in a person-led plan is due on the date the plan gives it. When it is overdue its owner is reminded; 5 working days later their line manager is told, and 10 working days later the service manager.","source":"Devon County Council, Transitions protocol for professionals (modified 21 March 2025), steps 2 and 8","inputs":[{"name":"owner_user_id","label":"Owner of the action","type":"user"}],"anchors":["due"],"start":"complete_action","steps":[{"id":"complete_action","title":"Complete the plan action","responsible":"field:owner_user_id","guidance":"Do the action by its due date, or agree a new date and change it on the plan.","deadline":{"on":"due"},"overdue":[{"action":"remind"},{"after":{"workingDays":5},"action":"notify","to":"line_manager_of:owner_user_id"},{"after":{"workingDays":10},"action":"notify","to":"service_manager"}],"outcomes":[{"id":"done","label":"Done","end":"done"},{"id":"cancelled","label":"Cancelled","end":"cancelled"},{"id":"released","label":"No named owner any more: nothing to chase","end":"not_chased"}]}]}';
export const ACTION_CHASE_V1_CHECKSUM = 'c6e31d8bcabc503e706d5c756461d7dd4aee49ccbc79a6b81ef65031732048d7';

const endOfDay = (date: string) => sql`((${date}::date + 1)::timestamp AT TIME ZONE 'Europe/London')`;

async function record(db: Kysely<unknown>, definition: string, checksum: string) {
  const def = JSON.parse(definition) as { id: string; version: number; title: string };
  await sql`
    INSERT INTO protocol_versions (protocol_id, version, title, origin, definition, checksum)
    VALUES (${def.id}, ${def.version}, ${def.title}, 'built-in', ${definition}::jsonb, ${checksum})
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
    CREATE INDEX referrals_instance_idx ON referrals(protocol_instance_id);
    CREATE INDEX plan_actions_chase_idx ON plan_actions(chase_instance_id);
  `.execute(db);
  await record(db, REFERRAL_V1, REFERRAL_V1_CHECKSUM);
  await record(db, ACTION_CHASE_V1, ACTION_CHASE_V1_CHECKSUM);
  await carryReferrals(db);
  await carryActions(db);
  await dropLegacy(db);
}

/** Every referral gets its chase instance. */
export async function carryReferrals(db: Kysely<unknown>): Promise<void> {
  const referrals = await sql<Referral>`
    SELECT r.id, r.authority_id, r.person_id, r.to_user_id, r.to_service_id, r.status, r.response_due::text,
      r.due_rule, r.referred_by, r.sent_at, r.responded_at, u.display_name
    FROM referrals r JOIN users u ON u.id = r.referred_by
    WHERE r.protocol_instance_id IS NULL ORDER BY r.sent_at`.execute(db);
  for (const r of referrals.rows) await carryReferral(db, r);
}

/** Every open action with a named owner gets its chase instance. */
export async function carryActions(db: Kysely<unknown>): Promise<void> {
  const actions = await sql<Action>`
    SELECT a.id, a.authority_id, a.person_id, a.owner_user_id, a.due_date::text, a.version, a.created_at,
      u.display_name
    FROM plan_actions a JOIN users u ON u.id = a.owner_user_id
    WHERE a.status IN ('not_started', 'in_progress') AND a.chase_instance_id IS NULL
    ORDER BY a.created_at`.execute(db);
  for (const a of actions.rows) await carryAction(db, a);
}

/** The old ladders' leftovers and the referral's own status, date and count go. */
export async function dropLegacy(db: Kysely<unknown>): Promise<void> {
  await sql`
    -- What is left of the old ladders (older versions of an action, done actions) had nothing more to do.
    DELETE FROM deadlines WHERE subject_type IN ('referral', 'plan_action');
    DROP INDEX IF EXISTS referrals_to_user_open_idx;
    ALTER TABLE referrals DROP COLUMN status, DROP COLUMN response_due, DROP COLUMN due_rule,
      DROP COLUMN escalations;
    ALTER TABLE referrals ALTER COLUMN protocol_instance_id SET NOT NULL;
  `.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('2026_12_05_0160_referral_flow cannot be undone: referral statuses now live in protocol instances');
}
