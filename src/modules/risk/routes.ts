// The single view of risk pages: the view itself and a partner agency's entry form (person:read with a relationship
// to the young person: police, health and education staff on the case or on a meeting that has them on its agenda).
import type { FastifyInstance } from 'fastify';
import { PERSON_STATUSES } from '../../domain/roles.ts';
import { postForm } from '../../http/form-post.ts';
import { type Body, dateInput } from '../../http/forms.ts';
import { requirePersonAccess, requireUser } from '../../http/request.ts';
import { registerRiskApi } from './api.ts';
import { PartnerEntryInput, SOURCES } from './schemas.ts';

type PersonParams = { personId: string };
const hide = { hide: true };
const SAVED: Record<string, string> = { entry: 'Entry added to the single view of risk' };
const words = {
  statusWords: PERSON_STATUSES,
  sources: SOURCES,
  eventWords: {
    missing_episode: 'Missing episode',
    placement_move: 'Placement move',
    new_intelligence: 'New intelligence',
  },
  interviews: {
    offered_accepted: 'Return interview offered and accepted',
    offered_declined: 'Return interview offered and declined',
    not_offered: 'Return interview not offered',
  },
  decisions: { share: 'Share', share_in_part: 'Share in part', not_share: 'Not share' },
};

export function registerRiskRoutes(app: FastifyInstance) {
  const { risk } = app.services;
  const read = { policy: { capability: 'person:read' as const, person: 'personId' } };

  app.get<{ Params: PersonParams }>('/people/:personId/risk', { config: read, schema: hide }, async (req, reply) => {
    const data = await risk.view(requireUser(req), requirePersonAccess(req), 'page');
    const key = String((req.query as Record<string, unknown>).saved ?? '');
    return reply.view('risk/views/view.njk', { ...data, ...words, savedText: SAVED[key] });
  });

  app.get<{ Params: PersonParams }>(
    '/people/:personId/risk/entries/new',
    { config: read, schema: hide },
    async (req, reply) => {
      const data = await risk.entryForm(requireUser(req), requirePersonAccess(req));
      return reply.view('risk/views/entry.njk', { ...data, sources: SOURCES, values: {} });
    },
  );

  app.post<{ Params: PersonParams }>(
    '/people/:personId/risk/entries',
    { config: read, schema: hide },
    async (req, reply) => {
      const id = req.params.personId;
      const body = (req.body ?? {}) as Body;
      return postForm(
        reply,
        body,
        async () => {
          await risk.addEntry(requireUser(req), id, PartnerEntryInput.parse(body, risk.today()));
          return `/people/${id}/risk?saved=entry#partner-entries`;
        },
        async (shown) => {
          const data = await risk.entryForm(requireUser(req), requirePersonAccess(req));
          const values = { ...shown.values, occurred_on: dateInput(body, 'occurred_on').parts };
          return reply.view('risk/views/entry.njk', { ...data, sources: SOURCES, ...shown, values });
        },
      );
    },
  );
  registerRiskApi(app);
}
