// JSON API for setting up a council (/api/v1). Same service and rules as the Set up pages. The lists of
// services, localities, hubs and teams are open to any signed-in member of staff (they pick teams from
// them); changing them needs org:admin, and users need user:admin. Responses are serialised through
// these schemas, so nothing outside them (such as password_hash) can leave.
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { apiRoutes } from '../../http/api-routes.ts';
import { errorsOf, Id, Nullable } from '../../http/api-schema.ts';
import { requireUser } from '../../http/request.ts';
import { bodyWithVersion, IfMatchHeaders } from '../../http/versions.ts';
import {
  AuthorityInput,
  HubInput,
  LocalityInput,
  NewUserInput,
  ServiceInput,
  ServiceUpdateInput,
  TeamInput,
  TeamUpdateInput,
  UserChangeInput,
} from './schemas.ts';

const version = Type.Integer({
  description: 'Send it back with a change (or as If-Match); a stale one is refused (409)',
});
const Authority = Type.Object({ id: Id, code: Type.String(), name: Type.String(), version });

const Service = Type.Object({
  id: Id,
  name: Type.String(),
  kind: Type.String(),
  organisation: Nullable(Type.String()),
  external: Type.Boolean({ description: 'Run by an outside organisation (NHS trust, school, police, provider)' }),
  version,
});

const HubRef = Type.Object({ id: Id, name: Type.String() });
const Locality = Type.Object({ id: Id, name: Type.String(), hubs: Type.Array(HubRef), teams: Type.Array(HubRef) });
const Hub = Type.Object({ id: Id, name: Type.String(), locality_id: Id, locality_name: Type.String() });

const Team = Type.Object({
  id: Id,
  name: Type.String(),
  service_id: Id,
  service_name: Type.String(),
  remit_min_age: Type.Integer(),
  remit_max_age: Type.Integer(),
  remit_case_types: Type.Array(Type.String()),
  remit: Type.String({ description: 'The remit in words, e.g. "ages 0–15; child in need, disabled"' }),
  locality_id: Nullable(Id),
  locality_name: Nullable(Type.String()),
  hub_id: Nullable(Id),
  hub_name: Nullable(Type.String()),
  member_count: Type.Integer({ description: 'Active members' }),
  version,
});
const Member = Type.Object({
  id: Id,
  display_name: Type.String(),
  job_title: Nullable(Type.String()),
  roles: Type.Array(Type.String()),
  active: Type.Boolean(),
});

const User = Type.Object({
  id: Id,
  email: Type.String(),
  display_name: Type.String(),
  job_title: Nullable(Type.String()),
  phone: Nullable(Type.String()),
  roles: Type.Array(Type.String()),
  team_ids: Type.Array(Id),
  line_manager_id: Nullable(Id),
  line_manager_name: Nullable(Type.String()),
  active: Type.Boolean(),
  version,
});
const errors = errorsOf(400, 401, 403, 404);
/** A change of a versioned record: also 409 when someone else changed it since it was read. */
const changeErrors = errorsOf(400, 401, 403, 404, 409);
const STALE = ' Send the version you read (body or If-Match): 409 if someone else changed it since';
const tags = ['organisations'];

