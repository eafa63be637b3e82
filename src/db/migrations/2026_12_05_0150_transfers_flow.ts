// Frozen once landed: add a new migration rather than editing this one.
// Issue 10: the Kent transfer and its capacity escalations run on the protocol engine (src/modules/transfers/flow.ts).
// - Open transfers on kent-team-transfer version 1 move to version 2: the same steps, outcomes, owners, deadlines
//   and ladders, plus the facts the transfer module supplies (its checklist steps then move by themselves). Version 2
//   is recorded here as it is built in (its checksum is the registry's, so the registry accepts it at start-up; the
//   test in test/transfers-flow.test.ts holds the two equal); ended instances keep version 1, which stays built in.
// - A capacity escalation is a kent-capacity-escalation instance (its owner, deadline and ladder). Each open one
//   raised before becomes an instance at its step, with the owner and due date it had; its chase not yet fired
//   (a deadline row of subject 'capacity_escalation', whose handler is gone) becomes the step's ladder on the same
//   date. Resolved ones keep their columns as history.
import { type Kysely, sql } from 'kysely';

export const V2 =
  '{"id":"kent-team-transfer","version":2,"title":"Team transfer (Kent)","description":"A case moving between teams, or to another authority: the team manager decides and records it, the originating team completes the transfer standards (summary signed off by the team manager, file quality-assured, everyone told in writing, handover meeting), the receiving team accepts or returns it with the missing work, and the case completes only when a receiving worker is allocated — a child is never left unallocated.","source":"Kent County Council, Team Remits and Transfer Protocol (Step Up Step Down), sections 2 and 5","startedBy":["team_manager","service_manager"],"inputs":[{"name":"receiving_team_id","label":"Receiving team","type":"team"},{"name":"transfer_id","label":"Transfer","type":"text"}],"facts":["summary_written","summary_not_needed","summary_signed_off","summary_unsigned","file_assured","assurance_suspended","notices_sent","meeting_recorded","meeting_suspended","missing_work_done"],"start":"request","steps":[{"id":"request","title":"Team manager decides and records the transfer","responsible":"team_manager","guidance":"The decision to transfer a case is taken by the team manager and recorded on the child’s record (Kent 5.1).","outcomes":[{"id":"decided","label":"Transfer decided and recorded","to":"summary"},{"id":"cancelled","label":"The team manager cancels the transfer","end":"cancelled"}]},{"id":"summary","title":"Write the transfer summary","responsible":"allocated_worker","guidance":"Needed when the latest assessment is over one month old: updated case information, important dates and urgent actions to follow up.","deadline":{"workingDays":10,"source":"Kent transfer protocol 5.1 (transfer summary); 10 working days is a local choice (the protocol asks for timely transfer)"},"overdue":[{"action":"remind"},{"after":{"workingDays":3},"action":"escalate","to":"service_manager"}],"outcomes":[{"id":"written","label":"Summary written","to":"sign_off","when":"summary_written"},{"id":"not_needed","label":"Not needed: the latest assessment is less than one month old","to":"quality_assurance","when":"summary_not_needed"},{"id":"cancelled","label":"The team manager cancels the transfer","end":"cancelled"}]},{"id":"sign_off","title":"Team manager signs off the summary","responsible":"team_manager","deadline":{"workingDays":2,"source":"Kent transfer protocol 5.1 (summaries signed off by the team manager); 2 working days is a local choice (the protocol asks for timely transfer)"},"overdue":[{"action":"remind"},{"after":{"workingDays":2},"action":"escalate","to":"service_manager"}],"outcomes":[{"id":"signed_off","label":"Summary signed off","to":"quality_assurance","when":"summary_signed_off"},{"id":"not_needed","label":"No summary is needed any more","to":"quality_assurance","when":"summary_not_needed"},{"id":"cancelled","label":"The team manager cancels the transfer","end":"cancelled"}]},{"id":"quality_assurance","title":"Supervising manager quality-assures the file","responsible":"line_manager","guidance":"Records up to date and the case meets the practice standards (Kent 5.1).","deadline":{"workingDays":5,"source":"Kent transfer protocol 5.1 (quality assurance before transfer); 5 working days is a local choice (the protocol asks for timely transfer)"},"overdue":[{"action":"remind"},{"after":{"workingDays":2},"action":"escalate","to":"service_manager"}],"outcomes":[{"id":"summary_changed","label":"The summary was changed: it needs signing off again","to":"sign_off","when":"summary_unsigned"},{"id":"assured","label":"File quality-assured","to":"notices","when":"file_assured"},{"id":"not_needed","label":"Suspended under an approved contingency plan","to":"notices","when":"assurance_suspended"},{"id":"cancelled","label":"The team manager cancels the transfer","end":"cancelled"}]},{"id":"notices","title":"Tell everyone involved in writing","responsible":"allocated_worker","guidance":"The originating team notifies every actively involved agency, professional and family member in writing of the new team and its contact details.","deadline":{"workingDays":5,"source":"Kent transfer protocol 5.1 (written notice of the transfer); 5 working days is a local choice (the protocol asks for timely transfer)"},"overdue":[{"action":"remind"},{"after":{"workingDays":2},"action":"escalate","to":"service_manager"}],"outcomes":[{"id":"summary_changed","label":"The summary was changed: it needs signing off again","to":"sign_off","when":"summary_unsigned"},{"id":"sent","label":"Written notices sent","to":"handover_meeting","when":"notices_sent"},{"id":"cancelled","label":"The team manager cancels the transfer","end":"cancelled"}]},{"id":"handover_meeting","title":"Handover meeting with the child and carer","responsible":"allocated_worker","guidance":"Wherever possible (Kent 2.3); otherwise record why not.","deadline":{"workingDays":10,"source":"Kent transfer protocol 2.3 (handover meeting); 10 working days is a local choice (the protocol asks for timely transfer)"},"overdue":[{"action":"remind"},{"after":{"workingDays":3},"action":"escalate","to":"service_manager"}],"outcomes":[{"id":"summary_changed","label":"The summary was changed: it needs signing off again","to":"sign_off","when":"summary_unsigned"},{"id":"recorded","label":"Meeting held or arranged, or why not recorded","to":"send","when":"meeting_recorded"},{"id":"not_needed","label":"Suspended under an approved contingency plan","to":"send","when":"meeting_suspended"},{"id":"cancelled","label":"The team manager cancels the transfer","end":"cancelled"}]},{"id":"send","title":"Team manager sends the transfer to the receiving team","responsible":"team_manager","deadline":{"workingDays":2,"source":"Kent transfer protocol 2.4 (transfers are a priority); 2 working days is a local choice (the protocol asks for timely transfer)"},"overdue":[{"action":"remind"},{"after":{"workingDays":2},"action":"escalate","to":"service_manager"}],"outcomes":[{"id":"summary_changed","label":"The summary was changed: it needs signing off again","to":"sign_off","when":"summary_unsigned"},{"id":"sent","label":"Sent to the receiving team","to":"receiving_decision"},{"id":"cancelled","label":"The team manager cancels the transfer","end":"cancelled"}]},{"id":"receiving_decision","title":"Receiving team accepts the transfer or returns it with the missing work","responsible":"receiving_team_manager","guidance":"Should the receiving team identify missing exemplars, assessments or other work, the originating team must do it (Kent 5.1).","deadline":{"workingDays":5,"source":"Kent transfer protocol 2.4 and 5.1 (receiving team decision); 5 working days is a local choice (the protocol asks for timely transfer)"},"overdue":[{"action":"remind"},{"after":{"workingDays":2},"action":"escalate","to":"service_manager"}],"outcomes":[{"id":"accepted","label":"Accepted","to":"allocation"},{"id":"returned","label":"Returned with the missing work listed","to":"remedial_work"}]},{"id":"remedial_work","title":"Originating team does the missing work","responsible":"allocated_worker","deadline":{"workingDays":5,"source":"Kent transfer protocol 5.1 (remedial work by the originating team); 5 working days is a local choice (the protocol asks for timely transfer)"},"overdue":[{"action":"remind"},{"after":{"workingDays":2},"action":"escalate","to":"service_manager"}],"outcomes":[{"id":"done","label":"The missing work is done","to":"summary","when":"missing_work_done"},{"id":"cancelled","label":"The team manager cancels the transfer","end":"cancelled"}]},{"id":"allocation","title":"Receiving team allocates a worker","responsible":"receiving_team_manager","guidance":"The current worker keeps the case until the receiving worker is allocated: a child on a child protection plan or in care is never unallocated. Capacity problems go to the service manager (Kent 2.5).","deadline":{"workingDays":10,"source":"Kent transfer protocol 2.5 (never unallocated; capacity escalated to the service manager); 10 working days is a local choice (the protocol asks for timely transfer)"},"overdue":[{"action":"remind"},{"after":{"workingDays":2},"action":"escalate","to":"service_manager"}],"outcomes":[{"id":"allocated","label":"Worker allocated: transfer complete","end":"transferred"}]}]}';
