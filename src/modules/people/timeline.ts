// The timeline as pages for the API: newest first, keyset on (at, id). A page starts after the last event of the
// one before (`before` = that event's id), so events written while a client walks the timeline neither repeat nor
// are skipped, and a page far back costs what the first does (index events_person_at_id_idx). The read of a young
// person's timeline is a read of their record: its access-log row is written in the same statement.
import { Type } from '@sinclair/typebox';
import { sql } from 'kysely';
import type { Executor } from '../../db/database.ts';
import { ValidationError } from '../../http/forms.ts';
import { f, type InputOf, input } from '../../http/schema-input.ts';

/** Events a page holds unless `limit` says otherwise; and the most it may say. */
export const TIMELINE_API_LIMIT = 50;
export const TIMELINE_API_MAX = 100;

export const TimelineQuery = input({
  before: f.integer('Older than event', 1, Number.MAX_SAFE_INTEGER, {
    invalid: 'before must be the id of an event on this timeline (the `next_before` of the page before)',
  }),
  limit: f.integer('Events a page', 1, TIMELINE_API_MAX, {
    invalid: `limit must be a whole number from 1 to ${TIMELINE_API_MAX}`,
    fallback: () => TIMELINE_API_LIMIT,
  }),
});
export type TimelineQuery = InputOf<typeof TimelineQuery>;

/** The API's query string: every value a string (the API's ajv does not coerce), read by TimelineQuery. */
export const TimelineQueryString = Type.Object(
  {
    before: Type.Optional(
      Type.String({ description: 'Events older than this one (the `next_before` of the page before); none: newest' }),
    ),
    limit: Type.Optional(Type.String({ description: `Events a page, 1 to ${TIMELINE_API_MAX} (default 50)` })),
  },
  { additionalProperties: false },
);

export interface TimelineEvent {
  id: number;
  at: Date;
  kind: string;
  title: string;
  detail: string | null;
  actor_name: string | null;
}

/**
 * One page of a person's timeline and its access-log row, in ONE statement. Undefined when the person is not in the
 * authority (nothing logged). A `before` that is not an event of this person's is a field error, nothing logged.
 */
export async function timelinePage(
  db: Executor,
  a: { authorityId: string; personId: string; userId: string; breakGlassId: string | null } & TimelineQuery,
): Promise<{ events: TimelineEvent[]; more: boolean } | undefined> {
  const after = a.before === null ? sql`TRUE` : sql`(e.at, e.id) < (SELECT c.at, c.id FROM cursor c)`;
  const res = await sql<{ events: (Omit<TimelineEvent, 'at'> & { at: string })[]; cursor_ok: boolean }>`
    WITH cursor AS (
      SELECT at, id FROM events WHERE id = ${a.before ?? 0} AND person_id = ${a.personId}
    ), person AS (
      SELECT p.id, p.authority_id FROM people p WHERE p.id = ${a.personId} AND p.authority_id = ${a.authorityId}
        AND (${a.before === null} OR EXISTS (SELECT 1 FROM cursor))
    ), logged AS (
      INSERT INTO access_log (authority_id, person_id, user_id, channel, purpose, break_glass_id)
      SELECT authority_id, id, ${a.userId}, 'api', ${a.breakGlassId ? 'break-glass' : 'record'}, ${a.breakGlassId}
      FROM person RETURNING 1
    )
    SELECT
      (SELECT coalesce(jsonb_agg(x ORDER BY x.at DESC, x.id DESC), '[]')
         FROM (SELECT e.id, e.at, e.kind, e.title, e.detail, u.display_name AS actor_name
                 FROM events e LEFT JOIN users u ON u.id = e.actor_id
                WHERE e.person_id = person.id AND ${after}
                ORDER BY e.at DESC, e.id DESC LIMIT ${a.limit + 1}) x) AS events,
      (SELECT count(*) FROM logged) AS logged
    FROM person`.execute(db);
  const row = res.rows[0];
  if (!row) {
    if (a.before === null) return undefined;
    const exists = await db
      .selectFrom('people')
      .where('id', '=', a.personId)
      .where('authority_id', '=', a.authorityId)
      .select('id')
      .executeTakeFirst();
    if (!exists) return undefined;
    throw new ValidationError({
      before: 'before must be the id of an event on this timeline (the `next_before` of the page before)',
    });
  }
  const events = row.events.map((e) => ({ ...e, id: Number(e.id), at: new Date(e.at) }));
  return { events: events.slice(0, a.limit), more: events.length > a.limit };
}
