// JSON API for EHC needs assessments, advice requests, follow-ups and the weekly report (tag 'ehcp').
// The same rules as the pages: a relationship to read an assessment; an advice giver reads only their request.
import { type Static, Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { Body } from '../../http/forms.ts';
import { requireAdviceAccess, requirePersonAccess, requireUser } from '../../http/request.ts';
import { weeklyReportCsv } from './report.ts';

const Id = Type.String({ format: 'uuid' });
const DateStr = Type.String({ format: 'date' });
const NullDate = Type.Union([DateStr, Type.Null()]);
const ErrorBody = Type.Object({
  statusCode: Type.Integer(),
  error: Type.String(),
  message: Type.String(),
  fields: Type.Optional(Type.Record(Type.String(), Type.String())),
});
const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody };
const tags = ['ehcp'];

const Clock = Type.Object({
  key: Type.String(),
  title: Type.String(),
  statutory: Type.String({ format: 'date', description: 'the statutory date: never moved by exceptions' }),
  explanation: Type.String({ description: 'the rule, its anchor date and its regulation' }),
  source: Type.String(),
  projected: NullDate,
  projectedWhy: Type.Union([Type.String(), Type.Null()]),
  done: NullDate,
  state: Type.String(),
});
const AdviceRequest = Type.Object({
  id: Id,
  kind: Type.String(),
  giver: Type.String(),
  responsible: Type.String(),
  provider: Type.Union([Type.String(), Type.Null()]),
  requested_date: DateStr,
  due_date: DateStr,
  due_rule: Type.String(),
  status: Type.String(),
  received_date: NullDate,
  follow_up_due: NullDate,
  follow_up_open: Type.Boolean(),
  draft_check_due: NullDate,
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
  exceptions: Type.Array(
    Type.Object({
      id: Id,
      type: Type.String(),
      start_date: DateStr,
      end_date: DateStr,
      reason: Type.String(),
      reportable: Type.Boolean(),
    }),
  ),
  advice_requests: Type.Array(AdviceRequest),
  version: Type.Integer(),
});
const Report = Type.Object({
  generatedOn: DateStr,
  counts: Type.Object({
    openFollowUps: Type.Integer(),
    overdueFollowUps: Type.Integer(),
    adviceOutstanding: Type.Integer(),
    adviceOverdue: Type.Integer(),
    atRisk: Type.Integer(),
  }),
  followUps: Type.Array(
    Type.Object({
      requestId: Id,
      assessmentId: Id,
      personId: Id,
      caseNumber: Type.String(),
      kind: Type.String(),
      giver: Type.String(),
      responsible: Type.String(),
      provider: Type.String(),
      sentOn: NullDate,
      due: NullDate,
      overdue: Type.Boolean(),
      workingDaysOverdue: Type.Integer(),
    }),
  ),
  byProvider: Type.Array(Type.Object({ name: Type.String(), outstanding: Type.Integer(), overdue: Type.Integer() })),
  byTeam: Type.Array(Type.Object({ name: Type.String(), outstanding: Type.Integer(), overdue: Type.Integer() })),
  atRisk: Type.Array(
    Type.Object({
      assessmentId: Id,
      personId: Id,
      caseNumber: Type.String(),
      coordinator: Type.String(),
      requestDate: DateStr,
      statutoryFinal: DateStr,
      projectedFinal: DateStr,
      why: Type.String(),
      delayNoticeSent: Type.Boolean(),
    }),
  ),
});
const P = Type.Object({ personId: Id });
const PA = Type.Object({ personId: Id, assessmentId: Id });
const G = Type.Object({ requestId: Id });
const formBody = (props: Record<string, ReturnType<typeof Type.String>>) =>
  Type.Object(Object.fromEntries(Object.entries(props).map(([k, v]) => [k, Type.Optional(v)])), {
    additionalProperties: false,
  });

