// The national council's EHC side, set-based: final EHC plans (1 in 5 young people under 25) with a review each,
// some ceasing; needs assessments in progress (1 in 50) with advice requests and follow-ups; the engine's open
// annual-review and amendment instances the weekly report counts. Choices hash ids or case numbers, so a rebuild
// gives the same shape.
import { type RawBuilder, sql } from 'kysely';
import type { Db } from '../src/db/database.ts';

/**
 * Open instances of `protocol` with one open step each (the current step), for the rows of `source`: a query giving
 * `person_id`, `ref` (kept in the instance's data, to link it back), `due_date` and `anchors`.
 */
async function openInstances(
  db: Db,
  aid: string,
  protocol: string,
  stepKey: string,
  source: RawBuilder<unknown>,
  /** The row each instance was started for (`ref`), and what to set on it from the instance `i`. */
  link?: { table: 'ehcp_assessments' | 'ehcp_advice_requests'; set: RawBuilder<unknown> },
) {
  await sql`
    WITH src AS (${source}),
    starter AS (SELECT min(id::text)::uuid AS id FROM users WHERE authority_id = ${aid}),
    inst AS (
      INSERT INTO protocol_instances (authority_id, person_id, protocol_id, protocol_version, status, anchors, data, started_by)
      SELECT ${aid}::uuid, src.person_id, ${protocol},
        (SELECT max(version) FROM protocol_versions WHERE protocol_id = ${protocol}), 'open', src.anchors,
        jsonb_build_object('ref', src.ref, 'due', src.due_date), starter.id
      FROM src, starter
      RETURNING id, person_id, data)
    INSERT INTO protocol_steps (authority_id, instance_id, person_id, step_key, status, entered_on, due_date, owner_label)
    SELECT ${aid}::uuid, inst.id, inst.person_id, ${stepKey}, 'open', current_date, (inst.data->>'due')::date, 'Team'
    FROM inst`.execute(db);
  await sql`
    UPDATE protocol_instances i SET current_step_id = s.id
    FROM protocol_steps s
    WHERE s.instance_id = i.id AND i.authority_id = ${aid} AND i.protocol_id = ${protocol} AND i.current_step_id IS NULL`.execute(
    db,
  );
  if (link)
    await sql`UPDATE ${sql.table(link.table)} r SET ${link.set} FROM protocol_instances i
      WHERE i.authority_id = ${aid} AND i.protocol_id = ${protocol} AND (i.data->>'ref')::uuid = r.id`.execute(db);
}

async function insertPlansAndReviews(db: Db, aid: string, today: string) {
  // 9 in 10 final, 1 in 20 ceased, the rest drafts; reviews due a year after the last one, 1 in 6 overdue.
  await sql`
    INSERT INTO ehc_plans (authority_id, person_id, status, first_issued_date, last_issued_date, last_review_date,
      review_due_date, ceased_date, cease_reason)
    SELECT ${aid}::uuid, p.id, x.status,
      CASE WHEN x.status <> 'draft' THEN x.issued END,
      CASE WHEN x.status <> 'draft' AND x.h % 7 = 0 THEN ${today}::date - (x.h / 7) % 200 END,
      CASE WHEN x.status <> 'draft' AND x.h % 10 <> 0 THEN x.reviewed END,
      CASE WHEN x.status <> 'draft' THEN coalesce(CASE WHEN x.h % 10 <> 0 THEN x.reviewed END, x.issued) + 365 END,
      CASE WHEN x.status = 'ceased' THEN ${today}::date - (x.h / 3) % 300 END,
      CASE WHEN x.status = 'ceased' THEN 1 + x.h % 9 END
    FROM people p,
      LATERAL (SELECT abs(hashtext(p.case_number || 'e')) AS h) hh,
      LATERAL (SELECT hh.h / 5 AS h,
        CASE WHEN (hh.h / 5) % 100 < 90 THEN 'final' WHEN (hh.h / 5) % 100 < 95 THEN 'ceased' ELSE 'draft' END AS status,
        least(${today}::date - 400, greatest(p.date_of_birth + 1100, ${today}::date - 400 - (hh.h / 100) % 2500)) AS issued,
        ${today}::date - (hh.h / 1000) % 430 AS reviewed) x
    WHERE p.authority_id = ${aid} AND hh.h % 5 = 0 AND p.date_of_birth > ${today}::date - interval '25 years'`.execute(
    db,
  );
  // One review per reviewed plan, held on the plan's last review date; half record preparing for adulthood.
  await sql`
    INSERT INTO ehc_reviews (authority_id, plan_id, person_id, due_date, due_basis, status, meeting_held_date, pfa,
      decision, decision_date)
    SELECT ${aid}::uuid, e.id, e.person_id, e.last_review_date, 'annual', 'closed', e.last_review_date,
      CASE WHEN abs(hashtext(e.id::text)) % 2 = 0 THEN 'College from September; travel training; adult GP' END,
      'maintain', e.last_review_date
    FROM ehc_plans e WHERE e.authority_id = ${aid} AND e.last_review_date IS NOT NULL`.execute(db);
  // Cessations under way for 1 in 30 final plans.
  await sql`
    INSERT INTO ehc_plan_cessations (authority_id, plan_id, person_id, started_how, reason)
    SELECT ${aid}::uuid, e.id, e.person_id, 'coordinator', 1 + abs(hashtext(e.id::text)) % 9
    FROM ehc_plans e WHERE e.authority_id = ${aid} AND e.status = 'final' AND abs(hashtext(e.id::text || 'c')) % 30 = 0`.execute(
    db,
  );
  // The engine's open annual reviews (1 in 4 final plans) and amendments (1 in 25), for the weekly report's lines.
  await openInstances(
    db,
    aid,
    'ehc-annual-review',
    'hold_meeting',
    sql`SELECT e.person_id, e.id AS ref, e.review_due_date AS due_date, '{}'::jsonb AS anchors FROM ehc_plans e
      WHERE e.authority_id = ${aid} AND e.status = 'final' AND abs(hashtext(e.id::text || 'r')) % 4 = 0`,
  );
  await openInstances(
    db,
    aid,
    'ehc-plan-amendment',
    'issue_amended_plan',
    sql`SELECT e.person_id, e.id AS ref, ${today}::date + abs(hashtext(e.id::text)) % 60 - 20 AS due_date,
        jsonb_build_object('proposals_sent', to_char(${today}::date - abs(hashtext(e.id::text)) % 90, 'YYYY-MM-DD')) AS anchors
      FROM ehc_plans e
      WHERE e.authority_id = ${aid} AND e.status = 'final' AND abs(hashtext(e.id::text || 'a')) % 25 = 0`,
  );
}

