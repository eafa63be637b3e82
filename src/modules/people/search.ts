// Finding people (issue 11 capability 11): the list of the young people a member of staff works with, filtered by
// team, allocated worker, status and age band, sorted and paginated, searched by name and identifiers; and the
// people they viewed recently. Every query is scoped by relationshipConditions (quality.md S3): a list never shows
// anyone the viewer could not open.
import { type ExpressionBuilder, sql } from 'kysely';
import type { Executor } from '../../db/database.ts';
import type { Database, PersonTable } from '../../db/schema.ts';
import { relatedPeople, relationshipConditions, type Viewer } from '../access/repository.ts';
import { AGE_BANDS, type SORTS } from './schemas.ts';

/** People on one page of the list. */
export const PEOPLE_PAGE = 25;
/** How many people "Recently viewed" shows. */
export const RECENT = 8;

export interface Criteria {
  name?: string | null;
  dateOfBirth?: string | null;
  nhsNumber?: string | null;
  upn?: string | null;
  caseNumber?: string | null;
  teamId?: string | null;
  /** A worker's id, or 'unallocated': nobody allocated on any open involvement. */
  worker?: string | null;
  status?: string | null;
  age?: keyof typeof AGE_BANDS | null;
}

type Scope = ExpressionBuilder<Database & { p: PersonTable }, 'p'>;

/** The team and allocated worker of each open involvement: shown only for people the viewer may open. */
export interface TeamAndWorker {
  team: string;
  worker: string | null;
}

const NAMES = ['p.given_name', 'p.family_name', 'p.preferred_name'] as const;

/**
 * lower(column) starts with `word`. The app runs every query as a prepared statement, and once PostgreSQL settles
 * on a generic plan a LIKE on a parameter cannot use an index; so the prefix is also given as a byte range
 * (text_pattern_ops: [word, word with its last character's next code point)), which the name prefix indexes answer
 * with parameters too. The range holds exactly the strings starting with `word`, so the LIKE decides nothing more.
 */
