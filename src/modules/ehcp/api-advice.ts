// JSON API for advice requests (what the advice giver sees and sends), open follow-ups and the weekly report (tag
// 'ehcp'). An advice giver reads only the requests addressed to them; the report carries case references, never names.
import { type Static, type TSchema, Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { DateStr, errors, Id, Nullable } from '../../http/api-schema.ts';
import type { Body } from '../../http/forms.ts';
import { requireAdviceAccess, requireUser } from '../../http/request.ts';
import type { Policy } from '../../http/types.ts';
import { acceptUploads } from '../documents/multipart.ts';
import { readAdvice, sendWeeklyCsv } from './advice-routes.ts';
import { AdviceInput } from './schemas.ts';

const tags = ['ehcp'];
const NullDate = Nullable(DateStr);
const RequestParams = Type.Object({ requestId: Id });

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
const MyRequest = Type.Object({
  id: Id,
  reference: Type.String(),
  kind: Type.String(),
  status: Type.String(),
  due_date: DateStr,
  follow_up_due: NullDate,
  follow_up_open: Type.Boolean(),
  draft_check_due: NullDate,
});
const GiversRequest = Type.Object({
  id: Id,
  reference: Type.String(),
  kind: Type.String(),
  question: Type.String(),
  due_date: DateStr,
  due_rule: Type.String(),
  status: Type.String(),
  child: Type.Object({ name: Type.String(), date_of_birth: DateStr, school: Nullable(Type.String()) }),
  follow_up_open: Type.Boolean(),
  follow_up_due: NullDate,
  what_is_needed: Nullable(Type.String()),
});

/** The advice as multipart/form-data: the same fields as text, and the advice as a document. */
const AdviceUpload = Type.Object(
  {
    ...Object.fromEntries(Object.entries(AdviceInput.fields).map(([k, fd]) => [k, Type.Optional(fd.schema)])),
    file: Type.Optional(
      Type.String({ format: 'binary', description: 'The advice as a document (then the typed advice is optional)' }),
    ),
  },
  { description: 'multipart/form-data' },
);
const isMultipart = (request: FastifyRequest) =>
  String(request.headers['content-type'] ?? '')
    .toLowerCase()
    .startsWith('multipart/form-data');

type Ehcp = FastifyInstance['services']['ehcp'];

/** One request as its advice giver sees it through the API: what they need to give advice, no more. */
async function giversRequest(ehcp: Ehcp, request: FastifyRequest): Promise<Static<typeof GiversRequest>> {
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
}

export function registerAdviceApi(app: FastifyInstance) {
  const { ehcp } = app.services;
  const giver = { policy: { capability: null, adviceRequest: 'requestId' } };
  const report = { policy: { capability: 'ehcp:report' as const } };

  /** A read: GET path, documented by its answer's schema. */
  const get = (
    path: string,
    summary: string,
    config: { policy: Policy },
    answer: TSchema,
    handler: (request: FastifyRequest, reply: FastifyReply) => Promise<unknown>,
    more: { params?: TSchema; produces?: string[] } = {},
  ) => app.get(path, { config, schema: { tags, summary, ...more, response: { 200: answer, ...errors } } }, handler);

  get(
    '/api/v1/advice-requests',
    'Advice requests addressed to me (references only)',
    { policy: { capability: null } },
    Type.Object({ items: Type.Array(MyRequest) }),
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
  get(
    '/api/v1/advice-requests/:requestId',
    'One advice request addressed to me: what I need to give advice',
    giver,
    GiversRequest,
    (request) => giversRequest(ehcp, request),
    { params: RequestParams },
  );

  registerAdvicePost(app, giver);

  const weekly = (request: FastifyRequest) => ehcp.weeklyReport(requireUser(request));
  get(
    '/api/v1/ehcp/follow-ups',
    'Open advice follow-ups, overdue first, with working days overdue',
    report,
    Type.Object({ items: Report.properties.followUps }),
    async (request) => ({ items: (await weekly(request)).followUps }),
  );
  get(
    '/api/v1/reports/ehcp-weekly',
    'The weekly EHCP report (case references, never names)',
    report,
    Report,
    async (request) => {
      const { authorityId: _a, ...r } = await weekly(request);
      return r;
    },
  );
  get(
    '/api/v1/reports/ehcp-weekly.csv',
    'The weekly EHCP report as CSV',
    report,
    Type.String(),
    async (request, reply) => sendWeeklyCsv(reply, await weekly(request)),
    { produces: ['text/csv'] },
  );
}

/**
 * Sending advice: JSON, or multipart/form-data with the advice as a document in the part "file", as the advice form
 * does: read in a scope that takes uploads, then the same calls as the page (scan, then store inside the advice's own
 * transaction).
 */
function registerAdvicePost(app: FastifyInstance, giver: { policy: Policy }) {
  const { ehcp, documents } = app.services;
  app.register(async (scope) => {
    acceptUploads(scope, documents.config.maxBytes);
    scope.post(
      '/api/v1/advice-requests/:requestId/advice',
      {
        config: giver,
        schema: {
          tags,
          summary: `Submit advice, or updated advice (closes an open follow-up): as JSON, or as multipart/form-data with the advice as a document in the part "file" (at most ${Math.round(documents.config.maxBytes / 1048576)} MB; its type read from the content, scanned for viruses, refused with nothing stored if infected). With a document the typed advice is optional`,
          params: RequestParams,
          body: {
            content: {
              'application/json': { schema: AdviceInput.schema },
              'multipart/form-data': { schema: AdviceUpload },
            },
          },
          response: { 201: Type.Object({ kind: Type.String(), document_id: Nullable(Id) }), ...errors },
        },
        // A multipart body holds the file's bytes, not a string: read by readAdvice, its schema documents it only.
        attachValidation: true,
      },
      async (request, reply) => {
        const user = requireUser(request);
        const access = requireAdviceAccess(request);
        const body = (request.body ?? {}) as Body;
        if (!isMultipart(request)) {
          if (request.validationError) throw request.validationError;
          const x = AdviceInput.parse(body, { today: ehcp.today() });
          return reply.code(201).send({ kind: await ehcp.submitAdvice(user, access, x), document_id: null });
        }
        const { x, file } = readAdvice(body, documents.config.maxBytes, ehcp.today());
        let documentId: string | null = null;
        const attachment = file ? await documents.adviceAttachment(user, access, file) : null;
        const kind = await ehcp.submitAdvice(
          user,
          access,
          x,
          attachment &&
            (async (tx) => {
              documentId = await attachment(tx);
              return documentId;
            }),
        );
        return reply.code(201).send({ kind, document_id: documentId });
      },
    );
  });
}
