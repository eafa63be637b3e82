// The module's three workflows, each a built-in protocol it drives (src/protocols): an amendment (reg 22), a
// cessation (s.45, regs 29–31) and a plan transferred in (reg 15). The hooks run inside the engine's transaction and
// write the projections the lists read (dates and outcomes on the module's rows, and on `ehc_plans` the amended
// issue date, `ceased`), and emit the plan events the reviews module listens to, so a clock starts or ends in the
// same commit as the step that caused it.
import { ehcPlanAmendment } from '../../protocols/ehc-plan-amendment.ts';
import { ehcPlanCessation } from '../../protocols/ehc-plan-cessation.ts';
import { ehcPlanTransferIn } from '../../protocols/ehc-plan-transfer-in.ts';
import type { Flow, FlowEvent, ProtocolService } from '../protocols/service.ts';
import { closeOpenChanges } from './close.ts';
import type { PlanChangeDeps } from './context.ts';
import * as repo from './repository.ts';

export interface PlanChangeFlows {
  amendment: Flow<typeof ehcPlanAmendment>;
  cessation: Flow<typeof ehcPlanCessation>;
  transferIn: Flow<typeof ehcPlanTransferIn>;
}

const str = (v: unknown) => (typeof v === 'string' && v ? v : null);

/** The amendment's projection: the proposals' dates when sent; the outcome when ended (amended: the plan's issue date). */
async function amendmentEntered(d: PlanChangeDeps, e: FlowEvent<typeof ehcPlanAmendment>) {
  if (e.step !== 'representations') return;
  const a = await repo.amendmentByInstance(e.tx, e.instanceId);
  if (!a) return;
  await repo.updateAmendment(
    e.tx,
    a.id,
    { proposals_sent_date: e.anchors.proposals_sent ?? null, phase_transfer_due: e.anchors.phase_transfer_due ?? null },
    d.now(),
  );
}

async function amendmentEnded(d: PlanChangeDeps, e: FlowEvent<typeof ehcPlanAmendment> & { result: string }) {
  const a = await repo.amendmentByInstance(e.tx, e.instanceId);
  if (!a) return;
  const outcome = e.result as 'amended' | 'not_amended' | 'withdrawn';
  const final = await repo.versionOf(e.tx, a.plan_id, a.final_version_id);
  const decided = (outcome === 'amended' ? final?.issued_date : null) ?? str(e.data.decided_date) ?? d.today();
  await repo.updateAmendment(
    e.tx,
    a.id,
    { outcome, decided_date: decided, decision_reason: str(e.data.decision_reason) },
    d.now(),
  );
  if (outcome !== 'amended') return;
  await repo.bumpPlan(e.tx, a.plan_id, { last_issued_date: decided }, d.now());
  await d.events.emit(e.tx, 'amended', {
    planId: a.plan_id,
    personId: a.person_id,
    authorityId: a.authority_id,
    actorId: e.actorId,
    at: d.now(),
    date: decided,
    amendmentId: a.id,
  });
}

/** The cessation's projection: the notice and appeal dates, an appeal lodged, and the plan ceased or kept. */
async function cessationEntered(d: PlanChangeDeps, e: FlowEvent<typeof ehcPlanCessation>) {
  const c = await repo.cessationByInstance(e.tx, e.instanceId);
  if (!c) return;
  if (e.step === 'appeal_window')
    await repo.updateCessation(
      e.tx,
      c.id,
      { notice_date: str(e.data.notice_date) ?? d.today(), appeal_by: e.anchors.appeal_by ?? null },
      d.now(),
    );
  if (e.step === 'appeal_pending')
    await repo.updateCessation(
      e.tx,
      c.id,
      { appeal_lodged_date: str(e.data.appeal_lodged_date) ?? d.today() },
      d.now(),
    );
}

async function cessationEnded(d: PlanChangeDeps, e: FlowEvent<typeof ehcPlanCessation> & { result: string }) {
  const c = await repo.cessationByInstance(e.tx, e.instanceId);
  if (!c) return;
  if (e.result !== 'ceased') {
    await repo.updateCessation(e.tx, c.id, { outcome: 'maintained' }, d.now());
    return;
  }
  const date = str(e.data.ceased_date) ?? d.today();
  await repo.updateCessation(e.tx, c.id, { outcome: 'ceased', ceased_date: date }, d.now());
  await repo.bumpPlan(e.tx, c.plan_id, { status: 'ceased', ceased_date: date, cease_reason: c.reason }, d.now());
  await closeOpenChanges(d, e.tx, c.plan_id, e.actorId, 'The plan ceased.');
  await d.events.emit(e.tx, 'ceased', {
    planId: c.plan_id,
    personId: c.person_id,
    authorityId: c.authority_id,
    actorId: e.actorId,
    at: d.now(),
    date,
    reason: c.reason,
  });
}

/** The transfer-in's projection: when the family was told, whether a reassessment is proposed, the review date. */
async function transferInEnded(d: PlanChangeDeps, e: FlowEvent<typeof ehcPlanTransferIn> & { result: string }) {
  const t = await repo.transferInByInstance(e.tx, e.instanceId);
  if (!t) return;
  await repo.updateTransferIn(
    e.tx,
    t.id,
    {
      told_date: str(e.data.told_date) ?? d.today(),
      reassess: typeof e.data.reassess === 'boolean' ? e.data.reassess : null,
      review_proposed_date: str(e.data.review_proposed_date),
    },
    d.now(),
  );
}

/** Takes the three protocols as the module's workflows; `d` is read when a hook runs (it holds these flows). */
export function drivePlanChanges(protocols: ProtocolService, d: () => PlanChangeDeps): PlanChangeFlows {
  return {
    amendment: protocols.drive(ehcPlanAmendment, {
      where: 'send the proposals, record representations and issue the amended plan on the plan’s amendment page',
      quiet: true,
      hooks: { entered: (e) => amendmentEntered(d(), e), ended: (e) => amendmentEnded(d(), e) },
    }),
    cessation: protocols.drive(ehcPlanCessation, {
      where: 'record the consultation, the decision, an appeal and the cessation on the plan’s cessation page',
      quiet: true,
      hooks: { entered: (e) => cessationEntered(d(), e), ended: (e) => cessationEnded(d(), e) },
    }),
    transferIn: protocols.drive(ehcPlanTransferIn, {
      where: 'record what the family was told on the plan’s transfer page',
      quiet: true,
      hooks: { ended: (e) => transferInEnded(d(), e) },
    }),
  };
}
