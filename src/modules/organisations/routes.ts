// The Set up pages (/admin): a council's IT administrator sets up their own authority's services,
// localities and SEND hubs, teams and staff. Routes parse, call the service and render; the rules live
// in service.ts. Forms: GOV.UK error summary and inline errors, nothing written on error, POST-redirect-GET.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { postForm, formValues as shownValues } from '../../http/form-post.ts';
import { type Body, list } from '../../http/forms.ts';
import { requireUser } from '../../http/request.ts';
import { staleForm } from '../../http/versions.ts';
import { registerOrganisationsApi } from './api.ts';
import { caseTypeItems, serviceKindItems } from './labels.ts';
import {
  AuthorityInput,
  HubInput,
  LocalityInput,
  NewUserInput,
  ServiceInput,
  ServiceUpdateInput,
  TeamInput,
  TeamUpdateInput,
  UserEditInput,
} from './schemas.ts';

type ServiceParams = { serviceId: string };
type LocalityParams = { localityId: string };
type TeamParams = { teamId: string };
type UserParams = { userId: string };

const V = 'organisations/views';

/**
 * Runs a write; on a ValidationError renders the form again (400) with the errors; otherwise 303s. A change of a
 * versioned record (`reload`: its form's address) that someone else saved first shows the form again (409) with an
 * error summary saying to reload (issue 15 item 8).
 */
async function formPage(
  reply: FastifyReply,
  template: string,
  data: () => Promise<Record<string, unknown>>,
  run: () => Promise<string>,
  reload?: string,
) {
  const again = async (shown: { errors: Record<string, string>; errorList: unknown[] }) =>
    reply.view(template, { ...(await data()), errors: shown.errors, errorList: shown.errorList });
  try {
    return await postForm(reply, {}, run, again);
  } catch (e) {
    if (!reload) throw e;
    return staleForm(reply, e, reload, again);
  }
}

/** What the user typed, to fill the form again: checkbox groups as arrays, never the password. */
function formValues(body: Body, arrays: string[] = []) {
  const values: Record<string, unknown> = shownValues(body);
  for (const a of arrays) values[a] = list(body, a);
  return values;
}

