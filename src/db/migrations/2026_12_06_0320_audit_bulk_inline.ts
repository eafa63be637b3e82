// Frozen once landed: add a new migration rather than editing this one.
// audit_append_bulk: a row's text for its hash built inline, the part every row of the call shares (time, council,
// actor, action, entity) once, instead of calling audit_row_text per row; the text is the same, so the chain
// verifies as before (test/import.test.ts checks it). Quality.md P6.
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
      shared text;
      x record;
      n int := 0;
      h text;
      seqs bigint[] := '{}'; prevs text[] := '{}'; hashes text[] := '{}';
    BEGIN
      IF coalesce(array_length(p_entity_ids, 1), 0) = 0 THEN RETURN 0; END IF;
      SELECT * INTO head FROM audit_chain_head WHERE id FOR UPDATE;
      -- As audit_row_text: seq|at|authority|actor|action|entity|entity_id|person_id|detail|prev_hash.
      shared := concat_ws('|', to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
        coalesce(p_authority::text, ''), coalesce(p_actor::text, ''), p_action, p_entity);
      FOR x IN SELECT e, p, coalesce(d, '{}'::jsonb)::text AS d FROM unnest(p_entity_ids, p_person_ids, p_details) AS u(e, p, d) LOOP
        n := n + 1;
        h := encode(sha256(convert_to(concat_ws('|', (head.seq + n)::text, shared, coalesce(x.e, ''),
          coalesce(x.p::text, ''), x.d, head.hash), 'UTF8')), 'hex');
        seqs := seqs || (head.seq + n); prevs := prevs || head.hash; hashes := hashes || h;
        head.hash := h;
      END LOOP;
      INSERT INTO audit_log (seq, at, authority_id, actor_id, action, entity, entity_id, person_id, detail, prev_hash, hash)
      SELECT s, at, p_authority, p_actor, p_action, p_entity, e, p, coalesce(d, '{}'::jsonb), pv, hh
      FROM unnest(seqs, p_entity_ids, p_person_ids, p_details, prevs, hashes) AS u(s, e, p, d, pv, hh);
      UPDATE audit_chain_head SET seq = head.seq + n, hash = head.hash WHERE id;
      RETURN n;
    END $$;
  `.execute(db);
}

export async function down(): Promise<void> {
  // The function of 2026_12_06_0310 gives the same rows, only slower: nothing to undo.
}
