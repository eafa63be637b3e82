// The county demo builder, at a small size against a real database: the organisation hangs together (every
// worker is in the team they hold cases for, line managers are in the same council and form no loops), every
// young person is 0-25 with valid identifiers, and replacing the demo keeps the append-only logs.
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { testConfig, testDatabase } from '../../../test/helpers.ts';
import { parseDemoOptions } from '../../cli/demo.ts';
import { UserError } from '../../cli/user-error.ts';
import { ageOn } from '../../domain/age.ts';
import { checkNhsNumber, checkUpn } from '../../domain/identifiers.ts';
import { insertAccess } from '../audit/repository.ts';
import { verifyAuditChain } from '../audit/service.ts';
import { hashPassword } from '../auth/passwords.ts';
import {
  type BuildCountyOptions,
  buildCounty,
  CountyExists,
  CountyNotDemo,
  type CountyProgress,
  type CountySummary,
} from './county.ts';
import { DEMO_PASSWORD, ensureDemo } from './seed.ts';

const SIZES = { people: 300, staff: 60, teams: 12, actions: 2_000, audit: 5_000 };
const NOW = new Date('2026-11-23T10:00:00Z');
const TODAY = '2026-11-23';

// At the top level, so the database lasts for the whole file (helpers register its cleanup with after()).
const { db } = await testDatabase();

