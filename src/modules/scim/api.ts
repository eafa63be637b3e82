// The SCIM 2.0 endpoint (/scim/v2) as Entra ID's provisioning service calls it: discovery, Users found by filter and
// paged, created, replaced, patched and closed (DELETE closes the account: Handover never deletes one). Every route
// has the provisioning policy (the council's bearer secret, src/http/policy.ts with the rule in service.ts); bodies
// are application/scim+json or JSON; answers and errors are SCIM's, in application/scim+json. Not in the OpenAPI
// document (it is SCIM's own protocol, described by its discovery endpoints).
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { UUID } from '../../http/forms.ts';
import { list, resourceTypes, schemas, serviceProviderConfig } from './discovery.ts';
import { readPatch } from './patch.ts';
import { parseFilter, readObject, SCIM_TYPE, ScimError, toScimUser } from './resource.ts';

const config = { policy: { provisioning: true as const } };
const hide = { hide: true };
type IdParams = { id: string };
const MAX_COUNT = 200;

function access(request: FastifyRequest) {
  const a = request.provisioningAccess;
  if (!a) throw new ScimError(401, 'Send the provisioning secret as "Authorization: Bearer <secret>"');
  return a;
}

function userId(params: IdParams) {
  if (!UUID.test(params.id)) throw new ScimError(404, `No user with id ${params.id.slice(0, 64)} in this council`);
  return params.id.toLowerCase();
}

function objectBody(body: unknown): Record<string, unknown> {
  if (!body || typeof body !== 'object' || Array.isArray(body))
    throw new ScimError(400, 'The body must be a SCIM User as a JSON object', 'invalidSyntax');
  return body as Record<string, unknown>;
}

/** startIndex (1-based) and count, as RFC 7644 §3.4.2.4 reads them: out-of-range values are brought into range. */
function paging(q: Record<string, string | undefined>) {
  const whole = (v: string | undefined, name: string) => {
    if (v === undefined || v === '') return null;
    if (!/^-?\d{1,9}$/.test(v)) throw new ScimError(400, `${name} must be a whole number`, 'invalidValue');
    return Number(v);
  };
  const startIndex = Math.max(1, whole(q.startIndex, 'startIndex') ?? 1);
  const count = Math.min(MAX_COUNT, Math.max(0, whole(q.count, 'count') ?? 100));
  return { startIndex, count };
}

const send = (reply: FastifyReply, status: number, body: unknown) => reply.code(status).type(SCIM_TYPE).send(body);

export function registerScimApi(app: FastifyInstance) {
  const { scim } = app.services;
  const base = `${scim.baseUrl}/scim/v2`;

  app.register(
    async (api) => {
      const json = api.getDefaultJsonParser('error', 'error');
      api.addContentTypeParser('application/scim+json', { parseAs: 'string' }, json);
      api.setErrorHandler(async (error: FastifyError, request, reply) => {
        if (error instanceof ScimError) return send(reply, error.status, error.body());
        if (error.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || error.code === 'FST_ERR_CTP_EMPTY_JSON_BODY')
          return send(reply, 400, new ScimError(400, 'The body is not valid JSON', 'invalidSyntax').body());
        const status = error.statusCode && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 500;
        if (status === 415)
          return send(
            reply,
            415,
            new ScimError(415, 'Send the body as application/scim+json or application/json').body(),
          );
        if (status === 500)
          // The type and code only: never the body, which holds staff names and addresses (quality.md S16).
          request.log.error({ err: { type: error.name, code: error.code } }, 'scim request failed');
        const detail =
          status === 500 ? 'Handover could not complete the request: try again later' : 'The request could not be read';
        return send(reply, status, new ScimError(status, detail).body());
      });

      // After the access policy: a body of any other type (a form, plain text) is not a SCIM resource.
      api.addHook('preValidation', async (request, reply) => {
        if (request.body === undefined) return;
        const type = (request.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
        if (type !== 'application/scim+json' && type !== 'application/json')
          return send(
            reply,
            415,
            new ScimError(415, 'Send the body as application/scim+json or application/json').body(),
          );
      });

      api.get('/ServiceProviderConfig', { config, schema: hide }, async (_request, reply) =>
        send(reply, 200, serviceProviderConfig(base)),
      );
      api.get('/ResourceTypes', { config, schema: hide }, async (_request, reply) =>
        send(reply, 200, resourceTypes(base)),
      );
      api.get('/Schemas', { config, schema: hide }, async (_request, reply) => send(reply, 200, schemas(base)));

      api.get<{ Querystring: Record<string, string | undefined> }>(
        '/Users',
        { config, schema: hide },
        async (request, reply) => {
          const { authorityId } = access(request);
          const filter = parseFilter(request.query.filter);
          const { startIndex, count } = paging(request.query);
          const found = await scim.list(authorityId, filter, { offset: startIndex - 1, limit: count });
          const users = found.rows.map((r) => toScimUser(r, scim.baseUrl));
          return send(reply, 200, list(users, startIndex, found.total));
        },
      );

      api.post('/Users', { config, schema: hide }, async (request, reply) => {
        const { authorityId } = access(request);
        const id = await scim.create(authorityId, readObject(objectBody(request.body)));
        const user = toScimUser(await scim.find(authorityId, id), scim.baseUrl);
        return send(reply.header('Location', user.meta.location), 201, user);
      });

      api.get<{ Params: IdParams }>('/Users/:id', { config, schema: hide }, async (request, reply) => {
        const { authorityId } = access(request);
        return send(reply, 200, toScimUser(await scim.find(authorityId, userId(request.params)), scim.baseUrl));
      });

      api.put<{ Params: IdParams }>('/Users/:id', { config, schema: hide }, async (request, reply) => {
        const { authorityId } = access(request);
        const id = userId(request.params);
        await scim.replace(authorityId, id, readObject(objectBody(request.body)));
        return send(reply, 200, toScimUser(await scim.find(authorityId, id), scim.baseUrl));
      });

      api.patch<{ Params: IdParams }>('/Users/:id', { config, schema: hide }, async (request, reply) => {
        const { authorityId } = access(request);
        const id = userId(request.params);
        await scim.change(authorityId, id, readPatch(request.body));
        return send(reply, 200, toScimUser(await scim.find(authorityId, id), scim.baseUrl));
      });

      // Closes the account (as "active": false): the record of who did what stays, so no account is ever deleted.
      api.delete<{ Params: IdParams }>('/Users/:id', { config, schema: hide }, async (request, reply) => {
        const { authorityId } = access(request);
        await scim.change(authorityId, userId(request.params), { active: false });
        return reply.code(204).send();
      });
    },
    { prefix: '/scim/v2' },
  );
}