export const CAPACITY_V1 =
  '{"id":"kent-capacity-escalation","version":1,"title":"Capacity escalation (Kent)","description":"The receiving team cannot allocate a transferred case: the service manager owns the block until a worker is allocated, and senior managers are told if it is still blocked when it falls due. Meanwhile the current worker keeps the case.","source":"Kent County Council, Team Remits and Transfer Protocol (Step Up Step Down), section 2.5","startedBy":["team_manager","service_manager"],"inputs":[{"name":"service_manager_id","label":"Service manager (or their service, when nobody is named)","type":"user"},{"name":"transfer_id","label":"Transfer","type":"text"}],"facts":["worker_allocated"],"start":"resolve","steps":[{"id":"resolve","title":"Service manager resolves the capacity block","responsible":"field:service_manager_id","guidance":"Find the capacity for the receiving team to allocate a worker; until then the current worker keeps the case (Kent 2.5).","deadline":{"workingDays":5,"source":"Kent transfer protocol 2.5 (the service manager is accountable for smooth transition); 5 working days is a local choice"},"overdue":[{"action":"remind"},{"action":"notify","to":"role:ifs_manager"},{"action":"notify","to":"role:assistant_director"}],"outcomes":[{"id":"allocated","label":"A worker is allocated: the block is resolved","end":"resolved","when":"worker_allocated"}]}]}';
