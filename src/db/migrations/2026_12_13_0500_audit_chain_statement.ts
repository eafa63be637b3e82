// Frozen once landed: add a new migration rather than editing this one.
// The audit hash chain per statement, not per row (issue 16 part 6, quality.md P6). The row trigger locked and
// updated the one-row audit_chain_head for every audit row; inside one transaction each update leaves a row version
// that cannot be pruned until commit, and the next row's lookup walks them all, so a statement of n rows cost n²:
// 250 rows a statement 8–24k rows/s, 20,000 rows 0.6–1.9k rows/s, and a COPY of 2 million never finished.
//
// Now, for every INSERT or COPY into audit_log:
// - before the statement, audit_chain_begin locks the head (FOR UPDATE, held to the end of the transaction, so
//   concurrent writers still queue on it exactly as before) and copies seq and hash into two settings local to the
//   transaction;
// - each row (audit_log_chain, unchanged in what it writes) takes its seq and prev_hash from those settings, hashes
//   the same text as before (audit_row_text) and moves the settings on: no table is touched per row;
// - after the statement, audit_chain_end reads the statement's rows (a transition table), checks they follow the head
//   without a gap or a broken link, and writes the head once.
// The settings could be changed by any session with set_config, so they are not trusted: a statement whose rows do
// not follow the locked head exactly fails whole (check_violation), and nothing of it is written. The rows and their
// text are the same as before, so `audit verify` is unchanged. Rows given their own seq (audit_append_bulk, the
// owner's) skip the row trigger as before and are checked the same way after the statement. PostgreSQL fires a
// table's statement triggers once per SQL statement, so two inserts into audit_log in data-modifying CTEs chain one
// after the other.
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  const schema = (await sql<{ s: string }>`SELECT current_schema() AS s`.execute(db)).rows[0]?.s ?? 'public';
  await sql`
    CREATE FUNCTION audit_chain_begin() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER AS $$
    DECLARE head audit_chain_head;
    BEGIN
      SELECT * INTO head FROM audit_chain_head WHERE id FOR UPDATE;
      PERFORM set_config('handover.audit_seq', head.seq::text, true),
        set_config('handover.audit_hash', head.hash, true);
      RETURN NULL;
    END $$;

    CREATE OR REPLACE FUNCTION audit_log_chain() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER AS $$
    BEGIN
      NEW.seq := current_setting('handover.audit_seq')::bigint + 1;
      NEW.at := clock_timestamp();
      NEW.prev_hash := current_setting('handover.audit_hash');
      NEW.hash := encode(sha256(convert_to(audit_row_text(NEW), 'UTF8')), 'hex');
      PERFORM set_config('handover.audit_seq', NEW.seq::text, true),
        set_config('handover.audit_hash', NEW.hash, true);
      RETURN NEW;
    END $$;

    CREATE FUNCTION audit_chain_end() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER AS $$
    DECLARE
      head audit_chain_head;
      r record;
      last_seq bigint;
      last_hash text;
    BEGIN
      SELECT * INTO head FROM audit_chain_head WHERE id FOR UPDATE;
      last_seq := head.seq;
      last_hash := head.hash;
      -- In the order the rows were written, which is the chain's order: each follows the one before, the first the
      -- head. Anything else means the chain's settings were changed during the statement.
      FOR r IN SELECT n.seq, n.prev_hash, n.hash FROM audit_new_rows n LOOP
        IF r.seq <> last_seq + 1 OR r.prev_hash <> last_hash THEN
          RAISE EXCEPTION 'audit_log row % does not follow row % of the chain', r.seq, last_seq
            USING ERRCODE = 'check_violation';
        END IF;
        last_seq := r.seq;
        last_hash := r.hash;
      END LOOP;
      IF last_seq <> head.seq THEN
        UPDATE audit_chain_head SET seq = last_seq, hash = last_hash WHERE id;
      END IF;
      RETURN NULL;
    END $$;

    CREATE TRIGGER audit_chain_begin BEFORE INSERT ON audit_log FOR EACH STATEMENT
      EXECUTE FUNCTION audit_chain_begin();
    CREATE TRIGGER audit_chain_end AFTER INSERT ON audit_log REFERENCING NEW TABLE AS audit_new_rows
      FOR EACH STATEMENT EXECUTE FUNCTION audit_chain_end();
  `.execute(db);
  for (const fn of ['audit_chain_begin', 'audit_log_chain', 'audit_chain_end']) {
    await sql`ALTER FUNCTION ${sql.id(fn)}() SET search_path = ${sql.id(schema)}, pg_temp`.execute(db);
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    DROP TRIGGER audit_chain_end ON audit_log;
    DROP TRIGGER audit_chain_begin ON audit_log;
    DROP FUNCTION audit_chain_end();
    DROP FUNCTION audit_chain_begin();
    CREATE OR REPLACE FUNCTION audit_log_chain() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER AS $$
    DECLARE head audit_chain_head;
    BEGIN
      SELECT * INTO head FROM audit_chain_head WHERE id FOR UPDATE;
      NEW.seq := head.seq + 1;
      NEW.at := clock_timestamp();
      NEW.prev_hash := head.hash;
      NEW.hash := encode(sha256(convert_to(audit_row_text(NEW), 'UTF8')), 'hex');
      UPDATE audit_chain_head SET seq = NEW.seq, hash = NEW.hash WHERE id;
      RETURN NEW;
    END $$;
  `.execute(db);
  const schema = (await sql<{ s: string }>`SELECT current_schema() AS s`.execute(db)).rows[0]?.s ?? 'public';
  await sql`ALTER FUNCTION audit_log_chain() SET search_path = ${sql.id(schema)}, pg_temp`.execute(db);
}
