// Single sign-on set-up in the JSON API (/api/v1/sso, user:admin): tenants, app role mappings and access requests,
// with the same rules as the pages (admin.ts). Bad input: 400 naming each field and the fix, nothing written.
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { ROLE_NAMES } from '../../domain/roles.ts';
import { apiRoutes } from '../../http/api-routes.ts';
import { DateTime, errorsOf, Id, Nullable } from '../../http/api-schema.ts';
import type { Body } from '../../http/forms.ts';
import { requireUser } from '../../http/request.ts';
import { readApproval, readMapping, readTenant } from './admin.ts';

const tags = ['Single sign-on'];
const errors = errorsOf(400, 401, 403, 404);
const admin = { policy: { capability: 'user:admin' as const } };

const Tenant = Type.Object({
  id: Id,
  tid: Type.String({ description: 'The Entra ID directory (tenant) id' }),
  label: Type.String(),
  service_id: Nullable(Id),
  service_name: Nullable(Type.String()),
});
const TenantPost = Type.Object(
  {
    tid: Type.String({ maxLength: 36, description: 'The directory (tenant) id, 36 characters' }),
    label: Type.String({ maxLength: 200, description: 'The organisation’s name' }),
    service_id: Type.Optional(Nullable(Type.String({ description: 'A service of your council new accounts join' }))),
  },
  { additionalProperties: false },
);
const Mapping = Type.Object({
  id: Id,
  tenant_id: Nullable(Id),
  tenant_label: Nullable(Type.String()),
  app_role: Type.String(),
  role: Type.String(),
});
const MappingPost = Type.Object(
  {
    tenant_id: Type.Optional(
      Nullable(
        Type.String({
          description:
            'This tenant only (a partner tenant: outside-agency roles only); null: the council’s own tenants',
        }),
      ),
    ),
    app_role: Type.String({ maxLength: 100, description: 'The app role’s value in the app registration' }),
    role: Type.String({ description: `One of: ${ROLE_NAMES.join(', ')}` }),
  },
  { additionalProperties: false },
);
const AccessRequest = Type.Object({
  id: Id,
  display_name: Type.String(),
  email: Nullable(Type.String()),
  app_roles: Type.Array(Type.String()),
  status: Type.String({ description: 'pending, approved or refused' }),
  tenant_label: Type.String(),
  created_at: DateTime,
});
const ApprovePost = Type.Object(
  {
    user_id: Type.Optional(
      Nullable(
        Type.String({
          description: 'Link to this existing account (roles unchanged until its next sign-in with app roles)',
        }),
      ),
    ),
    email: Type.Optional(Type.String({ maxLength: 254, description: 'For a new account: their work email' })),
    roles: Type.Optional(Type.Array(Type.String(), { description: 'For a new account: its roles (at least one)' })),
  },
  {
    additionalProperties: false,
    description: 'Either user_id (link to an existing account) or email and roles (a new account)',
  },
);
const TenantParams = Type.Object({ tenantId: Id });
const MappingParams = Type.Object({ mappingId: Id });
const RequestParams = Type.Object({ requestId: Id });
const Done = Type.Object({ ok: Type.Boolean() });

export function registerSsoApi(app: FastifyInstance) {
  listsAndAdds(app);
  removals(app);
  decisions(app);
}

/** Tenants, role mappings and waiting requests listed; a tenant or a mapping added. */
function listsAndAdds(app: FastifyInstance) {
  const sso = app.services.sso;
  const api = apiRoutes(app, tags, errors);

  api.list('/api/v1/sso/tenants', 'The directory tenants whose accounts may sign in', admin, Tenant, async (u) =>
    (await sso.admin.overview(u)).tenants.map(({ created_at: _c, ...t }) => t),
  );
  api.add(
    '/api/v1/sso/tenants',
    'Add a directory tenant whose accounts may sign in (optionally tied to a service for new accounts)',
    admin,
    { schema: TenantPost },
    (u, body) => sso.admin.addTenant(u, readTenant(body)),
  );
  api.list('/api/v1/sso/role-mappings', 'App roles and the Handover roles they give', admin, Mapping, async (u) =>
    (await sso.admin.overview(u)).mappings.map(({ created_at: _c, ...m }) => m),
  );
  api.add(
    '/api/v1/sso/role-mappings',
    'Map an app role to a Handover role (applies at each person’s next sign-in)',
    admin,
    { schema: MappingPost },
    (u, body) => sso.admin.addMapping(u, readMapping(body)),
  );
  api.list(
    '/api/v1/sso/access-requests',
    'Requests to use Handover waiting for approval (people who signed in and are not yet known)',
    admin,
    AccessRequest,
    async (u) => (await sso.admin.overview(u)).pending,
  );
}

/** A tenant or a role mapping removed. */
function removals(app: FastifyInstance) {
  const sso = app.services.sso;
  const remove = (
    path: string,
    summary: string,
    params: typeof TenantParams | typeof MappingParams,
    run: (u: ReturnType<typeof requireUser>, id: string) => Promise<void>,
  ) =>
    app.delete(
      path,
      { config: admin, schema: { tags, summary, params, response: { 200: Done, ...errors } } },
      async (request) => {
        const p = request.params as Record<string, string>;
        await run(requireUser(request), Object.values(p)[0] as string);
        return { ok: true };
      },
    );
  remove(
    '/api/v1/sso/tenants/:tenantId',
    'Remove a tenant: its accounts can no longer sign in',
    TenantParams,
    (u, id) => sso.admin.removeTenant(u, id),
  );
  remove('/api/v1/sso/role-mappings/:mappingId', 'Remove an app role mapping', MappingParams, (u, id) =>
    sso.admin.removeMapping(u, id),
  );
}

/** A waiting request approved (a new account, or a link to an existing one) or refused. */
function decisions(app: FastifyInstance) {
  const sso = app.services.sso;
  app.post(
    '/api/v1/sso/access-requests/:requestId/approve',
    {
      config: admin,
      schema: {
        tags,
        summary: 'Approve a request: make a new account (email, roles) or link it to an existing one (user_id)',
        params: RequestParams,
        body: ApprovePost,
        response: { 200: Type.Object({ user_id: Id }), ...errors },
      },
    },
    async (request) => {
      const { requestId } = request.params as { requestId: string };
      const userId = await sso.admin.approve(requireUser(request), requestId, readApproval(request.body as Body));
      return { user_id: userId };
    },
  );
  app.post(
    '/api/v1/sso/access-requests/:requestId/refuse',
    {
      config: admin,
      schema: { tags, summary: 'Refuse a request', params: RequestParams, response: { 200: Done, ...errors } },
    },
    async (request) => {
      await sso.admin.refuse(requireUser(request), (request.params as { requestId: string }).requestId);
      return { ok: true };
    },
  );
}
