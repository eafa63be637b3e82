// JSON API for contextual safeguarding (/api/v1, issue 12 parts 3 and 12): places, peer groups and persons of concern
// (safeguarding:read to see, safeguarding:manage to add), a place or group with only the linked young people the
// caller works with by id and name (the rest a count), and a young person's links (their relationship policy).
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { Created, errors, Id, PersonParams } from '../../http/api-schema.ts';
import type { Body } from '../../http/forms.ts';
import { requirePersonAccess, requireUser } from '../../http/request.ts';
import type { Area } from './repository.ts';
import { ConcernInput, GroupInput, PersonLinkInput, PlaceInput } from './schemas.ts';

const tags = ['contextual safeguarding'];
const read = { policy: { capability: 'safeguarding:read' as const } };
const manage = { policy: { capability: 'safeguarding:manage' as const } };
const Item = Type.Object({}, { additionalProperties: true });
const Items = Type.Object({ items: Type.Array(Item) });
const IdParams = Type.Object({ id: Id });

export function registerContextualApi(app: FastifyInstance) {
  const { contextual } = app.services;
  const areas: [Area, string, typeof PlaceInput | typeof GroupInput][] = [
    ['places', 'places', PlaceInput],
    ['peer_groups', 'peer-groups', GroupInput],
  ];
  for (const [area, path, body] of areas) {
    app.get(
      `/api/v1/${path}`,
      {
        config: read,
        schema: { tags, summary: `The council’s ${path.replace('-', ' ')}`, response: { 200: Items, ...errors } },
      },
      async (req) => ({ items: await contextual.list(requireUser(req), area) }),
    );
    app.get<{ Params: { id: string } }>(
      `/api/v1/${path}/:id`,
      {
        config: read,
        schema: {
          tags,
          summary:
            'One, with its persons of concern, the linked young people the caller works with, and a count of others',
          params: IdParams,
          response: { 200: Item, ...errors },
        },
      },
      async (req) => contextual.show(requireUser(req), area, req.params.id),
    );
    app.post(
      `/api/v1/${path}`,
      {
        config: manage,
        schema: {
          tags,
          summary: `Add to the ${path.replace('-', ' ')}`,
          body: body.schema,
          response: { 201: Created, ...errors },
        },
      },
      async (req, reply) => {
        const input = body.parse(req.body as Body, contextual.today());
        const id = await contextual.add(requireUser(req), area, input as never);
        return reply.code(201).send({ id });
      },
    );
  }
  app.get(
    '/api/v1/persons-of-concern',
    { config: read, schema: { tags, summary: 'Persons of concern', response: { 200: Items, ...errors } } },
    async (req) => ({ items: await contextual.concerns(requireUser(req)) }),
  );
  app.post(
    '/api/v1/persons-of-concern',
    {
      config: manage,
      schema: {
        tags,
        summary: 'Add a person of concern',
        body: ConcernInput.schema,
        response: { 201: Created, ...errors },
      },
    },
    async (req, reply) => {
      const id = await contextual.addConcern(
        requireUser(req),
        ConcernInput.parse(req.body as Body, contextual.today()),
      );
      return reply.code(201).send({ id });
    },
  );
  app.get(
    '/api/v1/people/:personId/contextual-links',
    {
      config: { policy: { capability: 'person:read' as const, person: 'personId' } },
      schema: {
        tags,
        summary: 'The places and peer groups the young person is linked to (the read is logged)',
        params: PersonParams,
        response: { 200: Items, ...errors },
      },
    },
    async (req) => ({ items: (await contextual.personLinks(requireUser(req), requirePersonAccess(req), 'api')).links }),
  );
  app.post<{ Params: { personId: string } }>(
    '/api/v1/people/:personId/contextual-links',
    {
      config: { policy: { capability: 'person:edit' as const, person: 'personId' } },
      schema: {
        tags,
        summary: 'Link the young person to a place or peer group',
        params: PersonParams,
        body: PersonLinkInput.schema,
        response: { 201: Created, ...errors },
      },
    },
    async (req, reply) => {
      const input = PersonLinkInput.parse(req.body as Body, contextual.today());
      const id = await contextual.linkPerson(requireUser(req), req.params.personId, input);
      return reply.code(201).send({ id });
    },
  );
}
