// JSON API for documents (/api/v1): the list on a record, an upload (multipart/form-data, the file in the part
// named "file"), and a download; the advice giver's list and download on the request addressed to them. Same
// service, checks, scanner and access-log rows as the pages.
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { DateTime, errors, Id, Nullable, PersonParams } from '../../http/api-schema.ts';
import type { Body } from '../../http/forms.ts';
import { requireAdviceAccess, requirePersonAccess, requireUser } from '../../http/request.ts';
import { sendDocument } from './routes.ts';
import { readUpload, TARGET_KINDS, UploadBody } from './schemas.ts';
import type { DocumentView } from './service.ts';

const TargetKind = Type.Union(
  Object.keys(TARGET_KINDS).map((k) => Type.Literal(k)),
  { description: 'What the document is about: the record itself, or something on it' },
);
export const Document = Type.Object({
  id: Id,
  title: Type.String(),
  target_kind: TargetKind,
  target_id: Nullable(Id),
  media_type: Type.String({ description: 'Read from the content when it was uploaded, never from the name' }),
  size_bytes: Type.Integer(),
  sha256: Type.String({ pattern: '^[0-9a-f]{64}$' }),
  scan_result: Type.Union([Type.Literal('clean'), Type.Literal('not_scanned')], {
    description: 'clean: ClamAV found nothing; not_scanned: uploaded while virus scanning was turned off',
  }),
  uploaded_by: Type.String(),
  uploaded_at: DateTime,
});
const DocParams = Type.Object({ personId: Id, documentId: Id });
const AdviceParams = Type.Object({ requestId: Id });
const AdviceDocParams = Type.Object({ requestId: Id, documentId: Id });

export const item = (d: DocumentView) => ({
  id: d.id,
  title: d.title,
  target_kind: d.target_kind,
  target_id: d.target_id,
  media_type: d.media_type,
  size_bytes: d.size_bytes,
  sha256: d.sha256,
  scan_result: d.scan_result,
  uploaded_by: d.uploaded_by_name,
  uploaded_at: d.uploaded_at.toISOString(),
});

const read = { policy: { capability: 'person:read' as const, person: 'personId' } };
const edit = { policy: { capability: 'person:edit' as const, person: 'personId' } };
const giver = { policy: { capability: null, adviceRequest: 'requestId' } };
export const tags = ['documents'];

export function registerDocumentsApi(app: FastifyInstance) {
  const { documents } = app.services;
  app.get(
    '/api/v1/people/:personId/documents',
    {
      config: read,
      schema: {
        tags,
        summary: 'The documents on the record and on what is on it, newest first (the read is logged)',
        params: PersonParams,
        response: { 200: Type.Object({ items: Type.Array(Document) }), ...errors },
      },
    },
    async (request) => {
      const r = await documents.list(requireUser(request), requirePersonAccess(request), 'api');
      return { items: r.documents.map(item) };
    },
  );

  app.post(
    '/api/v1/people/:personId/documents',
    {
      config: edit,
      schema: {
        tags,
        summary: `Upload a document as multipart/form-data (at most ${Math.round(documents.config.maxBytes / 1048576)} MB): its type is read from the content, it is scanned for viruses, and refused (400, nothing stored) if infected`,
        consumes: ['multipart/form-data'],
        params: PersonParams,
        body: UploadBody,
        response: { 201: Type.Object({ id: Id }), ...errors },
      },
      // The multipart body is read by readUpload (the file is bytes, not a string): the schema documents it only.
      // The path's ids are checked by the policy (every *Id a UUID, the record related to the caller).
      attachValidation: true,
    },
    async (request, reply) => {
      const { personId } = request.params as { personId: string };
      const input = readUpload((request.body ?? {}) as Body, documents.config.maxBytes, documents.today());
      return reply.code(201).send({ id: await documents.upload(requireUser(request), personId, input) });
    },
  );

  app.get(
    '/api/v1/people/:personId/documents/:documentId',
    {
      config: read,
      schema: {
        tags,
        summary:
          'Download a document: its bytes as an attachment, with its content type (the read is logged). The SHA-256 is checked first',
        params: DocParams,
        response: { 200: Type.String({ format: 'binary' }), ...errors },
      },
    },
    async (request, reply) => {
      const { documentId } = request.params as { documentId: string };
      return sendDocument(
        reply,
        await documents.download(requireUser(request), requirePersonAccess(request), documentId, 'api'),
      );
    },
  );
  adviceGiversApi(app);
}

/**
 * The advice giver's documents: only those on the request addressed to them, never the record's (their advice as a
 * document is sent with POST /api/v1/advice-requests/:requestId/advice). The coordinator reads the same documents
 * through the record's (GET /api/v1/people/:personId/documents, target_kind advice_request).
 */
function adviceGiversApi(app: FastifyInstance) {
  const { documents } = app.services;
  app.get(
    '/api/v1/advice-requests/:requestId/documents',
    {
      config: giver,
      schema: {
        tags,
        summary: 'The documents on an advice request addressed to me, newest first (the read is logged)',
        params: AdviceParams,
        response: { 200: Type.Object({ items: Type.Array(Document) }), ...errors },
      },
    },
    async (request) => {
      const r = await documents.listForAdvice(requireUser(request), requireAdviceAccess(request), 'api');
      return { items: r.documents.map(item) };
    },
  );
  app.get(
    '/api/v1/advice-requests/:requestId/documents/:documentId',
    {
      config: giver,
      schema: {
        tags,
        summary:
          'Download a document on an advice request addressed to me: its bytes as an attachment (the read is logged)',
        params: AdviceDocParams,
        response: { 200: Type.String({ format: 'binary' }), ...errors },
      },
    },
    async (request, reply) => {
      const { documentId } = request.params as { documentId: string };
      return sendDocument(
        reply,
        await documents.downloadForAdvice(requireUser(request), requireAdviceAccess(request), documentId, 'api'),
      );
    },
  );
}
