// JSON API for consultation forums (/api/v1), under the pages' rules: the consultations the caller may see (every
// one for the forum; a young person named only to those who work with them) and the open follow-ups; booking one
// with or without naming the young person; one consultation with its follow-ups (a named one's read is logged); the
// forum's advice and follow-ups; a follow-up marked done by its owner or the forum.
import { type Static, Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { Created, DateStr, DateTime, errors, errorsOf, Id, Nullable } from '../../http/api-schema.ts';
import type { Body } from '../../http/forms.ts';
import { requireUser } from '../../http/request.ts';
import type { Named } from './repository.ts';
import { AdviceInput, BookInput, FollowUpInput } from './schemas.ts';

const staff = { policy: { capability: 'person:read' as const } };
const forum = { policy: { capability: 'solutions:manage' as const } };
const tags = ['consultation forums'];
const Params = Type.Object({ id: Id });
const FollowUpParams = Type.Object({ id: Id, followUpId: Id });

const YoungPerson = Type.Object(
  {
    named: Type.Boolean({ description: 'False: asked without naming the young person' }),
    you_work_with_them: Type.Boolean(),
    name: Nullable(Type.String({ description: 'Only when you work with the young person' })),
    case_number: Nullable(Type.String({ description: 'Only when you work with the young person' })),
  },
  { additionalProperties: false },
);
const Summary = Type.Object(
  {
    id: Id,
    forum: Type.String(),
    forum_date: DateStr,
    booked_by_name: Type.String(),
    young_person: YoungPerson,
    advice_given: Type.Boolean(),
  },
  { additionalProperties: false },
);
const OpenFollowUp = Type.Object(
  {
    id: Id,
    consultation_id: Id,
    forum: Type.String(),
    action: Type.String(),
    owner_user_id: Id,
    owner_name: Type.String(),
    due_on: DateStr,
    young_person: YoungPerson,
  },
  { additionalProperties: false },
);
const FollowUp = Type.Object(
  {
    id: Id,
    action: Type.String(),
    owner_user_id: Id,
    owner_name: Type.String(),
    due_on: DateStr,
    done_on: Nullable(DateStr),
    chased: Type.Boolean({ description: 'Chased by a consultation-follow-up protocol instance (named only)' }),
  },
  { additionalProperties: false },
);
const Consultation = Type.Object(
  {
    id: Id,
    forum: Type.String(),
    forum_date: DateStr,
    question: Type.String(),
    booked_by: Id,
    booked_by_name: Type.String(),
    booked_at: DateTime,
    person: Nullable(
      Type.Object({ id: Id, name: Type.String(), case_number: Type.String() }, { additionalProperties: false }),
    ),
    advice: Nullable(Type.String()),
    advised_by_name: Nullable(Type.String()),
    advised_at: Nullable(DateTime),
    follow_ups: Type.Array(FollowUp),
  },
  { additionalProperties: false },
);

function youngPerson(p: Named): Static<typeof YoungPerson> {
  if (p.kind === 'known') return { named: true, you_work_with_them: true, name: p.name, case_number: p.caseNumber };
  return { named: p.kind === 'other', you_work_with_them: false, name: null, case_number: null };
}

export function registerConsultationsApi(app: FastifyInstance) {
  const { consultations } = app.services;
  app.get(
    '/api/v1/consultations',
    {
      config: staff,
      schema: {
        tags,
        summary: 'The consultations you may see (every one, for the forum) and the follow-ups not yet done',
        response: {
          200: Type.Object({ items: Type.Array(Summary), open_follow_ups: Type.Array(OpenFollowUp) }),
          ...errors,
        },
      },
    },
    async (request) => {
      const r = await consultations.list(requireUser(request));
      return {
        items: [...r.awaiting, ...r.advised].map((c) => ({
          id: c.id,
          forum: c.forum,
          forum_date: c.forum_date,
          booked_by_name: c.booked_by_name,
          young_person: youngPerson(c.person),
          advice_given: c.advice !== null,
        })),
        open_follow_ups: r.followUps.map((f) => ({
          id: f.id,
          consultation_id: f.consultation_id,
          forum: f.forum,
          action: f.action,
          owner_user_id: f.owner_user_id,
          owner_name: f.owner_name,
          due_on: f.due_on,
          young_person: youngPerson(f.person),
        })),
      };
    },
  );
  app.post(
    '/api/v1/consultations',
    {
      config: staff,
      schema: {
        tags,
        summary: 'Book a consultation; person_id names a young person you work with, or leave it out',
        body: BookInput.schema,
        response: { 201: Created, ...errors },
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
        summary: 'One consultation and its follow-ups (for those who may see it; a named one’s read is logged)',
        params: Params,
        response: { 200: Consultation, ...errors },
      },
    },
    async (request) => {
      const { consultation: c, followUps } = await consultations.show(requireUser(request), request.params.id, 'api');
      return {
        id: c.id,
        forum: c.forum,
        forum_date: c.forum_date,
        question: c.question,
        booked_by: c.booked_by,
        booked_by_name: c.booked_by_name,
        booked_at: c.booked_at.toISOString(),
        person: c.person ? { id: c.person.id, name: c.person.name, case_number: c.person.caseNumber } : null,
        advice: c.advice,
        advised_by_name: c.advised_by_name,
        advised_at: c.advised_at ? c.advised_at.toISOString() : null,
        follow_ups: followUps.map((f) => ({
          id: f.id,
          action: f.action,
          owner_user_id: f.owner_user_id,
          owner_name: f.owner_name,
          due_on: f.due_on,
          done_on: f.done_on,
          chased: f.protocol_instance_id !== null,
        })),
      };
    },
  );
  app.post<{ Params: { id: string } }>(
    '/api/v1/consultations/:id/advice',
    {
      config: forum,
      schema: {
        tags,
        summary: 'The forum’s advice on a consultation (recorded once)',
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
  app.post<{ Params: { id: string } }>(
    '/api/v1/consultations/:id/follow-ups',
    {
      config: forum,
      schema: {
        tags,
        summary:
          'A follow-up with its owner and due date, after the advice (chased by consultation-follow-up when the young person is named)',
        params: Params,
        body: FollowUpInput.schema,
        response: { 201: Created, ...errors },
      },
    },
    async (request, reply) => {
      const input = FollowUpInput.parse(request.body as Body, consultations.today());
      const id = await consultations.addFollowUp(requireUser(request), request.params.id, input);
      return reply.code(201).send({ id });
    },
  );
  app.post<{ Params: { id: string; followUpId: string } }>(
    '/api/v1/consultations/:id/follow-ups/:followUpId/done',
    {
      config: staff,
      schema: {
        tags,
        summary: 'Mark a follow-up done (its owner or the forum); its chase ends',
        params: FollowUpParams,
        response: { 204: Type.Null(), ...errorsOf(401, 403, 404) },
      },
    },
    async (request, reply) => {
      await consultations.done(requireUser(request), request.params.id, request.params.followUpId);
      return reply.code(204).send();
    },
  );
}
