// The national benchmarks' database (quality.md P3): an embedded PostgreSQL in bench/.data-national holding ONE
// council of 500,000 young people with what the radar, the EHCP weekly report and the gap-vs-capacity report read.
// Built once, set-based (INSERT … SELECT generate_series, choices by hashing the row number), and reused while it
// still has the sizes asked for. The county's cache (bench/.data) is a separate cluster and is never touched.
import path from 'node:path';
import { sql } from 'kysely';
import type { Db } from '../src/db/database.ts';
import { londonToday } from '../src/domain/calendar.ts';
import { hashPassword } from '../src/modules/auth/passwords.ts';
import {
  insertOrganisation,
  insertStaff,
  organisationIds,
  planStaff,
  planTeams,
} from '../src/modules/demo/county-org.ts';
import { insertPlans } from '../src/modules/demo/county-plans.ts';
import { DEMO_PASSWORD } from '../src/modules/demo/seed.ts';
import { rng } from '../src/modules/kit/fake.ts';
import { ProtocolRegistry } from '../src/modules/protocols/registry.ts';
import { BENCH_DATA_DIR, type BenchCluster, openBenchCluster } from './county-db.ts';
import { insertEhcp } from './national-ehcp.ts';

export const NATIONAL_DATA_DIR = path.join(path.dirname(BENCH_DATA_DIR), '.data-national');
export const NATIONAL_CODE = 'NATIONAL';

export interface NationalSizes {
  people: number;
  staff: number;
  teams: number;
  /** Plan actions spread over the person-led plans (4 in 100 are a gap or a capacity issue). */
  actions: number;
}

export const NATIONAL_SIZES: Readonly<NationalSizes> = Object.freeze({
  people: 500_000,
  staff: 6_000,
  teams: 60,
  actions: 1_000_000,
});

export interface NationalDatabase extends BenchCluster {
  authorityId: string;
  source: 'built' | 'reused';
  /** Seconds to build (null when reused), and the rows of each table. */
  buildSeconds: number | null;
  counts: Record<string, number>;
}

const GIVEN = [
  'Amelia',
  'Noah',
  'Olivia',
  'Muhammad',
  'Isla',
  'George',
  'Ava',
  'Leo',
  'Freya',
  'Oscar',
  'Lily',
  'Arthur',
];
const FAMILY = [
  'Smith',
  'Jones',
  'Taylor',
  'Brown',
  'Williams',
  'Wilson',
  'Johnson',
  'Davies',
  'Patel',
  'Khan',
  'Evans',
];

const COUNTED = [
  'people',
  'involvements',
  'plans',
  'plan_actions',
  'ehc_plans',
  'ehc_reviews',
  'ehc_plan_cessations',
  'ehcp_assessments',
  'ehcp_advice_requests',
  'protocol_instances',
  'transition_plans',
] as const;

async function countsOf(db: Db, authorityId: string): Promise<Record<string, number>> {
  const r = await sql<Record<string, string>>`SELECT ${sql.join(
    COUNTED.map(
      (t) => sql`(SELECT count(*) FROM ${sql.table(t)} WHERE authority_id = ${authorityId}) AS ${sql.ref(t)}`,
    ),
  )}`.execute(db);
  return Object.fromEntries(Object.entries(r.rows[0] ?? {}).map(([k, v]) => [k, Number(v)]));
}

/** People: ages spread evenly from birth to 26, names and localities by hashing the row number. */
async function insertPeople(db: Db, aid: string, today: string, n: number) {
  await sql`
    INSERT INTO people (authority_id, case_number, given_name, family_name, date_of_birth, gender, locality_id)
    SELECT ${aid}::uuid, 'NAT' || lpad(g::text, 7, '0'),
      (${GIVEN}::text[])[1 + abs(hashtext('g' || g)) % ${GIVEN.length}],
      (${FAMILY}::text[])[1 + abs(hashtext('f' || g)) % ${FAMILY.length}],
      ${today}::date - (1 + abs(hashtext('d' || g)) % 9490),
      (ARRAY['female', 'male'])[1 + g % 2],
      loc.ids[1 + g % cardinality(loc.ids)]
    FROM generate_series(1, ${n}) g,
      (SELECT array_agg(id ORDER BY id) AS ids FROM localities WHERE authority_id = ${aid}) loc`.execute(db);
}

/**
 * One open involvement each with a team (1 in 10 unallocated), and a second open one with another team for 1 in 6:
 * the multi-agency cases the radar's team filter reads.
 */
async function insertInvolvements(db: Db, aid: string, today: string) {
  await sql`
    WITH tl AS (SELECT array_agg(id ORDER BY id) AS ids FROM teams WHERE authority_id = ${aid}),
    tm AS (SELECT team_id, array_agg(user_id ORDER BY user_id) AS ids FROM team_members
      WHERE authority_id = ${aid} GROUP BY team_id),
    pick AS (
      SELECT p.id AS person_id, x.h, x.k, tl.ids[1 + (x.h + x.k * 7) % cardinality(tl.ids)] AS team_id
      FROM people p, tl,
        LATERAL (SELECT abs(hashtext(p.case_number)) AS h) hh,
        LATERAL (SELECT hh.h, k FROM generate_series(0, CASE WHEN hh.h % 6 = 0 THEN 1 ELSE 0 END) k) x
      WHERE p.authority_id = ${aid})
    INSERT INTO involvements (authority_id, person_id, team_id, worker_id, reason, start_date, created_at)
    SELECT ${aid}::uuid, pick.person_id, pick.team_id,
      CASE WHEN pick.h % 10 = 0 THEN NULL ELSE tm.ids[1 + (pick.h / 10) % cardinality(tm.ids)] END,
      'Referral', ${today}::date - (pick.h / 100) % 1500, now() - make_interval(days => (pick.h / 100) % 1500)
    FROM pick LEFT JOIN tm ON tm.team_id = pick.team_id`.execute(db);
}

