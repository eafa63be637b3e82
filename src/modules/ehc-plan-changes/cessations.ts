// Ceasing a plan (CFA 2014 s.45; SEND Regulations 2014 regs 29–31) on the ehc-plan-cessation protocol: proposed with
// an SEN2 reason by a review's decision, by the coordinator, or by the daily 25th-birthday job (age25.ts); the
// consultation and the decision; the notice with the right of appeal; the plan kept while an appeal may be brought
// or is pending; then ceased. The plan's `ceased` status and dates are written by the protocol's hook (flows.ts).
import type { Tx } from '../../db/database.ts';
import { Conflict, NotFound } from '../../http/errors.ts';
import { ValidationError } from '../../http/forms.ts';
import type { AuthUser } from '../../http/types.ts';
import { lockFinalPlan, type Plan, type PlanChangeDeps, planChange, requireSameVersion } from './context.ts';
import { AGE_25_REASON, appealBy, ceaseOnProblem, endOfAcademicYearOf25th } from './dates.ts';
import * as repo from './repository.ts';
import type { AppealDecided, AppealLodged, CeasePlan, CessationDecision, CessationStart } from './schemas.ts';

/** Starts a cessation on a locked final plan, inside the caller's transaction; returns its id. */
export async function startCessationIn(
  d: PlanChangeDeps,
  tx: Tx,
  o: {
    plan: Pick<Plan, 'id' | 'authority_id' | 'person_id' | 'coordinator_id'>;
    actorId: string;
    how: 'review' | 'coordinator' | 'age_25';
    reviewId?: string | null;
    reason: number;
    detail: string | null;
    ceaseOn?: string | null;
  },
): Promise<string> {
  const { plan } = o;
  if (await repo.openCessation(tx, plan.id))
    throw new Conflict('This plan already has a cessation under way: it is on the plan page.');
  const instanceId = await d.flows.cessation.start(
    tx,
    { id: o.actorId, authorityId: plan.authority_id },
    plan.person_id,
    {
      anchors: o.ceaseOn ? { cease_on: o.ceaseOn } : {},
      data: { coordinator: plan.coordinator_id ?? o.actorId },
      event: { title: 'Ceasing the EHC plan is being considered', detail: null },
    },
  );
  const row = await repo.insertCessation(tx, {
    authority_id: plan.authority_id,
    plan_id: plan.id,
    person_id: plan.person_id,
    protocol_instance_id: instanceId,
    started_how: o.how,
    review_id: o.reviewId ?? null,
    reason: o.reason,
    reason_detail: o.detail,
    cease_on: o.ceaseOn ?? null,
    created_by: o.actorId,
  });
  await planChange(
    tx,
    { id: o.actorId, authorityId: plan.authority_id },
    plan.person_id,
    'EHC plan: ceasing proposed',
    {
      action: 'start',
      entity: 'ehc_plan_cessation',
      entityId: row.id,
      detail: { plan_id: plan.id, how: o.how, reason: o.reason },
    },
  );
  return row.id;
}

/**
 * The day the plan is to end, checked (a field error on cease_on otherwise): the one sent, or for reason 1 the end of
 * the academic year of the 25th birthday, which the law fixes; null when none is set.
 */
function checkedCeaseOn(
  plan: Pick<Plan, 'date_of_birth'>,
  reason: number,
  sent: string | null,
  notBefore: { date: string; what: string },
): string | null {
  const dob = plan.date_of_birth;
  const ceaseOn = sent ?? (reason === AGE_25_REASON && dob ? endOfAcademicYearOf25th(dob) : null);
  if (!ceaseOn) return null;
  const problem = ceaseOnProblem({
    reason,
    dateOfBirth: dob,
    ceaseOn,
    notBefore: notBefore.date,
    notBeforeWhat: notBefore.what,
  });
  if (problem) throw new ValidationError({ cease_on: problem });
  return ceaseOn;
}

/** The coordinator proposes to cease the plan (and, if it is to end on a set day, that day). */
export function startCessation(d: PlanChangeDeps, user: AuthUser, planId: string, x: CessationStart) {
  return d.db.transaction().execute(async (tx) => {
    const plan = await lockFinalPlan(d, tx, user, planId);
    const reason = Number(x.reason);
    const ceaseOn = checkedCeaseOn(plan, reason, x.cease_on ?? null, {
      date: d.today(),
      what: 'today, as the decision to cease is still to come',
    });
    return startCessationIn(d, tx, {
      plan,
      actorId: user.id,
      how: 'coordinator',
      reason,
      detail: x.reason_detail,
      ceaseOn,
    });
  });
}

async function locked(d: PlanChangeDeps, tx: Tx, user: AuthUser, planId: string, id: string, version: number | null) {
  const plan = await lockFinalPlan(d, tx, user, planId);
  const c = await repo.lockCessation(tx, planId, id);
  if (!c) throw new NotFound('No cessation with that reference on this plan.');
  if (c.outcome) throw new Conflict('This cessation has already ended. Reload the page to see it.');
  requireSameVersion(c, version, 'cessation');
  const state = await d.flows.cessation.state(tx, c.protocol_instance_id as string);
  return { plan, c, step: state.step, instanceId: c.protocol_instance_id as string };
}

const notAt = (what: string) =>
  new Conflict(`The cessation is not at the point where ${what}. Reload the page to see where it is.`);

