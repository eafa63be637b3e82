// The county-sized demo: a fictional shire county the size quality.md calls "county-sized" (about 30,000 young
// people, 8 hubs, 4 localities, 60 teams, 1,500 staff, 200,000 plan actions, 2,000,000 audit events), for
// benchmarks (P1, P2) and for trying Handover at scale.
//
// Built in one transaction, so a failed or interrupted build leaves nothing behind. Rows go in as one
// INSERT … SELECT FROM unnest(array per column) per table and chunk: one statement and one round trip per
// thousand people, whatever the column count, and no 65,535-parameter limit to work around.
// The same seed and sizes always generate the same organisation and people (only the uuids differ).
import { sql } from 'kysely';
import type { Db } from '../../db/database.ts';
import { londonToday, toDayNumber } from '../../domain/calendar.ts';
import type { Role } from '../../domain/roles.ts';
import { insertAudit } from '../audit/repository.ts';
import { rng } from '../kit/fake.ts';
import { insertAuditHistory } from './county-audit.ts';
import {
  insertOrganisation,
  insertStaff,
  MAX_COUNTY_TEAMS,
  organisationIds,
  planStaff,
  planTeams,
  SERVICES,
} from './county-org.ts';
import { DAY_MS, insertPeople, type PeopleContext } from './county-people.ts';
import { insertPlans } from './county-plans.ts';
import {
  CountyExists,
  CountyNotDeleted,
  CountyNotDemo,
  DEMO_ENTITY,
  deleteDemoAuthority,
  findAuthority,
} from './county-replace.ts';

export { MAX_COUNTY_TEAMS } from './county-org.ts';
export { CountyExists, CountyNotDeleted, CountyNotDemo } from './county-replace.ts';

export interface CountySizes {
  people: number;
  staff: number;
  teams: number;
  /** Plan actions, spread over one person-led plan per young person. */
  actions: number;
  /** Audit events of a representative history (each goes through the hash-chain triggers). */
  audit: number;
}

/** quality.md, Performance: "County-sized". */
export const COUNTY_SIZES: Readonly<CountySizes> = Object.freeze({
  people: 30_000,
  staff: 1_500,
  teams: 60,
  actions: 200_000,
  audit: 2_000_000,
});
export const COUNTY_CODE = 'COUNTY';
export const COUNTY_NAME = 'Countyshire County Council';
export const COUNTY_EMAIL_DOMAIN = 'countyshire.example';

/** The well-known sign-ins, in the order they are listed. */
const NAMED_LOCALS = [
  'social.worker',
  'team.manager',
  'service.manager',
  'send.manager',
  'ehcp.coordinator',
  'advice.giver',
  'forum.chair',
  'it.admin',
] as const;

export interface CountyProgress {
  phase: 'organisation' | 'staff' | 'people' | 'plans' | 'audit' | 'statistics';
  /** Staff, people and audit events written so far, out of `total` (their sum). No names: progress is printed. */
  done: number;
  total: number;
}

export interface BuildCountyOptions {
  /** One argon2 hash of DEMO_PASSWORD, shared by every member of staff (hashing 1,500 would take minutes). */
  passwordHash: string;
  /** The clock: ages, dates and timeline events are relative to it. */
  now: Date;
  sizes?: Partial<CountySizes>;
  seed?: number;
  code?: string;
  name?: string;
  emailDomain?: string;
  /** Delete an existing demo authority with the same code first, in the same transaction. */
  replace?: boolean;
  onProgress?: (p: CountyProgress) => void;
}

export interface CountyCounts {
  services: number;
  localities: number;
  hubs: number;
  teams: number;
  staff: number;
  teamMemberships: number;
  people: number;
  statuses: number;
  contacts: number;
  involvements: number;
  openInvolvements: number;
  allocated: number;
  unallocated: number;
  events: number;
  plans: number;
  actions: number;
  /** Plan actions not finished and past their due date. */
  overdueActions: number;
  /** Open plan actions with no owner (no person and no service). */
  unownedActions: number;
  audit: number;
}

export interface CountySignIn {
  role: Role;
  email: string;
  /** Open cases allocated to them. */
  caseload: number;
}

export interface CountySummary {
  authorityId: string;
  code: string;
  name: string;
  counts: CountyCounts;
  /** Every row written, all tables. */
  rows: number;
  /** The whole build, including deleting the old demo when replacing. */
  ms: number;
  /** Of ms, the time spent deleting the old demo (0 unless replacing). */
  deleteMs: number;
  /** Of ms, the time spent writing the audit history (the chain triggers hash each statement's rows in turn). */
  auditMs: number;
  replaced: boolean;
  signIns: CountySignIn[];
}

/** The authority with this code, if any. */
export async function countyExists(db: Db, code = COUNTY_CODE): Promise<boolean> {
  return Boolean(await findAuthority(db, code));
}

function resolveSizes(sizes: Partial<CountySizes> = {}): CountySizes {
  const s = { ...COUNTY_SIZES, ...sizes };
  for (const [k, v] of Object.entries(s)) {
    if (!Number.isInteger(v) || v < 1) throw new RangeError(`${k} must be a whole number of at least 1 (got ${v})`);
  }
  if (s.teams > MAX_COUNTY_TEAMS) throw new RangeError(`teams must be at most ${MAX_COUNTY_TEAMS} (got ${s.teams})`);
  return s;
}

