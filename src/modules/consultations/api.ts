// JSON API for consultation forums (/api/v1): a user's consultations (every one for the forum), booking one with
// or without a case number, one consultation with its follow-ups, and the forum's advice and follow-ups.
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { errors, Id } from '../../http/api-schema.ts';
import type { Body } from '../../http/forms.ts';
import { requireUser } from '../../http/request.ts';
import { AdviceInput, BookInput } from './schemas.ts';

const staff = { policy: { capability: 'person:read' as const } };
const forum = { policy: { capability: 'solutions:manage' as const } };
const tags = ['consultation forums'];
const Item = Type.Object({}, { additionalProperties: true, description: 'As recorded' });
const Params = Type.Object({ id: Id });

export function registerConsultationsApi(app: FastifyInstance) {
  const { consultations } = app.services;
  app.get(
    '/api/v1/consultations',
    {
      config: staff,
      schema: {
        tags,
        summary: 'Consultations you booked (every one, for the forum)',
        response: { 200: Type.Object({ items: Type.Array(Item) }), ...errors },
      },
    },
    async (request) => ({ items: await consultations.list(requireUser(request)) }),
  );
  app.post(
    '/api/v1/consultations',
    {
      config: staff,
      schema: {
        tags,
        summary: 'Book a consultation; case_number names the young person (you must work with them), or leave it out',
        body: BookInput.schema,
        response: { 201: Type.Object({ id: Id }), ...errors },
      },
    },
    async (request, reply) => {
      const input = BookInput.parse(request.body as Body, consultations.today());
      return reply.code(201).send({ id: await consultations.book(requireUser(request), input) });
    },
  );
  app.get<{ Params: { id: string } }>(
    '/api/v1/consultations/:id',
    {
      config: staff,
      schema: {
        tags,
        summary: 'One consultation and its follow-ups (its booker and the forum only; a named one’s read is logged)',
        params: Params,
        response: { 200: Item, ...errors },
      },
    },
    async (request) => {
      const r = await consultations.show(requireUser(request), request.params.id, 'api');
      return { ...r.consultation, followUps: r.followUps };
    },
  );
  app.post<{ Params: { id: string } }>(
    '/api/v1/consultations/:id/advice',
    {
      config: forum,
      schema: {
        tags,
        summary: 'The forum’s advice and up to two follow-ups, each with an owner and a due date',
        params: Params,
        body: AdviceInput.schema,
        response: { 204: Type.Null(), ...errors },
      },
    },
    async (request, reply) => {
      const input = AdviceInput.parse(request.body as Body, consultations.today());
      await consultations.advise(requireUser(request), request.params.id, input);
      return reply.code(204).send();
    },
  );
}
