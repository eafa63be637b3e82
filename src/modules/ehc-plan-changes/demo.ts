// The demo council's plan changes (issue 20), on the final plans the plan module's demo made (and after the reviews'
// demo, whose decisions to amend have started amendments already): an amendment waiting in its 15 days, one past its
// 8 weeks, a few plans ceased with SEN2 reasons (after an appeal withdrawn), one notice of a decision to cease whose
// appeal window is open, and the 25th-birthday cessations the daily job raises. Everything goes through the service
// on the demo's clock moved to the day it happened. The demo has one council, so no plan is transferred in.
import type { Db } from '../../db/database.ts';
import { addDays } from '../../domain/calendar.ts';
import type { AuthUser } from '../../http/types.ts';
import { authUserById } from '../auth/service.ts';
import type { DemoDayClock, DemoOrganisation } from '../kit/demo.ts';
import type { EhcPlanChangesService } from './service.ts';

type Plan = { id: string; coordinator_id: string };

/**
 * Final plans with a coordinator, nothing under way and no version being edited, in a stable order; of young people
 * born on or before `bornBy` (old enough for the reason) whose plan was made on or before `madeBy`.
 */
async function freePlans(
  db: Db,
  authorityId: string,
  n: number,
  o: { bornBy: string; madeBy: string },
): Promise<Plan[]> {
  const rows = await db
    .selectFrom('ehc_plans as p')
    .innerJoin('people as pe', 'pe.id', 'p.person_id')
    .where('p.authority_id', '=', authorityId)
    .where('p.status', '=', 'final')
    .where('p.coordinator_id', 'is not', null)
    .where('pe.date_of_birth', '>', '2003-01-01')
    .where('pe.date_of_birth', '<=', o.bornBy)
    .where('p.first_issued_date', '<=', o.madeBy)
    .where((eb) =>
      eb.and([
        eb.not(
          eb.exists(
            eb
              .selectFrom('ehc_plan_versions as v')
              .whereRef('v.plan_id', '=', 'p.id')
              .where('v.state', '=', 'editing')
              .select('v.id'),
          ),
        ),
        eb.not(
          eb.exists(
            eb
              .selectFrom('ehc_plan_amendments as a')
              .whereRef('a.plan_id', '=', 'p.id')
              .where('a.outcome', 'is', null)
              .select('a.id'),
          ),
        ),
        eb.not(
          eb.exists(
            eb
              .selectFrom('ehc_plan_cessations as c')
              .whereRef('c.plan_id', '=', 'p.id')
              .where('c.outcome', 'is', null)
              .select('c.id'),
          ),
        ),
      ]),
    )
    .select(['p.id', 'p.coordinator_id'])
    .orderBy('p.created_at', 'desc')
    .orderBy('p.id')
    .limit(n)
    .execute();
  return rows as Plan[];
}

export async function seedPlanChangesDemo(
  db: Db,
  svc: EhcPlanChangesService,
  clock: DemoDayClock,
  org: DemoOrganisation,
  today: string,
): Promise<void> {
  const yearsAgo = (n: number) => `${Number(today.slice(0, 4)) - n}${today.slice(4)}`;
  const free = (n: number, bornBy: string, madeBy: string) => freePlans(db, org.authorityId, n, { bornBy, madeBy });
  const users = new Map<string, AuthUser>();
  const as = async (p: Plan) => {
    const u = users.get(p.coordinator_id) ?? (await authUserById(db, p.coordinator_id));
    if (!u) throw new Error('demo coordinator not found');
    users.set(p.coordinator_id, u);
    return u;
  };
  const day = (n: number) => addDays(today, -n);
  // Every change carries the version it was read at, as a form does.
  const version = async (table: 'ehc_plan_amendments' | 'ehc_plan_cessations', id: string) =>
    (await db.selectFrom(table).where('id', '=', id).select('version').executeTakeFirstOrThrow()).version;
  const [waiting] = await free(1, today, day(60));
  try {
    if (waiting) {
      // Proposals sent 5 days ago: the family still has 10 days for representations.
      clock.on(day(6));
      const u = await as(waiting);
      const id = await svc.startAmendment(u, waiting.id, {
        reason: 'Speech and language provision changed after the review',
      });
      clock.on(day(5));
      await svc.sendProposals(u, waiting.id, id, {
        sent_date: day(5),
        version: await version('ehc_plan_amendments', id),
      });
    }
    const [late] = await free(1, today, day(120));
    if (late) {
      // Proposals sent 10 weeks ago, representations made, and the amended plan not yet issued: past 8 weeks.
      clock.on(day(72));
      const u = await as(late);
      const id = await svc.startAmendment(u, late.id, { reason: 'Name the new specialist provision' });
      clock.on(day(70));
      await svc.sendProposals(u, late.id, id, {
        sent_date: day(70),
        version: await version('ehc_plan_amendments', id),
      });
      clock.on(day(62));
      await svc.recordRepresentation(u, late.id, id, {
        received_date: day(62),
        from_whom: 'parent',
        summary: 'Agree with the changes; would like more detail on the therapy hours.',
        setting_requested: null,
        meeting_requested: false,
        version: await version('ehc_plan_amendments', id),
      });
    }
    // Paid work: a young person of 17 or over.
    const [notice] = await free(1, yearsAgo(17), day(60));
    if (notice) {
      // The decision to cease sent 10 days ago: the plan is kept while an appeal may be brought.
      clock.on(day(30));
      const u = await as(notice);
      const id = await svc.startCessation(u, notice.id, { reason: '4', reason_detail: null });
      clock.on(day(10));
      await svc.decideCessation(u, notice.id, id, {
        decision: 'cease',
        reason: null,
        parent_consulted_date: day(20),
        setting_consulted_date: day(19),
        views: 'The young person has started full-time paid work and agrees the plan is no longer needed.',
        notice_date: day(10),
        version: await version('ehc_plan_cessations', id),
      });
    }
    // Ceased plans: reasons 2, 3, 6 and 7, each after its appeal window (an appeal withdrawn).
    // Reasons 3 (higher education) and 6 (no longer wishes to engage) are about young people: all four are 18 or over.
    const reasons = ['2', '3', '6', '7'] as const;
    const ceasing = await free(reasons.length, yearsAgo(18), day(240));
    for (const [i, p] of ceasing.slice(0, reasons.length).entries()) {
      const start = 150 + i * 10;
      clock.on(day(start));
      const u = await as(p);
      const id = await svc.startCessation(u, p.id, {
        reason: reasons[i] as (typeof reasons)[number],
        reason_detail: null,
      });
      clock.on(day(start - 14));
      await svc.decideCessation(u, p.id, id, {
        decision: 'cease',
        reason: null,
        parent_consulted_date: day(start - 5),
        setting_consulted_date: null,
        views: 'Consulted; agrees.',
        notice_date: day(start - 14),
        version: await version('ehc_plan_cessations', id),
      });
      clock.on(day(start - 30));
      await svc.appealLodged(u, p.id, id, {
        appeal_lodged_date: day(start - 30),
        version: await version('ehc_plan_cessations', id),
      });
      clock.on(day(start - 60));
      await svc.appealDecided(u, p.id, id, {
        appeal_outcome: 'dismissed',
        version: await version('ehc_plan_cessations', id),
      });
      clock.on(day(start - 61));
      await svc.ceasePlan(u, p.id, id, {
        ceased_date: day(start - 61),
        version: await version('ehc_plan_cessations', id),
      });
    }
  } finally {
    clock.reset();
  }
  // The 25th-birthday cessations the daily job raises today (young people in the academic year they turn 25).
  await svc.raiseAge25Cessations();
}
