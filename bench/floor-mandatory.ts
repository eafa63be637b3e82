// The mandatory-work floor of P1 (quality.md, issue 16 part 1): what any read of a young person's record must do
// whatever the page shows — resolve the session, check the relationship, write the access-log row, read one row —
// as ONE statement, built once and run with new parameters on each request.
//
// Its pieces are the app's own, so the floor moves when they change: the session's table and expiry rules (the
// config's idle and absolute limits, auth's sha256 of the cookie), `relationshipConditions` (modules/access, the one
// definition every list and check uses) with break-glass as findRelationship has it, and the access_log columns.
// The viewer's values in relationshipConditions become references to the session row resolved in the same statement,
// so the rule is compiled once here, not rebuilt per request.
import { type ExpressionBuilder, type Kysely, sql } from 'kysely';
import type { Config } from '../src/config.ts';
import type { Db } from '../src/db/database.ts';
import type { Database, PersonTable } from '../src/db/schema.ts';
import { relationshipConditions, type Viewer } from '../src/modules/access/repository.ts';
import { sha256 } from '../src/modules/auth/service.ts';

/** Stand-ins compiled into the statement, swapped for each request's values. */
const SESSION = '\u0000session';
const PERSON = '\u0000person';
const NOW = '\u0000now';
const IDLE = '\u0000idle';
const ABSOLUTE = '\u0000absolute';

type Scope = ExpressionBuilder<Database & { p: PersonTable }, 'p'>;

/**
 * The viewer as SQL: `v` is the session's row in the statement. The roles are the signed-in user's, given when the
 * statement is built: whether a role opens records by relationship at all is decided in TypeScript
 * (opensRecordsByRelationship), as the app decides it once the session is known.
 */
function sqlViewer(roles: readonly string[]): Viewer {
  return {
    id: sql.ref('v.user_id'),
    authorityId: sql.ref('v.authority_id'),
    // `team_id IN (…)`: the viewer's teams read in the same statement.
    teamIds: [sql`SELECT m.team_id FROM team_members m WHERE m.user_id = v.user_id`],
    roles,
  } as unknown as Viewer;
}

function build(db: Kysely<Database>, roles: readonly string[]) {
  const viewer = sqlViewer(roles);
  return (
    db
      .with('v', (qb) =>
        qb
          .selectFrom('sessions as s')
          .innerJoin('users as u', 'u.id', 's.user_id')
          .where('s.id_hash', '=', SESSION)
          .where('u.active', '=', true)
          .where('s.last_seen_at', '>', IDLE as unknown as Date)
          .where('s.created_at', '>', ABSOLUTE as unknown as Date)
          .select(['s.user_id', 'u.authority_id']),
      )
      .with('r', (qb) =>
        qb
          .selectFrom('people as p')
          .innerJoin('v', 'v.authority_id', 'p.authority_id')
          .where('p.id', '=', PERSON)
          .select((eb) => [
            'p.id',
            'p.authority_id',
            'v.user_id',
            // biome-ignore lint/suspicious/noExplicitAny: the builder has the join's scope; the rule reads only `p`
            eb.or(relationshipConditions(eb as any as Scope, viewer)).as('related'),
            eb
              .selectFrom('break_glass as b')
              .whereRef('b.person_id', '=', 'p.id')
              .whereRef('b.user_id', '=', 'v.user_id')
              .where('b.expires_at', '>', NOW as unknown as Date)
              .orderBy('b.expires_at', 'desc')
              .limit(1)
              .select('b.id')
              .as('break_glass_id'),
          ]),
      )
      .with('logged', (qb) =>
        qb
          .insertInto('access_log')
          .columns(['authority_id', 'person_id', 'user_id', 'channel', 'purpose', 'break_glass_id'])
          .expression((eb) =>
            eb
              .selectFrom('r')
              .where((w) => w.or([w('r.related', '=', true), w('r.break_glass_id', 'is not', null)]))
              .select((s) => [
                'r.authority_id',
                'r.id',
                'r.user_id',
                sql.lit('page').as('channel'),
                s
                  .case()
                  .when('r.related', '=', true)
                  .then(sql.lit('record'))
                  .else(sql.lit('break-glass'))
                  .end()
                  .as('purpose'),
                s
                  .case()
                  .when('r.related', '=', true)
                  .then(sql.lit(null))
                  .else(s.ref('r.break_glass_id'))
                  .end()
                  .as('break_glass_id'),
              ]),
          )
          .returning('person_id'),
      )
      // The one row read, by primary key, for the person just logged (none when the check failed).
      .selectFrom('people as p')
      .innerJoin('logged as l', 'l.person_id', 'p.id')
      .select(['p.id', 'p.case_number'])
      .compile()
  );
}

export interface MandatoryFloor {
  /** The record's case number when the session is live and the viewer may read it (the row logged); else null. */
  read(sessionToken: string, personId: string): Promise<string | null>;
  /** The SQL, for the report. */
  sql: string;
}

/**
 * The floor's statement, compiled once for a signed-in user with these roles (the bench's worker). Each read is one
 * round trip through `db`'s pool and commits on its own, like any statement outside a transaction.
 */
export function mandatoryFloor(
  db: Db,
  config: Config,
  roles: readonly string[],
  now = () => new Date(),
): MandatoryFloor {
  const compiled = build(db, roles);
  const slots = compiled.parameters.map((p) => ([SESSION, PERSON, NOW, IDLE, ABSOLUTE] as unknown[]).indexOf(p));
  return {
    sql: compiled.sql,
    async read(sessionToken, personId) {
      const t = now().getTime();
      const values: unknown[] = [
        sha256(sessionToken),
        personId,
        new Date(t),
        new Date(t - config.sessionIdleMinutes * 60_000),
        new Date(t - config.sessionAbsoluteHours * 3_600_000),
      ];
      const parameters = compiled.parameters.map((p, i) => (slots[i] === -1 ? p : values[slots[i] as number]));
      const res = await db.executeQuery<{ id: string; case_number: string }>({ ...compiled, parameters });
      return res.rows[0]?.case_number ?? null;
    },
  };
}
