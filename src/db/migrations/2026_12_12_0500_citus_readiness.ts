// Issue 18 part 6: the schema ready to be distributed by authority_id (Citus; docs/national-scale.md).
// 1. Every case table (a council's data, NOT NULL authority_id) gets a unique key that includes authority_id:
//    UNIQUE (authority_id, <its primary key>). Citus accepts only keys that include the distribution column, and
//    a child row's foreign key to its parent can then name (authority_id, id), the co-located form.
// 2. The six case tables that had no authority_id get one: a child row of a parent that has it (a document's bytes,
//    a subject access request's reviews and export, membership of a team, panel or setting). It is backfilled from
//    the parent, NOT NULL, filled on insert from the parent by a trigger (the insert sites stay as they are: see
//    docs/decisions.md), and held to the parent's by a foreign key on (authority_id, parent id).
// test/citus-readiness.test.ts checks the whole catalogue against this rule.
import { type Kysely, sql } from 'kysely';

/** Case tables whose primary key lacks authority_id, with that key's columns. */
const KEYED: [table: string, primaryKey: string][] = [
  ['access_log', 'id'],
  ['advice_calls', 'id'],
  ['advice_inbox_requests', 'request_id'],
  ['alerts', 'id'],
  ['assessments', 'id'],
  ['audience_summaries', 'id'],
  ['break_glass', 'id'],
  ['capacity_escalations', 'id'],
  ['case_note_drafts', 'user_id, person_id'],
  ['case_note_versions', 'id'],
  ['case_notes', 'id'],
  ['case_tasks', 'id'],
  ['concern_links', 'id'],
  ['consultation_follow_ups', 'id'],
  ['consultations', 'id'],
  ['contacts', 'id'],
  ['deadlines', 'id'],
  ['documents', 'id'],
  ['ehcp_advice_requests', 'id'],
  ['ehcp_advice_submissions', 'id'],
  ['ehcp_assessments', 'id'],
  ['ehcp_delay_notices', 'id'],
  ['ehcp_exceptions', 'id'],
  ['events', 'id'],
  ['exploitation_actions', 'id'],
  ['exploitation_cases', 'person_id'],
  ['exploitation_decisions', 'id'],
  ['exploitation_updates', 'id'],
  ['generated_documents', 'id'],
  ['hub_services', 'id'],
  ['hubs', 'id'],
  ['information_sharing', 'id'],
  ['involvements', 'id'],
  ['legal_holds', 'id'],
  ['localities', 'id'],
  ['mentor_checks', 'id'],
  ['mentoring_goals', 'id'],
  ['mentoring_referrals', 'id'],
  ['mentoring_sessions', 'id'],
  ['mentors', 'id'],
  ['notifications', 'id'],
  ['oidc_sessions', 'session_id_hash'],
  ['organisation_leads', 'service_id, user_id'],
  ['outbox', 'id'],
  ['panel_decisions', 'id'],
  ['panel_items', 'id'],
  ['panel_meetings', 'id'],
  ['panels', 'id'],
  ['peer_group_people', 'id'],
  ['peer_groups', 'id'],
  ['people', 'id'],
  ['person_statuses', 'id'],
  ['persons_of_concern', 'id'],
  ['place_people', 'id'],
  ['places', 'id'],
  ['plan_actions', 'id'],
  ['plan_goals', 'id'],
  ['plan_reviews', 'id'],
  ['plans', 'id'],
  ['protocol_instances', 'id'],
  ['protocol_steps', 'id'],
  ['protocol_suspensions', 'id'],
  ['referrals', 'id'],
  ['risk_events', 'id'],
  ['risk_partner_entries', 'id'],
  ['scim_department_teams', 'id'],
  ['scim_managed_users', 'user_id'],
  ['scim_secrets', 'id'],
  ['screenings', 'id'],
  ['services', 'id'],
  ['settings', 'id'],
  ['sharing_records', 'id'],
  ['solution_cases', 'id'],
  ['solution_tests', 'id'],
  ['sso_access_requests', 'id'],
  ['sso_tenants', 'id'],
  ['subject_access_requests', 'id'],
  ['support_request_contacts', 'id'],
  ['support_requests', 'id'],
  ['system_block_cases', 'id'],
  ['system_blocks', 'id'],
  ['teams', 'id'],
  ['transfer_notices', 'id'],
  ['transfer_points', 'id'],
  ['transfers', 'id'],
  ['transition_plans', 'id'],
  ['triage_meetings', 'id'],
  ['two_factor_challenges', 'token_hash'],
  ['two_factor_factors', 'user_id'],
  ['two_factor_recovery_codes', 'id'],
  ['user_identities', 'id'],
  ['user_invites', 'id'],
  ['users', 'id'],
];

