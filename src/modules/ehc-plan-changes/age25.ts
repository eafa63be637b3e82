// The 25th birthday (CFA 2014 s.46): a plan may be kept only until the end of the academic year in which the young
// person turns 25 (31 July, SEND Regulations 2014 reg 46(1)(a)). From 1 August of that final academic year, a daily
// job raises the cessation (SEN2 reason 1) with the end date as its `cease_on` anchor, so the consultation, the notice
// and the appeal period run ahead of it. Exactly once per plan however many workers run the job: each plan is locked
// and checked inside its own transaction, and a unique index allows one 25th-birthday cessation per plan.

import { startCessationIn } from './cessations.ts';
import type { PlanChangeDeps } from './context.ts';
import { AGE_25_REASON, age25BornOnOrBefore, endOfAcademicYearOf25th } from './dates.ts';
import * as repo from './repository.ts';

/** Raises every 25th-birthday cessation due today; returns how many it raised. */
export async function raiseAge25Cessations(d: PlanChangeDeps): Promise<number> {
  const today = d.today();
  let raised = 0;
  for (const c of await repo.age25Candidates(d.db, age25BornOnOrBefore(today))) {
    const done = await d.db.transaction().execute(async (tx) => {
      const plan = await repo.lockPlan(tx, c.id);
      if (plan?.status !== 'final') return false;
      const already = await tx
        .selectFrom('ehc_plan_cessations')
        .where('plan_id', '=', c.id)
        .where((eb) => eb.or([eb('started_how', '=', 'age_25'), eb('outcome', 'is', null)]))
        .select('id')
        .executeTakeFirst();
      if (already) return false;
      const actorId = plan.coordinator_id ?? (await repo.aSendManager(tx, plan.authority_id));
      if (!actorId) return false; // nobody to own it: the plans list shows the plan without a coordinator
      await startCessationIn(d, tx, {
        plan,
        actorId,
        how: 'age_25',
        reason: AGE_25_REASON,
        detail: null,
        ceaseOn: endOfAcademicYearOf25th(c.date_of_birth),
      });
      return true;
    });
    if (done) raised++;
  }
  return raised;
}
