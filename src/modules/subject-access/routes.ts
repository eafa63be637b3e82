// The subject access pages: the council's requests with their ICO clocks, log a request, a request's page (clock,
// extension, review status, release, download), extend its clock, and review other people's data item by item.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { postForm, type Shown } from '../../http/form-post.ts';
import { type Body, dateInput } from '../../http/forms.ts';
import { requireUser } from '../../http/request.ts';
import { registerSubjectAccessApi } from './api.ts';
import { DECISIONS, ExtensionInput, RELATIONSHIPS, RequestInput, readReviewForm } from './schemas.ts';

type Params = { requestId: string };
const hide = { hide: true };
/** A council-level job, not casework: no relationship to the young person is needed (docs/decisions.md). */
const manage = { policy: { capability: 'subject-access:manage' as const } };

const SAVED: Record<string, string> = {
  logged: 'Subject access request logged',
  extended: 'Deadline extended',
  reviewed: 'Review decisions saved',
  released: 'Export released: download it below',
};
const savedText = (q: unknown) => SAVED[String((q as Record<string, unknown>).saved ?? '')] ?? '';

/** The export's file name: the request's reference, never a name or case number. */
export const exportFileName = (requestId: string) => `subject-access-${requestId.slice(0, 8)}.zip`;

export function sendExport(reply: FastifyReply, requestId: string, e: { bytes: Buffer; sha256: string }) {
  return reply
    .type('application/zip')
    .header('Content-Disposition', `attachment; filename="${exportFileName(requestId)}"`)
    .header('X-Content-Type-Options', 'nosniff')
    .header('Digest', `sha-256=${Buffer.from(e.sha256, 'hex').toString('base64')}`)
    .send(e.bytes);
}

export function registerSubjectAccessRoutes(app: FastifyInstance) {
  const { subjectAccess: sar } = app.services;

  app.get('/subject-access', { config: manage, schema: hide }, async (request, reply) => {
    const requests = await sar.list(requireUser(request));
    return reply.view('subject-access/views/list.njk', { requests, relationships: RELATIONSHIPS });
  });

  const newForm = (reply: FastifyReply, shown?: Shown, body?: Body) =>
    reply.view('subject-access/views/new.njk', {
      relationships: RELATIONSHIPS,
      ...shown,
      values: { ...(shown?.values ?? {}), received_date: body ? dateInput(body, 'received_date').parts : {} },
    });
  app.get('/subject-access/new', { config: manage, schema: hide }, async (_request, reply) => newForm(reply));
  app.post('/subject-access', { config: manage, schema: hide }, async (request, reply) => {
    const body = (request.body ?? {}) as Body;
    return postForm(
      reply,
      body,
      async () => {
        const id = await sar.create(requireUser(request), RequestInput.parse(body, { today: sar.today() }));
        return `/subject-access/${id}?saved=logged`;
      },
      (shown) => newForm(reply, shown, body),
    );
  });

  const page = async (request: FastifyRequest<{ Params: Params }>, reply: FastifyReply, shown?: Shown) => {
    const data = await sar.get(requireUser(request), request.params.requestId);
    return reply.view('subject-access/views/request.njk', {
      ...data,
      relationships: RELATIONSHIPS,
      savedText: shown ? '' : savedText(request.query),
      ...shown,
    });
  };
  app.get<{ Params: Params }>('/subject-access/:requestId', { config: manage, schema: hide }, (q, r) => page(q, r));

  app.post<{ Params: Params }>('/subject-access/:requestId/release', { config: manage, schema: hide }, (q, reply) =>
    postForm(
      reply,
      (q.body ?? {}) as Body,
      async () => {
        await sar.release(requireUser(q), q.params.requestId);
        return `/subject-access/${q.params.requestId}?saved=released`;
      },
      (shown) => page(q, reply, shown),
    ),
  );

  app.get<{ Params: Params }>(
    '/subject-access/:requestId/export.zip',
    { config: manage, schema: hide },
    async (request, reply) =>
      sendExport(reply, request.params.requestId, await sar.download(requireUser(request), request.params.requestId)),
  );

  registerExtension(app);
  registerReview(app);
  registerSubjectAccessApi(app);
}

/** Extend the clock of a complex request: the form and its POST. */
function registerExtension(app: FastifyInstance) {
  const { subjectAccess: sar } = app.services;
  const form = async (request: FastifyRequest<{ Params: Params }>, reply: FastifyReply, shown?: Shown) => {
    const data = await sar.get(requireUser(request), request.params.requestId);
    return reply.view('subject-access/views/extend.njk', {
      ...data,
      ...shown,
      values: shown?.values ?? { version: String(data.request.version) },
    });
  };
  app.get<{ Params: Params }>('/subject-access/:requestId/extend', { config: manage, schema: hide }, (q, r) =>
    form(q, r),
  );
  app.post<{ Params: Params }>('/subject-access/:requestId/extend', { config: manage, schema: hide }, (q, reply) => {
    const body = (q.body ?? {}) as Body;
    return postForm(
      reply,
      body,
      async () => {
        await sar.extend(requireUser(q), q.params.requestId, ExtensionInput.parse(body, { today: sar.today() }));
        return `/subject-access/${q.params.requestId}?saved=extended`;
      },
      (shown) => form(q, reply, shown),
    );
  });
}

/** Review other people's data: one include / redact / withhold (with a reason) per item. */
function registerReview(app: FastifyInstance) {
  const { subjectAccess: sar } = app.services;
  const form = async (request: FastifyRequest<{ Params: Params }>, reply: FastifyReply, shown?: Shown) => {
    const data = await sar.get(requireUser(request), request.params.requestId);
    const values: Body = {};
    for (const i of data.review)
      if (i.decided) {
        values[i.fields.decision] = i.decided.decision;
        values[i.fields.reason] = i.decided.reason ?? '';
      }
    return reply.view('subject-access/views/review.njk', {
      ...data,
      decisions: DECISIONS,
      ...shown,
      values: shown?.values ?? values,
    });
  };
  app.get<{ Params: Params }>('/subject-access/:requestId/review', { config: manage, schema: hide }, (q, r) =>
    form(q, r),
  );
  app.post<{ Params: Params }>('/subject-access/:requestId/review', { config: manage, schema: hide }, (q, reply) => {
    const body = (q.body ?? {}) as Body;
    return postForm(
      reply,
      body,
      async () => {
        const user = requireUser(q);
        const { review } = await sar.get(user, q.params.requestId);
        await sar.review(user, q.params.requestId, readReviewForm(body, review));
        return `/subject-access/${q.params.requestId}?saved=reviewed`;
      },
      (shown) => form(q, reply, shown),
    );
  });
}