/** Tables that had no authority_id: [table, the column naming the parent, the parent table]. */
const CHILDREN: [table: string, parentColumn: string, parent: string][] = [
  ['document_contents', 'document_id', 'documents'],
  ['subject_access_reviews', 'request_id', 'subject_access_requests'],
  ['subject_access_exports', 'request_id', 'subject_access_requests'],
  ['team_members', 'team_id', 'teams'],
  ['panel_members', 'panel_id', 'panels'],
  ['setting_members', 'setting_id', 'settings'],
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const [table, key] of KEYED) {
    const columns = key.split(', ').map((c) => sql.id(c));
    await sql`ALTER TABLE ${sql.table(table)} ADD UNIQUE (authority_id, ${sql.join(columns)})`.execute(db);
  }
  const schema = (await sql<{ s: string }>`SELECT current_schema() AS s`.execute(db)).rows[0]?.s ?? 'public';
  // A child row's council is its parent's: filled in when the insert leaves it out. The foreign key below holds a
  // value the insert gives to the parent's.
  await sql`
    CREATE FUNCTION authority_from_parent() RETURNS trigger LANGUAGE plpgsql
    SET search_path = ${sql.id(schema)}, pg_temp AS $$
    BEGIN
      IF NEW.authority_id IS NULL THEN
        EXECUTE format('SELECT authority_id FROM %I WHERE id = $1', TG_ARGV[1])
          INTO NEW.authority_id USING (to_jsonb(NEW) ->> TG_ARGV[0])::uuid;
      END IF;
      RETURN NEW;
    END $$`.execute(db);
  for (const [table, column, parent] of CHILDREN) {
    const t = sql.table(table);
    const c = sql.id(column);
    await sql`ALTER TABLE ${t} ADD COLUMN authority_id uuid`.execute(db);
    // Some of them refuse every UPDATE (their bytes never change); this one fills a new column, inside the migration.
    await sql`ALTER TABLE ${t} DISABLE TRIGGER USER`.execute(db);
    await sql`UPDATE ${t} SET authority_id = p.authority_id FROM ${sql.table(parent)} p WHERE p.id = ${t}.${c}`.execute(
      db,
    );
    await sql`ALTER TABLE ${t} ENABLE TRIGGER USER`.execute(db);
    await sql`ALTER TABLE ${t} ALTER COLUMN authority_id SET NOT NULL`.execute(db);
    await sql`ALTER TABLE ${t} ADD FOREIGN KEY (authority_id, ${c}) REFERENCES ${sql.table(parent)} (authority_id, id)
      ON DELETE CASCADE`.execute(db);
    await sql`CREATE TRIGGER ${sql.id(`${table}_authority`)} BEFORE INSERT ON ${t}
      FOR EACH ROW EXECUTE FUNCTION authority_from_parent(${sql.lit(column)}, ${sql.lit(parent)})`.execute(db);
  }
  // Their keys: the parent's authority first.
  await sql`
    ALTER TABLE document_contents ADD UNIQUE (authority_id, document_id);
    ALTER TABLE subject_access_reviews ADD UNIQUE (authority_id, request_id, item_table, item_id);
    ALTER TABLE subject_access_exports ADD UNIQUE (authority_id, request_id);
    ALTER TABLE team_members ADD UNIQUE (authority_id, team_id, user_id);
    ALTER TABLE panel_members ADD UNIQUE (authority_id, panel_id, user_id);
    ALTER TABLE setting_members ADD UNIQUE (authority_id, setting_id, user_id);
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const [table] of CHILDREN) {
    await sql`DROP TRIGGER ${sql.id(`${table}_authority`)} ON ${sql.table(table)}`.execute(db);
    await sql`ALTER TABLE ${sql.table(table)} DROP COLUMN authority_id`.execute(db);
  }
  await sql`DROP FUNCTION authority_from_parent()`.execute(db);
  for (const [table, key] of KEYED) {
    const found = await sql<{ name: string }>`
      SELECT conname AS name FROM pg_constraint
      WHERE conrelid = ${table}::regclass AND contype = 'u'
        AND pg_get_constraintdef(oid) = ${`UNIQUE (authority_id, ${key})`}`.execute(db);
    for (const { name } of found.rows)
      await sql`ALTER TABLE ${sql.table(table)} DROP CONSTRAINT ${sql.id(name)}`.execute(db);
  }
}
