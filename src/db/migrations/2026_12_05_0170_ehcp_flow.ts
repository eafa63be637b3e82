// Frozen once landed: add a new migration rather than editing this one.
// Issue 10: an EHC needs assessment's statutory route and each advice request run as protocol instances
// (ehc-needs-assessment and ehc-advice-request version 1, src/protocols). Every assessment and advice request gets
// its instance: open at the step its recorded dates put it at, or ended with its result. Statutory dates count
// from the request, so each step's due date is the date the old clocks used. The old 'ehcp_assessment' and
// 'ehcp_advice_request' deadline rows go: the open steps' ladders replace them, and a rung whose date has already
// passed is marked fired (the old row for it had its turn), so nothing is sent twice. The assessment's own
// status column goes: whether it is open is its instance's status.
import { createHash } from 'node:crypto';
import { type Kysely, sql } from 'kysely';
import { addDays, addWorkingDays, londonToday } from '../../domain/calendar.ts';
import { asDefinition, type OverdueRung, type ProtocolDefinition } from '../../domain/protocol/definition.ts';
import { ehcAdviceRequest } from '../../protocols/ehc-advice-request.ts';
import { ehcNeedsAssessment } from '../../protocols/ehc-needs-assessment.ts';

const endOfDay = (date: string) => sql`((${date}::date + 1)::timestamp AT TIME ZONE 'Europe/London')`;
/** The date a rung fires on: the due date plus its offset (as the engine counts it in runtime.ts). */
function rungDate(due: string, rung: OverdueRung): string {
  if (!rung.after) return due;
  return 'workingDays' in rung.after ? addWorkingDays(due, rung.after.workingDays) : addDays(due, rung.after.days);
}
const day = (d: unknown) => (d instanceof Date ? d.toISOString().slice(0, 10) : String(d));

async function record(db: Kysely<unknown>, def: ProtocolDefinition) {
  const sum = createHash('sha256').update(JSON.stringify(def)).digest('hex');
  await sql`
    INSERT INTO protocol_versions (protocol_id, version, title, origin, definition, checksum)
    VALUES (${def.id}, ${def.version}, ${def.title}, 'built-in', ${JSON.stringify(def)}::jsonb, ${sum})
    ON CONFLICT (protocol_id, version) DO NOTHING
  `.execute(db);
}

interface Carry {
  authorityId: string;
  personId: string;
  def: ProtocolDefinition;
  anchors: Record<string, string>;
  data: Record<string, unknown>;
  startedBy: string;
  startedAt: Date;
  owner: { userId: string | null; label: string };
  /** The open step with its due date and rule, or the result it ended with. */
  at: { step: string; due: string | null; rule: string | null } | { result: string };
}

/** One instance: its row, its open step (or none, ended), and the open step's ladder from its due date. */
async function carry(db: Kysely<unknown>, c: Carry, today: string): Promise<string> {
  const open = 'step' in c.at;
  const inst = await sql<{ id: string }>`
    INSERT INTO protocol_instances (authority_id, person_id, protocol_id, protocol_version, status, result, anchors,
      data, started_by, started_at, ended_at)
    VALUES (${c.authorityId}, ${c.personId}, ${c.def.id}, ${c.def.version}, ${open ? 'open' : 'ended'},
      ${'result' in c.at ? c.at.result : null}, ${JSON.stringify(c.anchors)}::jsonb, ${JSON.stringify(c.data)}::jsonb,
      ${c.startedBy}, ${c.startedAt}, ${open ? null : sql`now()`})
    RETURNING id`.execute(db);
  const instanceId = (inst.rows[0] as { id: string }).id;
  if (!('step' in c.at)) return instanceId;
  const { step: key, due, rule } = c.at;
  const step = await sql<{ id: string }>`
    INSERT INTO protocol_steps (authority_id, instance_id, person_id, step_key, entered_at, entered_on, due_date,
      due_rule, owner_user_id, owner_role, owner_label)
    VALUES (${c.authorityId}, ${instanceId}, ${c.personId}, ${key}, now(), ${today}, ${due}, ${rule},
      ${c.owner.userId}, ${c.owner.userId ? null : 'ehcp_coordinator'}, ${c.owner.label})
    RETURNING id`.execute(db);
  const stepId = (step.rows[0] as { id: string }).id;
  await sql`UPDATE protocol_instances SET current_step_id = ${stepId} WHERE id = ${instanceId}`.execute(db);
  const ladder = c.def.steps.find((s) => s.id === key)?.overdue ?? [];
  if (due)
    for (const [i, rung] of ladder.entries()) {
      const on = rungDate(due, rung);
      await sql`
        INSERT INTO deadlines (authority_id, subject_type, subject_id, rung, due_at, action, fired_at)
        VALUES (${c.authorityId}, 'protocol_step', ${stepId}, ${i}, ${endOfDay(on)}, ${JSON.stringify({ rung: i })}::jsonb,
          ${on < today ? sql`now()` : null})`.execute(db);
    }
  return instanceId;
}

