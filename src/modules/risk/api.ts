// JSON API for the single view of risk (/api/v1): the whole view for one young person (the read is logged), and a
// partner agency's entry (person:read with a relationship, like the page).
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { errors, Id, PersonParams } from '../../http/api-schema.ts';
import type { Body } from '../../http/forms.ts';
import { requirePersonAccess, requireUser } from '../../http/request.ts';
import { PartnerEntryInput } from './schemas.ts';

const read = { policy: { capability: 'person:read' as const, person: 'personId' } };
const tags = ['single view of risk'];
const Section = Type.Array(Type.Object({}, { additionalProperties: true }));

export function registerRiskApi(app: FastifyInstance) {
  const { risk } = app.services;
  app.get(
    '/api/v1/people/:personId/risk',
    {
      config: read,
      schema: {
        tags,
        summary:
          'The single view of risk: screenings, events, contexts, meetings, SEND, health, sharing, partner entries',
        params: PersonParams,
        response: {
          200: Type.Object({
            person: Type.Object({}, { additionalProperties: true }),
            trend: Type.String(),
            screenings: Section,
            events: Section,
            places: Section,
            peerGroups: Section,
            personsOfConcern: Section,
            meetings: Section,
            statuses: Section,
            ehcp: Section,
            health: Section,
            shares: Section,
            partnerEntries: Section,
          }),
          ...errors,
        },
      },
    },
    async (request) => {
      const { chart: _chart, ...view } = await risk.view(requireUser(request), requirePersonAccess(request), 'api');
      return JSON.parse(JSON.stringify(view));
    },
  );
  app.post<{ Params: { personId: string } }>(
    '/api/v1/people/:personId/risk/entries',
    {
      config: read,
      schema: {
        tags,
        summary: 'A partner agency’s entry (agency from the caller’s account; evidence or intelligence)',
        params: PersonParams,
        body: PartnerEntryInput.schema,
        response: { 201: Type.Object({ id: Id }), ...errors },
      },
    },
    async (request, reply) => {
      const input = PartnerEntryInput.parse(request.body as Body, risk.today());
      const id = await risk.addEntry(requireUser(request), request.params.personId, input);
      return reply.code(201).send({ id });
    },
  );
}
