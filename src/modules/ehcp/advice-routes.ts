// The advice pages: advice received, as the coordinator sees it (querying it starts the Cumbria advice query); the
// advice giver's pages, only the requests addressed to them (/advice/:requestId, never the record); and the weekly
// report for SEND managers.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { type Body, errorList, type FieldErrors, ValidationError } from '../../http/forms.ts';
import { requireAdviceAccess, requirePersonAccess, requireUser } from '../../http/request.ts';
import { acceptUploads } from '../documents/multipart.ts';
import { readOptionalUpload } from '../documents/schemas.ts';
import { posted } from './page-forms.ts';
import { weeklyReportCsv } from './report.ts';
import { AdviceInput, AdviceQueryInput, DraftFeedbackInput } from './schemas.ts';

/** The advice form (and the API's multipart advice): the typed fields and, if one was chosen, the advice as a file; every message at once. */
export function readAdvice(body: Body, maxBytes: number, today: string) {
  const text = Object.fromEntries(Object.entries(body).filter(([, v]) => typeof v === 'string')) as Body;
  const errors: FieldErrors = {};
  const attempt = <T>(read: () => T): T | null => {
    try {
      return read();
    } catch (e) {
      if (!(e instanceof ValidationError)) throw e;
      Object.assign(errors, e.fields);
      return null;
    }
  };
  const x = attempt(() => AdviceInput.parse(text, { today }));
  const file = attempt(() => readOptionalUpload(body, maxBytes, today));
  if (!x || Object.keys(errors).length) throw new ValidationError(errors);
  return { x, file };
}

type R = { personId: string; assessmentId: string; requestId: string };
type G = { requestId: string };

/** A page with one form: shown, or shown again after a refused post with what was typed and the messages (400). */
function withForm(reply: FastifyReply, view: string, data: object, values: Body = {}, errors?: Record<string, string>) {
  if (errors) reply.code(400);
  return reply.view(view, { ...data, values, errors: errors ?? {}, errorList: errors ? errorList(errors) : null });
}

const hide = { hide: true };
const read = { policy: { capability: 'person:read' as const, person: 'personId' } };
const manage = { policy: { capability: 'ehcp:manage' as const, person: 'personId' } };
const giver = { policy: { capability: null, adviceRequest: 'requestId' } };
const report = { policy: { capability: 'ehcp:report' as const } };

export function registerAdvicePages(app: FastifyInstance) {
  coordinatorAdvicePages(app);
  giverPages(app);
  // ---- the weekly report
  const { ehcp } = app.services;
  app.get('/reports/ehcp-weekly', { config: report, schema: hide }, async (request, reply) =>
    reply.view('ehcp/views/report.njk', { r: await ehcp.weeklyReport(requireUser(request)) }),
  );
  app.get('/reports/ehcp-weekly.csv', { config: report, schema: hide }, async (request, reply) =>
    sendWeeklyCsv(reply, await ehcp.weeklyReport(requireUser(request))),
  );
}

/** Advice received, as the coordinator sees it; querying it starts the Cumbria advice query. */
function coordinatorAdvicePages(app: FastifyInstance) {
  const { ehcp } = app.services;
  const adviceView = async (
    request: FastifyRequest<{ Params: R }>,
    reply: FastifyReply,
    ...again: [Body?, FieldErrors?]
  ) => {
    const { assessmentId, requestId } = request.params;
    const user = requireUser(request);
    const d = await ehcp.adviceForCoordinator(user, requirePersonAccess(request), assessmentId, requestId);
    return withForm(reply, 'ehcp/views/advice.njk', { d }, ...again);
  };
  app.get<{ Params: R }>(
    '/people/:personId/ehcp/:assessmentId/advice/:requestId',
    { config: read, schema: hide },
    async (request, reply) => adviceView(request, reply),
  );
  app.post<{ Params: R }>(
    '/people/:personId/ehcp/:assessmentId/advice/:requestId/query',
    { config: manage, schema: hide },
    async (request, reply) => {
      const { personId, assessmentId, requestId } = request.params;
      return posted(
        request,
        reply,
        async (body) => {
          const x = AdviceQueryInput.parse(body, { today: ehcp.today() });
          const instanceId = await ehcp.markUnclear(requireUser(request), personId, assessmentId, requestId, x);
          return `/people/${personId}/protocols/${instanceId}`;
        },
        (body, errors) => adviceView(request, reply, body, errors),
      );
    },
  );
}

/** The advice giver's pages: only the requests addressed to them. */
function giverPages(app: FastifyInstance) {
  const { ehcp, documents } = app.services;
  app.get('/advice', { config: { policy: { capability: null } }, schema: hide }, async (request, reply) =>
    reply.view('ehcp/views/giver-list.njk', { requests: await ehcp.myRequests(requireUser(request)) }),
  );
  const giverView = async (
    request: FastifyRequest<{ Params: G }>,
    reply: FastifyReply,
    ...again: [Body?, FieldErrors?]
  ) => {
    const d = await ehcp.requestForGiver(requireUser(request), requireAdviceAccess(request));
    const sent = (request.query as Record<string, string>)?.sent;
    const [body, errors] = again;
    const typed = body ? Object.fromEntries(Object.entries(body).filter(([, v]) => typeof v === 'string')) : body;
    return withForm(reply, 'ehcp/views/giver-request.njk', { d, sent, uploads: documents.rules() }, typed, errors);
  };
  app.get<{ Params: G }>('/advice/:requestId', { config: giver, schema: hide }, async (request, reply) =>
    giverView(request, reply),
  );
  /** The advice giver sends something from their request page; it comes back to it, saying what was sent. */
  const giverSends = (
    at: FastifyInstance,
    path: string,
    sent: string,
    send: (request: FastifyRequest, body: Body) => Promise<unknown>,
  ) =>
    at.post<{ Params: G }>(`/advice/:requestId/${path}`, { config: giver, schema: hide }, async (request, reply) =>
      posted(
        request,
        reply,
        async (body) => {
          await send(request, body);
          return `/advice/${request.params.requestId}?sent=${sent}`;
        },
        (body, errors) => giverView(request, reply, body, errors),
      ),
    );
  // The advice form may carry the advice as a document (multipart): read in a scope that takes uploads.
  app.register(async (scope) => {
    acceptUploads(scope, documents.config.maxBytes);
    giverSends(scope, 'advice', 'advice', async (request, body) => {
      const { x, file } = readAdvice(body, documents.config.maxBytes, ehcp.today());
      const user = requireUser(request);
      const access = requireAdviceAccess(request);
      const attachment = file ? await documents.adviceAttachment(user, access, file) : null;
      return ehcp.submitAdvice(user, access, x, attachment);
    });
  });
  giverSends(app, 'draft-feedback', 'feedback', (request, body) =>
    ehcp.submitDraftFeedback(
      requireUser(request),
      requireAdviceAccess(request),
      DraftFeedbackInput.parse(body, { today: ehcp.today() }),
    ),
  );
}

/** The weekly report as a CSV download (the page and the API). */
export function sendWeeklyCsv(reply: FastifyReply, r: Parameters<typeof weeklyReportCsv>[0]) {
  return reply
    .type('text/csv; charset=utf-8')
    .header('Content-Disposition', `attachment; filename="ehcp-weekly-${r.generatedOn}.csv"`)
    .send(weeklyReportCsv(r));
}