async function insertAssessments(db: Db, aid: string, today: string) {
  // 1 in 50 young people under 20 with a needs assessment in the last 40 weeks: 7 in 10 being assessed.
  await sql`
    WITH send AS (SELECT array_agg(id ORDER BY id) AS ids FROM users WHERE authority_id = ${aid})
    INSERT INTO ehcp_assessments (authority_id, person_id, request_date, requested_by, coordinator_id,
      decision_to_assess, decision_date, draft_served_date)
    SELECT ${aid}::uuid, p.id, x.req, 'parent', send.ids[1 + x.h % cardinality(send.ids)],
      CASE WHEN x.h % 10 < 7 AND x.req < ${today}::date - 42 THEN 'assess' WHEN x.h % 10 = 7 AND x.req < ${today}::date - 42 THEN 'not_assess' END,
      CASE WHEN x.h % 10 <= 7 AND x.req < ${today}::date - 42 THEN x.req + 40 END,
      CASE WHEN x.h % 10 < 3 AND x.req < ${today}::date - 120 THEN x.req + 110 END
    FROM people p, send,
      LATERAL (SELECT abs(hashtext(p.case_number || 'a')) AS h) hh,
      LATERAL (SELECT hh.h / 50 AS h, ${today}::date - (hh.h / 50) % 280 AS req) x
    WHERE p.authority_id = ${aid} AND hh.h % 50 = 0 AND p.date_of_birth > ${today}::date - interval '20 years'`.execute(
    db,
  );
  await openInstances(
    db,
    aid,
    'ehc-needs-assessment',
    'decide',
    sql`SELECT a.person_id, a.id AS ref, a.request_date + 140 AS due_date, '{}'::jsonb AS anchors
      FROM ehcp_assessments a WHERE a.authority_id = ${aid}`,
    { table: 'ehcp_assessments', set: sql`protocol_instance_id = i.id` },
  );
  // Four advice requests for each assessment being assessed; those not received by their due date half followed up.
  await sql`
    WITH staff AS (SELECT array_agg(id ORDER BY id) AS ids FROM users WHERE authority_id = ${aid}),
    svc AS (SELECT array_agg(id ORDER BY name) AS ids FROM services WHERE authority_id = ${aid}),
    tl AS (SELECT array_agg(id ORDER BY id) AS ids FROM teams WHERE authority_id = ${aid})
    INSERT INTO ehcp_advice_requests (authority_id, assessment_id, person_id, kind, giver_user_id, responsible_user_id,
      service_id, team_id, question, requested_date, due_date, due_rule, status, received_date)
    SELECT ${aid}::uuid, a.id, a.person_id,
      (ARRAY['educational_psychology', 'health', 'social_care', 'education_setting'])[k],
      staff.ids[1 + x.h % cardinality(staff.ids)], staff.ids[1 + x.h % cardinality(staff.ids)],
      svc.ids[1 + x.h % cardinality(svc.ids)], tl.ids[1 + x.h % cardinality(tl.ids)],
      'Advice for the needs assessment', a.decision_date, a.decision_date + 42, 'six_weeks',
      CASE WHEN x.h % 10 < 6 AND a.decision_date + 30 < ${today}::date THEN 'received' ELSE 'requested' END,
      CASE WHEN x.h % 10 < 6 AND a.decision_date + 30 < ${today}::date THEN a.decision_date + 30 END
    FROM ehcp_assessments a, staff, svc, tl, generate_series(1, 4) k,
      LATERAL (SELECT abs(hashtext(a.id::text || k)) AS h) x
    WHERE a.authority_id = ${aid} AND a.decision_to_assess = 'assess'`.execute(db);
  await openInstances(
    db,
    aid,
    'cumbria-advice-query',
    'await_updated_advice',
    sql`SELECT r.person_id, r.id AS ref, r.due_date + 13 AS due_date, '{}'::jsonb AS anchors
      FROM ehcp_advice_requests r
      WHERE r.authority_id = ${aid} AND r.status = 'requested' AND r.due_date < ${today}::date
        AND abs(hashtext(r.id::text)) % 2 = 0`,
    {
      table: 'ehcp_advice_requests',
      set: sql`follow_up_instance_id = i.id, follow_up_sent_on = r.due_date + 3, follow_up_due = r.due_date + 13`,
    },
  );
}

export async function insertEhcp(db: Db, aid: string, today: string): Promise<void> {
  await insertPlansAndReviews(db, aid, today);
  await insertAssessments(db, aid, today);
}
