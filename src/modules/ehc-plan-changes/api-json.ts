// The plan-changes API's response shapes (TypeBox, so the OpenAPI document shows them) and the functions that turn
// the service's reads into them: one amendment, one cessation, a plan transferred in, with the protocol's open step,
// its due date and the regulation it was worked out from.
import { Type } from '@sinclair/typebox';
import { DateStr, Id, Nullable } from '../../http/api-schema.ts';
import type { EhcPlanChangesService } from './service.ts';

export const PlanParams = Type.Object({ planId: Id });
export const AmendmentParams = Type.Object({ planId: Id, amendmentId: Id });
export const CessationParams = Type.Object({ planId: Id, cessationId: Id });

export const Step = Type.Object({
  step: Nullable(Type.String({ description: 'The open step of the protocol, null once ended' })),
  step_title: Nullable(Type.String()),
  due: Nullable(DateStr),
  due_rule: Nullable(Type.String({ description: 'How the due date was worked out, with its regulation' })),
  result: Nullable(Type.String()),
});
export const Amendment = Type.Object({
  id: Id,
  version: Type.Integer(),
  started_how: Type.String(),
  reason: Nullable(Type.String()),
  proposed_version_id: Nullable(Id),
  final_version_id: Nullable(Id),
  proposals_sent_date: Nullable(DateStr),
  phase_transfer_due: Nullable(DateStr),
  outcome: Nullable(Type.String()),
  decided_date: Nullable(DateStr),
  protocol: Step,
});
export const Representation = Type.Object({
  id: Id,
  received_date: DateStr,
  from_whom: Type.String(),
  summary: Type.String(),
  setting_requested: Nullable(Type.String()),
  meeting_requested: Type.Boolean(),
});
export const Cessation = Type.Object({
  id: Id,
  version: Type.Integer(),
  started_how: Type.String(),
  reason: Type.Integer({ description: 'SEN2 CeaseReason 1–9' }),
  reason_label: Nullable(Type.String()),
  reason_detail: Nullable(Type.String()),
  cease_on: Nullable(DateStr),
  notice_date: Nullable(DateStr),
  appeal_by: Nullable(DateStr),
  appeal_lodged_date: Nullable(DateStr),
  ceased_date: Nullable(DateStr),
  outcome: Nullable(Type.String()),
  protocol: Step,
});
export const Transfer = Type.Object({
  version: Type.Integer(),
  from_authority: Type.String(),
  transfer_date: DateStr,
  told_date: Nullable(DateStr),
  reassess: Nullable(Type.Boolean()),
  review_proposed_date: Nullable(DateStr),
  protocol: Nullable(Step),
});

type State = {
  step: string | null;
  stepTitle: string | null;
  due: string | null;
  dueRule: string | null;
  result: string | null;
};
const step = (st: State) => ({
  step: st.step,
  step_title: st.stepTitle,
  due: st.due,
  due_rule: st.dueRule,
  result: st.result,
});

type Svc = EhcPlanChangesService;
export function amendmentJson(r: Awaited<ReturnType<Svc['amendment']>>) {
  const a = r.amendment;
  return {
    id: a.id,
    version: a.version,
    started_how: a.started_how,
    reason: a.reason,
    proposed_version_id: a.proposed_version_id,
    final_version_id: a.final_version_id,
    proposals_sent_date: a.proposals_sent_date,
    phase_transfer_due: a.phase_transfer_due,
    outcome: a.outcome,
    decided_date: a.decided_date,
    protocol: step(r.state),
  };
}

export function cessationJson(r: Awaited<ReturnType<Svc['cessation']>>) {
  const c = r.cessation;
  return {
    id: c.id,
    version: c.version,
    started_how: c.started_how,
    reason: c.reason,
    reason_label: r.reason,
    reason_detail: c.reason_detail,
    cease_on: c.cease_on,
    notice_date: c.notice_date,
    appeal_by: c.appeal_by,
    appeal_lodged_date: c.appeal_lodged_date,
    ceased_date: c.ceased_date,
    outcome: c.outcome,
    protocol: step(r.state),
  };
}

export function transferJson(r: Awaited<ReturnType<Svc['transferIn']>>) {
  const t = r.transfer;
  return {
    version: t.version,
    from_authority: t.from_authority_name,
    transfer_date: t.transfer_date,
    told_date: t.told_date,
    reassess: t.reassess,
    review_proposed_date: t.review_proposed_date,
    protocol: r.state ? step(r.state) : null,
  };
}