interface Assessment {
  id: string;
  authority_id: string;
  person_id: string;
  request_date: unknown;
  coordinator_id: string | null;
  coordinator_name: string | null;
  decision_to_assess: string | null;
  not_issue_date: unknown;
  draft_served_date: unknown;
  final_issued_date: unknown;
  status: string;
  created_at: Date;
}

function assessmentAt(a: Assessment, today: string): Carry['at'] {
  const request = day(a.request_date);
  const rule = (weeks: number, reg: string) =>
    `${weeks} weeks from the request on ${request} (SEND Regulations 2014 ${reg})`;
  if (a.decision_to_assess === 'not_assess') return { result: 'not_assessed' };
  if (a.not_issue_date) return { result: 'not_issued' };
  if (a.final_issued_date) return { result: 'final_issued' };
  if (a.status !== 'open') return { result: 'closed' };
  if (!a.decision_to_assess)
    return { step: 'decide_whether_to_assess', due: addDays(request, 42), rule: rule(6, 'reg 5(1)') };
  if (!a.draft_served_date) return { step: 'gather_advice', due: addDays(request, 112), rule: rule(16, 'reg 10(1)') };
  const served = day(a.draft_served_date);
  const reps = addDays(served, 14);
  if (reps >= today)
    return {
      step: 'representations',
      due: reps,
      rule: `15 days beginning with the draft served on ${served} (SEND Regulations 2014 reg 13(1))`,
    };
  return { step: 'issue_final_plan', due: addDays(request, 140), rule: rule(20, 'reg 13(2)') };
}

interface Advice {
  id: string;
  authority_id: string;
  person_id: string;
  requested_date: unknown;
  due_date: unknown;
  due_rule: string;
  status: string;
  draft_check_due: unknown;
  draft_feedback_on: unknown;
  coordinator_id: string | null;
  coordinator_name: string | null;
  assessment_open: boolean;
  created_by: string;
  created_at: Date;
}

