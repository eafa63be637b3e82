// Frozen once landed: add a new migration rather than editing this one.
// audit_append_bulk, faster again (quality.md P6, issue 11 capability 15). 2026_12_06_0320 appended to three arrays
// per row (`a := a || x`), which copies the array each time; the rows' hashed text (all but the previous hash) is
// now built set-based in one SELECT, the loop only chains the hashes (FOREACH, an element assigned in place), and
// the rows are inserted in one statement. The text hashed is the same as audit_row_text's, so `audit verify` checks
// these rows as before. CREATE OR REPLACE also drops a function's SET clauses: 0310 and 0320 lost the search_path
// that 2026_12_06_0300 pinned on this SECURITY DEFINER function; it is pinned again here.
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE OR REPLACE FUNCTION audit_append_bulk(
      p_authority uuid, p_actor uuid, p_action text, p_entity text, p_entity_ids text[], p_person_ids uuid[],
      p_details jsonb[]
    ) RETURNS bigint LANGUAGE plpgsql SECURITY DEFINER AS $$
    DECLARE
      head audit_chain_head;
      at timestamptz := clock_timestamp();
      n int := coalesce(array_length(p_entity_ids, 1), 0);
      shared text;
      texts text[];
      t text;
      i int := 0;
      prevs text[];
      hashes text[];
    BEGIN
      IF n = 0 THEN RETURN 0; END IF;
      SELECT * INTO head FROM audit_chain_head WHERE id FOR UPDATE;
      -- As audit_row_text: seq|at|authority|actor|action|entity|entity_id|person_id|detail|prev_hash.
      shared := concat_ws('|', to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
        coalesce(p_authority::text, ''), coalesce(p_actor::text, ''), p_action, p_entity);
      SELECT array_agg(concat_ws('|', (head.seq + o)::text, shared, coalesce(e, ''), coalesce(p::text, ''),
          coalesce(d, '{}'::jsonb)::text) ORDER BY o)
        INTO texts FROM unnest(p_entity_ids, p_person_ids, p_details) WITH ORDINALITY AS u(e, p, d, o);
      prevs := array_fill(NULL::text, ARRAY[n]);
      hashes := array_fill(NULL::text, ARRAY[n]);
      FOREACH t IN ARRAY texts LOOP
        i := i + 1;
        prevs[i] := head.hash;
        head.hash := encode(sha256(convert_to(concat_ws('|', t, head.hash), 'UTF8')), 'hex');
        hashes[i] := head.hash;
      END LOOP;
      INSERT INTO audit_log (seq, at, authority_id, actor_id, action, entity, entity_id, person_id, detail, prev_hash, hash)
      SELECT head.seq + o, at, p_authority, p_actor, p_action, p_entity, e, p, coalesce(d, '{}'::jsonb), pv, h
      FROM unnest(p_entity_ids, p_person_ids, p_details, prevs, hashes) WITH ORDINALITY AS u(e, p, d, pv, h, o);
      UPDATE audit_chain_head SET seq = head.seq + n, hash = head.hash WHERE id;
      RETURN n;
    END $$;
  `.execute(db);
  const schema = await sql<{ s: string }>`SELECT current_schema() AS s`.execute(db);
  await sql`ALTER FUNCTION audit_append_bulk(uuid, uuid, text, text, text[], uuid[], jsonb[])
    SET search_path = ${sql.id(schema.rows[0]?.s ?? 'public')}, pg_temp`.execute(db);
}

export async function down(): Promise<void> {
  // The function of 2026_12_06_0320 gives the same rows, only slower: nothing to undo.
}