/** Exploitation-transition plans: 1 in 20 of those aged 16 to 17½, each on an open instance; 6 in 10 with no owner. */
async function insertTransitionPlans(db: Db, aid: string, today: string) {
  await sql`
    WITH who AS (
      SELECT p.id, abs(hashtext(p.case_number || 'x')) AS h FROM people p
      WHERE p.authority_id = ${aid} AND p.date_of_birth > ${today}::date - interval '210 months'
        AND p.date_of_birth <= ${today}::date - interval '16 years'),
    chosen AS (SELECT * FROM who WHERE h % 20 = 0),
    staff AS (SELECT array_agg(id ORDER BY id) AS ids FROM users WHERE authority_id = ${aid}),
    inst AS (
      INSERT INTO protocol_instances (authority_id, person_id, protocol_id, protocol_version, status, started_by)
      SELECT ${aid}::uuid, chosen.id, 'exploitation-transition', 1, 'open', staff.ids[1 + chosen.h % cardinality(staff.ids)]
      FROM chosen, staff
      RETURNING id, person_id, started_by)
    INSERT INTO transition_plans (authority_id, person_id, protocol_instance_id, started_by, started_how,
      post18_owner_id, post18_setting)
    SELECT ${aid}::uuid, inst.person_id, inst.id, inst.started_by, 'scheduled',
      CASE WHEN (chosen.h / 20) % 10 < 4 THEN inst.started_by END,
      CASE WHEN (chosen.h / 20) % 10 < 4 THEN 'adult_social_care' END
    FROM inst JOIN chosen ON chosen.id = inst.person_id`.execute(db);
}

export async function buildNational(db: Db, sizes: NationalSizes, log: (line: string) => void): Promise<string> {
  const now = new Date();
  const today = londonToday(now);
  const { registry } = await ProtocolRegistry.load(null);
  await registry.sync(db);
  const step = async (label: string, f: () => Promise<unknown>) => {
    const t = performance.now();
    await f();
    log(`  ${label}: ${((performance.now() - t) / 1000).toFixed(1)} s`);
  };
  return db.transaction().execute(async (tx) => {
    const { id: aid } = await tx
      .insertInto('authorities')
      .values({ code: NATIONAL_CODE, name: 'Nationalshire (one council of 500,000 young people)' })
      .returning('id')
      .executeTakeFirstOrThrow();
    const teams = planTeams(sizes.teams);
    const staff = planStaff(rng(20261215), sizes.staff, teams, 'nationalshire.example');
    const ids = organisationIds();
    await step('organisation and staff', async () => {
      await insertOrganisation(tx, aid, ids, teams);
      await insertStaff(tx, rng(1), aid, ids.serviceIds, staff, await hashPassword(DEMO_PASSWORD));
    });
    const db = tx as unknown as Db;
    await step(`${sizes.people.toLocaleString('en-GB')} people`, () => insertPeople(db, aid, today, sizes.people));
    await step('involvements', () => insertInvolvements(db, aid, today));
    await step('person-led plans and actions', () => insertPlans(tx, aid, today, sizes.actions));
    await step('EHC plans, reviews, assessments and advice', () => insertEhcp(db, aid, today));
    await step('exploitation-transition plans', () => insertTransitionPlans(db, aid, today));
    return aid;
  });
}

/** Opens (building on first use) the national database; `rebuild` starts the cluster's database again. */
export async function openNationalDatabase(opts: {
  dir?: string;
  rebuild?: boolean;
  poolSize: number;
  sizes?: Partial<NationalSizes>;
  log: (line: string) => void;
  /** Throw when the migrations do not fit, instead of building the council again (minutes). */
  keep?: boolean;
}): Promise<NationalDatabase> {
  const sizes = { ...NATIONAL_SIZES, ...opts.sizes };
  const cluster = await openBenchCluster({
    dir: opts.dir ?? NATIONAL_DATA_DIR,
    poolSize: opts.poolSize,
    log: opts.log,
    fresh: opts.rebuild,
    keep: opts.keep,
  });
  try {
    const found = await cluster.db
      .selectFrom('authorities')
      .where('code', '=', NATIONAL_CODE)
      .select('id')
      .executeTakeFirst();
    if (found) {
      const counts = await countsOf(cluster.db, found.id);
      if (counts.people === sizes.people) {
        opts.log(`Reusing the national council in ${opts.dir ?? NATIONAL_DATA_DIR} (--rebuild for a fresh one).`);
        return { ...cluster, authorityId: found.id, source: 'reused', buildSeconds: null, counts };
      }
      opts.log('The national database has other sizes; recreating it.');
      await cluster.recreate();
    }
    opts.log(
      `Building one council of ${sizes.people.toLocaleString('en-GB')} young people (once; later runs reuse it)…`,
    );
    const t = performance.now();
    const aid = await buildNational(cluster.db, sizes, opts.log);
    await sql`ANALYZE`.execute(cluster.db);
    const buildSeconds = (performance.now() - t) / 1000;
    const counts = await countsOf(cluster.db, aid);
    const rows = Object.values(counts).reduce((a, b) => a + b, 0);
    opts.log(`  built in ${buildSeconds.toFixed(1)} s: ${rows.toLocaleString('en-GB')} rows`);
    return { ...cluster, authorityId: aid, source: 'built', buildSeconds, counts };
  } catch (e) {
    await cluster.close();
    throw e;
  }
}