/** Builds a county-sized demo authority. Throws CountyExists if the code is taken and `replace` is not set. */
export async function buildCounty(db: Db, opts: BuildCountyOptions): Promise<CountySummary> {
  const started = performance.now();
  const sizes = resolveSizes(opts.sizes);
  const code = opts.code ?? COUNTY_CODE;
  const name = opts.name ?? COUNTY_NAME;
  const domain = opts.emailDomain ?? COUNTY_EMAIL_DOMAIN;
  const r = rng(opts.seed ?? 20261123);
  const now = opts.now;
  const today = londonToday(now);
  const progress = opts.onProgress ?? (() => {});
  const total = sizes.staff + sizes.people + sizes.audit;

  const teams = planTeams(sizes.teams);
  const staff = planStaff(r, sizes.staff, teams, domain);
  const ids = organisationIds();
  const { localityIds, hubIds } = ids;
  const counts: CountyCounts = {
    services: SERVICES.length,
    localities: localityIds.length,
    hubs: hubIds.length,
    teams: teams.length,
    staff: staff.length,
    teamMemberships: staff.filter((s) => s.team).length,
    people: sizes.people,
    statuses: 0,
    contacts: 0,
    involvements: 0,
    openInvolvements: 0,
    allocated: 0,
    unallocated: 0,
    events: 0,
    plans: 0,
    actions: 0,
    overdueActions: 0,
    unownedActions: 0,
    audit: sizes.audit,
  };
  let replaced = false;
  let deleteMs = 0;

  const authorityId = await db.transaction().execute(async (tx) => {
    // One builder per code at a time; the unique code would stop a second one, but only after all its work.
    await sql`SELECT pg_advisory_xact_lock(hashtext(${`demo-county:${code}`}))`.execute(tx);
    progress({ phase: 'organisation', done: 0, total });
    const existing = await findAuthority(tx, code);
    if (existing && !opts.replace) {
      throw new CountyExists(`Authority ${code} (${existing.name}) already exists.`);
    }
    if (existing) {
      const t = performance.now();
      try {
        await deleteDemoAuthority(tx, existing.id, code);
      } catch (e) {
        if (e instanceof CountyNotDemo || !(e as { code?: string }).code) throw e;
        throw new CountyNotDeleted(
          `Could not delete the old ${code} demo, so nothing was changed: ${(e as Error).message}`,
        );
      }
      replaced = true;
      deleteMs = performance.now() - t;
    }
    const authority = await tx
      .insertInto('authorities')
      .values({ code, name })
      .returning('id')
      .executeTakeFirstOrThrow();
    const aid = authority.id;
    await insertOrganisation(tx, aid, ids, teams);

    progress({ phase: 'staff', done: 0, total });
    await insertStaff(tx, r, aid, ids.serviceIds, staff, opts.passwordHash);
    progress({ phase: 'staff', done: staff.length, total });

    const ctx: PeopleContext = {
      r,
      authorityId: aid,
      localityIds,
      teams,
      today,
      todayDay: toDayNumber(today),
      now,
      nhsSeen: new Set(),
      upnSeen: new Set(),
      counts,
      at: (day, ms) => new Date(Math.min(day * DAY_MS + ms, now.getTime())),
    };
    await insertPeople(tx, ctx, sizes.people, (done) =>
      progress({ phase: 'people', done: staff.length + done, total }),
    );
    progress({ phase: 'people', done: staff.length + sizes.people, total });
    progress({ phase: 'plans', done: staff.length + sizes.people, total });
    Object.assign(counts, await insertPlans(tx, aid, today, sizes.actions));

    await insertAudit(tx, {
      authorityId: aid,
      actorId: null,
      action: 'create',
      entity: DEMO_ENTITY,
      entityId: aid,
      detail: { code, scale: 'county', people: sizes.people, staff: staff.length, teams: teams.length },
    });
    return aid;
  });

  // The audit history after the build's transaction, in statements of 20,000 rows each its own transaction: the
  // chain triggers hash a statement's rows in one pass and move the chain head once (migration 2026_12_13_0500).
  // Audit rows are append-only with no foreign keys, so an interrupted build leaves a shorter history whose chain
  // still verifies.
  const auditStarted = performance.now();
  await insertAuditHistory(db, authorityId, sizes.audit, (done) =>
    progress({ phase: 'audit', done: staff.length + sizes.people + done, total }),
  );
  const auditMs = performance.now() - auditStarted;

  // Fresh statistics, so the first queries against the new rows get the plans they will have in normal use.
  progress({ phase: 'statistics', done: total, total });
  await sql`ANALYZE people, person_statuses, contacts, involvements, events, users, team_members, teams, plans, plan_actions, audit_log`.execute(
    db,
  );

  const rows =
    1 +
    counts.services +
    counts.localities +
    counts.hubs +
    counts.teams +
    counts.staff +
    counts.teamMemberships +
    counts.people +
    counts.statuses +
    counts.contacts +
    counts.involvements +
    counts.events +
    counts.plans +
    counts.actions +
    counts.audit +
    1; // the audit row
  const signIns = NAMED_LOCALS.flatMap((local) => {
    const s = staff.find((x) => x.email === `${local}@${domain}`);
    return s ? [{ role: s.role, email: s.email, caseload: s.caseload }] : [];
  });
  return {
    authorityId,
    code,
    name,
    counts,
    rows,
    ms: performance.now() - started,
    deleteMs,
    auditMs,
    replaced,
    signIns,
  };
}
