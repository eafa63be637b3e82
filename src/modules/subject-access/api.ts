// JSON API for subject access requests (/api/v1/subject-access): the same service, rules and audit as the pages.
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { DateStr, DateTime, errors, Id, Nullable } from '../../http/api-schema.ts';
import type { Body } from '../../http/forms.ts';
import { requireUser } from '../../http/request.ts';
import { sendExport } from './routes.ts';
import { ExtensionInput, RELATIONSHIPS, REVIEW_TABLES, RequestInput, ReviewBody, readReviewApi } from './schemas.ts';
import type { SubjectAccessService } from './service.ts';

const manage = { policy: { capability: 'subject-access:manage' as const } };
const tags = ['subject access'];
const Params = Type.Object({ requestId: Id });

const Clock = Type.Object({
  received_on: DateStr,
  due_on: DateStr,
  days_left: Type.Integer({ description: 'Calendar days to the due date: negative once overdue' }),
  overdue: Type.Boolean(),
  words: Type.String(),
  rule: Type.String(),
});
const Summary = Type.Object({
  id: Id,
  person_id: Id,
  case_number: Type.String(),
  requester_relationship: Type.String({ description: Object.keys(RELATIONSHIPS).join(', ') }),
  received_on: DateStr,
  extension_months: Type.Integer(),
  released_at: Nullable(DateTime),
  clock: Clock,
});
const Item = Type.Object({
  item_table: Type.Union(REVIEW_TABLES.map((t) => Type.Literal(t))),
  item_id: Id,
  label: Type.String(),
  by: Nullable(Type.String()),
  decision: Nullable(Type.String({ description: 'include, redact or withhold; null while undecided' })),
  reason: Nullable(Type.String()),
});
const Detail = Type.Object({
  ...Summary.properties,
  requester_name: Type.String(),
  extension_reason: Nullable(Type.String()),
  version: Type.Integer({ description: 'Send it with an extension' }),
  review: Type.Array(Item),
  undecided: Type.Integer(),
  export: Nullable(Type.Object({ sha256: Type.String(), size_bytes: Type.Integer() })),
});

type Shown = Awaited<ReturnType<SubjectAccessService['get']>>;
const summary = (r: Shown['request'], clock: Shown['clock']) => ({
  id: r.id,
  person_id: r.person_id,
  case_number: r.case_number,
  requester_relationship: r.requester_relationship,
  received_on: r.received_on,
  extension_months: r.extension_months,
  released_at: r.released_at ? r.released_at.toISOString() : null,
  clock,
});

export function registerSubjectAccessApi(app: FastifyInstance) {
  const { subjectAccess: sar } = app.services;
  app.get(
    '/api/v1/subject-access',
    {
      config: manage,
      schema: {
        tags,
        summary: 'The council’s subject access requests, open ones first',
        response: { 200: Type.Array(Summary), ...errors },
      },
    },
    async (request) => (await sar.list(requireUser(request))).map((r) => summary(r, r.clock)),
  );
  app.post(
    '/api/v1/subject-access',
    {
      config: manage,
      schema: {
        tags,
        summary: 'Log a subject access request against the young person with that case number',
        body: RequestInput.schema,
        response: { 201: Type.Object({ id: Id }), ...errors },
      },
    },
    async (request, reply) => {
      const input = RequestInput.parse(request.body as Body, { today: sar.today() });
      return reply.code(201).send({ id: await sar.create(requireUser(request), input) });
    },
  );
  app.get(
    '/api/v1/subject-access/:requestId',
    {
      config: manage,
      schema: {
        tags,
        summary: 'A request: its ICO clock and the other people’s data to review',
        params: Params,
        response: { 200: Detail, ...errors },
      },
    },
    async (request) => {
      const d = await sar.get(requireUser(request), (request.params as { requestId: string }).requestId);
      return {
        ...summary(d.request, d.clock),
        requester_name: d.request.requester_name,
        extension_reason: d.request.extension_reason,
        version: d.request.version,
        review: d.review.map((i) => ({
          item_table: i.item_table,
          item_id: i.item_id,
          label: i.label,
          by: i.by,
          decision: i.decided?.decision ?? null,
          reason: i.decided?.reason ?? null,
        })),
        undecided: d.undecided,
        export: d.export,
      };
    },
  );
  registerChanges(app);
}

function registerChanges(app: FastifyInstance) {
  const { subjectAccess: sar } = app.services;
  const id = (request: { params: unknown }) => (request.params as { requestId: string }).requestId;
  const ok = Type.Object({ id: Id });
  app.post(
    '/api/v1/subject-access/:requestId/extension',
    {
      config: manage,
      schema: {
        tags,
        summary: 'Extend the deadline of a complex request by 1 or 2 months, with the reason',
        params: Params,
        body: ExtensionInput.schema,
        response: { 200: ok, ...errors },
      },
    },
    async (request) => {
      await sar.extend(
        requireUser(request),
        id(request),
        ExtensionInput.parse(request.body as Body, { today: sar.today() }),
      );
      return { id: id(request) };
    },
  );
  app.put(
    '/api/v1/subject-access/:requestId/review',
    {
      config: manage,
      schema: {
        tags,
        summary: 'Decide items of other people’s data: include, redact or withhold (a reason to redact or withhold)',
        params: Params,
        body: ReviewBody,
        response: { 200: ok, ...errors },
      },
    },
    async (request) => {
      const decisions = readReviewApi(request.body as Parameters<typeof readReviewApi>[0]);
      await sar.review(requireUser(request), id(request), decisions);
      return { id: id(request) };
    },
  );
  app.post(
    '/api/v1/subject-access/:requestId/release',
    {
      config: manage,
      schema: {
        tags,
        summary: 'Build and keep the export (refused while any item is undecided)',
        params: Params,
        response: { 200: ok, ...errors },
      },
    },
    async (request) => {
      await sar.release(requireUser(request), id(request));
      return { id: id(request) };
    },
  );
  app.get(
    '/api/v1/subject-access/:requestId/export',
    {
      config: manage,
      schema: {
        tags,
        summary: 'The released export (a zip: index.html, export.json, documents/), as released; audited',
        params: Params,
        response: { 200: Type.String({ format: 'binary', description: 'application/zip' }), ...errors },
      },
    },
    async (request, reply) => sendExport(reply, id(request), await sar.download(requireUser(request), id(request))),
  );
}
