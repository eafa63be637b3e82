// Information-sharing pages: a record's entries (the current version of each, with its history) and the form for a
// new one, prefilled from a decision or from the entry it corrects (the person's relationship policy, like case
// notes); the council's register as a page with filters and as CSV for the data protection officer; the JSON API.
import type { FastifyInstance } from 'fastify';
import { postForm } from '../../http/form-post.ts';
import { type Body, dateInput, errorList } from '../../http/forms.ts';
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
const SAVED: Record<string, string> = { added: 'Sharing decision recorded', corrected: 'Sharing decision corrected' };
const dpo = { policy: { capability: 'subject-access:manage' as const } };
const str = (v: unknown) => (typeof v === 'string' ? v : undefined);

export function registerSharingRoutes(app: FastifyInstance) {
  const { sharing } = app.services;
  const read = { policy: { capability: 'person:read' as const, person: 'personId' } };
  const edit = { policy: { capability: 'person:edit' as const, person: 'personId' } };

  app.get<{ Params: PersonParams }>('/people/:personId/sharing', { config: read, schema: hide }, async (req, reply) => {
    const data = await sharing.list(requireUser(req), requirePersonAccess(req), 'page');
    const key = String((req.query as Record<string, unknown>).saved ?? '');
    return reply.view('sharing/views/list.njk', { ...data, ...lists, savedText: SAVED[key] });
  });

  app.get<{ Params: PersonParams; Querystring: Record<string, unknown> }>(
    '/people/:personId/sharing/new',
    { config: edit, schema: hide },
    async (req, reply) => {
      const source = { kind: str(req.query.source), id: str(req.query.sourceId) };
      const data = await sharing.newForm(requireUser(req), requirePersonAccess(req), source);
      return reply.view('sharing/views/new.njk', { ...data, ...lists });
    },
  );

  app.get<{ Params: PersonParams & { entryId: string } }>(
    '/people/:personId/sharing/:entryId/correct',
    { config: edit, schema: hide },
    async (req, reply) => {
      const data = await sharing.correctionForm(requireUser(req), requirePersonAccess(req), req.params.entryId);
      return reply.view('sharing/views/new.njk', { ...data, ...lists });
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
          const input = SharingInput.parse(body, sharing.today());
          await sharing.add(requireUser(req), id, input);
          return `/people/${id}/sharing?saved=${input.corrects_id ? 'corrected' : 'added'}`;
        },
        async (shown) => {
          const data = await sharing.newForm(requireUser(req), requirePersonAccess(req), {});
          const values = { ...shown.values, decided_on: dateInput(body, 'decided_on').parts };
          return reply.view('sharing/views/new.njk', { ...data, ...lists, ...shown, values });
        },
      );
    },
  );

  app.get<{ Querystring: Body }>('/sharing', { config: dpo, schema: hide }, async (req, reply) => {
    const query = req.query ?? {};
    const { input, errors } = RegisterFilter.read(query, sharing.today());
    const bad = Object.keys(errors).length > 0;
    const rows = bad ? [] : await sharing.register(requireUser(req), input, 'page');
    const values = {
      ...query,
      from_date: dateInput(query, 'from_date').parts,
      to_date: dateInput(query, 'to_date').parts,
    };
    const csv = new URLSearchParams(query as Record<string, string>).toString();
    if (bad) reply.code(400);
    return reply.view('sharing/views/register.njk', {
      ...lists,
      rows,
      values,
      errors,
      errorList: bad ? errorList(errors) : undefined,
      csvHref: `/sharing/register.csv${csv ? `?${csv}` : ''}`,
    });
  });

  app.get('/sharing/register.csv', { config: dpo, schema: hide }, async (request, reply) => {
    const filter = RegisterFilter.parse(request.query as Body, sharing.today());
    const rows = await sharing.register(requireUser(request), filter, 'csv');
    return reply
      .header('content-type', 'text/csv; charset=utf-8')
      .header('content-disposition', 'attachment; filename="information-sharing.csv"')
      .send(registerCsv(rows));
  });
  registerSharingApi(app);
}