function adviceAt(r: Advice, today: string): Carry['at'] {
  if (r.status === 'cancelled') return { result: 'cancelled' };
  if (r.status === 'requested') {
    const due = day(r.due_date);
    return due < today
      ? { step: 'advice_overdue', due: null, rule: null }
      : { step: 'advice_due', due, rule: r.due_rule };
  }
  if (r.draft_check_due && r.draft_feedback_on) return { result: 'draft_checked' };
  if (r.draft_check_due) {
    const due = day(r.draft_check_due);
    return due < today
      ? { step: 'draft_check_overdue', due: null, rule: null }
      : { step: 'draft_check', due, rule: 'the draft check due recorded for this case' };
  }
  return r.assessment_open ? { step: 'advice_received', due: null, rule: null } : { result: 'closed' };
}

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const t of ['ehcp_assessments', 'ehcp_advice_requests'])
    await sql`ALTER TABLE ${sql.table(t)} ADD COLUMN protocol_instance_id uuid REFERENCES protocol_instances(id)`.execute(
      db,
    );
  await record(db, asDefinition(ehcNeedsAssessment));
  await record(db, asDefinition(ehcAdviceRequest));
  const today = londonToday(new Date());
  const assessments = await sql<Assessment>`
    SELECT a.*, c.display_name AS coordinator_name FROM ehcp_assessments a
    LEFT JOIN users c ON c.id = a.coordinator_id`.execute(db);
  for (const a of assessments.rows) {
    const starter = a.coordinator_id;
    if (!starter) continue;
    const id = await carry(
      db,
      {
        authorityId: a.authority_id,
        personId: a.person_id,
        def: asDefinition(ehcNeedsAssessment),
        anchors: {
          started: day(a.created_at),
          request: day(a.request_date),
          ...(a.draft_served_date ? { draft_served: day(a.draft_served_date) } : {}),
        },
        data: { coordinator: a.coordinator_id, assessment_id: a.id },
        startedBy: starter,
        startedAt: a.created_at,
        owner: { userId: a.coordinator_id, label: a.coordinator_name ?? 'EHCP coordinators' },
        at: assessmentAt(a, today),
      },
      today,
    );
    await sql`UPDATE ehcp_assessments SET protocol_instance_id = ${id} WHERE id = ${a.id}`.execute(db);
  }
  const requests = await sql<Advice>`
    SELECT r.*, a.coordinator_id, c.display_name AS coordinator_name, a.status = 'open' AS assessment_open,
      COALESCE(a.coordinator_id, r.giver_user_id) AS created_by
    FROM ehcp_advice_requests r JOIN ehcp_assessments a ON a.id = r.assessment_id
    LEFT JOIN users c ON c.id = a.coordinator_id`.execute(db);
  for (const r of requests.rows) {
    const id = await carry(
      db,
      {
        authorityId: r.authority_id,
        personId: r.person_id,
        def: asDefinition(ehcAdviceRequest),
        anchors: {
          started: day(r.created_at),
          request_for_advice: day(r.requested_date),
          ...(r.draft_check_due ? { draft_check_due: day(r.draft_check_due) } : {}),
        },
        data: { coordinator: r.coordinator_id, request_id: r.id },
        startedBy: r.created_by,
        startedAt: r.created_at,
        owner: { userId: r.coordinator_id, label: r.coordinator_name ?? 'EHCP coordinators' },
        at: adviceAt(r, today),
      },
      today,
    );
    await sql`UPDATE ehcp_advice_requests SET protocol_instance_id = ${id} WHERE id = ${r.id}`.execute(db);
  }
  // The old rows: the steps' ladders above replace them.
  await sql`DELETE FROM deadlines WHERE subject_type IN ('ehcp_assessment', 'ehcp_advice_request')`.execute(db);
  // Whether an assessment is open is now its instance's status: no second status beside the engine.
  await sql`ALTER TABLE ehcp_assessments DROP COLUMN status`.execute(db);
  await sql`CREATE INDEX ehcp_assessments_instance_idx ON ehcp_assessments(protocol_instance_id)`.execute(db);
  await sql`CREATE INDEX ehcp_assessments_coordinator_all_idx ON ehcp_assessments(coordinator_id)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP INDEX ehcp_assessments_instance_idx`.execute(db);
  await sql`DROP INDEX ehcp_assessments_coordinator_all_idx`.execute(db);
  await sql`ALTER TABLE ehcp_assessments
    ADD COLUMN status text NOT NULL DEFAULT 'open' CHECK (status IN ('open','closed'))`.execute(db);
  await sql`UPDATE ehcp_assessments SET status = 'closed' WHERE decision_to_assess = 'not_assess'
    OR not_issue_date IS NOT NULL OR final_issued_date IS NOT NULL`.execute(db);
  for (const t of ['ehcp_assessments', 'ehcp_advice_requests'])
    await sql`ALTER TABLE ${sql.table(t)} DROP COLUMN protocol_instance_id`.execute(db);
}