export function registerOrganisationsApi(app: FastifyInstance) {
  const { organisations: orgs } = app.services;
  const anyStaff = { policy: { capability: null } };
  const org = { policy: { capability: 'org:admin' as const } };
  const userAdmin = { policy: { capability: 'user:admin' as const } };
  const ctx = () => ({ today: orgs.today() });
  const api = apiRoutes(app, tags, errors);

  app.get(
    '/api/v1/authority',
    {
      config: anyStaff,
      schema: { tags, summary: 'Your council', response: { 200: Authority, ...errors } },
    },
    async (request) => orgs.authority(requireUser(request)),
  );

  app.patch(
    '/api/v1/authority',
    {
      config: org,
      schema: {
        tags,
        summary: `Rename your council (its code is fixed).${STALE}`,
        headers: IfMatchHeaders,
        body: AuthorityInput.schema,
        response: { 200: Authority, ...changeErrors },
      },
    },
    async (request) => {
      await orgs.renameAuthority(requireUser(request), AuthorityInput.parse(bodyWithVersion(request), ctx()));
      return orgs.authority(requireUser(request));
    },
  );

  api.list('/api/v1/services', "Your council's services, including outside organisations'", anyStaff, Service, (u) =>
    orgs.services(u),
  );
  api.add('/api/v1/services', 'Add a service; an external one needs its organisation', org, ServiceInput, (u, b) =>
    orgs.createService(u, ServiceInput.parse(b, ctx())),
  );

  app.get(
    '/api/v1/services/:serviceId',
    {
      config: anyStaff,
      schema: {
        tags,
        summary: 'A service, with its version',
        params: Type.Object({ serviceId: Id }),
        response: { 200: Service, ...errors },
      },
    },
    async (request) => orgs.service(requireUser(request), (request.params as { serviceId: string }).serviceId),
  );

  app.put(
    '/api/v1/services/:serviceId',
    {
      config: org,
      schema: {
        tags,
        summary: `Replace a service’s details.${STALE}`,
        params: Type.Object({ serviceId: Id }),
        headers: IfMatchHeaders,
        body: ServiceUpdateInput.schema,
        response: { 200: Service, ...changeErrors },
      },
    },
    async (request) => {
      const { serviceId } = request.params as { serviceId: string };
      await orgs.updateService(
        requireUser(request),
        serviceId,
        ServiceUpdateInput.parse(bodyWithVersion(request), ctx()),
      );
      return orgs.service(requireUser(request), serviceId);
    },
  );

  api.list('/api/v1/localities', 'Localities, each with its SEND hubs and locality teams', anyStaff, Locality, (u) =>
    orgs.localities(u),
  );
  api.add('/api/v1/localities', 'Add a locality', org, LocalityInput, (u, b) =>
    orgs.createLocality(u, LocalityInput.parse(b, ctx())),
  );
  api.list('/api/v1/hubs', 'SEND hubs and the locality each belongs to', anyStaff, Hub, (u) => orgs.hubs(u));
  api.add('/api/v1/hubs', 'Add a SEND hub to a locality', org, HubInput, (u, b) =>
    orgs.createHub(u, HubInput.parse(b, ctx())),
  );
  api.list(
    '/api/v1/teams',
    'Teams with their service, remit, locality or hub, and number of active members',
    anyStaff,
    Team,
    (u) => orgs.teams(u),
  );

  app.get(
    '/api/v1/teams/:teamId',
    {
      config: anyStaff,
      schema: {
        tags,
        summary: 'A team and its members',
        params: Type.Object({ teamId: Id }),
        response: { 200: Type.Intersect([Team, Type.Object({ members: Type.Array(Member) })]), ...errors },
      },
    },
    async (request) => {
      const { team, members } = await orgs.team(requireUser(request), (request.params as { teamId: string }).teamId);
      return { ...team, members };
    },
  );

  api.add(
    '/api/v1/teams',
    'Add a team: ages default to 0–25; a hub must be in the locality (a hub alone sets the locality)',
    org,
    TeamInput,
    (u, b) => orgs.createTeam(u, TeamInput.read(b, ctx())),
  );

  app.put(
    '/api/v1/teams/:teamId',
    {
      config: org,
      schema: {
        tags,
        summary: `Replace a team’s details and remit.${STALE}`,
        params: Type.Object({ teamId: Id }),
        headers: IfMatchHeaders,
        body: TeamUpdateInput.schema,
        response: { 200: Team, ...changeErrors },
      },
    },
    async (request) => {
      const { teamId } = request.params as { teamId: string };
      await orgs.updateTeam(requireUser(request), teamId, TeamUpdateInput.read(bodyWithVersion(request), ctx()));
      return (await orgs.team(requireUser(request), teamId)).team;
    },
  );

  const serialiseUser = (u: Awaited<ReturnType<typeof orgs.account>>) => ({
    ...u,
    team_ids: u.teams.map((t) => t.id),
  });

  api.list(
    '/api/v1/users',
    "Your council's users with their roles, teams, line manager and whether they are active",
    userAdmin,
    User,
    async (u) => (await orgs.users(u)).map(serialiseUser),
  );

  app.get(
    '/api/v1/users/:userId',
    {
      config: userAdmin,
      schema: { tags, summary: 'A user', params: Type.Object({ userId: Id }), response: { 200: User, ...errors } },
    },
    async (request) =>
      serialiseUser(await orgs.account(requireUser(request), (request.params as { userId: string }).userId)),
  );

  api.add(
    '/api/v1/users',
    'Add a user with roles, teams, line manager and an initial password',
    userAdmin,
    NewUserInput,
    (u, b) => orgs.createUser(u, NewUserInput.read(b, ctx())),
  );

  app.patch(
    '/api/v1/users/:userId',
    {
      config: userAdmin,
      schema: {
        tags,
        summary: `Change a user: only the fields sent change. team_ids replaces their teams; a line manager loop is refused; active: false signs them out everywhere and revokes their tokens.${STALE}`,
        params: Type.Object({ userId: Id }),
        headers: IfMatchHeaders,
        body: UserChangeInput.schema,
        response: { 200: User, ...changeErrors },
      },
    },
    async (request) => {
      const actor = requireUser(request);
      const { userId } = request.params as { userId: string };
      await orgs.updateUser(actor, userId, UserChangeInput.read(bodyWithVersion(request), ctx()));
      return serialiseUser(await orgs.account(actor, userId));
    },
  );
}
