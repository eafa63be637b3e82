// My notifications (/notifications), the email outbox for council IT (/admin/outbox), and, in demo mode only and for
// administrators only, the mail the app would have sent (/dev/mail). Routes parse, call the service and render;
// POST-redirect-GET.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../../config.ts';
import { NotFound } from '../../http/errors.ts';
import { postForm } from '../../http/form-post.ts';
import { type Body, UUID } from '../../http/forms.ts';
import { requireUser } from '../../http/request.ts';
import { MarkReadInput, NotificationsPage } from './schemas.ts';

type IdParams = { id: string };

const V = 'notifications/views';

/** /dev/mail exists only in demo mode (the 'log' transport is refused outside it: src/config.ts). */
export function devMailEnabled(config: Pick<Config, 'demoMode'>): boolean {
  return config.demoMode;
}

export function registerNotificationRoutes(app: FastifyInstance, config: Config) {
  const { notifications } = app.services;
  const anyone = { policy: { capability: null } };
  const admin = { policy: { capability: 'org:admin' as const } };
  const hide = { hide: true };

  // The unread count in the navigation, for signed-in pages: one capped count on a partial index. Runs after the
  // locals hook in app.ts (hooks run in the order they were added). Not for the API or bearer tokens.
  app.addHook('preHandler', async (request, reply) => {
    if (request.method !== 'GET' || request.isApi || request.auth?.via !== 'session') return;
    const locals = (reply as unknown as { locals?: Record<string, unknown> }).locals;
    if (locals)
      locals.unreadNotifications =
        request.auth.unreadNotifications ?? (await notifications.unreadCount(request.auth.user));
  });

  // My notifications, a page at a time; marking the chosen ones or all read (POST-redirect-GET, a success banner).
  const mine = async (request: FastifyRequest, reply: FastifyReply, extra: Record<string, unknown> = {}) => {
    const query = (request.query ?? {}) as Body;
    const page = NotificationsPage.read(query, { today: '' }).input.page ?? 1;
    const saved = typeof query.saved === 'string' ? /^read-(\d{1,4})$|^read-all$/.exec(query.saved) : null;
    return reply.view(`${V}/notifications.njk`, {
      ...(await notifications.mine(requireUser(request), page)),
      saved: saved ? { all: saved[0] === 'read-all', n: Number(saved[1] ?? 0) } : null,
      ...extra,
    });
  };
  app.get('/notifications', { config: anyone, schema: hide }, (request, reply) => mine(request, reply));

  app.post('/notifications/read', { config: anyone, schema: hide }, async (request, reply) => {
    const body = (request.body ?? {}) as Body;
    return postForm(
      reply,
      body,
      async () => {
        const input = MarkReadInput.parse(body, { today: '' });
        const n = await notifications.markRead(requireUser(request), input);
        return `/notifications?saved=${input.action === 'all' ? 'read-all' : `read-${n}`}`;
      },
      (shown) => mine(request, reply, shown),
    );
  });

  app.get<{ Querystring: { retried?: string } }>(
    '/admin/outbox',
    { config: admin, schema: hide },
    async (request, reply) =>
      reply.view(`${V}/outbox.njk`, {
        ...(await notifications.outbox(requireUser(request))),
        retried: request.query.retried === '1',
        mailOff: config.mailTransport === 'off',
      }),
  );

  app.post<{ Params: IdParams }>('/admin/outbox/:id/retry', { config: admin, schema: hide }, async (request, reply) => {
    if (!UUID.test(request.params.id)) throw new NotFound('There is no such email in your council’s outbox.');
    await notifications.retryEmail(requireUser(request), request.params.id);
    return reply.redirect('/admin/outbox?retried=1', 303);
  });

  if (!devMailEnabled(config)) return;

  // Demo mode: an administrator may read their own authority's outbox, with set-password links masked. Never
  // registered outside demo mode.
  app.get('/dev/mail', { config: admin, schema: hide }, async (request, reply) =>
    reply.view(`${V}/dev-mail.njk`, { messages: await notifications.devMailbox(requireUser(request)) }),
  );

  app.get<{ Params: IdParams }>('/dev/mail/:id', { config: admin, schema: hide }, async (request, reply) => {
    if (!UUID.test(request.params.id)) throw new NotFound('There is no message with that id in your council’s outbox.');
    return reply.view(`${V}/dev-message.njk`, {
      m: await notifications.devMessage(requireUser(request), request.params.id),
    });
  });
}
