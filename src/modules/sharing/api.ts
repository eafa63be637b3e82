// JSON API for information-sharing decisions (/api/v1): a record's entries and a new one (the person's relationship
// policy, like case notes), and the council's register for the data protection officer (subject-access:manage).
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { errors, Id, PersonParams } from '../../http/api-schema.ts';
import type { Body } from '../../http/forms.ts';
import { requirePersonAccess, requireUser } from '../../http/request.ts';
import { RegisterFilter, SharingInput } from './schemas.ts';
import type { SharingService } from './service.ts';

const read = { policy: { capability: 'person:read' as const, person: 'personId' } };
const edit = { policy: { capability: 'person:edit' as const, person: 'personId' } };
const dpo = { policy: { capability: 'subject-access:manage' as const } };
const tags = ['information sharing'];
const Entry = Type.Object({}, { additionalProperties: true, description: 'An entry as recorded' });

type Row = Awaited<ReturnType<SharingService['list']>>['records'][number];
export const entry = (r: Row & { case_number?: string }) => ({
  ...r,
  recorded_at: r.recorded_at.toISOString(),
});

export function registerSharingApi(app: FastifyInstance) {
  const { sharing } = app.services;
  app.get(
    '/api/v1/people/:personId/sharing',
    {
      config: read,
      schema: {
        tags,
        summary: 'Information-sharing decisions on the record, newest first (the read is logged)',
        params: PersonParams,
        response: { 200: Type.Object({ items: Type.Array(Entry) }), ...errors },
      },
    },
    async (request) => {
      const r = await sharing.list(requireUser(request), requirePersonAccess(request), 'api');
      return { items: r.records.map(entry) };
    },
  );
  app.post<{ Params: { personId: string } }>(
    '/api/v1/people/:personId/sharing',
    {
      config: edit,
      schema: {
        tags,
        summary: 'Record a decision to share, share in part or not share (append-only; corrects_id for a correction)',
        params: PersonParams,
        body: SharingInput.schema,
        response: { 201: Type.Object({ id: Id }), ...errors },
      },
    },
    async (request, reply) => {
      const input = SharingInput.parse(request.body as Body, sharing.today());
      const id = await sharing.add(requireUser(request), request.params.personId, input);
      return reply.code(201).send({ id });
    },
  );
  app.get(
    '/api/v1/sharing',
    {
      config: dpo,
      schema: {
        tags,
        summary: 'The council’s information-sharing decisions, newest first (for the data protection officer)',
        querystring: RegisterFilter.schema,
        response: { 200: Type.Object({ items: Type.Array(Entry) }), ...errors },
      },
    },
    async (request) => {
      const filter = RegisterFilter.parse(request.query as Body, sharing.today());
      const rows = await sharing.register(requireUser(request), filter, 'api');
      return { items: rows.map(entry) };
    },
  );
}
