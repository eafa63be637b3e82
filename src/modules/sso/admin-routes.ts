// Single sign-on set-up pages (/admin/single-sign-on, user:admin): tenants, app role mappings, and the requests of
// people not yet known. Forms post and redirect with ?saved=<key>, or show the page again with an error summary (400).
import { Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ROLES } from '../../domain/roles.ts';
import { Id } from '../../http/api-schema.ts';
import { postForm, type Shown } from '../../http/form-post.ts';
import type { Body } from '../../http/forms.ts';
import { requireUser } from '../../http/request.ts';
import { readApproval, readMapping, readTenant } from './admin.ts';

const V = 'sso/views';
const BASE = '/admin/single-sign-on';
const admin = { policy: { capability: 'user:admin' as const } };
const hidden = (params?: Record<string, unknown>) => ({
  hide: true,
  ...(params ? { params: Type.Object(params as never) } : {}),
});

const SAVED: Record<string, string> = {
  tenant: 'Tenant added: its accounts can now sign in',
  'tenant-removed': 'Tenant removed: its accounts can no longer sign in',
  mapping: 'Role mapping added: it applies at each person’s next sign-in',
  'mapping-removed': 'Role mapping removed: it applies at each person’s next sign-in',
  approved: 'Request approved: they can now sign in with their council account',
  refused: 'Request refused: they cannot sign in with their council account',
};
const savedText = (req: FastifyRequest) =>
  SAVED[String((req.query as Record<string, unknown> | undefined)?.saved ?? '')];

export const roleItems = Object.entries(ROLES).map(([value, r]) => ({ value, text: r.label }));

type Form = 'tenant' | 'mapping';

export function registerSsoAdminRoutes(app: FastifyInstance) {
  const sso = app.services.sso;

  async function overview(req: FastifyRequest, reply: FastifyReply, form?: Form, shown?: Shown) {
    const data = await sso.admin.overview(requireUser(req));
    return reply.view(`${V}/admin.njk`, {
      ...data,
      configured: sso.settings
        ? { issuer: sso.settings.issuer, redirectUrl: sso.settings.redirectUrl, allowed: sso.settings.allowedTenants }
        : null,
      roleItems,
      tenantValues: form === 'tenant' ? shown?.values : {},
      mappingValues: form === 'mapping' ? shown?.values : {},
      errors: shown?.errors ?? {},
      errorList: shown?.errorList,
      savedText: savedText(req),
    });
  }

  app.get(BASE, { config: admin, schema: hidden() }, (req, reply) => overview(req, reply));

  app.post(`${BASE}/tenants`, { config: admin, schema: hidden() }, async (req, reply) => {
    const body = (req.body ?? {}) as Body;
    return postForm(
      reply,
      body,
      async () => {
        await sso.admin.addTenant(requireUser(req), readTenant(body));
        return `${BASE}?saved=tenant`;
      },
      (shown) => overview(req, reply, 'tenant', shown),
    );
  });

  app.post<{ Params: { tenantId: string } }>(
    `${BASE}/tenants/:tenantId/remove`,
    { config: admin, schema: hidden({ tenantId: Id }) },
    async (req, reply) => {
      await sso.admin.removeTenant(requireUser(req), req.params.tenantId);
      return reply.redirect(`${BASE}?saved=tenant-removed`, 303);
    },
  );

  registerMappingPages(app, overview);
  registerRequestPages(app);
}

type Overview = (req: FastifyRequest, reply: FastifyReply, form?: Form, shown?: Shown) => Promise<unknown>;

function registerMappingPages(app: FastifyInstance, overview: Overview) {
  const sso = app.services.sso;
  app.post(`${BASE}/role-mappings`, { config: admin, schema: hidden() }, async (req, reply) => {
    const body = (req.body ?? {}) as Body;
    return postForm(
      reply,
      body,
      async () => {
        await sso.admin.addMapping(requireUser(req), readMapping(body));
        return `${BASE}?saved=mapping`;
      },
      (shown) => overview(req, reply, 'mapping', shown),
    );
  });

  app.post<{ Params: { mappingId: string } }>(
    `${BASE}/role-mappings/:mappingId/remove`,
    { config: admin, schema: hidden({ mappingId: Id }) },
    async (req, reply) => {
      await sso.admin.removeMapping(requireUser(req), req.params.mappingId);
      return reply.redirect(`${BASE}?saved=mapping-removed`, 303);
    },
  );
}

type RequestP = { Params: { requestId: string } };

function registerRequestPages(app: FastifyInstance) {
  const sso = app.services.sso;

  async function requestPage(req: FastifyRequest<RequestP>, reply: FastifyReply, shown?: Shown) {
    const data = await sso.admin.request(requireUser(req), req.params.requestId);
    // Nothing ticked: the roles are the administrator's choice, never the requester's own claims.
    const values: Body = shown?.values ?? { roles: [], email: data.request.email ?? '', user_id: '' };
    const chosen = ([] as unknown[]).concat(values.roles ?? []);
    return reply.view(`${V}/request.njk`, {
      ...data,
      values,
      roleItems: roleItems.map((r) => ({ ...r, checked: chosen.includes(r.value) })),
      accountItems: [
        { value: '', text: 'No: make a new account' },
        ...data.accounts.map((a) => ({
          value: a.id,
          text: `${a.display_name} (${a.email})`,
          selected: values.user_id === a.id,
        })),
      ],
      errors: shown?.errors ?? {},
      errorList: shown?.errorList,
    });
  }

  const params = hidden({ requestId: Id });
  app.get<RequestP>(`${BASE}/requests/:requestId`, { config: admin, schema: params }, (req, reply) =>
    requestPage(req, reply),
  );

  app.post<RequestP>(`${BASE}/requests/:requestId/approve`, { config: admin, schema: params }, async (req, reply) => {
    const body = (req.body ?? {}) as Body;
    return postForm(
      reply,
      body,
      async () => {
        await sso.admin.approve(requireUser(req), req.params.requestId, readApproval(body));
        return `${BASE}?saved=approved`;
      },
      (shown) => requestPage(req, reply, shown),
    );
  });

  app.post<RequestP>(`${BASE}/requests/:requestId/refuse`, { config: admin, schema: params }, async (req, reply) => {
    await sso.admin.refuse(requireUser(req), req.params.requestId);
    return reply.redirect(`${BASE}?saved=refused`, 303);
  });
}
