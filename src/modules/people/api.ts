// JSON API for people and involvements (/api/v1). Same services and access rules as the pages.
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { PERSON_STATUSES } from '../../domain/roles.ts';
import { apiRoutes } from '../../http/api-routes.ts';
import { Created, DateStr, DateTime, errors, Id, Nullable, PersonParams } from '../../http/api-schema.ts';
import type { Body } from '../../http/forms.ts';
import { requirePersonAccess, requireUser } from '../../http/request.ts';
import { LikelyDuplicates } from './duplicates.ts';
import {
  AGE_BANDS,
  AllocateInput,
  ContactInput,
  FilterInput,
  InvolvementInput,
  NewPersonInput,
  PersonUpdateInput,
  SearchInput,
  SORTS,
  StatusEndInput,
  StatusInput,
} from './schemas.ts';
import { registerTimelineApi } from './timeline-api.ts';

/** Who the young person is: in a list and at the top of their record. */
const Identity = {
  id: Id,
  case_number: Type.String(),
  given_name: Type.String(),
  family_name: Type.String(),
  preferred_name: Nullable(Type.String()),
  date_of_birth: DateStr,
  nhs_number: Nullable(Type.String()),
  upn: Nullable(Type.String()),
};
const PersonSummary = Type.Object({
  ...Identity,
  age: Type.Integer(),
  teams: Type.Array(Type.Object({ team: Type.String(), worker: Nullable(Type.String()) }), {
    description: 'The teams working with them now, and the allocated worker of each',
  }),
});
const Paged = Type.Object({
  items: Type.Array(PersonSummary),
  total: Type.Integer(),
  page: Type.Integer(),
  pages: Type.Integer(),
});
const ListQuery = Type.Object(
  {
    team_id: Type.Optional(Id),
    worker: Type.Optional(Type.String({ description: "A worker's id, or unallocated" })),
    status: Type.Optional(Type.String({ description: Object.keys(PERSON_STATUSES).join(', ') })),
    age: Type.Optional(Type.String({ description: Object.keys(AGE_BANDS).join(', ') })),
    sort: Type.Optional(Type.String({ description: Object.keys(SORTS).join(', ') })),
    page: Type.Optional(Type.String({ pattern: '^[0-9]{1,6}$', description: 'The page, from 1 (25 a page)' })),
  },
  { additionalProperties: false },
);
const Duplicates = Type.Object({
  statusCode: Type.Literal(409),
  error: Type.String(),
  message: Type.String(),
  duplicates: Type.Object({
    visible: Type.Array(
      Type.Object({
        id: Id,
        case_number: Type.String(),
        given_name: Type.String(),
        family_name: Type.String(),
        date_of_birth: DateStr,
        why: Type.Array(Type.String()),
      }),
      { description: 'Likely duplicates you may open' },
    ),
    hidden: Type.Array(Type.Object({ ask: Type.String() }), {
      description:
        'Likely duplicates outside your access, together in one item: who to ask; never who, how many, or which detail matched (each such warning is audited)',
    }),
  }),
});

const Involvement = Type.Object({
  id: Id,
  team_id: Id,
  team_name: Type.String(),
  service_name: Type.String(),
  worker_id: Nullable(Id),
  worker_name: Nullable(Type.String()),
  reason: Type.String(),
  start_date: DateStr,
  end_date: Nullable(DateStr),
  version: Type.Integer(),
});

const Record_ = Type.Object({
  person: Type.Object({
    ...Identity,
    upn_unknown: Nullable(
      Type.String({ description: 'Why the UPN is not known: an SEN2 UPNunknown code, only when there is no UPN' }),
    ),
    gender: Nullable(Type.String()),
    address: Nullable(Type.String()),
    postcode: Nullable(Type.String()),
    school: Nullable(Type.String()),
    locality_id: Nullable(Id),
    version: Type.Integer(),
  }),
  age: Type.Integer(),
  school_year: Type.Union([Type.Integer(), Type.Null()], {
    description: 'National-curriculum year computed from date of birth; 0 = Reception; null = below Reception',
  }),
  statuses: Type.Array(
    Type.Object({
      id: Id,
      status: Type.String(),
      start_date: DateStr,
      end_date: Nullable(DateStr),
      end_reason: Nullable(Type.String()),
    }),
  ),
  contacts: Type.Array(
    Type.Object({
      id: Id,
      name: Type.String(),
      relationship: Type.String(),
      phone: Nullable(Type.String()),
      email: Nullable(Type.String()),
      address: Nullable(Type.String()),
      parental_responsibility: Type.Boolean(),
    }),
  ),
  involvements: Type.Array(Involvement),
  timeline: Type.Array(
    Type.Object({
      at: DateTime,
      kind: Type.String(),
      title: Type.String(),
      detail: Nullable(Type.String()),
      actor: Nullable(Type.String()),
    }),
  ),
  timeline_next_before: Nullable(Type.Integer({ description: 'Older events: GET …/timeline?before=this; null: none' })),
});

