// The provisioning page (/admin/provisioning, capability user:admin): the council's SCIM secrets (a new one shown
// once, in the success banner of the POST's own answer, never in an address; revoking one) and the department →
// team mapping. Forms: GOV.UK error summary, nothing written on error, POST-redirect-GET with a success banner.
// The SCIM endpoint itself is api.ts.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { postForm, type Shown } from '../../http/form-post.ts';
import { type Body, errorList, ValidationError } from '../../http/forms.ts';
import { requireUser } from '../../http/request.ts';
import { registerScimApi } from './api.ts';
import { MappingInput, SecretInput } from './schemas.ts';

const PAGE = '/admin/provisioning';
const VIEW = 'scim/views/provisioning.njk';
const hide = { hide: true };
type SecretParams = { secretId: string };
type MappingParams = { mappingId: string };

const SAVED: Record<string, string> = {
  revoked: 'Secret revoked: the directory can no longer provision with it',
  department: 'Department saved: people the directory puts in it join its team',
  removed: 'Department removed: nobody is moved by it any more',
  existing: 'Existing staff accounts handed to the directory: it can now find, link and update them',
};
const savedText = (q: unknown) => SAVED[String((q as Record<string, unknown>).saved ?? '')] ?? '';

export function registerScimRoutes(app: FastifyInstance) {
  const { scim, scimAdmin } = app.services;
  const config = { policy: { capability: 'user:admin' as const } };
  const tenantUrl = `${scim.baseUrl}/scim/v2`;

  const page = async (request: FastifyRequest, reply: FastifyReply, extra: Record<string, unknown> = {}) =>
    reply.view(VIEW, { ...(await scimAdmin.overview(requireUser(request))), tenantUrl, ...extra });
  const again = (request: FastifyRequest, reply: FastifyReply) => (shown: Shown) => page(request, reply, shown);

  app.get(PAGE, { config, schema: hide }, async (request, reply) =>
    page(request, reply, { savedText: savedText(request.query) }),
  );

  // Answered, not redirected: the secret is shown this once and must never travel in an address.
  app.post(`${PAGE}/secrets`, { config, schema: hide }, async (request, reply) => {
    const user = requireUser(request);
    const body = (request.body ?? {}) as Body;
    try {
      const input = SecretInput.parse(body, { today: '' });
      const { secret } = await scimAdmin.createSecret(user, input);
      return page(request, reply, { newSecret: { label: input.label, secret } });
    } catch (e) {
      if (!(e instanceof ValidationError)) throw e;
      reply.code(400);
      return page(request, reply, { values: { label: body.label }, errors: e.fields, errorList: errorList(e.fields) });
    }
  });

  app.post<{ Params: SecretParams }>(
    `${PAGE}/secrets/:secretId/revoke`,
    { config, schema: hide },
    async (request, reply) => {
      await scimAdmin.revokeSecret(requireUser(request), request.params.secretId);
      return reply.redirect(`${PAGE}?saved=revoked`, 303);
    },
  );

  app.post(`${PAGE}/departments`, { config, schema: hide }, async (request, reply) => {
    const body = (request.body ?? {}) as Body;
    return postForm(
      reply,
      body,
      async () => {
        await scimAdmin.saveMapping(requireUser(request), MappingInput.parse(body, { today: '' }));
        return `${PAGE}?saved=department`;
      },
      again(request, reply),
    );
  });

  app.post<{ Params: MappingParams }>(
    `${PAGE}/departments/:mappingId/remove`,
    { config, schema: hide },
    async (request, reply) => {
      await scimAdmin.deleteMapping(requireUser(request), request.params.mappingId);
      return reply.redirect(`${PAGE}?saved=removed`, 303);
    },
  );

  app.post(`${PAGE}/existing-staff`, { config, schema: hide }, async (request, reply) => {
    await scimAdmin.takeOverExistingStaff(requireUser(request));
    return reply.redirect(`${PAGE}?saved=existing`, 303);
  });

  registerScimApi(app);
}
