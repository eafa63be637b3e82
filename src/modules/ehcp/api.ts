// JSON API for EHC needs assessments (tag 'ehcp'); advice requests and the weekly report are in api-advice.ts.
// The same rules as the pages: a relationship to read an assessment; the bodies are the inputs the pages read
// (schemas.ts), so OpenAPI documents what the forms accept.
import { type Static, type TSchema, Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { Created, DateStr, errors, Id, Nullable, PersonParams } from '../../http/api-schema.ts';
import type { Body } from '../../http/forms.ts';
import { requirePersonAccess, requireUser } from '../../http/request.ts';
import type { ReadContext } from '../../http/schema-input.ts';
import type { AuthUser } from '../../http/types.ts';
import { registerAdviceApi } from './api-advice.ts';
import { AdviceRequestInput, AssessmentRequestInput, DecisionInput, ExceptionInput } from './schemas.ts';

const tags = ['ehcp'];
const NullDate = Nullable(DateStr);

const Clock = Type.Object({
  key: Type.String(),
  title: Type.String(),
  statutory: Type.String({ format: 'date', description: 'the statutory date: never moved by exceptions' }),
  explanation: Type.String({ description: 'the rule, its anchor date and its regulation' }),
  source: Type.String(),
  projected: NullDate,
  projectedWhy: Nullable(Type.String()),
  done: NullDate,
  state: Type.String(),
});
const AdviceRequest = Type.Object({
  id: Id,
  kind: Type.String(),
  giver: Type.String(),
  responsible: Type.String(),
  provider: Nullable(Type.String()),
  requested_date: DateStr,
  due_date: DateStr,
  due_rule: Type.String(),
  status: Type.String(),
  received_date: NullDate,
  follow_up_due: NullDate,
  follow_up_open: Type.Boolean(),
  draft_check_due: NullDate,
});
const Exception = Type.Object({
  id: Id,
  type: Type.String(),
  start_date: DateStr,
  end_date: DateStr,
  reason: Type.String(),
  reportable: Type.Boolean(),
});
const Assessment = Type.Object({
  id: Id,
  person_id: Id,
  reference: Type.String(),
  request_date: DateStr,
  requested_by: Type.String(),
  stage: Type.String(),
  statutory_final_date: DateStr,
  projected_final_date: DateStr,
  projected_final_why: Type.String(),
  delayed: Type.Boolean(),
  clocks: Type.Array(Clock),
  exceptions: Type.Array(Exception),
  advice_requests: Type.Array(AdviceRequest),
  version: Type.Integer(),
});
const BASE = '/api/v1/people/:personId/ehcp-assessments';
const MANAGE = { policy: { capability: 'ehcp:manage' as const, person: 'personId' } };
const AssessmentList = Type.Object({
  items: Type.Array(
    Type.Object({ id: Id, request_date: DateStr, status: Type.String() }, { additionalProperties: true }),
  ),
});
const AssessmentParams = Type.Object({ personId: Id, assessmentId: Id });
type AssessmentParams = Static<typeof AssessmentParams>;

type AssessmentPage = Awaited<ReturnType<FastifyInstance['services']['ehcp']['assessment']>>;

/** An assessment as the API gives it: every clock, the advice requests (names of who, never of the child). */
function toApi(d: AssessmentPage): Static<typeof Assessment> {
  return {
    id: d.assessment.id,
    person_id: d.person.id,
    reference: d.reference,
    request_date: d.assessment.request_date,
    requested_by: d.assessment.requested_by,
    stage: d.stage,
    statutory_final_date: d.clocks.statutoryFinal,
    projected_final_date: d.clocks.projectedFinal,
    projected_final_why: d.clocks.projectedFinalWhy,
    delayed: d.clocks.delayed,
    clocks: d.clocks.clocks,
    exceptions: d.exceptions.map(({ id, type, start_date, end_date, reason, reportable }) => ({
      id,
      type,
      start_date,
      end_date,
      reason,
      reportable,
    })),
    advice_requests: d.requests.map((r) => ({
      id: r.id,
      kind: r.kind,
      giver: r.giver_name,
      responsible: r.responsible_name,
      provider: r.service_name,
      requested_date: r.requested_date,
      due_date: r.due_date,
      due_rule: r.due_rule,
      status: r.status,
      received_date: r.received_date,
      follow_up_due: r.follow_up_due,
      follow_up_open: Boolean(r.followUp?.open),
      draft_check_due: r.draft_check_due,
    })),
    version: d.assessment.version,
  };
}

/**
 * POST <base>/:assessmentId/<path>: a change to an assessment from a declared input. `created`: 201 with the id
 * of what it made; otherwise 204.
 */
function change<V>(
  app: FastifyInstance,
  path: string,
  summary: string,
  body: { schema: TSchema; parse(body: Body, ctx: ReadContext): V },
  run: (user: AuthUser, personId: string, assessmentId: string, x: V) => Promise<unknown>,
  created = false,
) {
  app.post<{ Params: AssessmentParams }>(
    `${BASE}/:assessmentId/${path}`,
    {
      config: MANAGE,
      schema: {
        tags,
        summary,
        params: AssessmentParams,
        body: body.schema,
        response: created ? { 201: Created, ...errors } : { 204: Type.Null(), ...errors },
      },
    },
    async (request, reply) => {
      const { personId, assessmentId } = request.params;
      const x = body.parse(request.body as Body, { today: app.services.ehcp.today() });
      const id = await run(requireUser(request), personId, assessmentId, x);
      return created ? reply.code(201).send({ id }) : reply.code(204).send();
    },
  );
}

export function registerEhcpApi(app: FastifyInstance) {
  const { ehcp } = app.services;
  const read = { policy: { capability: 'person:read' as const, person: 'personId' } };

  app.get(
    BASE,
    {
      config: read,
      schema: {
        tags,
        summary: 'EHC needs assessments of a young person',
        params: PersonParams,
        response: { 200: AssessmentList, ...errors },
      },
    },
    async (request) => ({ items: await ehcp.listForPerson(requireUser(request), requirePersonAccess(request)) }),
  );

  app.post<{ Params: { personId: string } }>(
    BASE,
    {
      config: MANAGE,
      schema: {
        tags,
        summary: 'Record a request for an EHC needs assessment',
        params: PersonParams,
        body: AssessmentRequestInput.schema,
        response: { 201: Created, ...errors },
      },
    },
    async (request, reply) => {
      const x = AssessmentRequestInput.parse(request.body as Body, { today: ehcp.today() });
      return reply.code(201).send({ id: await ehcp.create(requireUser(request), request.params.personId, x) });
    },
  );

  app.get<{ Params: AssessmentParams }>(
    `${BASE}/:assessmentId`,
    {
      config: read,
      schema: {
        tags,
        summary:
          'An assessment with every clock (statutory date, rule, projected date), advice requests and exceptions',
        params: AssessmentParams,
        response: { 200: Assessment, ...errors },
      },
    },
    async (request) =>
      toApi(
        await ehcp.assessment(requireUser(request), requirePersonAccess(request), request.params.assessmentId, 'api'),
      ),
  );

  change(app, 'decision', 'Record the decision whether to assess (reg 5)', DecisionInput, ehcp.decideToAssess);
  change(
    app,
    'advice-requests',
    'Ask an advice giver for advice (due 6 weeks later, reg 8)',
    AdviceRequestInput,
    ehcp.requestAdvice,
    true,
  );
  change(
    app,
    'exceptions',
    'Record a reg 10(4) exception (evidence; never moves the statutory date)',
    ExceptionInput,
    ehcp.recordException,
  );

  registerAdviceApi(app);
}