export const CAPACITY_V1_CHECKSUM = '05c592ee16511b3f6903ef79d97d58590bf5e1b5f18ae842071542bf6d90ee62';
export const V2_CHECKSUM = '31d446c80a90081c8676541c8f672579ae95d9772d1bb3f3000614afd6e5c698';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    ALTER TABLE capacity_escalations ADD COLUMN protocol_instance_id uuid REFERENCES protocol_instances(id);
    ALTER TABLE capacity_escalations ALTER COLUMN owner_label DROP NOT NULL;
    ALTER TABLE capacity_escalations ALTER COLUMN due_date DROP NOT NULL;
    ALTER TABLE capacity_escalations ALTER COLUMN due_rule DROP NOT NULL;
  `.execute(db);
  await carryTransfers(db);
  await carryEscalations(db);
  await sql`
    UPDATE deadlines SET cancelled_at = now()
      WHERE subject_type = 'capacity_escalation' AND fired_at IS NULL AND cancelled_at IS NULL;
  `.execute(db);
}

async function record(db: Kysely<unknown>, id: string, version: number, title: string, json: string, sum: string) {
  await sql`
    INSERT INTO protocol_versions (protocol_id, version, title, origin, definition, checksum)
    VALUES (${id}, ${version}, ${title}, 'built-in', ${json}::jsonb, ${sum})
    ON CONFLICT (protocol_id, version) DO NOTHING`.execute(db);
}

export async function carryTransfers(db: Kysely<unknown>) {
  const open = await sql<{ n: number }>`
    SELECT count(*)::int AS n FROM protocol_instances
    WHERE protocol_id = 'kent-team-transfer' AND protocol_version = 1 AND status = 'open'`.execute(db);
  if (!open.rows[0]?.n) return;
  await record(db, 'kent-team-transfer', 2, 'Team transfer (Kent)', V2, V2_CHECKSUM);
  await sql`
    UPDATE protocol_instances SET protocol_version = 2, version = version + 1
    WHERE protocol_id = 'kent-team-transfer' AND protocol_version = 1 AND status = 'open'`.execute(db);
}

export async function carryEscalations(db: Kysely<unknown>) {
  const open = await sql<{ id: string }>`
    SELECT id FROM capacity_escalations WHERE resolved_at IS NULL AND protocol_instance_id IS NULL`.execute(db);
  if (!open.rows.length) return;
  await record(db, 'kent-capacity-escalation', 1, 'Capacity escalation (Kent)', CAPACITY_V1, CAPACITY_V1_CHECKSUM);
  for (const { id } of open.rows) {
    // The instance and its open step, with the owner (or, when nobody was named, the receiving service's queue)
    // and the due date the escalation had.
    const made = await sql<{ instance_id: string; step_id: string }>`
      WITH e AS (
        SELECT e.*, t.service_id, coalesce(x.to_involvement_id, x.from_involvement_id) AS involvement_id,
               (e.raised_at AT TIME ZONE 'Europe/London')::date AS raised_on
        FROM capacity_escalations e
        JOIN teams t ON t.id = e.team_id
        LEFT JOIN transfers x ON x.id = e.transfer_id
        WHERE e.id = ${id}
      ), i AS (
        INSERT INTO protocol_instances
          (authority_id, person_id, involvement_id, protocol_id, protocol_version, anchors, data, started_by, started_at)
        SELECT authority_id, person_id, involvement_id, 'kent-capacity-escalation', 1,
               jsonb_build_object('started', raised_on::text),
               jsonb_build_object('service_manager_id', coalesce(owner_user_id, service_id),
                                  'transfer_id', transfer_id, 'escalation_id', id),
               raised_by, raised_at
        FROM e RETURNING id
      ), s AS (
        INSERT INTO protocol_steps
          (authority_id, instance_id, person_id, step_key, entered_at, entered_on, due_date, due_rule,
           owner_user_id, owner_service_id, owner_label, escalations)
        SELECT e.authority_id, i.id, e.person_id, 'resolve', e.raised_at, e.raised_on, e.due_date, e.due_rule,
               e.owner_user_id, CASE WHEN e.owner_user_id IS NULL THEN e.service_id END,
               coalesce(e.owner_label, 'Service managers'), e.chased
        FROM e, i RETURNING id, instance_id
      )
      SELECT instance_id, id AS step_id FROM s`.execute(db);
    const m = made.rows[0];
    if (!m) continue;
    await sql`UPDATE protocol_instances SET current_step_id = ${m.step_id} WHERE id = ${m.instance_id}`.execute(db);
    await sql`UPDATE capacity_escalations SET protocol_instance_id = ${m.instance_id} WHERE id = ${id}`.execute(db);
    // Its chase not yet fired becomes the step's ladder (remind, then the IFS manager and the assistant director).
    await sql`
      INSERT INTO deadlines (authority_id, subject_type, subject_id, rung, due_at, action)
      SELECT d.authority_id, 'protocol_step', ${m.step_id}::uuid, g.r, d.due_at, jsonb_build_object('rung', g.r)
      FROM deadlines d, generate_series(0, 2) AS g(r)
      WHERE d.subject_type = 'capacity_escalation' AND d.subject_id = ${id}
        AND d.fired_at IS NULL AND d.cancelled_at IS NULL`.execute(db);
  }
}

export async function down(): Promise<void> {
  throw new Error('This migration cannot be reversed; restore from a backup instead.');
}