describe('county demo', () => {
  let summary: CountySummary;
  let passwordHash: string;
  const progress: CountyProgress[] = [];
  /** The test county (TCOUNTY), with whatever else this build needs. */
  const testCounty = (more: Partial<BuildCountyOptions>) =>
    buildCounty(db, { passwordHash, now: NOW, sizes: SIZES, code: 'TCOUNTY', emailDomain: 'tcounty.example', ...more });

  before(async () => {
    passwordHash = await hashPassword(DEMO_PASSWORD);
    // The small demo first: the county must sit beside it, not disturb it.
    await ensureDemo(db, { config: testConfig(), now: () => NOW });
    summary = await testCounty({
      onProgress: (p) => progress.push(p),
    });
  });

  const authority = () => summary.authorityId;

  test('every young person has a plan; the actions are owned, unowned and overdue; the audit chain verifies', async () => {
    const plans = await db
      .selectFrom('plans')
      .where('authority_id', '=', authority())
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    assert.equal(Number(plans.n), SIZES.people);
    assert.equal(summary.counts.plans, SIZES.people);
    const a = await sql<{ n: number; owned: number; service: number; unowned: number; overdue: number; done: number }>`
      SELECT count(*)::int AS n,
        count(*) FILTER (WHERE owner_user_id IS NOT NULL)::int AS owned,
        count(*) FILTER (WHERE owner_service_id IS NOT NULL)::int AS service,
        count(*) FILTER (WHERE owner_user_id IS NULL AND owner_service_id IS NULL
          AND status IN ('not_started', 'in_progress'))::int AS unowned,
        count(*) FILTER (WHERE due_date < ${TODAY}::date AND status IN ('not_started', 'in_progress'))::int AS overdue,
        count(*) FILTER (WHERE status = 'done')::int AS done
      FROM plan_actions WHERE authority_id = ${authority()}`.execute(db);
    const row = a.rows[0]!;
    assert.equal(row.n, SIZES.actions);
    assert.equal(summary.counts.actions, SIZES.actions);
    assert.ok(row.owned > SIZES.actions / 2, 'most actions have a named owner');
    assert.ok(row.service > 0 && row.unowned > 0 && row.overdue > 0 && row.done > 0);
    assert.equal(summary.counts.unownedActions, row.unowned);
    assert.equal(summary.counts.overdueActions, row.overdue);
    // Owners are staff of the same council.
    const foreign = await sql<{ n: number }>`
      SELECT count(*)::int AS n FROM plan_actions a JOIN users u ON u.id = a.owner_user_id
      WHERE a.authority_id = ${authority()} AND u.authority_id <> a.authority_id`.execute(db);
    assert.equal(foreign.rows[0]?.n, 0);
    const audit = await db
      .selectFrom('audit_log')
      .where('authority_id', '=', authority())
      .where('entity', '<>', 'demo_organisation')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    assert.equal(Number(audit.n), SIZES.audit);
    const verdict = await verifyAuditChain(db);
    assert.equal(verdict.ok, true, JSON.stringify(verdict));
  });

  test('builds the requested sizes, and reports what it wrote', async () => {
    const count = async (table: 'people' | 'users' | 'teams' | 'localities' | 'hubs' | 'events' | 'contacts') => {
      const row = await db
        .selectFrom(table)
        .where('authority_id', '=', authority())
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow();
      return Number(row.n);
    };
    assert.equal(await count('people'), SIZES.people);
    assert.equal(await count('users'), SIZES.staff);
    assert.equal(await count('teams'), SIZES.teams);
    assert.equal(await count('localities'), 4);
    assert.equal(await count('hubs'), 8);
    assert.equal(await count('events'), summary.counts.events);
    assert.equal(await count('contacts'), summary.counts.contacts);
    assert.ok(summary.counts.events >= 2 * SIZES.people, 'every record has a timeline');
    assert.ok(summary.counts.contacts >= SIZES.people / 2);
    assert.ok(summary.counts.statuses > 0);
    const inv = await db
      .selectFrom('involvements')
      .where('authority_id', '=', authority())
      .select((eb) => [
        eb.fn.countAll<number>().as('all'),
        eb.fn.count<number>('worker_id').as('allocated'),
        sql<number>`count(*) FILTER (WHERE end_date IS NULL)`.as('open'),
        sql<number>`count(*) FILTER (WHERE end_date IS NULL AND worker_id IS NULL)`.as('unallocated'),
      ])
      .executeTakeFirstOrThrow();
    assert.equal(Number(inv.all), summary.counts.involvements);
    assert.equal(Number(inv.open), summary.counts.openInvolvements);
    assert.equal(Number(inv.unallocated), summary.counts.unallocated);
    // Most cases allocated, some waiting.
    const share = Number(inv.unallocated) / Number(inv.open);
    assert.ok(share > 0.03 && share < 0.3, `unallocated share ${share}`);
    const audit = await db
      .selectFrom('audit_log')
      .where('authority_id', '=', authority())
      .where('entity', '=', 'demo_organisation')
      .select(['action', 'detail'])
      .execute();
    assert.deepEqual(
      audit.map((a) => a.action),
      ['create'],
    );
    // Nothing is recorded in the future of the clock it was built with.
    const future = await sql<{ n: number }>`
      SELECT (SELECT count(*) FROM events WHERE authority_id = ${authority()} AND at > ${NOW})
           + (SELECT count(*) FROM people WHERE authority_id = ${authority()} AND created_at > ${NOW})
           + (SELECT count(*) FROM involvements WHERE authority_id = ${authority()} AND start_date > ${TODAY})::int AS n`.execute(
      db,
    );
    assert.equal(Number(future.rows[0]?.n), 0);
    const total = SIZES.people + SIZES.staff + SIZES.audit;
    assert.deepEqual(progress.at(-1), { phase: 'statistics', done: total, total });
    for (const p of progress) assert.deepEqual(Object.keys(p).sort(), ['done', 'phase', 'total']);
  });

  test('every young person is aged 0-25 today, with a valid and unique NHS number and UPN', async () => {
    const people = await db
      .selectFrom('people')
      .where('authority_id', '=', authority())
      .select(['date_of_birth', 'nhs_number', 'upn', 'case_number'])
      .execute();
    for (const p of people) {
      const age = ageOn(p.date_of_birth, TODAY);
      assert.ok(age >= 0 && age <= 25, `${p.case_number} is ${age}`);
      assert.ok(p.nhs_number && checkNhsNumber(p.nhs_number).ok, `${p.case_number} NHS number`);
      assert.ok(p.nhs_number.startsWith('999'), 'NHS numbers come from the range never issued');
      if (p.upn !== null) assert.ok(checkUpn(p.upn).ok, `${p.case_number} UPN`);
    }
    assert.equal(new Set(people.map((p) => p.nhs_number)).size, people.length);
  });

  test("every involvement's worker is a member of its team, and open ones fit the team's age remit", async () => {
    const strays = await db
      .selectFrom('involvements as i')
      .where('i.authority_id', '=', authority())
      .where('i.worker_id', 'is not', null)
      .where(({ not, exists, selectFrom }) =>
        not(
          exists(
            selectFrom('team_members as m')
              .whereRef('m.team_id', '=', 'i.team_id')
              .whereRef('m.user_id', '=', 'i.worker_id')
              .select('m.user_id'),
          ),
        ),
      )
      .select('i.id')
      .execute();
    assert.deepEqual(strays, []);
    const outside = await db
      .selectFrom('involvements as i')
      .innerJoin('people as p', 'p.id', 'i.person_id')
      .innerJoin('teams as t', 't.id', 'i.team_id')
      .where('i.authority_id', '=', authority())
      .where('i.end_date', 'is', null)
      .select(['p.date_of_birth', 't.remit_min_age', 't.remit_max_age'])
      .execute();
    for (const o of outside) {
      const age = ageOn(o.date_of_birth, TODAY);
      assert.ok(
        age >= o.remit_min_age && age <= o.remit_max_age,
        `age ${age} in ${o.remit_min_age}-${o.remit_max_age}`,
      );
    }
    const people = await db
      .selectFrom('people as p')
      .where('p.authority_id', '=', authority())
      .where(({ not, exists, selectFrom }) =>
        not(
          exists(
            selectFrom('involvements as i')
              .whereRef('i.person_id', '=', 'p.id')
              .where('i.end_date', 'is', null)
              .select('i.id'),
          ),
        ),
      )
      .select('p.id')
      .execute();
    assert.deepEqual(people, [], 'every young person has a team working with them');
  });

  test('line managers are in the same authority and form no cycles', async () => {
    const users = await db
      .selectFrom('users as u')
      .leftJoin('users as m', 'm.id', 'u.line_manager_id')
      .where('u.authority_id', '=', authority())
      .select(['u.id', 'u.line_manager_id', 'm.authority_id as manager_authority'])
      .execute();
    const managerOf = new Map(users.map((u) => [u.id, u.line_manager_id]));
    for (const u of users) {
      if (u.line_manager_id !== null) assert.equal(u.manager_authority, authority());
      // Walk up: a chain longer than the number of staff must have looped.
      let at: string | null = u.id;
      for (let steps = 0; at !== null; steps++) {
        assert.ok(steps <= users.length, 'line-manager cycle');
        at = managerOf.get(at) ?? null;
      }
    }
    assert.ok(users.filter((u) => u.line_manager_id !== null).length > users.length / 2);
  });

  test('the well-known sign-ins exist, and the social worker has a caseload', async () => {
    const worker = summary.signIns.find((s) => s.email === 'social.worker@tcounty.example');
    assert.ok(worker);
    assert.equal(worker.role, 'social_worker');
    assert.ok(worker.caseload > 0);
    const open = await db
      .selectFrom('involvements as i')
      .innerJoin('users as u', 'u.id', 'i.worker_id')
      .where('u.email', '=', worker.email)
      .where('i.end_date', 'is', null)
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    assert.equal(Number(open.n), worker.caseload);
    for (const role of ['team_manager', 'service_manager', 'send_manager', 'ehcp_coordinator', 'admin'])
      assert.ok(
        summary.signIns.some((s) => s.role === role),
        role,
      );
  });

  test('refuses to build over an existing authority unless asked to replace it', async () => {
    await assert.rejects(testCounty({}), CountyExists);
    // An authority that the demo builders did not make is never deleted, whatever its code.
    await db.insertInto('authorities').values({ code: 'TREAL', name: 'A real council' }).execute();
    await assert.rejects(
      buildCounty(db, { passwordHash, now: NOW, sizes: SIZES, code: 'TREAL', replace: true, emailDomain: 'x.example' }),
      CountyNotDemo,
    );
    const still = await db.selectFrom('authorities').where('code', '=', 'TREAL').select('id').execute();
    assert.equal(still.length, 1);
  });

  test('replacing deletes the old county and keeps its audit and access rows; other authorities untouched', async () => {
    const old = authority();
    const person = await db.selectFrom('people').where('authority_id', '=', old).select('id').executeTakeFirstOrThrow();
    const worker = await db.selectFrom('users').where('authority_id', '=', old).select('id').executeTakeFirstOrThrow();
    // A row in a table another capability added (found through its authority_id, not listed in the builder).
    await sql`INSERT INTO notifications (authority_id, user_id, message) VALUES (${old}, ${worker.id}, 'demo')`.execute(
      db,
    );
    await insertAccess(db, {
      authorityId: old,
      personId: person.id,
      userId: worker.id,
      channel: 'page',
      purpose: 'record',
      breakGlassId: null,
    });
    const demoPeople = await db
      .selectFrom('people as p')
      .innerJoin('authorities as a', 'a.id', 'p.authority_id')
      .where('a.code', '=', 'DEMO')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    const auditBefore = await db
      .selectFrom('audit_log')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();

    summary = await testCounty({
      replace: true,
    });
    assert.equal(summary.replaced, true);
    assert.notEqual(summary.authorityId, old);
    const left = await db.selectFrom('people').where('authority_id', '=', old).select('id').execute();
    assert.deepEqual(left, []);
    const notes = await sql<{
      n: number;
    }>`SELECT count(*)::int AS n FROM notifications WHERE authority_id = ${old}`.execute(db);
    assert.equal(notes.rows[0]?.n, 0);
    const access = await db.selectFrom('access_log').where('person_id', '=', person.id).select('id').execute();
    assert.equal(access.length, 1, 'access rows are append-only and stay');
    const auditAfter = await db
      .selectFrom('audit_log')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    assert.equal(
      Number(auditAfter.n),
      Number(auditBefore.n) + 2 + SIZES.audit,
      'one delete row, one create row and the new history; none removed',
    );
    const demoAfter = await db
      .selectFrom('people as p')
      .innerJoin('authorities as a', 'a.id', 'p.authority_id')
      .where('a.code', '=', 'DEMO')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    assert.equal(Number(demoAfter.n), Number(demoPeople.n));
  });
});

describe('handover demo arguments', () => {
  test('small is the default; county and --replace are understood', () => {
    assert.deepEqual(parseDemoOptions({}), { scale: 'small', replace: false });
    assert.deepEqual(parseDemoOptions({ scale: 'county' }), { scale: 'county', replace: false });
    assert.deepEqual(parseDemoOptions({ scale: 'County', replace: true }), { scale: 'county', replace: true });
  });

  test('a bad scale says what to type instead', () => {
    assert.throws(
      () => parseDemoOptions({ scale: 'huge' }),
      (e: Error) => e instanceof UserError && /--scale small.*--scale county/.test(e.message) && /huge/.test(e.message),
    );
    assert.throws(
      () => parseDemoOptions({ scale: 'small', replace: true }),
      (e: Error) => e instanceof UserError && /--scale county --replace/.test(e.message),
    );
  });
});
