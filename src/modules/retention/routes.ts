// The retention pages (/admin/retention): the council's administrator sets each record type's schedule and whether
// the daily run purges by itself, sees what is due today (case numbers only: the administrator opens no record), and
// places and releases legal holds. Forms: GOV.UK error summary and inline errors, nothing written on error,
// POST-redirect-GET with a success banner.
import type { FastifyInstance } from 'fastify';
import type { RetentionRecordType } from '../../db/schema.ts';
import { Conflict, NotFound } from '../../http/errors.ts';
import { postForm } from '../../http/form-post.ts';
import { type Body, ValidationError } from '../../http/forms.ts';
import { requireUser } from '../../http/request.ts';
import { registerRetentionApi } from './api.ts';
import { HoldInput, isRecordType, ReleaseInput, ScheduleInput, SettingsInput } from './schemas.ts';

const V = 'retention/views';
const hide = { hide: true };
type TypeParams = { recordType: string };
type HoldParams = { holdId: string };

/** The success banner's words for each `?saved=` key (nothing from the address is shown as it is). */
const SAVED: Record<string, string> = {
  schedule: 'Retention schedule saved',
  settings: 'Automatic purge setting saved',
  hold: 'Legal hold placed: the record will not be purged while it is held',
  released: 'Legal hold released',
};
const savedText = (q: unknown) => SAVED[String((q as Record<string, unknown>).saved ?? '')] ?? '';

/** A stale version on a page form: the form again with the message, rather than an error page. */
async function orAgain(change: () => Promise<void>, field = 'version'): Promise<void> {
  try {
    await change();
  } catch (e) {
    if (e instanceof Conflict) throw new ValidationError({ [field]: e.message });
    throw e;
  }
}

function recordTypeOf(params: TypeParams): RetentionRecordType {
  if (!isRecordType(params.recordType)) throw new NotFound('No record type with that name');
  return params.recordType;
}

export function registerRetentionRoutes(app: FastifyInstance) {
  const { retention } = app.services;
  const config = { policy: { capability: 'retention:manage' as const } };
  const ctx = () => ({ today: retention.today() });

  app.get('/admin/retention', { config, schema: hide }, async (request, reply) =>
    reply.view(`${V}/index.njk`, {
      ...(await retention.overview(requireUser(request))),
      savedText: savedText(request.query),
    }),
  );

  app.get<{ Params: TypeParams }>(
    '/admin/retention/schedules/:recordType',
    { config, schema: hide },
    async (request, reply) => {
      const s = await retention.schedule(requireUser(request), recordTypeOf(request.params));
      const values = s.schedule
        ? { years: String(s.schedule.years), minimum_age: s.schedule.minimum_age ?? '', version: s.schedule.version }
        : {};
      return reply.view(`${V}/schedule.njk`, { ...s, values });
    },
  );

  app.post<{ Params: TypeParams }>(
    '/admin/retention/schedules/:recordType',
    { config, schema: hide },
    async (request, reply) => {
      const actor = requireUser(request);
      const type = recordTypeOf(request.params);
      const body = (request.body ?? {}) as Body;
      return postForm(
        reply,
        body,
        async () => {
          await orAgain(() => retention.setSchedule(actor, type, ScheduleInput.parse(body, ctx())));
          return '/admin/retention?saved=schedule';
        },
        async (shown) => reply.view(`${V}/schedule.njk`, { ...(await retention.schedule(actor, type)), ...shown }),
      );
    },
  );

  app.get('/admin/retention/settings', { config, schema: hide }, async (request, reply) => {
    const s = await retention.settings(requireUser(request));
    const values = s ? { automatic_purge: s.automatic_purge ? 'yes' : 'no', version: s.version } : {};
    return reply.view(`${V}/settings.njk`, { values });
  });

  app.post('/admin/retention/settings', { config, schema: hide }, async (request, reply) => {
    const actor = requireUser(request);
    const body = (request.body ?? {}) as Body;
    return postForm(
      reply,
      body,
      async () => {
        await orAgain(() => retention.setSettings(actor, SettingsInput.parse(body, ctx())), 'automatic_purge');
        return '/admin/retention?saved=settings';
      },
      (shown) => reply.view(`${V}/settings.njk`, shown),
    );
  });

  app.get('/admin/retention/holds', { config, schema: hide }, async (request, reply) => {
    const holds = await retention.holds(requireUser(request));
    return reply.view(`${V}/holds.njk`, {
      open: holds.filter((h) => !h.released_at),
      released: holds.filter((h) => h.released_at),
      savedText: savedText(request.query),
    });
  });

  app.get('/admin/retention/holds/new', { config, schema: hide }, async (_request, reply) =>
    reply.view(`${V}/hold-new.njk`, { values: {} }),
  );

  app.post('/admin/retention/holds', { config, schema: hide }, async (request, reply) => {
    const actor = requireUser(request);
    const body = (request.body ?? {}) as Body;
    return postForm(
      reply,
      body,
      async () => {
        await retention.placeHold(actor, HoldInput.parse(body, ctx()));
        return '/admin/retention/holds?saved=hold';
      },
      (shown) => reply.view(`${V}/hold-new.njk`, shown),
    );
  });

  app.get<{ Params: HoldParams }>(
    '/admin/retention/holds/:holdId/release',
    { config, schema: hide },
    async (request, reply) => {
      const hold = await retention.hold(requireUser(request), request.params.holdId);
      return reply.view(`${V}/hold-release.njk`, { hold, values: {} });
    },
  );

  app.post<{ Params: HoldParams }>(
    '/admin/retention/holds/:holdId/release',
    { config, schema: hide },
    async (request, reply) => {
      const actor = requireUser(request);
      const hold = await retention.hold(actor, request.params.holdId);
      const body = (request.body ?? {}) as Body;
      return postForm(
        reply,
        body,
        async () => {
          await orAgain(() => retention.releaseHold(actor, hold.id, ReleaseInput.parse(body, ctx())), 'release_reason');
          return '/admin/retention/holds?saved=released';
        },
        (shown) => reply.view(`${V}/hold-release.njk`, { hold, ...shown }),
      );
    },
  );

  registerRetentionApi(app);
}
