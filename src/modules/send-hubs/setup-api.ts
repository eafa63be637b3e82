// SEND hubs (issue 13 part 1): the Set up API (org:admin, /api/v1/send): hubs in use with their services, a
// locality's manager and team, settings and their organisation accounts. Same rules as the pages (setup.ts,
// setup-settings.ts); responses are serialised through these schemas. A change sends the version it read (body or
// If-Match): a stale one is refused (409). Bad input: 400 naming each field and the fix, nothing written.
import { type TObject, Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { apiRoutes } from '../../http/api-routes.ts';
import { errorsOf, Id, Nullable } from '../../http/api-schema.ts';
import type { Body } from '../../http/forms.ts';
import { requireUser } from '../../http/request.ts';
import { bodyWithVersion, IfMatchHeaders } from '../../http/versions.ts';
import {
  HUB_SERVICE_KINDS,
  SETTING_POSITIONS,
  SetupAccountInput,
  SetupHubInput,
  SetupLinkAccountInput,
  SetupLocalityInput,
  SetupSettingInput,
  SetupSettingUpdateInput,
} from './schemas-setup.ts';
import { hubSetup, hubsByLocality, localitySetup, readServiceList, saveHub, saveLocality } from './setup.ts';
import { org } from './setup-pages.ts';
import {
  addSettingAccount,
  createSetting,
  linkSettingAccount,
  removeSettingAccount,
  settingSetup,
  settingsList,
  updateSetting,
} from './setup-settings.ts';

const tags = ['SEND hubs'];
const errors = errorsOf(400, 401, 403, 404);
const changeErrors = errorsOf(400, 401, 403, 404, 409);
const STALE = ' Send the version you read (body or If-Match): 409 if someone else changed it since.';
const version = Type.Integer({
  description: 'Send it back with a change (or as If-Match); a stale one is refused (409)',
});
const literals = (o: Record<string, string>) => Type.Union(Object.keys(o).map((k) => Type.Literal(k)));

const HubService = Type.Object({ id: Id, name: Type.String(), kind: Type.String(), active: Type.Boolean() });
const Hub = Type.Object({
  id: Id,
  name: Type.String(),
  locality_id: Id,
  locality_name: Type.String(),
  manager_user_id: Nullable(Id),
  manager_name: Nullable(Type.String()),
  team_id: Nullable(Id),
  team_name: Nullable(Type.String()),
  first_response_working_days: Type.Integer({ description: 'Working days from receipt to the first response' }),
  support_start_working_days: Type.Integer({ description: 'Working days from triage to support starting' }),
  triage_weekday: Type.Integer({ description: '1 Monday to 5 Friday' }),
  settings_count: Type.Integer({ description: 'Active settings the hub serves' }),
  version,
});
const HubWithServices = Type.Composite([Hub, Type.Object({ services: Type.Array(HubService) })]);
const HubPut = Type.Object(
  {
    ...(SetupHubInput.schema as TObject).properties,
    services: Type.Optional(
      Type.Array(
        Type.Object(
          {
            name: Type.String({ maxLength: 200 }),
            kind: literals(HUB_SERVICE_KINDS),
            active: Type.Optional(Type.Boolean({ description: 'Default true' })),
          },
          { additionalProperties: false },
        ),
        {
          description:
            'The hub’s services, replacing the list: matched by name (any case), added if new; a service left out is deactivated, never deleted. Leave out to keep them as they are',
        },
      ),
    ),
  },
  { additionalProperties: false },
);

const Locality = Type.Object({
  id: Id,
  name: Type.String(),
  manager_user_id: Nullable(Id),
  manager_name: Nullable(Type.String()),
  team_id: Nullable(Id),
  team_name: Nullable(Type.String({ description: 'The locality team: it takes Further SEND Support from its hubs' })),
  version,
  hubs: Type.Array(Type.Object({ id: Id, name: Type.String() })),
});

const Setting = Type.Object({
  id: Id,
  name: Type.String(),
  kind: Type.String(),
  urn: Nullable(Type.String()),
  hub_id: Id,
  hub_name: Type.String(),
  inbox_email: Nullable(Type.String({ description: 'The team inbox: notices about requests go there' })),
  active: Type.Boolean(),
  accounts_count: Type.Integer({ description: 'Active accounts' }),
  version,
});
const Account = Type.Object({
  id: Id,
  display_name: Type.String(),
  email: Type.String(),
  position: Type.String(),
  active: Type.Boolean(),
  invited: Type.Boolean({ description: 'Invited and not yet signed in: no password set' }),
});
const SettingWithAccounts = Type.Composite([Setting, Type.Object({ accounts: Type.Array(Account) })]);
const AccountPost = Type.Object(
  {
    user_id: Type.Optional(Id),
    display_name: Type.Optional(Type.String({ maxLength: 200 })),
    email: Type.Optional(Type.String({ maxLength: 254 })),
    position: literals(SETTING_POSITIONS),
  },
  {
    additionalProperties: false,
    description:
      'Either user_id (an existing setting account of your council, added to this setting too) or display_name and email (a new account: they are emailed a one-time link to set their password)',
  },
);

const HubParams = Type.Object({ hubId: Id });
const LocalityParams = Type.Object({ localityId: Id });
const SettingParams = Type.Object({ settingId: Id });

export function registerSetupApi(app: FastifyInstance) {
  hubApi(app);
  localityApi(app);
  settingApi(app);
  accountApi(app);
}

/** The hubs in use, one with its services, and replacing one. */
function hubApi(app: FastifyInstance) {
  const { ctx } = app.services.sendHubs;
  const read = () => ({ today: ctx.today() });
  const api = apiRoutes(app, tags, errors);
  const hubOut = async (u: ReturnType<typeof requireUser>, id: string) => {
    const { hub, services } = await hubSetup(ctx, u, id);
    const { triage_day: _day, ...rest } = hub;
    return { ...rest, services: services.map(({ kind_label: _k, ...s }) => s) };
  };

  api.list(
    '/api/v1/send/hubs',
    'Every SEND hub of your council in use: manager, team, targets, triage day',
    org,
    Hub,
    async (u) => (await hubsByLocality(ctx, u)).hubs.map(({ triage_day: _d, ...h }) => h),
  );

  app.get(
    '/api/v1/send/hubs/:hubId',
    {
      config: org,
      schema: {
        tags,
        summary: 'A SEND hub in use, with its services',
        params: HubParams,
        response: { 200: HubWithServices, ...errors },
      },
    },
    async (request) => hubOut(requireUser(request), (request.params as { hubId: string }).hubId),
  );

  app.put(
    '/api/v1/send/hubs/:hubId',
    {
      config: org,
      schema: {
        tags,
        summary: `Set a hub’s manager (a hub or locality manager), team, first-response and support-start targets (working days, 1–60, default 10; they apply to requests received or triaged from now on), triage day (1 Monday to 5 Friday, default 3) and, if sent, its services. It replaces: a manager or team left out is emptied, a target or day left out goes back to its default.${STALE}`,
        params: HubParams,
        headers: IfMatchHeaders,
        body: HubPut,
        response: { 200: HubWithServices, ...changeErrors },
      },
    },
    async (request) => {
      const { hubId } = request.params as { hubId: string };
      const body = bodyWithVersion(request);
      const { services, ...fields } = body as Body & { services?: unknown };
      const u = requireUser(request);
      await saveHub(
        ctx,
        u,
        hubId,
        SetupHubInput.read(fields as Body, read()),
        services === undefined ? undefined : readServiceList(services, ctx.today()),
      );
      return hubOut(u, hubId);
    },
  );
}

/** A locality's manager and locality team. */
function localityApi(app: FastifyInstance) {
  const { ctx } = app.services.sendHubs;
  const read = () => ({ today: ctx.today() });
  const localityOut = async (u: ReturnType<typeof requireUser>, id: string) => {
    const { locality, hubs } = await localitySetup(ctx, u, id);
    return { ...locality, hubs: hubs.map((h) => ({ id: h.id, name: h.name })) };
  };

  app.get(
    '/api/v1/send/localities/:localityId',
    {
      config: org,
      schema: {
        tags,
        summary: 'A locality in use: its manager, its locality team (Further SEND Support) and its hubs',
        params: LocalityParams,
        response: { 200: Locality, ...errors },
      },
    },
    async (request) => localityOut(requireUser(request), (request.params as { localityId: string }).localityId),
  );

  app.put(
    '/api/v1/send/localities/:localityId',
    {
      config: org,
      schema: {
        tags,
        summary: `Set a locality’s manager (a locality manager) and its locality team.${STALE}`,
        params: LocalityParams,
        headers: IfMatchHeaders,
        body: SetupLocalityInput.schema,
        response: { 200: Locality, ...changeErrors },
      },
    },
    async (request) => {
      const { localityId } = request.params as { localityId: string };
      const u = requireUser(request);
      await saveLocality(ctx, u, localityId, SetupLocalityInput.read(bodyWithVersion(request), read()));
      return localityOut(u, localityId);
    },
  );
}

/** The settings: listed, added, read with their accounts, changed. */
function settingApi(app: FastifyInstance) {
  const { ctx } = app.services.sendHubs;
  const read = () => ({ today: ctx.today() });
  const api = apiRoutes(app, tags, errors);
  const settingOut = async (u: ReturnType<typeof requireUser>, id: string) => {
    const { setting, accounts } = await settingSetup(ctx, u, id);
    const { kind_label: _k, ...rest } = setting;
    return { ...rest, accounts: accounts.map(({ position_label: _p, ...a }) => a) };
  };
  app.get(
    '/api/v1/send/settings',
    {
      config: org,
      schema: {
        tags,
        summary: 'The settings your council’s hubs serve, all or one hub’s',
        querystring: Type.Object({ hub_id: Type.Optional(Id) }),
        response: { 200: Type.Object({ items: Type.Array(Setting) }), ...errors },
      },
    },
    async (request) => {
      const { hub_id: hubId } = request.query as { hub_id?: string };
      const items = await settingsList(ctx, requireUser(request), hubId?.toLowerCase() ?? null);
      return { items: items.map(({ kind_label: _k, ...s }) => s) };
    },
  );

  api.add(
    '/api/v1/send/settings',
    'Add a setting: name, kind, URN (6 digits, optional), hub, team inbox email',
    org,
    SetupSettingInput,
    (u, b) => createSetting(ctx, u, SetupSettingInput.read(b, read())),
  );

  app.get(
    '/api/v1/send/settings/:settingId',
    {
      config: org,
      schema: {
        tags,
        summary: 'A setting with its organisation accounts',
        params: SettingParams,
        response: { 200: SettingWithAccounts, ...errors },
      },
    },
    async (request) => settingOut(requireUser(request), (request.params as { settingId: string }).settingId),
  );

  app.put(
    '/api/v1/send/settings/:settingId',
    {
      config: org,
      schema: {
        tags,
        summary: `Replace a setting’s details; a new hub takes its new requests.${STALE}`,
        params: SettingParams,
        headers: IfMatchHeaders,
        body: SetupSettingUpdateInput.schema,
        response: { 200: SettingWithAccounts, ...changeErrors },
      },
    },
    async (request) => {
      const { settingId } = request.params as { settingId: string };
      const u = requireUser(request);
      await updateSetting(ctx, u, settingId, SetupSettingUpdateInput.read(bodyWithVersion(request), read()));
      return settingOut(u, settingId);
    },
  );
}

/** A setting's accounts: a new one invited, an existing one added, one taken off. */
function accountApi(app: FastifyInstance) {
  const { ctx } = app.services.sendHubs;
  const read = () => ({ today: ctx.today() });
  const api = apiRoutes(app, tags, errors);
  api.add(
    '/api/v1/send/settings/:settingId/accounts',
    'Give a setting an organisation account: a new one (invited by email to set a password) or an existing setting account',
    org,
    { schema: AccountPost },
    async (u, b, p) => {
      const settingId = p.settingId as string;
      if (b.user_id !== undefined && b.user_id !== null) {
        const input = SetupLinkAccountInput.parse(b, read());
        await linkSettingAccount(ctx, u, settingId, input);
        return input.user_id;
      }
      return addSettingAccount(ctx, u, settingId, SetupAccountInput.read(b, read()));
    },
    SettingParams,
  );

  app.delete(
    '/api/v1/send/settings/:settingId/accounts/:userId',
    {
      config: org,
      schema: {
        tags,
        summary: 'Take an account off a setting: it no longer sees the setting’s requests (the user is kept)',
        params: Type.Object({ settingId: Id, userId: Id }),
        response: { 204: Type.Null(), ...errors },
      },
    },
    async (request, reply) => {
      const { settingId, userId } = request.params as { settingId: string; userId: string };
      await removeSettingAccount(ctx, requireUser(request), settingId, userId);
      return reply.code(204).send();
    },
  );
}
