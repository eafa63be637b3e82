// The documents pages: the documents on a young person's record with the upload form (GOV.UK file upload), the
// download of one (always as an attachment, named by its id), and the advice giver's own: the documents on the
// advice request addressed to them, and uploading their advice as a document instead of typing "see attached".
// Uploads are multipart forms, read by this scope's parser before the CSRF check (multipart.ts).
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { postForm, type Shown } from '../../http/form-post.ts';
import type { Body } from '../../http/forms.ts';
import { requireAdviceAccess, requirePersonAccess, requireUser } from '../../http/request.ts';
import { registerDocumentsApi } from './api.ts';
import { acceptUploads } from './multipart.ts';
import { readUpload, TARGET_KINDS } from './schemas.ts';
import { registerTargetDocuments } from './target-routes.ts';

type PersonParams = { personId: string };
type DocParams = PersonParams & { documentId: string };
type AdviceParams = { requestId: string };

const hide = { hide: true };
const read = { policy: { capability: 'person:read' as const, person: 'personId' } };
const edit = { policy: { capability: 'person:edit' as const, person: 'personId' } };
const giver = { policy: { capability: null, adviceRequest: 'requestId' } };
const saved = (q: unknown) => String((q as Record<string, unknown>).saved ?? '');

/** Only the text fields go back into the form (never the file, nor the CSRF token). */
export const typed = (shown: Shown) => ({
  ...shown,
  values: Object.fromEntries(Object.entries(shown.values).filter(([, v]) => typeof v === 'string')),
});

/** Sends a document's bytes as a download: its own type, never sniffed, never shown inline. */
export function sendDocument(
  reply: FastifyReply,
  d: { document: { id: string; media_type: string; extension: string }; bytes: Buffer },
) {
  return reply
    .type(d.document.media_type)
    .header('Content-Disposition', `attachment; filename="document-${d.document.id}.${d.document.extension}"`)
    .header('X-Content-Type-Options', 'nosniff')
    .header('Content-Security-Policy', "default-src 'none'; sandbox")
    .header('Cache-Control', 'no-store')
    .send(d.bytes);
}

export function registerDocumentsRoutes(app: FastifyInstance) {
  app.register(async (scope) => {
    acceptUploads(scope, app.services.documents.config.maxBytes);
    personPages(scope);
    advicePages(scope);
    registerDocumentsApi(scope);
    registerTargetDocuments(scope);
  });
}

function personPages(app: FastifyInstance) {
  const { documents } = app.services;
  const page = async (
    request: FastifyRequest<{ Params: PersonParams }>,
    reply: FastifyReply,
    shown?: Shown,
    flag = '',
  ) => {
    const user = requireUser(request);
    const data = await documents.list(user, requirePersonAccess(request), 'page');
    return reply.view('documents/views/list.njk', {
      ...data,
      ...documents.rules(),
      kinds: TARGET_KINDS,
      saved: flag,
      ...(shown ? typed(shown) : { values: {} }),
    });
  };

  app.get<{ Params: PersonParams }>('/people/:personId/documents', { config: read, schema: hide }, (request, reply) =>
    page(request, reply, undefined, saved(request.query)),
  );

  app.post<{ Params: PersonParams }>(
    '/people/:personId/documents',
    { config: edit, schema: hide },
    async (request, reply) => {
      const { personId } = request.params;
      const body = (request.body ?? {}) as Body;
      return postForm(
        reply,
        body,
        async () => {
          const input = readUpload(body, documents.config.maxBytes, documents.today());
          await documents.upload(requireUser(request), personId, input);
          return `/people/${personId}/documents?saved=uploaded`;
        },
        (shown) => page(request, reply, shown),
      );
    },
  );

  app.get<{ Params: DocParams }>(
    '/people/:personId/documents/:documentId',
    { config: read, schema: hide },
    async (request, reply) =>
      sendDocument(
        reply,
        await documents.download(requireUser(request), requirePersonAccess(request), request.params.documentId, 'page'),
      ),
  );
}

/** The advice giver's documents: only on the request addressed to them, never the record. */
function advicePages(app: FastifyInstance) {
  const { documents } = app.services;
  const page = async (
    request: FastifyRequest<{ Params: AdviceParams }>,
    reply: FastifyReply,
    shown?: Shown,
    flag = '',
  ) => {
    const data = await documents.listForAdvice(requireUser(request), requireAdviceAccess(request), 'page');
    return reply.view('documents/views/advice.njk', {
      ...data,
      ...documents.rules(),
      requestId: request.params.requestId,
      saved: flag,
      ...(shown ? typed(shown) : { values: {} }),
    });
  };

  app.get<{ Params: AdviceParams }>('/advice/:requestId/documents', { config: giver, schema: hide }, (request, reply) =>
    page(request, reply, undefined, saved(request.query)),
  );

  app.post<{ Params: AdviceParams }>(
    '/advice/:requestId/documents',
    { config: giver, schema: hide },
    async (request, reply) => {
      const body = (request.body ?? {}) as Body;
      return postForm(
        reply,
        body,
        async () => {
          const { title, upload } = readUpload(body, documents.config.maxBytes, documents.today());
          await documents.uploadAdvice(requireUser(request), requireAdviceAccess(request), { title, upload });
          return `/advice/${request.params.requestId}/documents?saved=uploaded`;
        },
        (shown) => page(request, reply, shown),
      );
    },
  );

  app.get<{ Params: AdviceParams & { documentId: string } }>(
    '/advice/:requestId/documents/:documentId',
    { config: giver, schema: hide },
    async (request, reply) =>
      sendDocument(
        reply,
        await documents.downloadForAdvice(
          requireUser(request),
          requireAdviceAccess(request),
          request.params.documentId,
          'page',
        ),
      ),
  );
}