export function registerAdminRoutes(app: FastifyInstance) {
  const { organisations: orgs } = app.services;
  const org = { policy: { capability: 'org:admin' as const } };
  const users = { policy: { capability: 'user:admin' as const } };
  const hide = { hide: true };
  const ctx = () => ({ today: orgs.today() });

  app.get('/admin', { config: org, schema: hide }, async (request, reply) =>
    reply.view(`${V}/index.njk`, await orgs.overview(requireUser(request))),
  );

  // ---- authority

  app.get('/admin/authority', { config: org, schema: hide }, async (request, reply) => {
    const authority = await orgs.authority(requireUser(request));
    return reply.view(`${V}/authority.njk`, {
      authority,
      values: { name: authority.name, version: authority.version },
    });
  });

  app.post('/admin/authority', { config: org, schema: hide }, async (request, reply) => {
    const actor = requireUser(request);
    const body = (request.body ?? {}) as Body;
    return formPage(
      reply,
      `${V}/authority.njk`,
      async () => ({ authority: await orgs.authority(actor), values: formValues(body) }),
      async () => {
        await orgs.renameAuthority(actor, AuthorityInput.parse(body, ctx()));
        return '/admin';
      },
      '/admin/authority',
    );
  });

  // ---- services

  app.get('/admin/services', { config: org, schema: hide }, async (request, reply) =>
    reply.view(`${V}/services.njk`, { services: await orgs.services(requireUser(request)) }),
  );

  app.get('/admin/services/new', { config: org, schema: hide }, async (_request, reply) =>
    reply.view(`${V}/service-form.njk`, { kinds: serviceKindItems, values: {} }),
  );

  app.post('/admin/services', { config: org, schema: hide }, async (request, reply) => {
    const body = (request.body ?? {}) as Body;
    return formPage(
      reply,
      `${V}/service-form.njk`,
      async () => ({ kinds: serviceKindItems, values: formValues(body) }),
      async () => {
        await orgs.createService(requireUser(request), ServiceInput.parse(body, ctx()));
        return '/admin/services';
      },
    );
  });

  app.get<{ Params: ServiceParams }>(
    '/admin/services/:serviceId/edit',
    { config: org, schema: hide },
    async (request, reply) => {
      const service = await orgs.service(requireUser(request), request.params.serviceId);
      return reply.view(`${V}/service-form.njk`, {
        service,
        kinds: serviceKindItems,
        values: { ...service, external: service.external ? 'yes' : '' },
      });
    },
  );

  app.post<{ Params: ServiceParams }>(
    '/admin/services/:serviceId/edit',
    { config: org, schema: hide },
    async (request, reply) => {
      const actor = requireUser(request);
      const body = (request.body ?? {}) as Body;
      return formPage(
        reply,
        `${V}/service-form.njk`,
        async () => ({
          service: await orgs.service(actor, request.params.serviceId),
          kinds: serviceKindItems,
          values: formValues(body),
        }),
        async () => {
          await orgs.updateService(actor, request.params.serviceId, ServiceUpdateInput.parse(body, ctx()));
          return '/admin/services';
        },
        `/admin/services/${request.params.serviceId}/edit`,
      );
    },
  );

  // ---- localities and SEND hubs

  app.get('/admin/localities', { config: org, schema: hide }, async (request, reply) =>
    reply.view(`${V}/localities.njk`, { localities: await orgs.localities(requireUser(request)) }),
  );

  app.get('/admin/localities/new', { config: org, schema: hide }, async (_request, reply) =>
    reply.view(`${V}/locality-form.njk`, { values: {} }),
  );

  app.post('/admin/localities', { config: org, schema: hide }, async (request, reply) => {
    const body = (request.body ?? {}) as Body;
    return formPage(
      reply,
      `${V}/locality-form.njk`,
      async () => ({ values: formValues(body) }),
      async () => {
        await orgs.createLocality(requireUser(request), LocalityInput.parse(body, ctx()));
        return '/admin/localities';
      },
    );
  });

  app.get<{ Params: LocalityParams }>(
    '/admin/localities/:localityId/hubs/new',
    { config: org, schema: hide },
    async (request, reply) =>
      reply.view(`${V}/hub-form.njk`, {
        locality: await orgs.locality(requireUser(request), request.params.localityId),
        values: {},
      }),
  );

  app.post<{ Params: LocalityParams }>(
    '/admin/localities/:localityId/hubs',
    { config: org, schema: hide },
    async (request, reply) => {
      const actor = requireUser(request);
      const body = (request.body ?? {}) as Body;
      const locality = await orgs.locality(actor, request.params.localityId);
      return formPage(
        reply,
        `${V}/hub-form.njk`,
        async () => ({ locality, values: formValues(body) }),
        async () => {
          await orgs.createHub(actor, HubInput.parse({ name: body.name, locality_id: locality.id }, ctx()));
          return '/admin/localities';
        },
      );
    },
  );

  // ---- teams

  app.get('/admin/teams', { config: org, schema: hide }, async (request, reply) =>
    reply.view(`${V}/teams.njk`, { teams: await orgs.teams(requireUser(request)) }),
  );

  const teamForm = async (request: FastifyRequest) => ({
    options: await orgs.teamFormOptions(requireUser(request)),
    caseTypes: caseTypeItems,
  });

  app.get('/admin/teams/new', { config: org, schema: hide }, async (request, reply) =>
    reply.view(`${V}/team-form.njk`, {
      ...(await teamForm(request)),
      values: { remit_min_age: '0', remit_max_age: '25', remit_case_types: [] },
    }),
  );

  app.post('/admin/teams', { config: org, schema: hide }, async (request, reply) => {
    const body = (request.body ?? {}) as Body;
    return formPage(
      reply,
      `${V}/team-form.njk`,
      async () => ({ ...(await teamForm(request)), values: formValues(body, ['remit_case_types']) }),
      async () => `/admin/teams/${await orgs.createTeam(requireUser(request), TeamInput.read(body, ctx()))}`,
    );
  });

  app.get<{ Params: TeamParams }>('/admin/teams/:teamId', { config: org, schema: hide }, async (request, reply) =>
    reply.view(`${V}/team.njk`, await orgs.team(requireUser(request), request.params.teamId)),
  );

  app.get<{ Params: TeamParams }>(
    '/admin/teams/:teamId/edit',
    { config: org, schema: hide },
    async (request, reply) => {
      const { team } = await orgs.team(requireUser(request), request.params.teamId);
      return reply.view(`${V}/team-form.njk`, {
        ...(await teamForm(request)),
        team,
        values: { ...team, remit_min_age: String(team.remit_min_age), remit_max_age: String(team.remit_max_age) },
      });
    },
  );

  app.post<{ Params: TeamParams }>(
    '/admin/teams/:teamId/edit',
    { config: org, schema: hide },
    async (request, reply) => {
      const actor = requireUser(request);
      const body = (request.body ?? {}) as Body;
      const { team } = await orgs.team(actor, request.params.teamId);
      return formPage(
        reply,
        `${V}/team-form.njk`,
        async () => ({ ...(await teamForm(request)), team, values: formValues(body, ['remit_case_types']) }),
        async () => {
          await orgs.updateTeam(actor, team.id, TeamUpdateInput.read(body, ctx()));
          return `/admin/teams/${team.id}`;
        },
        `/admin/teams/${team.id}/edit`,
      );
    },
  );

  // ---- users

  app.get('/admin/users', { config: users, schema: hide }, async (request, reply) =>
    reply.view(`${V}/users.njk`, { accounts: await orgs.users(requireUser(request)) }),
  );

  app.get('/admin/users/new', { config: users, schema: hide }, async (request, reply) =>
    reply.view(`${V}/user-new.njk`, {
      options: await orgs.userFormOptions(requireUser(request)),
      values: { roles: [], team_ids: [] },
    }),
  );

  app.post('/admin/users', { config: users, schema: hide }, async (request, reply) => {
    const actor = requireUser(request);
    const body = (request.body ?? {}) as Body;
    return formPage(
      reply,
      `${V}/user-new.njk`,
      async () => ({ options: await orgs.userFormOptions(actor), values: formValues(body, ['roles', 'team_ids']) }),
      async () => `/admin/users/${await orgs.createUser(actor, NewUserInput.read(body, ctx()))}`,
    );
  });

  app.get<{ Params: UserParams; Querystring: { revoked?: string } }>(
    '/admin/users/:userId',
    { config: users, schema: hide },
    async (request, reply) => {
      const account = await orgs.account(requireUser(request), request.params.userId);
      return reply.view(`${V}/user.njk`, {
        account,
        tokens: await app.services.tokens.list(account.id),
        revoked: request.query.revoked === '1',
      });
    },
  );

  app.get<{ Params: UserParams }>(
    '/admin/users/:userId/edit',
    { config: users, schema: hide },
    async (request, reply) => {
      const actor = requireUser(request);
      const account = await orgs.account(actor, request.params.userId);
      return reply.view(`${V}/user-edit.njk`, {
        account,
        options: await orgs.userFormOptions(actor, account.id),
        values: { ...account, team_ids: account.teams.map((t) => t.id) },
      });
    },
  );

  app.post<{ Params: UserParams }>(
    '/admin/users/:userId/edit',
    { config: users, schema: hide },
    async (request, reply) => {
      const actor = requireUser(request);
      const body = (request.body ?? {}) as Body;
      const account = await orgs.account(actor, request.params.userId);
      return formPage(
        reply,
        `${V}/user-edit.njk`,
        async () => ({
          account,
          options: await orgs.userFormOptions(actor, account.id),
          values: formValues(body, ['roles', 'team_ids']),
        }),
        async () => {
          await orgs.updateUser(actor, account.id, UserEditInput.read(body, ctx()));
          return `/admin/users/${account.id}`;
        },
        `/admin/users/${account.id}/edit`,
      );
    },
  );

  for (const [path, active] of [
    ['deactivate', false],
    ['reactivate', true],
  ] as const) {
    app.post<{ Params: UserParams }>(
      `/admin/users/:userId/${path}`,
      { config: users, schema: hide },
      async (request, reply) => {
        const actor = requireUser(request);
        const id = request.params.userId;
        return formPage(
          reply,
          `${V}/user.njk`,
          async () => ({ account: await orgs.account(actor, id) }),
          async () => {
            await orgs.setActive(actor, id, active);
            return `/admin/users/${id}`;
          },
        );
      },
    );
  }

  registerOrganisationsApi(app);
}