function startsWith(eb: Scope, column: (typeof NAMES)[number], word: string) {
  const like = `${word.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
  const lower = sql<string>`lower(${eb.ref(column)})`;
  const chars = [...word];
  const last = chars.pop()?.codePointAt(0) ?? 0;
  // The next code point must itself be a character (not a surrogate, not past U+10FFFF); otherwise the LIKE alone.
  if (last + 1 >= 0xd800 && last + 1 <= 0xdfff) return sql<boolean>`${lower} LIKE ${like}`;
  if (last + 1 > 0x10ffff) return sql<boolean>`${lower} LIKE ${like}`;
  const next = chars.join('') + String.fromCodePoint(last + 1);
  return sql<boolean>`(${lower} ~>=~ ${word} AND ${lower} ~<~ ${next} AND ${lower} LIKE ${like})`;
}

/**
 * Who may be listed: by default the viewer's related people as one set (relatedPeople), so a search or a list reads
 * the viewer's caseload rather than checking every person of the council; `perPerson` checks each candidate instead
 * (relationshipConditions), for lists already narrowed to a few people such as the recently viewed.
 */
function conditions(eb: Scope, user: Viewer, c: Criteria, today: string, perPerson = false) {
  const related = perPerson ? eb.or(relationshipConditions(eb, user)) : relatedPeople(eb, user);
  const all = [eb('p.authority_id', '=', user.authorityId), related];
  if (c.nhsNumber) all.push(eb('p.nhs_number', '=', c.nhsNumber));
  if (c.upn) all.push(eb('p.upn', '=', c.upn));
  if (c.caseNumber) all.push(eb('p.case_number', '=', c.caseNumber));
  if (c.dateOfBirth) all.push(eb('p.date_of_birth', '=', c.dateOfBirth));
  for (const word of (c.name ?? '').toLowerCase().split(/\s+/).filter(Boolean).slice(0, 4)) {
    all.push(eb.or(NAMES.map((column) => startsWith(eb, column, word))));
  }
  const open = () =>
    eb.selectFrom('involvements as fi').whereRef('fi.person_id', '=', 'p.id').where('fi.end_date', 'is', null);
  if (c.teamId) all.push(eb.exists(open().where('fi.team_id', '=', c.teamId).select(sql.lit(1).as('one'))));
  if (c.worker === 'unallocated') {
    all.push(eb.not(eb.exists(open().where('fi.worker_id', 'is not', null).select(sql.lit(1).as('one')))));
  } else if (c.worker) {
    all.push(eb.exists(open().where('fi.worker_id', '=', c.worker).select(sql.lit(1).as('one'))));
  }
  if (c.status) {
    all.push(
      eb.exists(
        eb
          .selectFrom('person_statuses as fs')
          .whereRef('fs.person_id', '=', 'p.id')
          .where('fs.status', '=', c.status)
          .where((w) => w.or([w('fs.end_date', 'is', null), w('fs.end_date', '>', today)]))
          .select(sql.lit(1).as('one')),
      ),
    );
  }
  if (c.age) {
    const band = AGE_BANDS[c.age];
    // Aged from..to today: born after today minus (to + 1) years, and on or before today minus `from` years.
    all.push(eb('p.date_of_birth', '>', sql<string>`(${today}::date - make_interval(years => ${band.to + 1}))::date`));
    all.push(eb('p.date_of_birth', '<=', sql<string>`(${today}::date - make_interval(years => ${band.from}))::date`));
  }
  return eb.and(all);
}

type FindOptions = { today: string; sort: keyof typeof SORTS; page: number; pageSize?: number };

/** The two statements of findPeople (one page, and the count), built but not run: their plans can be examined. */
export function findPeopleQueries(db: Executor, user: Viewer, c: Criteria, o: FindOptions) {
  const size = o.pageSize ?? PEOPLE_PAGE;
  const base = db.selectFrom('people as p').where((eb) => conditions(eb, user, c, o.today));
  let q = base
    .select([
      'p.id',
      'p.case_number',
      'p.given_name',
      'p.family_name',
      'p.preferred_name',
      'p.date_of_birth',
      'p.nhs_number',
      'p.upn',
    ])
    .select(
      sql<TeamAndWorker[]>`(SELECT coalesce(jsonb_agg(jsonb_build_object('team', t.name, 'worker', w.display_name)
          ORDER BY t.name), '[]') FROM involvements i JOIN teams t ON t.id = i.team_id
          LEFT JOIN users w ON w.id = i.worker_id WHERE i.person_id = p.id AND i.end_date IS NULL)`.as('teams'),
    );
  if (o.sort === 'youngest') q = q.orderBy('p.date_of_birth', 'desc');
  else if (o.sort === 'oldest') q = q.orderBy('p.date_of_birth', 'asc');
  else if (o.sort === 'updated') q = q.orderBy('p.updated_at', 'desc');
  q = q.orderBy('p.family_name').orderBy('p.given_name').orderBy('p.id');
  return {
    page: q.limit(size).offset((o.page - 1) * size),
    count: base.select((eb) => eb.fn.countAll<string>().as('n')),
  };
}

/** One page of the people the viewer works with who match, and how many match in all. */
export async function findPeople(db: Executor, user: Viewer, c: Criteria, o: FindOptions) {
  const { page, count } = findPeopleQueries(db, user, c, o);
  const [rows, total] = await Promise.all([page.execute(), count.executeTakeFirstOrThrow()]);
  return { rows, total: Number(total.n) };
}

/** The people the user opened most recently (from their own rows in the access log) that they may still open. */
export async function recentlyViewed(db: Executor, user: Viewer, limit = RECENT) {
  return db
    .with('r', (qb) =>
      qb
        .selectFrom('access_log')
        .where('user_id', '=', user.id)
        .where('authority_id', '=', user.authorityId)
        .orderBy('at', 'desc')
        .limit(200)
        .select(['person_id', 'at']),
    )
    .selectFrom('people as p')
    .innerJoin('r', 'r.person_id', 'p.id')
    .where((eb) => conditions(eb as unknown as Scope, user, {}, '', true))
    .groupBy(['p.id', 'p.case_number', 'p.given_name', 'p.family_name', 'p.preferred_name', 'p.date_of_birth'])
    .select(['p.id', 'p.case_number', 'p.given_name', 'p.family_name', 'p.preferred_name', 'p.date_of_birth'])
    .select((eb) => eb.fn.max('r.at').as('viewed_at'))
    .orderBy('viewed_at', 'desc')
    .limit(limit)
    .execute();
}

/** The choices of the filters: the authority's teams, and the workers of the viewer's teams and those they manage. */
export async function filterOptions(db: Executor, user: Viewer) {
  const [teams, workers] = await Promise.all([
    db
      .selectFrom('teams')
      .where('authority_id', '=', user.authorityId)
      .orderBy('name')
      .select(['id', 'name'])
      .execute(),
    db
      .selectFrom('users as u')
      .where('u.authority_id', '=', user.authorityId)
      .where('u.active', '=', true)
      .where((eb) =>
        eb.or([
          eb('u.line_manager_id', '=', user.id),
          eb('u.id', '=', user.id),
          ...(user.teamIds.length
            ? [
                eb.exists(
                  eb
                    .selectFrom('team_members as m')
                    .whereRef('m.user_id', '=', 'u.id')
                    .where('m.team_id', 'in', user.teamIds)
                    .select(sql.lit(1).as('one')),
                ),
              ]
            : []),
        ]),
      )
      .orderBy('u.display_name')
      .select(['u.id', 'u.display_name'])
      .execute(),
  ]);
  return { teams, workers };
}
