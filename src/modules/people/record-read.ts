// The record page's one statement (issue 16 part 2): the session, the relationship (with break-glass), the
// access-log row, the record and its protocol instances in ONE round trip, built once and run with each request's
// values (db/compiled.ts), so the pool prepares it once per connection.
//
// Its parts are the app's own definitions, not copies: the session query is auth's (sessionWithUserQuery), the
// relationship is relationshipConditions from modules/access (the viewer's values are references to the session
// row of the same statement), the record's columns are the people repository's (recordColumns). The decisions are
// the access policy's (src/http/policy.ts completeDeferredAccess): this statement only gathers what they need, and
// it writes the access-log row only when they will let the page through — a live session, a role with the route's
// capability, a person of the viewer's council, and a relationship or an unexpired break-glass grant.
import { expressionBuilder, sql } from 'kysely';
import { type Prepared, prepared, slot } from '../../db/compiled.ts';
import type { Executor } from '../../db/database.ts';
import type { Database, PersonTable } from '../../db/schema.ts';
import { RELATIONSHIP_ROLES, relationshipConditions, type Viewer } from '../access/repository.ts';
import { type SessionWithUser, sessionWithUserQuery } from '../auth/repository.ts';
import { type RecordRow, recordColumns, recordFromRow } from './repository.ts';

type Slots = 'idHash' | 'idleSince' | 'createdSince' | 'now' | 'personId' | 'capable' | 'events' | 'offset';

/** The viewer as SQL: `v` is the session's row in the statement, its teams read in the same statement. */
const viewer = {
  id: sql.ref('v.user_id'),
  authorityId: sql.ref('v.authority_id'),
  teamIds: [sql`SELECT m.team_id FROM team_members m WHERE m.user_id = v.user_id`],
  // Whether the viewer's roles open records by relationship is decided in SQL below (`v.roles && …`).
  roles: RELATIONSHIP_ROLES,
} as unknown as Viewer;

function build(db: Executor) {
  const eb = expressionBuilder<Database & { p: PersonTable }, 'p'>();
  const related = eb.or(relationshipConditions(eb, viewer));
  return sql`
    WITH v AS (
      SELECT sw.*, (sw.last_seen_at > ${slot('idleSince')} AND sw.created_at > ${slot('createdSince')}) AS live
      FROM (${sessionWithUserQuery(slot('idHash'))}) sw
    ),
    r AS (
      SELECT p.id, p.authority_id, v.user_id,
             (v.roles && CAST(${RELATIONSHIP_ROLES} AS text[]) AND ${related}) AS related,
             (SELECT b.id FROM break_glass b
               WHERE b.person_id = p.id AND b.user_id = v.user_id AND b.expires_at > ${slot('now')}
               ORDER BY b.expires_at DESC LIMIT 1) AS break_glass_id
      FROM v JOIN people p ON p.authority_id = v.authority_id
      WHERE p.id = ${slot('personId')} AND v.live AND v.roles && CAST(${slot('capable')} AS text[])
    ),
    logged AS (
      INSERT INTO access_log (authority_id, person_id, user_id, channel, purpose, break_glass_id)
      SELECT r.authority_id, r.id, r.user_id, 'page',
             CASE WHEN r.related THEN 'record' ELSE 'break-glass' END,
             CASE WHEN r.related THEN NULL ELSE r.break_glass_id END
      FROM r WHERE r.related OR r.break_glass_id IS NOT NULL
      RETURNING person_id
    )
    SELECT v.user_id, v.csrf_token, v.created_at, v.last_seen_at, v.authority_id, v.email, v.display_name, v.roles,
           v.team_ids, v.unread,
           r.id IS NOT NULL AS person_exists, coalesce(r.related, false) AS related, r.break_glass_id, rec.*
    FROM v LEFT JOIN r ON true
    LEFT JOIN LATERAL (
      SELECT ${recordColumns(slot('events'), slot('offset'))},
        (SELECT coalesce(jsonb_agg(x ORDER BY x.started_at DESC), '[]')
           FROM (SELECT id, protocol_id, protocol_version, status, result, started_at
                   FROM protocol_instances WHERE person_id = p.id) x) AS protocols
      FROM logged g JOIN people p ON p.id = g.person_id LEFT JOIN localities l ON l.id = p.locality_id
    ) rec ON true`.compile(db);
}

let statement: Prepared<Slots> | null = null;

/** The statement's text (for tests): built on first use. */
export function recordPageSql(db: Executor): string {
  statement ??= prepared<Slots>(build(db));
  return statement.sql;
}

export interface ProtocolInstanceRow {
  id: string;
  protocol_id: string;
  protocol_version: number;
  status: string;
  result: string | null;
  started_at: Date;
}

type Row = SessionWithUser & { person_exists: boolean; related: boolean; break_glass_id: string | null } & (
    | (RecordRow & { protocols: (Omit<ProtocolInstanceRow, 'started_at'> & { started_at: string })[] })
    | { person: null }
  );

export interface RecordPageRead {
  /** The session's row (undefined: no such session of an active user); the access policy decides if it is live. */
  session: SessionWithUser | undefined;
  relationship: { exists: boolean; related: boolean; breakGlassId: string | null };
  /** Present only when the access-log row was written: the record and its protocol instances. */
  record: { read: ReturnType<typeof recordFromRow>; protocols: ProtocolInstanceRow[] } | null;
}

/**
 * Runs the statement: one round trip, committed on its own (the access-log row is durable when this returns, with
 * the database's synchronous commit). `capable` is the roles that hold the route's capability; `now` and the
 * session cutoffs are the same instant the access policy then judges the session at.
 */
export async function readRecordPage(
  db: Executor,
  a: {
    idHash: string;
    now: Date;
    idleSince: Date;
    createdSince: Date;
    personId: string;
    capable: readonly string[];
    events: number;
    offset: number;
  },
): Promise<RecordPageRead> {
  statement ??= prepared<Slots>(build(db));
  const res = await statement.run<Row>(db, { ...a, capable: [...a.capable] });
  const row = res.rows[0];
  if (!row)
    return { session: undefined, relationship: { exists: false, related: false, breakGlassId: null }, record: null };
  const { person_exists, related, break_glass_id, ...rest } = row;
  const relationship = { exists: person_exists, related, breakGlassId: break_glass_id };
  const record =
    rest.person === null
      ? null
      : {
          read: recordFromRow(rest as RecordRow),
          protocols: (rest as Extract<Row, { protocols: unknown }>).protocols.map((p) => ({
            ...p,
            started_at: new Date(p.started_at),
          })),
        };
  return { session: row, relationship, record };
}
