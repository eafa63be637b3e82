// quality.md P3: the transitions radar, the EHCP weekly overdue report and the gap-vs-capacity report over one
// council of 500,000 young people (bench/national-db.ts), each < 500 ms. Timed through the services' own functions,
// as a page or the API calls them (the radar with its naming and its access-log rows, in its transaction), one call
// at a time: P3 is about one report's answer over national data, not about throughput, and HTTP would add only the
// framework and the template, which P1 measures. Each figure is also given as a ratio against a floor measured in the
// same run and the same way: `SELECT count(*)` over the council's people (one pass over the index of the largest table
// the reports read).
import { sql } from 'kysely';
import type { Db } from '../src/db/database.ts';
import { primaryReports } from '../src/db/reports.ts';
import { londonToday } from '../src/domain/calendar.ts';
import { capabilitiesOf } from '../src/domain/roles.ts';
import type { AuthUser } from '../src/http/types.ts';
import { buildWeeklyReport } from '../src/modules/ehcp/report.ts';
import { RadarService } from '../src/modules/radar/service.ts';
import { register } from '../src/modules/transitions/repository.ts';
import { type BenchRow, median } from './kit.ts';

export interface Timing {
  p50: number;
  p95: number;
  runs: number[];
}

export interface P3Result {
  people: number;
  floor: Timing;
  radar: Timing;
  radarTeam: Timing;
  radarTeamManager: Timing;
  weekly: Timing;
  register: Timing;
  /** What the reports returned on the last run (sizes, not contents). */
  sizes: {
    /** Everyone on each list (named or not). */
    radarLists: Record<string, number>;
    radarRows: number;
    radarNamed: number;
    /** Named on the first page of each list (each access-logged). */
    radarShown: number;
    teamManagerNamed: number;
    teamManagerShown: number;
    weeklyFollowUps: number;
    registerRows: number;
  };
  viewer: { role: string; teamManagerTeamPeople: number };
}

const p95 = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil(0.95 * s.length) - 1)] as number;
};

async function viewer(db: Db, authorityId: string, role: 'service_manager' | 'team_manager'): Promise<AuthUser> {
  // The team manager of the largest team (the most people to name); the first service manager.
  const u = await sql<{ id: string; email: string; display_name: string; roles: string[]; team_ids: string[] }>`
    SELECT u.id, u.email, u.display_name, u.roles,
      ARRAY(SELECT m.team_id FROM team_members m WHERE m.user_id = u.id) AS team_ids
    FROM users u
    WHERE u.authority_id = ${authorityId} AND ${role} = ANY(u.roles)
    ORDER BY (SELECT count(*) FROM team_members m JOIN involvements i ON i.team_id = m.team_id AND i.end_date IS NULL
      WHERE m.user_id = u.id) DESC, u.id
    LIMIT 1`.execute(db);
  const row = u.rows[0];
  if (!row) throw new Error(`The national council has no ${role}`);
  return {
    id: row.id,
    authorityId,
    email: row.email,
    displayName: row.display_name,
    roles: row.roles,
    caps: capabilitiesOf(row.roles),
    teamIds: row.team_ids,
  };
}

