// Plans, set-based in SQL: one statement for the plans and one for their actions. The "random" choices hash the
// young person's case number, so the same seed and sizes give the same plans.
import { sql } from 'kysely';
import type { Tx } from '../../db/database.ts';
import type { CountyCounts } from './county.ts';

const ACTION_DESCRIPTIONS = [
  'Money skills course',
  'Find supported accommodation from 18',
  'Care Act transition assessment',
  'Travel training to college',
  'Register with an adult GP and annual health check',
  'Apply for Personal Independence Payment',
  'College place and transport from September',
  'Short breaks review',
  'Mental capacity assessment for tenancy decisions',
  'Work experience placement',
  'Transfer to adult learning disability health team',
  'Personal budget and direct payments setup',
] as const;

/** One person-led plan per young person, and `actions` plan actions spread across them. */
export async function insertPlans(
  tx: Tx,
  authorityId: string,
  today: string,
  actions: number,
): Promise<Pick<CountyCounts, 'plans' | 'actions' | 'overdueActions' | 'unownedActions'>> {
  // Statistics for the rows just written (visible to this transaction), or the planner loops over them blind.
  await sql`ANALYZE people, involvements`.execute(tx);
  // The plan's author: the worker on the young person's earliest open, allocated involvement (null: nobody yet).
  const plans = await sql`
    INSERT INTO plans (authority_id, person_id, what_matters, hopes, needs, provision_in_place, pathway_agreed,
      created_by, created_at, updated_at)
    SELECT p.authority_id, p.id,
      (ARRAY['My friends and my music', 'My family and my dog', 'Football and gaming', 'Art, drama and my cat'])
        [1 + abs(hashtext(p.case_number)) % 4],
      (ARRAY['To go to college near home', 'To live with friends', 'To get a job', 'To stay close to my family'])
        [1 + abs(hashtext(p.case_number || 'h')) % 4],
      (ARRAY['Supported living from 18', 'Help managing money', 'Travel training', 'Personal care at home'])
        [1 + abs(hashtext(p.case_number || 'n')) % 4],
      abs(hashtext(p.case_number || 'p')) % 3 = 0,
      abs(hashtext(p.case_number || 'w')) % 2 = 0,
      lead.worker_id, lead.created_at, lead.created_at
    FROM people p
    JOIN (
      SELECT DISTINCT ON (i.person_id) i.person_id, i.worker_id, i.created_at FROM involvements i
      WHERE i.authority_id = ${authorityId} AND i.end_date IS NULL
      ORDER BY i.person_id, i.worker_id IS NULL, i.start_date
    ) lead ON lead.person_id = p.id
    WHERE p.authority_id = ${authorityId}`.execute(tx);
  await sql`ANALYZE plans`.execute(tx);
  // Spread `actions` evenly: plan k (in case-number order) gets floor((k+1)A/n) - floor(kA/n) of them.
  const written = await sql<{ overdue: number; unowned: number; n: number }>`
    WITH pl AS (
      SELECT pl.id, pl.person_id, pl.created_by, p.case_number, pl.created_at,
        row_number() OVER (ORDER BY p.case_number) - 1 AS k, count(*) OVER () AS total
      FROM plans pl JOIN people p ON p.id = pl.person_id
      WHERE pl.authority_id = ${authorityId}
    ),
    svc AS (SELECT array_agg(id ORDER BY name) AS ids FROM services WHERE authority_id = ${authorityId}),
    ins AS (
      INSERT INTO plan_actions (authority_id, plan_id, person_id, description, owner_user_id, owner_service_id,
        due_date, status, issue_type, commissioning_area, created_at, updated_at)
      SELECT ${authorityId}::uuid, pl.id, pl.person_id,
        (${[...ACTION_DESCRIPTIONS]}::text[])[1 + (x.h / 7) % ${ACTION_DESCRIPTIONS.length}],
        CASE WHEN x.h % 100 < 12 THEN NULL ELSE pl.created_by END,
        CASE WHEN x.h % 100 BETWEEN 4 AND 11 THEN svc.ids[1 + (x.h / 11) % cardinality(svc.ids)] END,
        ${today}::date + ((x.h / 13) % 150 - 40)::int,
        (ARRAY['done', 'done', 'in_progress', 'in_progress', 'in_progress', 'not_started', 'not_started',
          'not_started', 'cancelled', 'in_progress'])[1 + (x.h / 17) % 10],
        CASE WHEN x.h % 100 < 4 THEN (ARRAY['gap', 'capacity'])[1 + (x.h / 19) % 2] END,
        CASE WHEN x.h % 100 < 4 THEN 'Supported living' END,
        pl.created_at, pl.created_at
      FROM pl, svc,
        LATERAL generate_series(1, ((pl.k + 1) * ${actions} / pl.total - pl.k * ${actions} / pl.total)::int) g,
        LATERAL (SELECT abs(hashtext(pl.case_number || ':' || g)) AS h) x
      RETURNING owner_user_id, owner_service_id, due_date, status
    )
    SELECT count(*)::int AS n,
      count(*) FILTER (WHERE status IN ('not_started', 'in_progress') AND due_date < ${today}::date)::int AS overdue,
      count(*) FILTER (WHERE status IN ('not_started', 'in_progress') AND owner_user_id IS NULL
        AND owner_service_id IS NULL)::int AS unowned
    FROM ins`.execute(tx);
  const w = written.rows[0] as { overdue: number; unowned: number; n: number };
  return {
    plans: Number(plans.numAffectedRows ?? 0),
    actions: w.n,
    overdueActions: w.overdue,
    unownedActions: w.unowned,
  };
}
