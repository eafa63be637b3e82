// Frozen once landed: add a new migration rather than editing this one.
// Issue 11 capabilities 11 and 15: finding people without duplicates, and importing from a council's case system.
// - recently viewed people come from the user's own rows in access_log (an index by user).
// - pg_trgm (similar names) and fuzzystrmatch (names that sound alike) for the duplicate warning, with a trigram
//   index on the full name.
// - source_id on people, teams, involvements and statuses: the id a row has in the system it was imported from,
//   unique per authority, so a re-run of the same file matches the rows it made instead of adding them again.
// - audit_append_bulk: the audit rows of an import written in one statement, their hash chain computed in one
//   pass under one lock of the chain head (quality.md P6). The per-row trigger now runs only for rows that come
//   without a seq: the app role may insert only the entry's columns (src/db/roles.ts), so only this owner's
//   function can write a row with its seq and hashes, and `audit verify` checks them like any other.
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE EXTENSION IF NOT EXISTS pg_trgm;
    CREATE EXTENSION IF NOT EXISTS fuzzystrmatch;
    CREATE INDEX people_full_name_trgm_idx ON people
      USING gin ((lower(given_name || ' ' || family_name)) gin_trgm_ops);
    -- Recently viewed: a user's own reads, newest first.
    CREATE INDEX access_log_user_at_idx ON access_log(user_id, at DESC);

    ALTER TABLE people ADD COLUMN source_id text;
    ALTER TABLE teams ADD COLUMN source_id text;
    ALTER TABLE involvements ADD COLUMN source_id text;
    ALTER TABLE person_statuses ADD COLUMN source_id text;
    CREATE UNIQUE INDEX people_source_idx ON people(authority_id, source_id) WHERE source_id IS NOT NULL;
    CREATE UNIQUE INDEX teams_source_idx ON teams(authority_id, source_id) WHERE source_id IS NOT NULL;
    CREATE UNIQUE INDEX involvements_source_idx ON involvements(authority_id, source_id) WHERE source_id IS NOT NULL;
    CREATE UNIQUE INDEX person_statuses_source_idx ON person_statuses(authority_id, source_id)
      WHERE source_id IS NOT NULL;

    DROP TRIGGER audit_log_chain ON audit_log;
    CREATE TRIGGER audit_log_chain BEFORE INSERT ON audit_log FOR EACH ROW WHEN (NEW.seq IS NULL)
      EXECUTE FUNCTION audit_log_chain();
  `.execute(db);
  const schema = await sql<{ s: string }>`SELECT current_schema() AS s`.execute(db);
  const where = schema.rows[0]?.s ?? 'public';
  await sql`
    CREATE FUNCTION audit_append_bulk(
      p_authority uuid, p_actor uuid, p_action text, p_entity text, p_entity_ids text[], p_person_ids uuid[],
      p_details jsonb[]
    ) RETURNS bigint LANGUAGE plpgsql SECURITY DEFINER AS $$
    DECLARE
      head audit_chain_head;
      r audit_log;
      n int := coalesce(array_length(p_entity_ids, 1), 0);
      seqs bigint[] := '{}'; ats timestamptz[] := '{}'; prevs text[] := '{}'; hashes text[] := '{}';
    BEGIN
      IF n = 0 THEN RETURN 0; END IF;
      SELECT * INTO head FROM audit_chain_head WHERE id FOR UPDATE;
      r.authority_id := p_authority; r.actor_id := p_actor; r.action := p_action; r.entity := p_entity;
      r.at := clock_timestamp();
      FOR i IN 1..n LOOP
        r.seq := head.seq + i;
        r.entity_id := p_entity_ids[i];
        r.person_id := p_person_ids[i];
        r.detail := coalesce(p_details[i], '{}'::jsonb);
        r.prev_hash := head.hash;
        r.hash := encode(sha256(convert_to(audit_row_text(r), 'UTF8')), 'hex');
        seqs[i] := r.seq; ats[i] := r.at; prevs[i] := r.prev_hash; hashes[i] := r.hash;
        head.hash := r.hash;
      END LOOP;
      INSERT INTO audit_log (seq, at, authority_id, actor_id, action, entity, entity_id, person_id, detail, prev_hash, hash)
      SELECT s, a, p_authority, p_actor, p_action, p_entity, e, p, coalesce(d, '{}'::jsonb), pv, h
      FROM unnest(seqs, ats, p_entity_ids, p_person_ids, p_details, prevs, hashes) AS x(s, a, e, p, d, pv, h);
      UPDATE audit_chain_head SET seq = head.seq + n, hash = head.hash WHERE id;
      RETURN n;
    END $$;
  `.execute(db);
  await sql`ALTER FUNCTION audit_append_bulk(uuid, uuid, text, text, text[], uuid[], jsonb[])
    SET search_path = ${sql.id(where)}, pg_temp`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    DROP FUNCTION audit_append_bulk(uuid, uuid, text, text, text[], uuid[], jsonb[]);
    DROP TRIGGER audit_log_chain ON audit_log;
    CREATE TRIGGER audit_log_chain BEFORE INSERT ON audit_log FOR EACH ROW EXECUTE FUNCTION audit_log_chain();
    DROP INDEX people_full_name_trgm_idx;
    DROP INDEX access_log_user_at_idx;
    ALTER TABLE people DROP COLUMN source_id;
    ALTER TABLE teams DROP COLUMN source_id;
    ALTER TABLE involvements DROP COLUMN source_id;
    ALTER TABLE person_statuses DROP COLUMN source_id;
  `.execute(db);
}
