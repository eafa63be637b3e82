// SEND hubs (issue 13 part 1): the settings pages of Set up (org:admin): the list (filter by hub), adding a
// setting, and a setting's page (its details, and its organisation accounts: a new one invited by email, an existing
// setting account added, an account taken off).
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { postForm, type Shown } from '../../http/form-post.ts';
import { type Body, UUID } from '../../http/forms.ts';
import { requireUser } from '../../http/request.ts';
import { listHubs } from './repository-setup.ts';
import {
  SetupAccountInput,
  SetupLinkAccountInput,
  SetupSettingInput,
  SetupSettingUpdateInput,
} from './schemas-setup.ts';
import { formPost, hide, org, savedText } from './setup-pages.ts';
import {
  addSettingAccount,
  createSetting,
  linkSettingAccount,
  removeSettingAccount,
  settingLists,
  settingSetup,
  settingsList,
  updateSetting,
} from './setup-settings.ts';

const V = 'send-hubs/views';
type SettingP = { settingId: string };
type MemberP = SettingP & { userId: string };
/** Which of the setting page's forms the values and errors shown belong to. */
type Form = 'setting' | 'account' | 'link';

type Ctx = FastifyInstance['services']['sendHubs']['ctx'];

/** The council's hubs, as the forms' options. */
const hubItems = async (ctx: Ctx, req: FastifyRequest) =>
  (await listHubs(ctx.db, requireUser(req).authorityId)).map((h) => ({
    value: h.id,
    text: `${h.name} (${h.locality_name})`,
  }));

export function registerSettingPages(app: FastifyInstance) {
  listPages(app);
  settingPages(app);
  accountPages(app);
}

/** The list (filter by hub) and adding a setting. */
function listPages(app: FastifyInstance) {
  const { ctx } = app.services.sendHubs;

  app.get<{ Querystring: { hub?: string } }>('/admin/settings', { config: org, schema: hide }, async (req, reply) => {
    const hub = typeof req.query.hub === 'string' && UUID.test(req.query.hub) ? req.query.hub.toLowerCase() : null;
    const hubs = await hubItems(ctx, req);
    return reply.view(`${V}/setup-settings.njk`, {
      settings: await settingsList(ctx, requireUser(req), hub),
      hubs,
      hub,
      hubName: hubs.find((h) => h.value === hub)?.text,
      savedText: savedText(req),
    });
  });

  const newPage = async (req: FastifyRequest, reply: FastifyReply, shown?: Shown) =>
    reply.view(`${V}/setup-setting-new.njk`, {
      ...settingLists,
      hubs: await hubItems(ctx, req),
      values: shown?.values ?? { active: 'yes' },
      errors: shown?.errors ?? {},
      errorList: shown?.errorList,
    });

  app.get('/admin/settings/new', { config: org, schema: hide }, (req, reply) => newPage(req, reply));

  app.post('/admin/settings', { config: org, schema: hide }, async (req, reply) => {
    const body = (req.body ?? {}) as Body;
    return postForm(
      reply,
      body,
      async () => {
        const id = await createSetting(ctx, requireUser(req), SetupSettingInput.read(body, { today: ctx.today() }));
        return `/admin/settings/${id}?saved=setting-new`;
      },
      (shown) => newPage(req, reply, shown),
    );
  });
}

/** A setting's page, with one of its forms' values and errors when `form` and `shown` are given. */
async function page(
  ctx: Ctx,
  req: FastifyRequest<{ Params: SettingP }>,
  reply: FastifyReply,
  form?: Form,
  shown?: Shown,
) {
  const data = await settingSetup(ctx, requireUser(req), req.params.settingId);
  const s = data.setting;
  const settingValues = {
    name: s.name,
    kind: s.kind,
    urn: s.urn ?? '',
    hub_id: s.hub_id,
    inbox_email: s.inbox_email ?? '',
    active: s.active ? 'yes' : 'no',
    version: String(s.version),
  };
  return reply.view(`${V}/setup-setting.njk`, {
    ...data,
    ...settingLists,
    hubs: await hubItems(ctx, req),
    values: form === 'setting' && shown ? shown.values : settingValues,
    accountValues: form === 'account' && shown ? shown.values : {},
    linkValues: form === 'link' && shown ? shown.values : {},
    errors: shown?.errors ?? {},
    // The link form's position radios have their own id (the new-account form's come first).
    errorList: shown?.errorList.map((e) =>
      form === 'link' && e.href === '#position' ? { ...e, href: '#link_position' } : e,
    ),
    form,
    savedText: savedText(req),
  });
}

/** A setting's page and its details saved. */
function settingPages(app: FastifyInstance) {
  const { ctx } = app.services.sendHubs;
  app.get<{ Params: SettingP }>('/admin/settings/:settingId', { config: org, schema: hide }, (req, reply) =>
    page(ctx, req, reply),
  );

  app.post<{ Params: SettingP }>('/admin/settings/:settingId', { config: org, schema: hide }, async (req, reply) => {
    const body = (req.body ?? {}) as Body;
    const at = `/admin/settings/${req.params.settingId}`;
    return formPost(
      reply,
      body,
      async () => {
        await updateSetting(
          ctx,
          requireUser(req),
          req.params.settingId,
          SetupSettingUpdateInput.read(body, { today: ctx.today() }),
        );
        return `${at}?saved=setting`;
      },
      (shown) => page(ctx, req, reply, 'setting', shown),
      at,
    );
  });
}

/** A setting's accounts: a new one invited, an existing one added, one taken off. */
function accountPages(app: FastifyInstance) {
  const { ctx } = app.services.sendHubs;
  app.post<{ Params: SettingP }>(
    '/admin/settings/:settingId/accounts',
    { config: org, schema: hide },
    async (req, reply) => {
      const body = (req.body ?? {}) as Body;
      return postForm(
        reply,
        body,
        async () => {
          await addSettingAccount(
            ctx,
            requireUser(req),
            req.params.settingId,
            SetupAccountInput.read(body, { today: ctx.today() }),
          );
          return `/admin/settings/${req.params.settingId}?saved=account`;
        },
        (shown) => page(ctx, req, reply, 'account', shown),
      );
    },
  );

  app.post<{ Params: SettingP }>(
    '/admin/settings/:settingId/accounts/link',
    { config: org, schema: hide },
    async (req, reply) => {
      const body = (req.body ?? {}) as Body;
      return postForm(
        reply,
        body,
        async () => {
          await linkSettingAccount(
            ctx,
            requireUser(req),
            req.params.settingId,
            SetupLinkAccountInput.parse(body, { today: ctx.today() }),
          );
          return `/admin/settings/${req.params.settingId}?saved=linked`;
        },
        (shown) => page(ctx, req, reply, 'link', shown),
      );
    },
  );

  app.post<{ Params: MemberP }>(
    '/admin/settings/:settingId/accounts/:userId/remove',
    { config: org, schema: hide },
    async (req, reply) => {
      await removeSettingAccount(ctx, requireUser(req), req.params.settingId, req.params.userId);
      return reply.redirect(`/admin/settings/${req.params.settingId}?saved=removed`, 303);
    },
  );
}
