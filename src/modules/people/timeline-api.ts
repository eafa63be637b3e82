// GET /api/v1/people/:personId/timeline: the whole timeline, newest first, a page at a time (keyset: timeline.ts).
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { DateTime, errors, Nullable, PersonParams } from '../../http/api-schema.ts';
import type { Body } from '../../http/forms.ts';
import { requirePersonAccess, requireUser } from '../../http/request.ts';
import { TimelineQuery, TimelineQueryString } from './timeline.ts';

const Page = Type.Object({
  items: Type.Array(
    Type.Object({
      id: Type.Integer({ description: 'The event; pass the last one as `before` for the next page' }),
      at: DateTime,
      kind: Type.String(),
      title: Type.String(),
      detail: Nullable(Type.String()),
      actor: Nullable(Type.String()),
    }),
  ),
  next_before: Nullable(Type.Integer({ description: 'Pass as `before` for older events; null: this is the oldest' })),
  next: Nullable(Type.String({ description: 'The next page (a path on this site); null: this is the oldest' })),
});

export function registerTimelineApi(app: FastifyInstance) {
  const { people } = app.services;
  app.get(
    '/api/v1/people/:personId/timeline',
    {
      config: { policy: { capability: 'person:read', person: 'personId' } },
      schema: {
        tags: ['people'],
        summary: 'A young person’s timeline, newest first, 50 a page (`limit` up to 100); the read is logged',
        params: PersonParams,
        querystring: TimelineQueryString,
        response: { 200: Page, ...errors },
      },
    },
    async (request) => {
      const q = TimelineQuery.parse(request.query as Body, { today: people.today() });
      const access = requirePersonAccess(request);
      const { events, more } = await people.timelinePage(requireUser(request), access, q);
      const last = more ? events.at(-1) : undefined;
      const limit = q.limit === 50 ? '' : `&limit=${q.limit}`;
      return {
        items: events.map((e) => ({
          id: e.id,
          at: e.at.toISOString(),
          kind: e.kind,
          title: e.title,
          detail: e.detail,
          actor: e.actor_name,
        })),
        next_before: last ? last.id : null,
        next: last ? `/api/v1/people/${access.personId}/timeline?before=${last.id}${limit}` : null,
      };
    },
  );
}