export async function benchNational(opts: {
  db: Db;
  authorityId: string;
  runs: number;
  log: (line: string) => void;
}): Promise<P3Result> {
  const { db, authorityId: aid, runs } = opts;
  const now = () => new Date();
  const today = londonToday(now());
  const radar = new RadarService(db, primaryReports(db), now);
  const manager = await viewer(db, aid, 'service_manager');
  const teamManager = await viewer(db, aid, 'team_manager');
  const team = teamManager.teamIds[0] ?? null;
  const people = Number(
    (await sql<{ n: string }>`SELECT count(*) AS n FROM people WHERE authority_id = ${aid}`.execute(db)).rows[0]?.n,
  );
  const teamPeople = Number(
    (
      await sql<{ n: string }>`SELECT count(DISTINCT person_id) AS n FROM involvements
        WHERE team_id = ANY(${teamManager.teamIds}::uuid[]) AND end_date IS NULL`.execute(db)
    ).rows[0]?.n,
  );
  opts.log(`P3: ${people.toLocaleString('en-GB')} young people in one council; ${runs} runs of each report…`);
  const floor = () => sql`SELECT count(*) FROM people WHERE authority_id = ${aid}`.execute(db);
  const last: Partial<P3Result['sizes']> = {};
  const count = (r: Awaited<ReturnType<RadarService['radar']>>) => ({
    rows: r.lists.reduce((n, l) => n + l.total, 0),
    // Named on every page of each list; the call names (and access-logs) one page of each, 50 rows at most.
    named: r.lists.reduce((n, l) => n + l.named, 0),
    shown: r.lists.reduce((n, l) => n + l.rows.length, 0),
    lists: Object.fromEntries(r.lists.map((l) => [l.key, l.total])),
  });
  // Interleaved rounds, so a burst of load on this shared machine falls on every report alike.
  const t: Record<'floor' | 'radar' | 'radarTeam' | 'radarTeamManager' | 'weekly' | 'register', number[]> = {
    floor: [],
    radar: [],
    radarTeam: [],
    radarTeamManager: [],
    weekly: [],
    register: [],
  };
  const tasks: [keyof typeof t, () => Promise<unknown>][] = [
    ['floor', floor],
    [
      'radar',
      async () => {
        const c = count(await radar.radar(manager, {}, 'page'));
        last.radarRows = c.rows;
        last.radarLists = c.lists;
        last.radarNamed = c.named;
        last.radarShown = c.shown;
      },
    ],
    ['radarTeam', () => radar.radar(manager, { team: team ?? undefined }, 'page')],
    [
      'radarTeamManager',
      async () => {
        const c = count(await radar.radar(teamManager, {}, 'page'));
        last.teamManagerNamed = c.named;
        last.teamManagerShown = c.shown;
      },
    ],
    [
      'weekly',
      async () => {
        last.weeklyFollowUps = (await buildWeeklyReport(db, aid, today)).followUps.length;
      },
    ],
    [
      'register',
      async () => {
        last.registerRows = (await register(db, aid, today)).length;
      },
    ],
  ];
  // One untimed warm-up of each (caches, plans), then the timed rounds.
  for (const [, f] of tasks) await f();
  for (let round = 0; round < runs; round++) {
    for (const [key, f] of tasks) {
      const started = performance.now();
      await f();
      t[key].push(performance.now() - started);
    }
    opts.log(
      `  round ${round + 1}/${runs}: radar ${t.radar.at(-1)?.toFixed(0)} ms, weekly ${t.weekly.at(-1)?.toFixed(0)} ms`,
    );
  }
  const of = (xs: number[]): Timing => ({ p50: median(xs), p95: p95(xs), runs: xs });
  return {
    people,
    floor: of(t.floor),
    radar: of(t.radar),
    radarTeam: of(t.radarTeam),
    radarTeamManager: of(t.radarTeamManager),
    weekly: of(t.weekly),
    register: of(t.register),
    sizes: last as P3Result['sizes'],
    viewer: { role: 'service_manager', teamManagerTeamPeople: teamPeople },
  };
}

const ms = (x: number) => `${x.toFixed(0)} ms`;

/** The bench table's lines: the three reports against the 500 ms bar, each beside the floor of the same run. */
export function p3Rows(r: P3Result): (Omit<BenchRow, 'pass'> & { pass: boolean | null })[] {
  const floor = `${ms(r.floor.p50)} (count people)`;
  const line = (id: string, what: string, x: Timing, extra: string, bar = true) => ({
    id,
    benchmark: `${what}, one council of ${r.people.toLocaleString('en-GB')}`,
    measured: `p50 ${ms(x.p50)}, p95 ${ms(x.p95)}`,
    floor,
    ratio: `${(x.p50 / r.floor.p50).toFixed(1)} × floor`,
    target: bar ? '< 500 ms' : '',
    pass: bar ? x.p95 < 500 : null,
    absolute: `${x.runs.length} runs; ${extra}`,
  });
  return [
    line(
      'P3a',
      'Radar, all six lists, service manager',
      r.radar,
      `${r.sizes.radarRows} on the lists, ${r.sizes.radarNamed} named, ${r.sizes.radarShown} on the first pages`,
    ),
    line('P3b', 'Radar filtered to a team, service manager', r.radarTeam, 'team of the largest team manager'),
    line(
      'P3c',
      'For information: radar, team manager of the largest team',
      r.radarTeamManager,
      `${r.sizes.teamManagerNamed} named of ${r.viewer.teamManagerTeamPeople} in the team, ${r.sizes.teamManagerShown} on the first pages (one access-log row each)`,
      false,
    ),
    line('P3d', 'EHCP weekly overdue report', r.weekly, `${r.sizes.weeklyFollowUps} open follow-ups`),
    line('P3e', 'Gap-vs-capacity report (transitions register)', r.register, `${r.sizes.registerRows} rows`),
  ];
}