/** The consultation recorded and the decision: cease (the notice sent, the appeal window opens) or keep the plan. */
export function decide(d: PlanChangeDeps, user: AuthUser, planId: string, id: string, x: CessationDecision) {
  return d.db.transaction().execute(async (tx) => {
    const { plan, c, step, instanceId } = await locked(d, tx, user, planId, id, x.version);
    if (step !== 'consult') throw notAt('the decision is recorded');
    if (x.notice_date && x.notice_date < x.parent_consulted_date)
      throw new ValidationError({
        notice_date: 'Date the notice was sent must be on or after the date the parent or young person was consulted',
      });
    await repo.updateCessation(
      tx,
      c.id,
      {
        parent_consulted_date: x.parent_consulted_date,
        setting_consulted_date: x.setting_consulted_date,
        views: x.views,
        ...(x.reason ? { reason: Number(x.reason) } : {}),
      },
      d.now(),
    );
    if (x.decision === 'maintain') {
      await d.flows.cessation.advance(tx, instanceId, 'maintain', user.id, { at: ['consult'] });
      await planChange(tx, user, plan.person_id, 'EHC plan: decided to keep the plan', {
        action: 'maintain',
        entity: 'ehc_plan_cessation',
        entityId: c.id,
      });
      return;
    }
    const notice = x.notice_date as string;
    const ceaseOn = checkedCeaseOn(plan, x.reason ? Number(x.reason) : c.reason, x.cease_on ?? c.cease_on, {
      date: notice,
      what: 'the date the notice of the decision was sent',
    });
    if (ceaseOn !== c.cease_on) await repo.updateCessation(tx, c.id, { cease_on: ceaseOn }, d.now());
    await d.flows.cessation.update(tx, instanceId, {
      anchors: { appeal_by: appealBy(notice), ...(ceaseOn ? { cease_on: ceaseOn } : {}) },
      data: { notice_date: notice },
    });
    await d.flows.cessation.advance(tx, instanceId, 'cease', user.id, { at: ['consult'] });
    await planChange(tx, user, plan.person_id, 'EHC plan: decided to cease; notice sent with the right of appeal', {
      action: 'decide-cease',
      entity: 'ehc_plan_cessation',
      entityId: c.id,
      detail: { notice_date: notice, reason: x.reason ? Number(x.reason) : c.reason },
    });
  });
}

/** An appeal lodged with the First-tier Tribunal (SEND): the plan is kept until it is decided. */
export function appealLodged(d: PlanChangeDeps, user: AuthUser, planId: string, id: string, x: AppealLodged) {
  return d.db.transaction().execute(async (tx) => {
    const { plan, c, step, instanceId } = await locked(d, tx, user, planId, id, x.version);
    if (step !== 'appeal_window') throw notAt('an appeal is recorded');
    if (c.notice_date && x.appeal_lodged_date < c.notice_date)
      throw new ValidationError({ appeal_lodged_date: 'Date the appeal was lodged must be on or after the notice' });
    await d.flows.cessation.update(tx, instanceId, { data: { appeal_lodged_date: x.appeal_lodged_date } });
    await d.flows.cessation.advance(tx, instanceId, 'appeal_lodged', user.id, { at: ['appeal_window'] });
    await planChange(tx, user, plan.person_id, 'EHC plan: appeal lodged against the decision to cease', {
      action: 'appeal',
      entity: 'ehc_plan_cessation',
      entityId: c.id,
    });
  });
}

/** The appeal's outcome: dismissed or withdrawn (the plan may now cease) or upheld (the plan is kept). */
export function appealDecided(d: PlanChangeDeps, user: AuthUser, planId: string, id: string, x: AppealDecided) {
  return d.db.transaction().execute(async (tx) => {
    const { plan, c, step, instanceId } = await locked(d, tx, user, planId, id, x.version);
    if (step !== 'appeal_pending') throw notAt('the outcome of an appeal is recorded');
    const outcome = x.appeal_outcome === 'upheld' ? 'appeal_upheld' : 'appeal_dismissed';
    await d.flows.cessation.advance(tx, instanceId, outcome, user.id, { at: ['appeal_pending'] });
    await planChange(tx, user, plan.person_id, `EHC plan: appeal ${x.appeal_outcome}`, {
      action: 'appeal-decided',
      entity: 'ehc_plan_cessation',
      entityId: c.id,
      detail: { outcome: x.appeal_outcome },
    });
  });
}

/** The plan ceases on `ceased_date` (not before the appeal period has run, nor before a fixed end date). */
export function ceasePlan(d: PlanChangeDeps, user: AuthUser, planId: string, id: string, x: CeasePlan) {
  return d.db.transaction().execute(async (tx) => {
    const { plan, c, step, instanceId } = await locked(d, tx, user, planId, id, x.version);
    if (step !== 'cease_plan') throw notAt('the plan can cease (the appeal period must have run)');
    const notBefore = [c.notice_date, c.appeal_lodged_date ? null : c.appeal_by, c.cease_on].filter(
      (v): v is string => !!v,
    );
    const earliest = notBefore.sort().at(-1);
    if (earliest && x.ceased_date < earliest)
      throw new ValidationError({ ceased_date: `Date the plan ceased must be on or after ${earliest}` });
    await d.flows.cessation.update(tx, instanceId, { data: { ceased_date: x.ceased_date } });
    await d.flows.cessation.advance(tx, instanceId, 'ceased', user.id, { at: ['cease_plan'] });
    await planChange(tx, user, plan.person_id, 'EHC plan ceased', {
      action: 'cease',
      entity: 'ehc_plan_cessation',
      entityId: c.id,
      detail: { ceased_date: x.ceased_date, reason: c.reason },
    });
  });
}
