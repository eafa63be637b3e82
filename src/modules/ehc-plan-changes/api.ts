// The plan-changes JSON API under /api/v1/ehc-plans/:planId (amendments, cessations, a plan transferred in): the same
// service, access rules and read logging as the pages, documented in OpenAPI by the TypeBox schemas of schemas.ts.
// Changes send the `version` of the amendment or cessation they read (body or If-Match); a stale one is a 409.
import { type TSchema, Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { DateStr, errors, Id, Nullable } from '../../http/api-schema.ts';
import type { Body } from '../../http/forms.ts';
import { requireUser } from '../../http/request.ts';
import { bodyWithVersion, IfMatchHeaders } from '../../http/versions.ts';
import * as s from './schemas.ts';
import type { EhcPlanChangesService } from './service.ts';

const tags = ['EHC plan changes'];
const manage = { policy: { capability: 'ehcp:manage' as const } };
const PlanParams = Type.Object({ planId: Id });
const AmendmentParams = Type.Object({ planId: Id, amendmentId: Id });
const CessationParams = Type.Object({ planId: Id, cessationId: Id });
const Step = Type.Object({
  step: Nullable(Type.String({ description: 'The open step of the protocol, null once ended' })),
  step_title: Nullable(Type.String()),
  due: Nullable(DateStr),
  due_rule: Nullable(Type.String({ description: 'How the due date was worked out, with its regulation' })),
  result: Nullable(Type.String()),
});
const Amendment = Type.Object({
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
const Representation = Type.Object({
  id: Id,
  received_date: DateStr,
  from_whom: Type.String(),
  summary: Type.String(),
  setting_requested: Nullable(Type.String()),
  meeting_requested: Type.Boolean(),
});
const Cessation = Type.Object({
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
type A = Awaited<ReturnType<Svc['amendment']>>;
type C = Awaited<ReturnType<Svc['cessation']>>;
const amendmentJson = (r: A) => ({
  id: r.amendment.id,
  version: r.amendment.version,
  started_how: r.amendment.started_how,
  reason: r.amendment.reason,
  proposed_version_id: r.amendment.proposed_version_id,
  final_version_id: r.amendment.final_version_id,
  proposals_sent_date: r.amendment.proposals_sent_date,
  phase_transfer_due: r.amendment.phase_transfer_due,
  outcome: r.amendment.outcome,
  decided_date: r.amendment.decided_date,
  protocol: step(r.state),
});
const cessationJson = (r: C) => ({
  id: r.cessation.id,
  version: r.cessation.version,
  started_how: r.cessation.started_how,
  reason: r.cessation.reason,
  reason_label: r.reason,
  reason_detail: r.cessation.reason_detail,
  cease_on: r.cessation.cease_on,
  notice_date: r.cessation.notice_date,
  appeal_by: r.cessation.appeal_by,
  appeal_lodged_date: r.cessation.appeal_lodged_date,
  ceased_date: r.cessation.ceased_date,
  outcome: r.cessation.outcome,
  protocol: step(r.state),
});

type P = { planId: string; amendmentId?: string; cessationId?: string };

/** A POST that changes an amendment or cessation and answers with it as it now is. */
function action<I>(
  app: FastifyInstance,
  url: string,
  o: {
    summary: string;
    params: TSchema;
    body: { schema: TSchema; parse(b: Body, ctx: { today: string }): I };
    response: TSchema;
    run(user: ReturnType<typeof requireUser>, p: P, x: I): Promise<unknown>;
    read(user: ReturnType<typeof requireUser>, p: P): Promise<unknown>;
  },
) {
  const svc = app.services.ehcPlanChanges;
  app.post(
    url,
    {
      config: manage,
      schema: {
        tags,
        summary: o.summary,
        params: o.params,
        headers: IfMatchHeaders,
        body: o.body.schema,
        response: { 200: o.response, ...errors },
      },
    },
    async (request: FastifyRequest) => {
      const user = requireUser(request);
      const p = request.params as P;
      await o.run(user, p, o.body.parse(bodyWithVersion(request), { today: svc.today() }));
      return o.read(user, p);
    },
  );
}

export function registerPlanChangesApi(app: FastifyInstance) {
  amendmentsApi(app);
  cessationsApi(app);
  transferApi(app);
}

function amendmentsApi(app: FastifyInstance) {
  const svc = app.services.ehcPlanChanges;
  const base = '/api/v1/ehc-plans/:planId/amendments';
  app.get(
    base,
    {
      config: manage,
      schema: {
        tags,
        summary: 'The plan’s amendments, newest first',
        params: PlanParams,
        response: {
          200: Type.Object({
            items: Type.Array(
              Type.Object({
                id: Id,
                outcome: Nullable(Type.String()),
                proposals_sent_date: Nullable(DateStr),
                decided_date: Nullable(DateStr),
              }),
            ),
          }),
          ...errors,
        },
      },
    },
    async (request) => {
      const r = await svc.changes(requireUser(request), (request.params as P).planId, 'api');
      return { items: r.amendments };
    },
  );
  app.post(
    base,
    {
      config: manage,
      schema: {
        tags,
        summary: 'Start an amendment (reg 22): a proposed_amendment version of the plan to edit',
        params: PlanParams,
        body: s.AmendmentStart.schema,
        response: { 201: Type.Object({ id: Id, proposed_version_id: Id }), ...errors },
      },
    },
    async (request, reply) => {
      const user = requireUser(request);
      const { planId } = request.params as P;
      const id = await svc.startAmendment(
        user,
        planId,
        s.AmendmentStart.parse(request.body as Body, { today: svc.today() }),
      );
      const r = await svc.amendment(user, planId, id, 'api');
      return reply.code(201).send({ id, proposed_version_id: r.amendment.proposed_version_id as string });
    },
  );
  const one = `${base}/:amendmentId`;
  const read = (u: ReturnType<typeof requireUser>, p: P) => svc.amendment(u, p.planId, p.amendmentId as string, 'api');
  app.get(
    one,
    {
      config: manage,
      schema: {
        tags,
        summary: 'One amendment: where it is, its due date and regulation, its representations',
        params: AmendmentParams,
        response: {
          200: Type.Object({ amendment: Amendment, representations: Type.Array(Representation) }),
          ...errors,
        },
      },
    },
    async (request) => {
      const r = await read(requireUser(request), request.params as P);
      return { amendment: amendmentJson(r), representations: r.representations };
    },
  );
  const withAmendment = async (u: ReturnType<typeof requireUser>, p: P) => ({
    amendment: amendmentJson(await read(u, p)),
  });
  const res = Type.Object({ amendment: Amendment });
  const id = (p: P) => p.amendmentId as string;
  action(app, `${one}/send`, {
    summary: 'The proposals were sent with the notice: 15 days for representations and 8 weeks start',
    params: AmendmentParams,
    body: s.SendProposals,
    response: res,
    run: (u, p, x) => svc.sendProposals(u, p.planId, id(p), x),
    read: withAmendment,
  });
  action(app, `${one}/representations`, {
    summary: 'Record representations on the proposals',
    params: AmendmentParams,
    body: s.RepresentationInput,
    response: res,
    run: (u, p, x) => svc.recordRepresentation(u, p.planId, id(p), x),
    read: withAmendment,
  });
  action(app, `${one}/issue`, {
    summary: 'Issue the amended final plan (after the 15 days, or once representations are recorded)',
    params: AmendmentParams,
    body: s.IssueAmended,
    response: res,
    run: (u, p, x) => svc.issueAmended(u, p.planId, id(p), x),
    read: withAmendment,
  });
  action(app, `${one}/not-amended`, {
    summary: 'Record the decision not to amend, with its reasons (reg 22(4))',
    params: AmendmentParams,
    body: s.NotAmend,
    response: res,
    run: (u, p, x) => svc.notAmend(u, p.planId, id(p), x),
    read: withAmendment,
  });
}

function cessationsApi(app: FastifyInstance) {
  const svc = app.services.ehcPlanChanges;
  const base = '/api/v1/ehc-plans/:planId/cessations';
  app.get(
    base,
    {
      config: manage,
      schema: {
        tags,
        summary: 'The plan’s cessations, newest first',
        params: PlanParams,
        response: {
          200: Type.Object({
            items: Type.Array(
              Type.Object({
                id: Id,
                reason: Type.Integer(),
                outcome: Nullable(Type.String()),
                ceased_date: Nullable(DateStr),
              }),
            ),
          }),
          ...errors,
        },
      },
    },
    async (request) => {
      const r = await svc.changes(requireUser(request), (request.params as P).planId, 'api');
      return { items: r.cessations };
    },
  );
  app.post(
    base,
    {
      config: manage,
      schema: {
        tags,
        summary: 'Propose to cease the plan, with an SEN2 reason (CFA 2014 s.45)',
        params: PlanParams,
        body: s.CessationStart.schema,
        response: { 201: Type.Object({ id: Id }), ...errors },
      },
    },
    async (request, reply) => {
      const { planId } = request.params as P;
      const x = s.CessationStart.parse(request.body as Body, { today: svc.today() });
      return reply.code(201).send({ id: await svc.startCessation(requireUser(request), planId, x) });
    },
  );
  const one = `${base}/:cessationId`;
  const read = (u: ReturnType<typeof requireUser>, p: P) => svc.cessation(u, p.planId, p.cessationId as string, 'api');
  app.get(
    one,
    {
      config: manage,
      schema: {
        tags,
        summary: 'One cessation: where it is, its due date and regulation',
        params: CessationParams,
        response: { 200: Type.Object({ cessation: Cessation }), ...errors },
      },
    },
    async (request) => ({ cessation: cessationJson(await read(requireUser(request), request.params as P)) }),
  );
  const withCessation = async (u: ReturnType<typeof requireUser>, p: P) => ({
    cessation: cessationJson(await read(u, p)),
  });
  const res = Type.Object({ cessation: Cessation });
  const id = (p: P) => p.cessationId as string;
  action(app, `${one}/decision`, {
    summary: 'The consultation (reg 31(1)) and the decision; ceasing sends the notice and opens the appeal window',
    params: CessationParams,
    body: s.CessationDecision,
    response: res,
    run: (u, p, x) => svc.decideCessation(u, p.planId, id(p), x),
    read: withCessation,
  });
  action(app, `${one}/appeal`, {
    summary: 'An appeal lodged with the First-tier Tribunal (SEND): the plan is kept',
    params: CessationParams,
    body: s.AppealLodged,
    response: res,
    run: (u, p, x) => svc.appealLodged(u, p.planId, id(p), x),
    read: withCessation,
  });
  action(app, `${one}/appeal-outcome`, {
    summary: 'The appeal’s outcome',
    params: CessationParams,
    body: s.AppealDecided,
    response: res,
    run: (u, p, x) => svc.appealDecided(u, p.planId, id(p), x),
    read: withCessation,
  });
  action(app, `${one}/cease`, {
    summary: 'The plan ceased on this date (after the appeal period)',
    params: CessationParams,
    body: s.CeasePlan,
    response: res,
    run: (u, p, x) => svc.ceasePlan(u, p.planId, id(p), x),
    read: withCessation,
  });
}

function transferApi(app: FastifyInstance) {
  const svc = app.services.ehcPlanChanges;
  const Transfer = Type.Object({
    from_authority: Type.String(),
    transfer_date: DateStr,
    told_date: Nullable(DateStr),
    reassess: Nullable(Type.Boolean()),
    review_proposed_date: Nullable(DateStr),
    protocol: Nullable(Step),
  });
  const json = (r: Awaited<ReturnType<Svc['transferIn']>>) => ({
    from_authority: r.transfer.from_authority_name,
    transfer_date: r.transfer.transfer_date,
    told_date: r.transfer.told_date,
    reassess: r.transfer.reassess,
    review_proposed_date: r.transfer.review_proposed_date,
    protocol: r.state ? step(r.state) : null,
  });
  app.get(
    '/api/v1/ehc-plans/:planId/transfer',
    {
      config: manage,
      schema: {
        tags,
        summary: 'A plan transferred in from another council (reg 15): the 6-week duty to tell the family',
        params: PlanParams,
        response: { 200: Transfer, ...errors },
      },
    },
    async (request) => json(await svc.transferIn(requireUser(request), (request.params as P).planId, 'api')),
  );
  app.post(
    '/api/v1/ehc-plans/:planId/transfer/told',
    {
      config: manage,
      schema: {
        tags,
        summary:
          'The family was told (reg 15(4)): the transfer, whether the council will reassess, when it will review',
        params: PlanParams,
        body: s.TransferTold.schema,
        response: { 200: Transfer, ...errors },
      },
    },
    async (request) => {
      const user = requireUser(request);
      const { planId } = request.params as P;
      await svc.recordTransferTold(user, planId, s.TransferTold.parse(request.body as Body, { today: svc.today() }));
      return json(await svc.transferIn(user, planId, 'api'));
    },
  );
}
