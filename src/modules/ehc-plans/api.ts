// JSON API for EHC plans (issue 20, tag 'ehc-plans'): the caseload with its filters, a plan with its versions,
// representations and consultations, one version, section edits with the version read (409 when stale), serving
// the draft, representations, consultations and their answers, issuing the final, and the PDF. The bodies are the
// inputs the pages read (schemas.ts), so OpenAPI documents what the forms accept. Reads log the access.
import { type TSchema, Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { Created, DateStr, errors, Id, Nullable } from '../../http/api-schema.ts';
import type { Body } from '../../http/forms.ts';
import { requireUser } from '../../http/request.ts';
import { bodyWithVersion, IfMatchHeaders } from '../../http/versions.ts';
import { sectionKey } from './drafting.ts';
import type { ShapedVersion } from './read.ts';
import {
  CASELOAD_FILTERS,
  type CaseloadFilter,
  ConsultationInput,
  ConsultationResponseInput,
  DraftPlanInput,
  FinalInput,
  NeedsInput,
  PlacementInput,
  PlanVersionInput,
  RepresentationInput,
  SectionInput,
  ServeInput,
  WithdrawInput,
} from './schemas.ts';

const tags = ['ehc-plans'];
const NullDate = Nullable(DateStr);
const Str = Type.String();
const NullStr = Nullable(Str);

const Version = Type.Object({
  id: Id,
  number: Type.Integer(),
  kind: Type.Union([Type.Literal('draft'), Type.Literal('final'), Type.Literal('proposed_amendment')]),
  state: Type.Union([Type.Literal('editing'), Type.Literal('issued'), Type.Literal('withdrawn')]),
  issued_date: NullDate,
  version: Type.Integer({ description: 'send it back with an edit (or as If-Match); a stale one is refused (409)' }),
  setting_name: NullStr,
  setting_urn: NullStr,
  sen_setting: NullStr,
  sen_needs: Type.Array(Str, { description: 'SEN2 SENtype codes, primary first' }),
  sections: Type.Array(Type.Object({ key: Str, letter: Str, title: Str, text: Str })),
  watermark: Str,
});
const Plan = Type.Object({
  id: Id,
  person_id: Id,
  case_number: Str,
  assessment_id: Nullable(Id),
  coordinator_id: Nullable(Id),
  coordinator_name: NullStr,
  status: Str,
  first_issued_date: NullDate,
  last_issued_date: NullDate,
  review_due_date: NullDate,
  withdrawn_date: NullDate,
  withdrawn_reason: NullStr,
  version: Type.Integer(),
  waiting: Nullable(Type.Object({ key: Str, label: Str, due: NullDate, rule: NullStr, overdue: Type.Boolean() })),
  versions: Type.Array(Version),
  representations: Type.Array(
    Type.Object({
      id: Id,
      version_id: Id,
      made_by: Str,
      made_by_name: NullStr,
      received_date: DateStr,
      summary: Str,
      requested_setting_name: NullStr,
      requested_setting_urn: NullStr,
    }),
  ),
  consultations: Type.Array(
    Type.Object({
      id: Id,
      setting_name: Str,
      setting_urn: NullStr,
      sent_date: DateStr,
      due_date: NullDate,
      response: NullStr,
      response_reason: NullStr,
      responded_date: NullDate,
      overdue: Type.Boolean(),
      version: Type.Integer(),
    }),
  ),
});
const Caseload = Type.Object({
  total: Type.Integer(),
  page: Type.Integer(),
  pages: Type.Integer(),
  plans: Type.Array(
    Type.Object({
      id: Id,
      person_id: Id,
      case_number: Str,
      status: Str,
      coordinator_name: NullStr,
      first_issued_date: NullDate,
      review_due_date: NullDate,
      review_overdue: Type.Boolean(),
      amendment_waiting: Type.Boolean(),
    }),
  ),
});

const PlanParams = Type.Object({ planId: Id });
const VersionParams = Type.Object({ planId: Id, versionId: Id });
type VP = { planId: string; versionId: string };

export function registerEhcPlansApi(app: FastifyInstance) {
  const { ehcPlans } = app.services;
  const read = { policy: { capability: 'person:read' as const } };
  const manage = { policy: { capability: 'ehcp:manage' as const } };
  const ctx = () => ({ today: ehcPlans.today() });

  app.get(
    '/api/v1/ehc-plans',
    {
      config: manage,
      schema: {
        tags,
        summary: 'The plans the caller sees (a SEND manager: the council’s), with filters, 25 a page',
        querystring: Type.Object({
          filter: Type.Optional(Type.Union(CASELOAD_FILTERS.map((f) => Type.Literal(f)))),
          page: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000 })),
        }),
        response: { 200: Caseload, ...errors },
      },
    },
    async (request) => {
      const q = request.query as { filter?: CaseloadFilter; page?: number };
      const c = await ehcPlans.caseload(requireUser(request), q.filter ?? 'all', q.page ?? 1);
      return {
        total: c.total,
        page: c.page,
        pages: c.pages,
        plans: c.rows.map((r) => ({ ...r, review_overdue: r.reviewOverdue, amendment_waiting: r.amendmentWaiting })),
      };
    },
  );

  app.post(
    '/api/v1/ehc-plans',
    {
      config: manage,
      schema: {
        tags,
        summary: 'Draft the plan from an assessment’s advice: the plan and version 1 (a draft being edited)',
        body: DraftPlanInput.schema,
        response: { 201: Type.Object({ id: Id, version_id: Id }), ...errors },
      },
    },
    async (request, reply) => {
      const r = await ehcPlans.draftFromAdvice(requireUser(request), DraftPlanInput.parse(request.body as Body, ctx()));
      return reply.code(201).send({ id: r.planId, version_id: r.versionId });
    },
  );

  app.get<{ Params: { planId: string } }>(
    '/api/v1/ehc-plans/:planId',
    {
      config: read,
      schema: {
        tags,
        summary: 'One plan: its versions, what is waiting, representations and consultations',
        params: PlanParams,
        response: { 200: Plan, ...errors },
      },
    },
    async (request) => {
      const d = await ehcPlans.planPage(requireUser(request), request.params.planId, 'api');
      return {
        ...d.plan,
        waiting: d.waiting,
        versions: d.versions,
        representations: d.representations,
        consultations: d.consultations,
      };
    },
  );

  app.get<{ Params: VP }>(
    '/api/v1/ehc-plans/:planId/versions/:versionId',
    {
      config: read,
      schema: {
        tags,
        summary: 'One version of the plan',
        params: VersionParams,
        response: { 200: Version, ...errors },
      },
    },
    async (request): Promise<ShapedVersion> =>
      (await ehcPlans.versionView(requireUser(request), request.params.planId, request.params.versionId, 'api'))
        .version,
  );

  app.get<{ Params: VP }>(
    '/api/v1/ehc-plans/:planId/versions/:versionId/pdf',
    {
      config: read,
      schema: {
        tags,
        summary: 'The version as a tagged PDF (en-GB)',
        params: VersionParams,
        produces: ['application/pdf'],
        response: { 200: Type.String({ format: 'binary' }), ...errors },
      },
    },
    async (request, reply) => {
      const pdf = await ehcPlans.pdf(requireUser(request), request.params.planId, request.params.versionId, 'export');
      return reply.type('application/pdf').send(pdf);
    },
  );

  /** A change to a version being edited: its input, with the version read in the body or If-Match. */
  const versionChange = (
    path: string,
    summary: string,
    body: TSchema,
    run: (request: { params: VP & { section?: string } }, b: Body) => Promise<unknown>,
    params: TSchema = VersionParams,
  ) =>
    app.post<{ Params: VP & { section?: string } }>(
      `/api/v1/ehc-plans/:planId/versions/:versionId${path}`,
      {
        config: manage,
        schema: { tags, summary, params, headers: IfMatchHeaders, body, response: { 204: Type.Null(), ...errors } },
      },
      async (request, reply) => {
        await run(request, bodyWithVersion(request));
        return reply.code(204).send();
      },
    );

  versionChange(
    '/sections/:section',
    'Edit one section (a to j; k is listed from the advice)',
    SectionInput.schema,
    (r, b) =>
      ehcPlans.editSection(
        requireUserOf(r),
        r.params.planId,
        r.params.versionId,
        sectionKey(r.params.section ?? ''),
        SectionInput.parse(b, ctx()),
      ),
    Type.Object({ planId: Id, versionId: Id, section: Type.String({ maxLength: 2 }) }),
  );
  versionChange('/placement', 'Section I: the setting named, or the SEN2 setting code', PlacementInput.schema, (r, b) =>
    ehcPlans.editPlacement(requireUserOf(r), r.params.planId, r.params.versionId, PlacementInput.parse(b, ctx())),
  );
  versionChange('/needs', 'The special educational needs, ranked', NeedsInput.schema, (r, b) =>
    ehcPlans.editNeeds(requireUserOf(r), r.params.planId, r.params.versionId, NeedsInput.parse(b, ctx())),
  );
  versionChange(
    '/serve',
    'Serve the draft (reg 13(1)): the version is frozen, the assessment moves on',
    ServeInput.schema,
    (r, b) => ehcPlans.serveDraft(requireUserOf(r), r.params.planId, r.params.versionId, ServeInput.parse(b, ctx())),
  );
  versionChange(
    '/issue',
    'Issue the final plan (reg 13(2)); refused before the 15 days unless representations were made',
    FinalInput.schema,
    (r, b) => ehcPlans.issueFinal(requireUserOf(r), r.params.planId, r.params.versionId, FinalInput.parse(b, ctx())),
  );

  app.post<{ Params: { planId: string } }>(
    '/api/v1/ehc-plans/:planId/final',
    {
      config: manage,
      schema: {
        tags,
        summary: 'Start the final version from the draft served (a second call answers with the version started)',
        params: PlanParams,
        headers: IfMatchHeaders,
        body: PlanVersionInput.schema,
        response: { 201: Created, ...errors },
      },
    },
    async (request, reply) => {
      const x = PlanVersionInput.parse(bodyWithVersion(request), ctx());
      const id = await ehcPlans.prepareFinal(requireUser(request), request.params.planId, x.version);
      return reply.code(201).send({ id });
    },
  );
  app.post<{ Params: { planId: string } }>(
    '/api/v1/ehc-plans/:planId/withdraw',
    {
      config: manage,
      schema: {
        tags,
        summary:
          'Withdraw the draft (not yet served): records the decision not to issue a plan on its assessment (reg 10(1))',
        params: PlanParams,
        headers: IfMatchHeaders,
        body: WithdrawInput.schema,
        response: { 204: Type.Null(), ...errors },
      },
    },
    async (request, reply) => {
      const x = WithdrawInput.parse(bodyWithVersion(request), ctx());
      await ehcPlans.withdrawDraft(requireUser(request), request.params.planId, x);
      return reply.code(204).send();
    },
  );
  app.post<{ Params: { planId: string } }>(
    '/api/v1/ehc-plans/:planId/representations',
    {
      config: manage,
      schema: {
        tags,
        summary: 'Record representations on the served draft',
        params: PlanParams,
        body: RepresentationInput.schema,
        response: { 201: Created, ...errors },
      },
    },
    async (request, reply) => {
      const x = RepresentationInput.parse(request.body as Body, ctx());
      return reply
        .code(201)
        .send({ id: await ehcPlans.addRepresentation(requireUser(request), request.params.planId, x) });
    },
  );
  app.post<{ Params: { planId: string } }>(
    '/api/v1/ehc-plans/:planId/consultations',
    {
      config: manage,
      schema: {
        tags,
        summary: 'Consult a school or college (15 days to respond)',
        params: PlanParams,
        body: ConsultationInput.schema,
        response: { 201: Created, ...errors },
      },
    },
    async (request, reply) => {
      const x = ConsultationInput.parse(request.body as Body, ctx());
      return reply.code(201).send({ id: await ehcPlans.consult(requireUser(request), request.params.planId, x) });
    },
  );
  app.post<{ Params: { planId: string; consultationId: string } }>(
    '/api/v1/ehc-plans/:planId/consultations/:consultationId/response',
    {
      config: manage,
      schema: {
        tags,
        summary: 'Record the setting’s answer',
        params: Type.Object({ planId: Id, consultationId: Id }),
        headers: IfMatchHeaders,
        body: ConsultationResponseInput.schema,
        response: { 204: Type.Null(), ...errors },
      },
    },
    async (request, reply) => {
      const x = ConsultationResponseInput.parse(bodyWithVersion(request), ctx());
      await ehcPlans.recordResponse(requireUser(request), request.params.planId, request.params.consultationId, x);
      return reply.code(204).send();
    },
  );
}

const requireUserOf = (r: unknown) => requireUser(r as Parameters<typeof requireUser>[0]);