const ChildParams = Type.Object({ personId: Id, involvementId: Id });
const StatusParams = Type.Object({ personId: Id, statusId: Id });
const tags = ['people'];

export function registerPeopleApi(app: FastifyInstance) {
  const { people } = app.services;
  const read = { policy: { capability: 'person:read' as const, person: 'personId' } };
  const edit = { policy: { capability: 'person:edit' as const, person: 'personId' } };
  const manage = { policy: { capability: 'involvement:manage' as const, person: 'personId' } };

  const serialise = (r: Awaited<ReturnType<typeof people.record>>) => ({
    person: r.person,
    age: r.age,
    school_year: r.schoolYear,
    statuses: r.statuses,
    contacts: r.contacts,
    involvements: r.involvements,
    timeline: r.events.map((e) => ({
      at: e.at.toISOString(),
      kind: e.kind,
      title: e.title,
      detail: e.detail,
      actor: e.actor_name,
    })),
    timeline_next_before: r.eventCount > r.events.length ? Number(r.events.at(-1)?.id ?? null) : null,
  });

  registerTimelineApi(app);
  const api = apiRoutes(app, tags);
  const today = () => ({ today: people.today() });

  app.get(
    '/api/v1/people',
    {
      config: { policy: { capability: 'person:read' } },
      schema: {
        tags,
        summary:
          'Young people you work with (through your allocations, teams and the workers you manage), filtered by team, allocated worker, status and age band, sorted, 25 a page',
        querystring: ListQuery,
        response: { 200: Paged, ...errors },
      },
    },
    async (request) => people.list(requireUser(request), FilterInput.parse(request.query as Body, today())),
  );

  app.post(
    '/api/v1/people/search',
    {
      config: { policy: { capability: 'person:read' } },
      schema: {
        tags,
        summary:
          'Search the people you work with by name, date of birth, NHS number, UPN or case number, with the filters of the list (POST so nothing personal is in the URL); the first 50',
        body: SearchInput.schema,
        response: { 200: Type.Object({ items: Type.Array(PersonSummary) }), ...errors },
      },
    },
    async (request) => {
      return { items: await people.find(requireUser(request), SearchInput.parse(request.body as Body, today())) };
    },
  );

  app.post(
    '/api/v1/people',
    {
      config: { policy: { capability: 'person:create' } },
      schema: {
        tags,
        summary:
          'Create a record, with an involvement of one of your teams. If a record may already exist (same NHS number or UPN, or the same date of birth and a similar name), 409 with the matches you may open and who to ask about the others; send create_anyway: true to create it all the same (recorded)',
        body: NewPersonInput.schema,
        response: { 201: Created, ...errors, 409: Duplicates },
      },
    },
    async (request, reply) => {
      try {
        const id = await people.create(requireUser(request), NewPersonInput.parse(request.body as Body, today()));
        return reply.code(201).send({ id });
      } catch (e) {
        if (!(e instanceof LikelyDuplicates)) throw e;
        const { visible, hidden } = e.duplicates;
        return reply.code(409).send({
          statusCode: 409,
          error: 'A record may already exist',
          message: e.message,
          duplicates: { visible, hidden },
        });
      }
    },
  );

  app.get(
    '/api/v1/people/:personId',
    {
      config: read,
      schema: {
        tags,
        summary: "A young person's record (the read is logged)",
        params: PersonParams,
        response: { 200: Record_, ...errors },
      },
    },
    async (request) => serialise(await people.record(requireUser(request), requirePersonAccess(request), 'api')),
  );

  app.put(
    '/api/v1/people/:personId',
    {
      config: edit,
      schema: {
        tags,
        summary: 'Replace the details of a record; send the version you read (409 if someone changed it since)',
        params: PersonParams,
        body: PersonUpdateInput.schema,
        response: { 204: Type.Null(), ...errors },
      },
    },
    async (request, reply) => {
      await people.update(
        requireUser(request),
        (request.params as { personId: string }).personId,
        PersonUpdateInput.parse(request.body as Body, today()),
      );
      return reply.code(204).send();
    },
  );

  api.add(
    '/api/v1/people/:personId/statuses',
    'Record a status (child in need, child protection plan, …)',
    edit,
    StatusInput,
    (u, b, p) => people.addStatus(u, p.personId as string, StatusInput.parse(b, today())),
    PersonParams,
  );
  app.post(
    '/api/v1/people/:personId/statuses/:statusId/end',
    {
      config: edit,
      schema: {
        tags,
        summary:
          'End an open status on a date (default today; not in the future, not before it started) with a reason. Refused if a child still on a child protection plan or in care would have no allocated worker',
        params: StatusParams,
        body: StatusEndInput.schema,
        response: { 204: Type.Null(), ...errors },
      },
    },
    async (request, reply) => {
      const p = request.params as { personId: string; statusId: string };
      await people.endStatus(
        requireUser(request),
        p.personId,
        p.statusId,
        StatusEndInput.parse(request.body as Body, today()),
      );
      return reply.code(204).send();
    },
  );
  api.add(
    '/api/v1/people/:personId/contacts',
    'Add a contact (parent, carer, …)',
    edit,
    ContactInput,
    (u, b, p) => people.addContact(u, p.personId as string, ContactInput.parse(b, today())),
    PersonParams,
  );

  app.get(
    '/api/v1/people/:personId/involvements',
    {
      config: read,
      schema: {
        tags: ['involvements'],
        summary: 'Which teams work with this young person, and the allocated worker (the read is logged)',
        params: PersonParams,
        response: { 200: Type.Object({ items: Type.Array(Involvement) }), ...errors },
      },
    },
    async (request) => ({
      items: (await people.record(requireUser(request), requirePersonAccess(request), 'api')).involvements,
    }),
  );

  apiRoutes(app, ['involvements']).add(
    '/api/v1/people/:personId/involvements',
    'Add a team involvement, optionally allocated to a member of that team',
    manage,
    InvolvementInput,
    (u, b, p) => people.addInvolvement(u, p.personId as string, InvolvementInput.parse(b, today())),
    PersonParams,
  );

  app.post(
    '/api/v1/people/:personId/involvements/:involvementId/allocation',
    {
      config: manage,
      schema: {
        tags: ['involvements'],
        summary:
          'Allocate the worker (worker_id), or remove the allocated worker (remove: true, with a reason); send the version you read. Refused for a child on a child protection plan or in care with no other allocated worker',
        params: ChildParams,
        body: AllocateInput.schema,
        response: { 204: Type.Null(), ...errors },
      },
    },
    async (request, reply) => {
      const p = request.params as { personId: string; involvementId: string };
      await people.allocate(
        requireUser(request),
        p.personId,
        p.involvementId,
        AllocateInput.parse(request.body as Body, today()),
      );
      return reply.code(204).send();
    },
  );

  app.get(
    '/api/v1/people/:personId/access-log',
    {
      config: read,
      schema: {
        tags,
        summary: 'Who viewed this record (itself logged)',
        params: PersonParams,
        response: {
          200: Type.Object({
            items: Type.Array(
              Type.Object({
                at: DateTime,
                channel: Type.String(),
                purpose: Type.String(),
                user: Type.String(),
                break_glass: Type.Boolean(),
              }),
            ),
          }),
          ...errors,
        },
      },
    },
    async (request) => {
      const { rows } = await people.whoViewed(requireUser(request), requirePersonAccess(request));
      return {
        items: rows.map((r) => ({
          at: r.at.toISOString(),
          channel: r.channel,
          purpose: r.purpose,
          user: r.display_name,
          break_glass: r.break_glass_id !== null,
        })),
      };
    },
  );
}