export function registerEhcpApi(app: FastifyInstance) {
  const { ehcp } = app.services;
  const read = { policy: { capability: 'person:read' as const, person: 'personId' } };
  const manage = { policy: { capability: 'ehcp:manage' as const, person: 'personId' } };
  const giver = { policy: { capability: null, adviceRequest: 'requestId' } };
  const report = { policy: { capability: 'ehcp:report' as const } };

  const toApi = (d: Awaited<ReturnType<typeof ehcp.assessment>>): Static<typeof Assessment> => ({
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
    exceptions: d.exceptions.map((e) => ({
      id: e.id,
      type: e.type,
      start_date: e.start_date,
      end_date: e.end_date,
      reason: e.reason,
      reportable: e.reportable,
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
  });

  app.get<{ Params: { personId: string } }>(
    '/api/v1/people/:personId/ehcp-assessments',
    {
      config: read,
      schema: {
        tags,
        summary: 'EHC needs assessments of a young person',
        params: P,
        response: {
          200: Type.Object({
            items: Type.Array(
              Type.Object({ id: Id, request_date: DateStr, status: Type.String() }, { additionalProperties: true }),
            ),
          }),
          ...errors,
        },
      },
    },
    async (request) => ({ items: await ehcp.listForPerson(requireUser(request), requirePersonAccess(request)) }),
  );

  app.post<{ Params: { personId: string }; Body: Body }>(
    '/api/v1/people/:personId/ehcp-assessments',
    {
      config: manage,
      schema: {
        tags,
        summary: 'Record a request for an EHC needs assessment',
        params: P,
        body: formBody({ request_date: Type.String(), requested_by: Type.String(), requester_detail: Type.String() }),
        response: { 201: Type.Object({ id: Id }), ...errors },
      },
    },
    async (request, reply) =>
      reply.code(201).send({ id: await ehcp.create(requireUser(request), request.params.personId, request.body) }),
  );

  app.get<{ Params: { personId: string; assessmentId: string } }>(
    '/api/v1/people/:personId/ehcp-assessments/:assessmentId',
    {
      config: read,
      schema: {
        tags,
        summary:
          'An assessment with every clock (statutory date, rule, projected date), advice requests and exceptions',
        params: PA,
        response: { 200: Assessment, ...errors },
      },
    },
    async (request) =>
      toApi(
        await ehcp.assessment(requireUser(request), requirePersonAccess(request), request.params.assessmentId, 'api'),
      ),
  );

  app.post<{ Params: { personId: string; assessmentId: string }; Body: Body }>(
    '/api/v1/people/:personId/ehcp-assessments/:assessmentId/decision',
    {
      config: manage,
      schema: {
        tags,
        summary: 'Record the decision whether to assess (reg 5)',
        params: PA,
        body: formBody({ decision: Type.String(), decision_date: Type.String(), version: Type.String() }),
        response: { 204: Type.Null(), ...errors },
      },
    },
    async (request, reply) => {
      await ehcp.decideToAssess(
        requireUser(request),
        request.params.personId,
        request.params.assessmentId,
        request.body,
      );
      return reply.code(204).send();
    },
  );

  app.post<{ Params: { personId: string; assessmentId: string }; Body: Body }>(
    '/api/v1/people/:personId/ehcp-assessments/:assessmentId/advice-requests',
    {
      config: manage,
      schema: {
        tags,
        summary: 'Ask an advice giver for advice (due 6 weeks later, reg 8)',
        params: PA,
        body: formBody({
          kind: Type.String(),
          giver_user_id: Type.String(),
          invite_email: Type.String(),
          invite_name: Type.String(),
          invite_service_id: Type.String(),
          question: Type.String(),
          requested_date: Type.String(),
        }),
        response: { 201: Type.Object({ id: Id }), ...errors },
      },
    },
    async (request, reply) =>
      reply.code(201).send({
        id: await ehcp.requestAdvice(
          requireUser(request),
          request.params.personId,
          request.params.assessmentId,
          request.body,
        ),
      }),
  );

  app.post<{ Params: { personId: string; assessmentId: string }; Body: Body }>(
    '/api/v1/people/:personId/ehcp-assessments/:assessmentId/exceptions',
    {
      config: manage,
      schema: {
        tags,
        summary: 'Record a reg 10(4) exception (evidence; never moves the statutory date)',
        params: PA,
        body: formBody({
          type: Type.String(),
          start_date: Type.String(),
          end_date: Type.String(),
          reason: Type.String(),
        }),
        response: { 204: Type.Null(), ...errors },
      },
    },
    async (request, reply) => {
      await ehcp.recordException(
        requireUser(request),
        request.params.personId,
        request.params.assessmentId,
        request.body,
      );
      return reply.code(204).send();
    },
  );

  app.get(
    '/api/v1/advice-requests',
    {
      config: { policy: { capability: null } },
      schema: {
        tags,
        summary: 'Advice requests addressed to me (references only)',
        response: {
          200: Type.Object({
            items: Type.Array(
              Type.Object({
                id: Id,
                reference: Type.String(),
                kind: Type.String(),
                status: Type.String(),
                due_date: DateStr,
                follow_up_due: NullDate,
                follow_up_open: Type.Boolean(),
                draft_check_due: NullDate,
              }),
            ),
          }),
          ...errors,
        },
      },
    },
    async (request) => ({
      items: (await ehcp.myRequests(requireUser(request))).map((r) => ({
        id: r.id,
        reference: r.reference,
        kind: r.kind,
        status: r.status,
        due_date: r.due_date,
        follow_up_due: r.follow_up_due,
        follow_up_open: r.followUpOpen,
        draft_check_due: r.draft_check_due,
      })),
    }),
  );

  app.get<{ Params: { requestId: string } }>(
    '/api/v1/advice-requests/:requestId',
    {
      config: giver,
      schema: {
        tags,
        summary: 'One advice request addressed to me: what I need to give advice',
        params: G,
        response: {
          200: Type.Object({
            id: Id,
            reference: Type.String(),
            kind: Type.String(),
            question: Type.String(),
            due_date: DateStr,
            due_rule: Type.String(),
            status: Type.String(),
            child: Type.Object({
              name: Type.String(),
              date_of_birth: DateStr,
              school: Type.Union([Type.String(), Type.Null()]),
            }),
            follow_up_open: Type.Boolean(),
            follow_up_due: NullDate,
            what_is_needed: Type.Union([Type.String(), Type.Null()]),
          }),
          ...errors,
        },
      },
    },
    async (request) => {
      const d = await ehcp.requestForGiver(requireUser(request), requireAdviceAccess(request), 'api');
      const r = d.request;
      return {
        id: r.id,
        reference: d.reference,
        kind: r.kind,
        question: r.question,
        due_date: r.due_date,
        due_rule: r.due_rule,
        status: r.status,
        child: { name: `${r.given_name} ${r.family_name}`, date_of_birth: r.date_of_birth, school: r.school },
        follow_up_open: d.followUpOpen,
        follow_up_due: r.follow_up_due,
        what_is_needed: d.followUpNeed,
      };
    },
  );

  app.post<{ Params: { requestId: string }; Body: Body }>(
    '/api/v1/advice-requests/:requestId/advice',
    {
      config: giver,
      schema: {
        tags,
        summary: 'Submit advice, or updated advice (closes an open follow-up)',
        params: G,
        body: formBody({
          advice: Type.String(),
          summary_needs: Type.String(),
          summary_outcomes: Type.String(),
          summary_provision: Type.String(),
        }),
        response: { 201: Type.Object({ kind: Type.String() }), ...errors },
      },
    },
    async (request, reply) =>
      reply
        .code(201)
        .send({ kind: await ehcp.submitAdvice(requireUser(request), requireAdviceAccess(request), request.body) }),
  );

  app.get(
    '/api/v1/ehcp/follow-ups',
    {
      config: report,
      schema: {
        tags,
        summary: 'Open advice follow-ups, overdue first, with working days overdue',
        response: { 200: Type.Object({ items: Report.properties.followUps }), ...errors },
      },
    },
    async (request) => ({ items: (await ehcp.weeklyReport(requireUser(request))).followUps }),
  );

  app.get(
    '/api/v1/reports/ehcp-weekly',
    {
      config: report,
      schema: {
        tags,
        summary: 'The weekly EHCP report (case references, never names)',
        response: { 200: Report, ...errors },
      },
    },
    async (request) => {
      const { authorityId: _a, ...r } = await ehcp.weeklyReport(requireUser(request));
      return r;
    },
  );

  app.get(
    '/api/v1/reports/ehcp-weekly.csv',
    {
      config: report,
      schema: {
        tags,
        summary: 'The weekly EHCP report as CSV',
        produces: ['text/csv'],
        response: { 200: Type.String(), ...errors },
      },
    },
    async (request, reply) => {
      const r = await ehcp.weeklyReport(requireUser(request));
      return reply
        .type('text/csv; charset=utf-8')
        .header('Content-Disposition', `attachment; filename="ehcp-weekly-${r.generatedOn}.csv"`)
        .send(weeklyReportCsv(r));
    },
  );
}
