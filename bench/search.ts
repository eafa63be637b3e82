// P5 of issue 16: finding people by name at county scale (src/modules/people/search.ts), for a worker and a team
// manager, as the p95 of one search against the one-lookup floor (one primary-key read of a person) measured in
// the same run, through the same pool, in short rounds taken in turn: a ratio, not a timed bar.
//
// Two searches: the county's most common surname (many people in the council, a few in the caseload) and a name
// that matches nobody. Beside today's query (findPeople) the bench keeps the query as it was before issue 16 part 5
// (each candidate checked against every relationship, one EXISTS each), so the change stays measurable on one
// database. It runs on today's indexes: the name prefix indexes help it too, so its figures are not those of the
// code before the change (which read every person of the council: see docs/decisions.md).
import { performance } from 'node:perf_hooks';
import { type CompiledQuery, sql } from 'kysely';
import type { Db, Executor } from '../src/db/database.ts';
import { relationshipConditions, type Viewer } from '../src/modules/access/repository.ts';
import { COUNTY_CODE, COUNTY_EMAIL_DOMAIN } from '../src/modules/demo/county.ts';
import { findPeople, findPeopleQueries } from '../src/modules/people/search.ts';

/** The search of a name before issue 16 part 5 (its page of 50 and its count), built but not run. */
export function beforeQueries(db: Executor, user: Viewer, name: string) {
  const base = db.selectFrom('people as p').where((eb) => {
    const all = [eb('p.authority_id', '=', user.authorityId), eb.or(relationshipConditions(eb, user))];
    for (const word of name.toLowerCase().split(/\s+/).filter(Boolean).slice(0, 4)) {
      const like = `${word.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
      all.push(
        eb.or([
          eb(eb.fn('lower', ['p.given_name']), 'like', like),
          eb(eb.fn('lower', ['p.family_name']), 'like', like),
          eb(eb.fn('lower', ['p.preferred_name']), 'like', like),
        ]),
      );
    }
    return eb.and(all);
  });
  return {
    page: base
      .select(['p.id', 'p.case_number', 'p.given_name', 'p.family_name', 'p.preferred_name', 'p.date_of_birth'])
      .select(
        sql`(SELECT coalesce(jsonb_agg(jsonb_build_object('team', t.name, 'worker', w.display_name)
          ORDER BY t.name), '[]') FROM involvements i JOIN teams t ON t.id = i.team_id
          LEFT JOIN users w ON w.id = i.worker_id WHERE i.person_id = p.id AND i.end_date IS NULL)`.as('teams'),
      )
      .orderBy('p.family_name')
      .orderBy('p.given_name')
      .orderBy('p.id')
      .limit(50),
    count: base.select((eb) => eb.fn.countAll<string>().as('n')),
  };
}

/** The search of a name before issue 16 part 5: the council's people filtered by the relationship, 50 a page. */
export async function searchBefore(db: Executor, user: Viewer, name: string) {
  const { page, count } = beforeQueries(db, user, name);
  const [rows, total] = await Promise.all([page.execute(), count.executeTakeFirstOrThrow()]);
  return { rows, total: Number(total.n) };
}

type Compilable = { compile(): CompiledQuery };

/** The database's own planning + execution time of the statements, in ms (EXPLAIN ANALYZE): no client, no pool. */
async function serverMs(db: Db, queries: Compilable[]) {
  let total = 0;
  for (const q of queries) {
    const c = q.compile();
    const r = await db.executeQuery<{ 'QUERY PLAN': [{ 'Planning Time': number; 'Execution Time': number }] }>({
      ...c,
      sql: `EXPLAIN (ANALYZE, FORMAT JSON) ${c.sql}`,
    });
    const plan = r.rows[0]?.['QUERY PLAN'][0];
    total += (plan?.['Planning Time'] ?? 0) + (plan?.['Execution Time'] ?? 0);
  }
  return total;
}

export interface SearchCase {
  viewer: string;
  search: 'common surname' | 'no match';
  /** How many people the viewer may see with that name (the same before and after, or the bench stops). */
  found: number;
  p95Ms: { before: number; after: number };
  /** Medians too: on a shared, busy machine the p95 is mostly the machine's own tail. */
  p50Ms: { before: number; after: number };
  /** The database's median planning + execution time of the page and the count (EXPLAIN ANALYZE). */
  serverMs: { before: number; after: number };
  /** Search p95 / one-lookup floor p95: how many floors one search costs. */
  floors: { before: number; after: number };
}

export interface SearchBenchResult {
  surnameInCounty: number;
  floorP95Ms: number;
  iterations: number;
  cases: SearchCase[];
}

const quantile = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))] as number;
};
const p95 = (xs: number[]) => quantile(xs, 0.95);

async function timed(times: number[], f: () => Promise<unknown>) {
  const t = performance.now();
  await f();
  times.push(performance.now() - t);
}

async function viewerByEmail(db: Db, email: string): Promise<Viewer> {
  const u = await db
    .selectFrom('users')
    .where('email', '=', email)
    .select(['id', 'authority_id', 'roles'])
    .executeTakeFirst();
  if (!u) throw new Error(`Search bench: no ${email} in the county`);
  const teams = await db.selectFrom('team_members').where('user_id', '=', u.id).select('team_id').execute();
  return { id: u.id, authorityId: u.authority_id, teamIds: teams.map((t) => t.team_id), roles: u.roles };
}

export async function benchSearch(opts: {
  db: Db;
  /** Searches per case and round (default 40). */
  iterations?: number;
  rounds?: number;
  log: (line: string) => void;
}): Promise<SearchBenchResult> {
  const { db } = opts;
  const iterations = opts.iterations ?? 40;
  const rounds = opts.rounds ?? 3;
  const authority = await db
    .selectFrom('authorities')
    .where('code', '=', COUNTY_CODE)
    .select('id')
    .executeTakeFirstOrThrow();
  const common = await db
    .selectFrom('people')
    .where('authority_id', '=', authority.id)
    .groupBy('family_name')
    .select(['family_name', (eb) => eb.fn.countAll<string>().as('n')])
    .orderBy('n', 'desc')
    .limit(1)
    .executeTakeFirstOrThrow();
  const someone = await db
    .selectFrom('people')
    .where('authority_id', '=', authority.id)
    .select('id')
    .executeTakeFirstOrThrow();
  const viewers = await Promise.all(
    ['social.worker', 'team.manager'].map((l) => viewerByEmail(db, `${l}@${COUNTY_EMAIL_DOMAIN}`)),
  );
  const names = { 'common surname': common.family_name, 'no match': 'Qxzyvw' } as const;
  const opt = { today: new Date().toISOString().slice(0, 10), sort: 'name' as const, page: 1, pageSize: 50 };
  const after = (v: Viewer, name: string) => findPeople(db, v, { name }, opt);
  const floorTimes: number[] = [];
  const floor = () =>
    timed(floorTimes, () => db.selectFrom('people').where('id', '=', someone.id).select('id').executeTakeFirst());

  type Key = `${number}|${keyof typeof names}`;
  type Times = { before: number[]; after: number[]; found: number; server: { before: number[]; after: number[] } };
  const times = new Map<Key, Times>();
  for (const [i, v] of viewers.entries()) {
    for (const s of Object.keys(names) as (keyof typeof names)[]) {
      const [b, a] = await Promise.all([searchBefore(db, v, names[s]), after(v, names[s])]);
      const same = JSON.stringify(b.rows.map((r) => r.id)) === JSON.stringify(a.rows.map((r) => r.id));
      if (!same || b.total !== a.total) throw new Error(`Search bench: the searches disagree (viewer ${i}, ${s})`);
      times.set(`${i}|${s}`, { before: [], after: [], found: a.total, server: { before: [], after: [] } });
    }
  }
  for (let r = 0; r < rounds; r++) {
    for (const [key, t] of times) {
      const [i, s] = key.split('|') as [string, keyof typeof names];
      const v = viewers[Number(i)] as Viewer;
      for (let n = 0; n < iterations; n++) {
        await floor();
        await timed(t.before, () => searchBefore(db, v, names[s]));
        await floor();
        await timed(t.after, () => after(v, names[s]));
      }
      for (let n = 0; n < 5; n++) {
        const b = beforeQueries(db, v, names[s]);
        const a = findPeopleQueries(db, v, { name: names[s] }, opt);
        t.server.before.push(await serverMs(db, [b.page, b.count]));
        t.server.after.push(await serverMs(db, [a.page, a.count]));
      }
    }
    opts.log(`  search: round ${r + 1} of ${rounds}`);
  }
  const f = p95(floorTimes);
  const cases: SearchCase[] = [...times].map(([key, t]) => {
    const [i, s] = key.split('|') as [string, SearchCase['search']];
    const before = p95(t.before);
    const afterP95 = p95(t.after);
    return {
      viewer: Number(i) === 0 ? 'social worker' : 'team manager',
      search: s,
      found: t.found,
      p95Ms: { before, after: afterP95 },
      p50Ms: { before: quantile(t.before, 0.5), after: quantile(t.after, 0.5) },
      serverMs: { before: quantile(t.server.before, 0.5), after: quantile(t.server.after, 0.5) },
      floors: { before: before / f, after: afterP95 / f },
    };
  });
  return { surnameInCounty: Number(common.n), floorP95Ms: f, iterations, cases };
}

/** Lines for the bench table (bench/run.ts's Row): for information (pass null), as the issue sets no bar. */
export function searchRows(r: SearchBenchResult) {
  const ms = (x: number) => `${x.toFixed(1)} ms`;
  return r.cases.map((c, i) => ({
    id: `F${i + 1}`,
    benchmark: `Search, ${c.search} (${c.viewer}, ${c.found} found)`,
    measured: `p95 ${ms(c.p95Ms.after)}`,
    floor: `one lookup p95 ${ms(r.floorP95Ms)}`,
    ratio: `${c.floors.after.toFixed(1)} floors (before: ${c.floors.before.toFixed(1)})`,
    target: 'grows with the caseload, not the council',
    pass: null,
    absolute: `p50 ${ms(c.p50Ms.after)} (before ${ms(c.p50Ms.before)}); p95 before ${ms(c.p95Ms.before)}; in the database ${ms(c.serverMs.after)} (before ${ms(c.serverMs.before)})`,
  }));
}
