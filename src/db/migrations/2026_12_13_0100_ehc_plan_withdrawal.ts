// Frozen once landed: add a new migration rather than editing this one.
// Issue 20: a draft EHC plan can be withdrawn — by the council's decision not to issue a plan after all (written by
// the assessment protocol's `not_issued` end, in the engine's transaction) or because the young person moved to
// another council before it was finalised (written inside the transfer's transaction). `withdrawn` is a new plan
// status; the date and the reason are on the record. A withdrawn plan is no longer live, so the one-live-plan index
// (draft or final) no longer counts it and a later plan can be drafted for the young person.
import { type Kysely, sql } from 'kysely';

/** The names of ehc_plans' CHECK constraints whose text mentions `needle` (they were left unnamed). */
async function checksMentioning(db: Kysely<unknown>, needle: string) {
  const r = await sql<{ conname: string }>`
    SELECT conname FROM pg_constraint
    WHERE conrelid = 'ehc_plans'::regclass AND contype = 'c' AND pg_get_constraintdef(oid) LIKE ${`%${needle}%`}`.execute(
    db,
  );
  return r.rows.map((x) => x.conname);
}

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const name of [
    ...(await checksMentioning(db, "'transferred_out'")),
    ...(await checksMentioning(db, 'first_issued_date IS NOT NULL')),
  ])
    await sql`ALTER TABLE ehc_plans DROP CONSTRAINT ${sql.id(name)}`.execute(db);
  await sql`
    ALTER TABLE ehc_plans
      ADD COLUMN withdrawn_date date,
      ADD COLUMN withdrawn_reason text,
      ADD CONSTRAINT ehc_plans_status_check
        CHECK (status IN ('draft', 'final', 'ceased', 'transferred_out', 'withdrawn')),
      ADD CONSTRAINT ehc_plans_issued_check
        CHECK (status IN ('draft', 'withdrawn') OR first_issued_date IS NOT NULL OR transferred_from_plan_id IS NOT NULL),
      ADD CONSTRAINT ehc_plans_withdrawn_check
        CHECK ((status = 'withdrawn') = (withdrawn_date IS NOT NULL AND withdrawn_reason IS NOT NULL))`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DELETE FROM ehc_plans WHERE status = 'withdrawn'`.execute(db);
  await sql`
    ALTER TABLE ehc_plans
      DROP CONSTRAINT ehc_plans_withdrawn_check,
      DROP CONSTRAINT ehc_plans_issued_check,
      DROP CONSTRAINT ehc_plans_status_check,
      DROP COLUMN withdrawn_reason,
      DROP COLUMN withdrawn_date,
      ADD CONSTRAINT ehc_plans_status_check CHECK (status IN ('draft', 'final', 'ceased', 'transferred_out')),
      ADD CONSTRAINT ehc_plans_issued_check
        CHECK (status = 'draft' OR first_issued_date IS NOT NULL OR transferred_from_plan_id IS NOT NULL)`.execute(db);
}
