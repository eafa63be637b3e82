// Documents on a transfer, a referral and a young person's item on a panel meeting: for each, its own documents
// page (where a refused upload comes back with its messages; the target's page shows the same list and form as a
// panel), the upload, the download, and the same through the JSON API. One route table, one upload path
// (DocumentsService.uploadToTarget); who may see and act on each target is in targets.ts.
import { type TObject, Type } from '@sinclair/typebox';
import type { FastifyContextConfig, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { errors, Id } from '../../http/api-schema.ts';
import { Forbidden } from '../../http/errors.ts';
import { postForm, type Shown } from '../../http/form-post.ts';
import type { Body } from '../../http/forms.ts';
import { requirePersonAccess, requireUser } from '../../http/request.ts';
import type { AuthUser } from '../../http/types.ts';
import { Document, item, tags } from './api.ts';
import { sendDocument, typed } from './routes.ts';
import { readUpload, UploadBody } from './schemas.ts';
import type { Target } from './targets.ts';

type Params = Record<string, string>;
type Req = FastifyRequest<{ Params: Params }>;

interface TargetRoutes {
  /** In words, after "Documents on the". */
  what: string;
  /** The target's page (the documents are under it), and the same under /api/v1. */
  path: string;
  apiPath: string;
  params: TObject;
  read: FastifyContextConfig;
  upload: FastifyContextConfig;
  resolve: (app: FastifyInstance, request: Req, user: AuthUser) => Promise<Target>;
  /** The target's page: the back link, and where an upload goes back to (its success banner takes focus, so no #fragment). */
  back: (p: Params) => { href: string; text: string };
  done: (p: Params) => string;
}

const person = (capability: 'person:read') => ({ policy: { capability, person: 'personId' } });
const TARGETS: TargetRoutes[] = [
  {
    what: 'transfer',
    path: '/people/:personId/transfers/:transferId',
    apiPath: '/api/v1/people/:personId/transfers/:transferId',
    params: Type.Object({ personId: Id, transferId: Id }),
    read: person('person:read'),
    // Who may act on a transfer (its workers and managers) is checked by targets.ts: the record's relationship here.
    upload: person('person:read'),
    resolve: (app, r, user) =>
      app.services.documents.transferTarget(user, requirePersonAccess(r), r.params.transferId as string),
    back: (p) => ({ href: `/people/${p.personId}/transfers/${p.transferId}`, text: 'Back to the transfer' }),
    done: (p) => `/people/${p.personId}/transfers/${p.transferId}?saved=document`,
  },
  {
    what: 'referral',
    path: '/people/:personId/referrals/:referralId',
    apiPath: '/api/v1/people/:personId/referrals/:referralId',
    params: Type.Object({ personId: Id, referralId: Id }),
    read: person('person:read'),
    upload: person('person:read'),
    resolve: (app, r, user) =>
      app.services.documents.referralTarget(user, requirePersonAccess(r), r.params.referralId as string),
    back: (p) => ({ href: `/people/${p.personId}/referrals/${p.referralId}`, text: 'Back to the referral' }),
    done: (p) => `/people/${p.personId}/referrals/${p.referralId}?saved=document`,
  },
  {
    what: 'meeting item',
    path: '/panels/meetings/:meetingId/items/:itemId',
    apiPath: '/api/v1/panel-meetings/:meetingId/items/:itemId',
    params: Type.Object({ meetingId: Id, itemId: Id }),
    read: { policy: { capability: 'panel:read' } },
    upload: { policy: { capability: 'panel:manage' } },
    // The panels' service shows the meeting only to its panel's members: the same check opens its items' documents.
    resolve: async (app, r, user) => {
      const { meeting } = await app.services.transitions.meeting(user, r.params.meetingId as string);
      return app.services.documents.meetingTarget(user, meeting, r.params.itemId as string);
    },
    back: (p) => ({ href: `/panels/meetings/${p.meetingId}#item-${p.itemId}`, text: 'Back to the meeting' }),
    done: (p) => `/panels/meetings/${p.meetingId}?saved=document`,
  },
];

const hide = { hide: true };

/** Refused before the file is read: who may see the target but not act on it. */
function mayUpload(target: Target, what: string) {
  if (!target.canUpload) throw new Forbidden(`You may see this ${what}, not add documents to it.`);
}

export function registerTargetDocuments(app: FastifyInstance) {
  for (const t of TARGETS) {
    targetPages(app, t);
    targetApi(app, t);
  }
}

function targetPages(app: FastifyInstance, t: TargetRoutes) {
  const { documents } = app.services;
  const page = async (request: Req, reply: FastifyReply, target: Target, shown?: Shown) =>
    reply.view('documents/views/target.njk', {
      docPanel: {
        documents: await documents.listOnTarget(requireUser(request), target, 'page'),
        base: target.base,
        canUpload: target.canUpload,
        ...documents.rules(),
      },
      what: t.what,
      back: t.back(request.params),
      ...(shown ? typed(shown) : { values: {} }),
    });

  app.get<{ Params: Params }>(`${t.path}/documents`, { config: t.read, schema: hide }, async (request, reply) =>
    page(request, reply, await t.resolve(app, request, requireUser(request))),
  );

  app.post<{ Params: Params }>(`${t.path}/documents`, { config: t.upload, schema: hide }, async (request, reply) => {
    const user = requireUser(request);
    const target = await t.resolve(app, request, user);
    mayUpload(target, t.what);
    const body = (request.body ?? {}) as Body;
    return postForm(
      reply,
      body,
      async () => {
        const { title, upload } = readUpload(body, documents.config.maxBytes, documents.today());
        await documents.uploadToTarget(user, target, { title, upload });
        return t.done(request.params);
      },
      (shown) => page(request, reply, target, shown),
    );
  });

  app.get<{ Params: Params }>(
    `${t.path}/documents/:documentId`,
    { config: t.read, schema: hide },
    async (request, reply) => {
      const user = requireUser(request);
      const target = await t.resolve(app, request, user);
      return sendDocument(
        reply,
        await documents.downloadOnTarget(user, target, request.params.documentId as string, 'page'),
      );
    },
  );
}

function targetApi(app: FastifyInstance, t: TargetRoutes) {
  const { documents } = app.services;
  app.get<{ Params: Params }>(
    `${t.apiPath}/documents`,
    {
      config: t.read,
      schema: {
        tags,
        summary: `The documents attached to the ${t.what}, newest first (the read is logged)`,
        params: t.params,
        response: { 200: Type.Object({ items: Type.Array(Document) }), ...errors },
      },
    },
    async (request) => {
      const user = requireUser(request);
      const target = await t.resolve(app, request, user);
      return { items: (await documents.listOnTarget(user, target, 'api')).map(item) };
    },
  );

  app.post<{ Params: Params }>(
    `${t.apiPath}/documents`,
    {
      config: t.upload,
      schema: {
        tags,
        summary: `Attach a document to the ${t.what} as multipart/form-data (the file in the part named "file"): its type is read from the content, it is scanned for viruses, and refused (400, nothing stored) if infected`,
        consumes: ['multipart/form-data'],
        params: t.params,
        body: UploadBody,
        response: { 201: Type.Object({ id: Id }), ...errors },
      },
      // The multipart body is read by readUpload (the file is bytes): the schema documents it only.
      attachValidation: true,
    },
    async (request, reply) => {
      const user = requireUser(request);
      const target = await t.resolve(app, request, user);
      mayUpload(target, t.what);
      const { title, upload } = readUpload((request.body ?? {}) as Body, documents.config.maxBytes, documents.today());
      return reply.code(201).send({ id: await documents.uploadToTarget(user, target, { title, upload }) });
    },
  );

  app.get<{ Params: Params }>(
    `${t.apiPath}/documents/:documentId`,
    {
      config: t.read,
      schema: {
        tags,
        summary: `Download a document attached to the ${t.what}: its bytes as an attachment (the read is logged)`,
        params: Type.Object({ ...t.params.properties, documentId: Id }),
        response: { 200: Type.String({ format: 'binary' }), ...errors },
      },
    },
    async (request, reply) => {
      const user = requireUser(request);
      const target = await t.resolve(app, request, user);
      return sendDocument(
        reply,
        await documents.downloadOnTarget(user, target, request.params.documentId as string, 'api'),
      );
    },
  );
}
