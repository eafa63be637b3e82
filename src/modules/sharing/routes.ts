// Information-sharing pages: a record's entries and the form for a new one (the person's relationship policy, like
// case notes), the council's register as CSV for the data protection officer, and the JSON API.
import type { FastifyInstance } from 'fastify';
import { postForm } from '../../http/form-post.ts';
import { type Body, dateInput } from '../../http/forms.ts';
import { requirePersonAccess, requireUser } from '../../http/request.ts';
import { registerSharingApi } from './api.ts';
import { registerCsv } from './csv.ts';
import {
  ART9_CONDITIONS,
  CONSENT,
  DECISIONS,
  LAWFUL_BASES,
  RegisterFilter,
  SCHEDULE1_CONDITIONS,
  SharingInput,
} from './schemas.ts';

type PersonParams = { personId: string };
const hide = { hide: true };
const lists = {
  decisions: DECISIONS,
  bases: LAWFUL_BASES,
  art9: ART9_CONDITIONS,
  schedule1: SCHEDULE1_CONDITIONS,
  consent: CONSENT,
};
const SAVED: Record<string, string> = { added: 'Sharing decision recorded' };

export function registerSharingRoutes(app: FastifyInstance) {
  const { sharing } = app.services;
  const read = { policy: { capability: 'person:read' as const, person: 'personId' } };
  const edit = { policy: { capability: 'person:edit' as const, person: 'personId' } };

  app.get<{ Params: PersonParams }>('/people/:personId/sharing', { config: read, schema: hide }, async (req, reply) => {
    const data = await sharing.list(requireUser(req), requirePersonAccess(req), 'page');
    const key = String((req.query as Record<string, unknown>).saved ?? '');
    return reply.view('sharing/views/list.njk', { ...data, ...lists, savedText: SAVED[key] });
  });

  app.get<{ Params: PersonParams }>(
    '/people/:personId/sharing/new',
    { config: edit, schema: hide },
    async (req, reply) => {
      const { person } = await sharing.list(requireUser(req), requirePersonAccess(req), 'page');
      return reply.view('sharing/views/new.njk', { person, ...lists, values: {} });
    },
  );

  app.post<{ Params: PersonParams }>(
    '/people/:personId/sharing',
    { config: edit, schema: hide },
    async (req, reply) => {
      const id = req.params.personId;
      const body = (req.body ?? {}) as Body;
      return postForm(
        reply,
        body,
        async () => {
          await sharing.add(requireUser(req), id, SharingInput.parse(body, sharing.today()));
          return `/people/${id}/sharing?saved=added`;
        },
        async (shown) => {
          const { person } = await sharing.list(requireUser(req), requirePersonAccess(req), 'page');
          const values = { ...shown.values, decided_on: dateInput(body, 'decided_on').parts };
          return reply.view('sharing/views/new.njk', { person, ...lists, ...shown, values });
        },
      );
    },
  );

  app.get(
    '/sharing/register.csv',
    { config: { policy: { capability: 'subject-access:manage' as const } }, schema: hide },
    async (request, reply) => {
      const filter = RegisterFilter.parse(request.query as Body, sharing.today());
      const rows = await sharing.register(requireUser(request), filter, 'csv');
      return reply
        .header('content-type', 'text/csv; charset=utf-8')
        .header('content-disposition', 'attachment; filename="information-sharing.csv"')
        .send(registerCsv(rows));
    },
  );
  registerSharingApi(app);
}
