// The plan-changes JSON API under /api/v1/ehc-plans/:planId (amendments, cessations, a plan transferred in): the same
// service, access rules and read logging as the pages, documented in OpenAPI by the TypeBox schemas of schemas.ts and
// api-json.ts. Changes send the `version` of the amendment, cessation or transfer they read (body or If-Match): none
// is a 400 naming `version`, a stale one a 409.
import { type TSchema, Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { DateStr, errors, Id, Nullable } from '../../http/api-schema.ts';
import type { Body } from '../../http/forms.ts';
import { requireUser } from '../../http/request.ts';
import { bodyWithVersion, IfMatchHeaders } from '../../http/versions.ts';
import {
  Amendment,
  AmendmentParams,
  amendmentJson,
  Cessation,
  CessationParams,
  cessationJson,
  PlanParams,
  Representation,
  Transfer,
  transferJson,
} from './api-json.ts';
import * as s from './schemas.ts';

const tags = ['EHC plan changes'];
const manage = { policy: { capability: 'ehcp:manage' as const } };

type P = { planId: string; amendmentId?: string; cessationId?: string };
type User = ReturnType<typeof requireUser>;
type Decl<I> = { schema: TSchema; parse(b: Body, ctx: { today: string }): I };

/** A GET answering `response` (200), for someone who manages EHC plans. */
function get(
  app: FastifyInstance,
  url: string,
  o: { summary: string; params: TSchema; response: TSchema },
  handler: (user: User, p: P) => Promise<unknown>,
) {
  app.get(
    url,
    {
      config: manage,
      schema: { tags, summary: o.summary, params: o.params, response: { 200: o.response, ...errors } },
    },
    async (request: FastifyRequest) => handler(requireUser(request), request.params as P),
  );
}

/** A POST that changes an amendment, cessation or transfer (at the version read) and answers with it as it now is. */
function action<I>(
  app: FastifyInstance,
  url: string,
  o: {
    summary: string;
    params: TSchema;
    body: Decl<I>;
    response: TSchema;
    run(user: User, p: P, x: I): Promise<unknown>;
    read(user: User, p: P): Promise<unknown>;
  },
) {
  const svc = app.services.ehcPlanChanges;
  const schema = {
    tags,
    summary: o.summary,
    params: o.params,
    headers: IfMatchHeaders,
    body: o.body.schema,
    response: { 200: o.response, ...errors },
  };
  app.post(url, { config: manage, schema }, async (request: FastifyRequest) => {
    const user = requireUser(request);
    const p = request.params as P;
    await o.run(user, p, o.body.parse(bodyWithVersion(request), { today: svc.today() }));
    return o.read(user, p);
  });
}

/** A POST that starts an amendment or a cessation on the plan: 201 with what `created` says of it. */
function start<I>(
  app: FastifyInstance,
  url: string,
  o: { summary: string; body: Decl<I>; created: TSchema; run(user: User, planId: string, x: I): Promise<object> },
) {
  const svc = app.services.ehcPlanChanges;
  const schema = {
    tags,
    summary: o.summary,
    params: PlanParams,
    body: o.body.schema,
    response: { 201: o.created, ...errors },
  };
  app.post(url, { config: manage, schema }, async (request: FastifyRequest, reply: FastifyReply) => {
    const { planId } = request.params as P;
    const x = o.body.parse(request.body as Body, { today: svc.today() });
    return reply.code(201).send(await o.run(requireUser(request), planId, x));
  });
}

export function registerPlanChangesApi(app: FastifyInstance) {
  amendmentsApi(app);
  cessationsApi(app);
  transferApi(app);
}

function amendmentsApi(app: FastifyInstance) {
  const svc = app.services.ehcPlanChanges;
  const base = '/api/v1/ehc-plans/:planId/amendments';
  const Item = Type.Object({
    id: Id,
    outcome: Nullable(Type.String()),
    proposals_sent_date: Nullable(DateStr),
    decided_date: Nullable(DateStr),
  });
  get(
    app,
    base,
    {
      summary: 'The plan’s amendments, newest first',
      params: PlanParams,
      response: Type.Object({ items: Type.Array(Item) }),
    },
    async (u, p) => ({ items: (await svc.changes(u, p.planId, 'api')).amendments }),
  );
  start(app, base, {
    summary: 'Start an amendment (reg 22): a proposed_amendment version of the plan to edit',
    body: s.AmendmentStart,
    created: Type.Object({ id: Id, proposed_version_id: Id }),
    run: async (u, planId, x) => {
      const id = await svc.startAmendment(u, planId, x);
      const r = await svc.amendment(u, planId, id, 'api');
      return { id, proposed_version_id: r.amendment.proposed_version_id as string };
    },
  });
  const one = `${base}/:amendmentId`;
  const id = (p: P) => p.amendmentId as string;
  const read = (u: User, p: P) => svc.amendment(u, p.planId, id(p), 'api');
  get(
    app,
    one,
    {
      summary: 'One amendment: where it is, its due date and regulation, its representations',
      params: AmendmentParams,
      response: Type.Object({ amendment: Amendment, representations: Type.Array(Representation) }),
    },
    async (u, p) => {
      const r = await read(u, p);
      return { amendment: amendmentJson(r), representations: r.representations };
    },
  );
  const then = { params: AmendmentParams, response: Type.Object({ amendment: Amendment }) };
  const withAmendment = async (u: User, p: P) => ({ amendment: amendmentJson(await read(u, p)) });
  action(app, `${one}/send`, {
    ...then,
    summary: 'The proposals were sent with the notice: 15 days for representations and 8 weeks start',
    body: s.SendProposals,
    run: (u, p, x) => svc.sendProposals(u, p.planId, id(p), x),
    read: withAmendment,
  });
  action(app, `${one}/representations`, {
    ...then,
    summary: 'Record representations on the proposals',
    body: s.RepresentationInput,
    run: (u, p, x) => svc.recordRepresentation(u, p.planId, id(p), x),
    read: withAmendment,
  });
  action(app, `${one}/issue`, {
    ...then,
    summary: 'Issue the amended final plan (after the 15 days, or once representations are recorded)',
    body: s.IssueAmended,
    run: (u, p, x) => svc.issueAmended(u, p.planId, id(p), x),
    read: withAmendment,
  });
  action(app, `${one}/not-amended`, {
    ...then,
    summary: 'Record the decision not to amend, with its reasons (reg 22(4))',
    body: s.NotAmend,
    run: (u, p, x) => svc.notAmend(u, p.planId, id(p), x),
    read: withAmendment,
  });
}

function cessationsApi(app: FastifyInstance) {
  const svc = app.services.ehcPlanChanges;
  const base = '/api/v1/ehc-plans/:planId/cessations';
  const Item = Type.Object({
    id: Id,
    reason: Type.Integer(),
    outcome: Nullable(Type.String()),
    ceased_date: Nullable(DateStr),
  });
  get(
    app,
    base,
    {
      summary: 'The plan’s cessations, newest first',
      params: PlanParams,
      response: Type.Object({ items: Type.Array(Item) }),
    },
    async (u, p) => ({ items: (await svc.changes(u, p.planId, 'api')).cessations }),
  );
  start(app, base, {
    summary: 'Propose to cease the plan, with an SEN2 reason (CFA 2014 s.45)',
    body: s.CessationStart,
    created: Type.Object({ id: Id }),
    run: async (u, planId, x) => ({ id: await svc.startCessation(u, planId, x) }),
  });
  const one = `${base}/:cessationId`;
  const id = (p: P) => p.cessationId as string;
  const read = (u: User, p: P) => svc.cessation(u, p.planId, id(p), 'api');
  const then = { params: CessationParams, response: Type.Object({ cessation: Cessation }) };
  const withCessation = async (u: User, p: P) => ({ cessation: cessationJson(await read(u, p)) });
  get(app, one, { ...then, summary: 'One cessation: where it is, its due date and regulation' }, withCessation);
  action(app, `${one}/decision`, {
    ...then,
    summary: 'The consultation (reg 31(1)) and the decision; ceasing sends the notice and opens the appeal window',
    body: s.CessationDecision,
    run: (u, p, x) => svc.decideCessation(u, p.planId, id(p), x),
    read: withCessation,
  });
  action(app, `${one}/appeal`, {
    ...then,
    summary: 'An appeal lodged with the First-tier Tribunal (SEND): the plan is kept',
    body: s.AppealLodged,
    run: (u, p, x) => svc.appealLodged(u, p.planId, id(p), x),
    read: withCessation,
  });
  action(app, `${one}/appeal-outcome`, {
    ...then,
    summary: 'The appeal’s outcome',
    body: s.AppealDecided,
    run: (u, p, x) => svc.appealDecided(u, p.planId, id(p), x),
    read: withCessation,
  });
  action(app, `${one}/cease`, {
    ...then,
    summary: 'The plan ceased on this date (after the appeal period)',
    body: s.CeasePlan,
    run: (u, p, x) => svc.ceasePlan(u, p.planId, id(p), x),
    read: withCessation,
  });
}

function transferApi(app: FastifyInstance) {
  const svc = app.services.ehcPlanChanges;
  const url = '/api/v1/ehc-plans/:planId/transfer';
  const read = async (u: User, p: P) => transferJson(await svc.transferIn(u, p.planId, 'api'));
  const then = { params: PlanParams, response: Transfer };
  get(
    app,
    url,
    { ...then, summary: 'A plan transferred in from another council (reg 15): the 6-week duty to tell the family' },
    read,
  );
  action(app, `${url}/told`, {
    ...then,
    summary: 'The family was told (reg 15(4)): the transfer, whether the council will reassess, when it will review',
    body: s.TransferTold,
    run: (u, p, x) => svc.recordTransferTold(u, p.planId, x),
    read,
  });
}
