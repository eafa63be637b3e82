// The pages of scheduled reports (issue 14 part 3): /subscriptions (mine, with a success banner after a change),
// /subscriptions/new?list=<key>&<filters> (the form), POST /subscriptions, and unsubscribing with a confirmation.
// Any signed-in user may open them; subscribing needs the list's own capability (checked by the service).
import type { FastifyInstance, FastifyReply } from 'fastify';
import { postForm } from '../../http/form-post.ts';
import { type Body, errorList, ValidationError } from '../../http/forms.ts';
import { requireUser } from '../../http/request.ts';
import { registerSubscriptionsApi } from './api.ts';
import { filtersOf } from './service.ts';
import { listPage, newPage, type Rendered, refusedPage, unsubscribePage } from './views/pages.ts';

const signedIn = { policy: { capability: null } };
const hide = { hide: true };
const PAGE = 'subscriptions/views/page.njk';

const SAVED: Record<string, string> = {
  subscribed: 'You are subscribed. The first email comes on the date shown as its next email.',
  unsubscribed: 'You are unsubscribed. You will get no more of those emails.',
};

const csrfOf = (reply: FastifyReply) =>
  (reply as unknown as { locals?: { csrfToken?: string } }).locals?.csrfToken ?? '';

export function registerSubscriptionsRoutes(app: FastifyInstance) {
  const { subscriptions } = app.services;
  const show = (reply: FastifyReply, r: Rendered) => reply.view(PAGE, r);

  app.get('/subscriptions', { config: signedIn, schema: hide }, async (req, reply) => {
    const saved = (req.query as Body | undefined)?.saved;
    const subs = await subscriptions.mine(requireUser(req));
    const savedText = typeof saved === 'string' ? (SAVED[saved] ?? null) : null;
    return show(reply, listPage({ subs, today: subscriptions.today().today, savedText }));
  });

  app.get('/subscriptions/new', { config: signedIn, schema: hide }, async (req, reply) => {
    const query = (req.query ?? {}) as Body;
    const user = requireUser(req);
    try {
      const offer = await subscriptions.offer(user, query.list, filtersOf(query));
      return show(reply, newPage({ offer, values: query, errors: {}, errorList: null, csrfToken: csrfOf(reply) }));
    } catch (e) {
      if (!(e instanceof ValidationError)) throw e;
      // Filters the list refuses: the page says which and how to fix them, in the list's own words.
      reply.code(400);
      return show(reply, refusedPage({ errorList: errorList(e.fields), back: '/subscriptions' }));
    }
  });

  app.post('/subscriptions', { config: signedIn, schema: hide }, async (req, reply) => {
    const body = (req.body ?? {}) as Body;
    const user = requireUser(req);
    return postForm(
      reply,
      body,
      async () => {
        await subscriptions.subscribe(user, body);
        return '/subscriptions?saved=subscribed';
      },
      async (shown) => {
        // The list and filters came from the form: if they are what is wrong, say so as the link would.
        const offer = await subscriptions.offer(user, body.list, filtersOf(body)).catch(() => null);
        if (!offer) return show(reply, refusedPage({ errorList: shown.errorList, back: '/subscriptions' }));
        return show(reply, newPage({ offer, ...shown, csrfToken: csrfOf(reply) }));
      },
    );
  });

  app.get<{ Params: { id: string } }>(
    '/subscriptions/:id/unsubscribe',
    { config: signedIn, schema: hide },
    async (req, reply) => {
      const sub = await subscriptions.one(requireUser(req), req.params.id);
      return show(reply, unsubscribePage({ sub, today: subscriptions.today().today, csrfToken: csrfOf(reply) }));
    },
  );

  app.post<{ Params: { id: string } }>(
    '/subscriptions/:id/unsubscribe',
    { config: signedIn, schema: hide },
    async (req, reply) => {
      await subscriptions.unsubscribe(requireUser(req), req.params.id);
      return reply.redirect('/subscriptions?saved=unsubscribed', 303);
    },
  );
  registerSubscriptionsApi(app);
}
