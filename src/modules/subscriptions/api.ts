// The JSON API of scheduled reports (/api/v1/subscriptions): my subscriptions, subscribe, unsubscribe. Same service
// and rules as the pages: the list's capability to subscribe, its filters checked, a duplicate refused; a user sees
// and ends only their own (another user's is not found).
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { apiRoutes } from '../../http/api-routes.ts';
import { DateStr, errors, Id, Nullable } from '../../http/api-schema.ts';
import { requireUser } from '../../http/request.ts';
import { FREQUENCIES } from './periods.ts';
import { SubscriptionBody } from './schemas.ts';
import type { MySubscription } from './service.ts';

const signedIn = { policy: { capability: null } };

const Subscription = Type.Object({
  id: Id,
  list: Type.String({ description: 'The list or dashboard subscribed to, e.g. radar, ehcp-weekly' }),
  title: Type.String(),
  filters: Type.Record(Type.String(), Type.String(), { description: 'The list’s filters (ids and choices only)' }),
  filters_described: Type.String({ description: 'The filters in words' }),
  frequency: Type.Union(FREQUENCIES.map((f) => Type.Literal(f))),
  next_send: DateStr,
  link: Nullable(Type.String({ description: 'The list’s page with the filters; null when no longer offered' })),
});

const item = (s: MySubscription) => ({
  id: s.id,
  list: s.listKey,
  title: s.title,
  filters: s.filters,
  filters_described: s.described,
  frequency: s.frequency,
  next_send: s.nextSend,
  link: s.path,
});

export function registerSubscriptionsApi(app: FastifyInstance) {
  const { subscriptions } = app.services;
  const api = apiRoutes(app, ['Subscriptions']);
  api.list('/api/v1/subscriptions', 'My email subscriptions', signedIn, Subscription, async (user) =>
    (await subscriptions.mine(user)).map(item),
  );
  api.add(
    '/api/v1/subscriptions',
    'Subscribe to a list or dashboard by email, weekly (Mondays) or monthly (the 1st)',
    signedIn,
    { schema: SubscriptionBody },
    (user, body) => subscriptions.subscribe(user, body),
  );
  app.delete<{ Params: { id: string } }>(
    '/api/v1/subscriptions/:id',
    {
      config: signedIn,
      schema: {
        tags: ['Subscriptions'],
        summary: 'Unsubscribe (your own subscriptions only)',
        params: Type.Object({ id: Id }),
        response: { 204: Type.Null(), ...errors },
      },
    },
    async (req, reply) => {
      await subscriptions.unsubscribe(requireUser(req), req.params.id);
      return reply.code(204).send();
    },
  );
}
