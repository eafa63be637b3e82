import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { PERSON_STATUSES } from '../../domain/roles.ts';
import { NotFound } from '../../http/errors.ts';
import { postForm } from '../../http/form-post.ts';
import { type Body, dateInput } from '../../http/forms.ts';
import { completeDeferredAccess, rolesWith } from '../../http/policy.ts';
import { requirePersonAccess, requireUser } from '../../http/request.ts';
import { registerPeopleApi } from './api.ts';
import {
  AllocateInput,
  BreakGlassInput,
  ContactInput,
  InvolvementInput,
  PersonUpdateInput,
  StatusEndInput,
  StatusInput,
} from './schemas.ts';
import { registerPeopleSearchRoutes } from './search-routes.ts';
import { shapeRecord } from './service.ts';
import { type RecordView, recordBody, recordTitle } from './views/record.ts';

type PersonParams = { personId: string };
type ChildParams = PersonParams & { childId: string };

/** What the success banner on the record says after a save; the redirect names the save with `?saved=`. */
export const SAVED = {
  created: 'Record created',
  details: 'Details saved',
  'status-added': 'Status added',
  'status-ended': 'Status ended',
  contact: 'Contact added',
  involvement: 'Team involvement added',
  allocation: 'Allocation saved',
} as const;
/**
 * The record's address after a save, with the banner's flag. No #section: the banner at the top of the page takes the
 * focus (GOV.UK's script), and a fragment would scroll away from it and take the focus back.
 */
const saved = (personId: string, what: keyof typeof SAVED) => `/people/${personId}?saved=${what}`;

const statusItems = Object.entries(PERSON_STATUSES).map(([value, text]) => ({ value, text }));

/** The record page: its body by the typed components (views/record.ts) inside the Nunjucks layout. */
function viewRecord(reply: FastifyReply, request: FastifyRequest, data: Omit<RecordView, 'user' | 'csrfToken'>) {
  const locals = (reply as unknown as { locals?: { csrfToken?: string } }).locals;
  const view: RecordView = { ...data, user: requireUser(request), csrfToken: locals?.csrfToken ?? '' };
  return reply.view('people/views/record.njk', { pageTitle: recordTitle(view), body: recordBody(view).html });
}

function formPage(reply: FastifyReply, template: string, data: Record<string, unknown>, run: () => Promise<string>) {
  return postForm(reply, {}, run, ({ errors, errorList }) => reply.view(template, { ...data, errors, errorList }));
}

export function registerPeopleRoutes(app: FastifyInstance) {
  const { people } = app.services;
  const read = { policy: { capability: 'person:read' as const, person: 'personId' } };
  const edit = { policy: { capability: 'person:edit' as const, person: 'personId' } };
  const manage = { policy: { capability: 'involvement:manage' as const, person: 'personId' } };
  const hide = { hide: true };

  registerPeopleSearchRoutes(app);

  app.get<{ Params: PersonParams; Querystring: { page?: string; saved?: string } }>(
    '/people/:personId',
    // The session, the access check, the access-log row, the record and its protocols: one statement (record-read.ts).
    { config: { ...read, deferAccess: true }, schema: hide },
    async (request, reply) => {
      const { page, saved: what } = request.query ?? {};
      const loaded = await loadRecordPage(app, request, reply, Number(page) || 1);
      if (!loaded) return reply;
      const { record, protocols } = loaded;
      const documents = await app.services.documents.forRecordPage(requireUser(request), requirePersonAccess(request));
      const savedText = what && Object.hasOwn(SAVED, what) ? SAVED[what as keyof typeof SAVED] : null;
      return viewRecord(reply, request, { r: record, statusItems, protocols, documents, savedText });
    },
  );

  app.get<{ Params: PersonParams }>(
    '/people/:personId/access-log',
    { config: read, schema: hide },
    async (request, reply) => {
      const data = await people.whoViewed(requireUser(request), requirePersonAccess(request));
      return reply.view('people/views/access-log.njk', data);
    },
  );

  app.get<{ Params: PersonParams }>(
    '/people/:personId/edit',
    { config: edit, schema: hide },
    async (request, reply) => {
      const user = requireUser(request);
      const { person } = await people.record(user, requirePersonAccess(request), 'page');
      const [y, m, d] = person.date_of_birth.split('-');
      return reply.view('people/views/edit.njk', {
        person,
        options: await people.formOptions(user),
        values: { ...person, date_of_birth: { day: d, month: m, year: y } },
      });
    },
  );

  app.post<{ Params: PersonParams }>(
    '/people/:personId/edit',
    { config: edit, schema: hide },
    async (request, reply) => {
      const user = requireUser(request);
      const body = (request.body ?? {}) as Body;
      const id = request.params.personId;
      const dob = dateInput(body, 'date_of_birth');
      return formPage(
        reply,
        'people/views/edit.njk',
        {
          person: { id, version: body.version },
          options: await people.formOptions(user),
          values: { ...body, date_of_birth: dob.parts },
        },
        async () => {
          await people.update(user, id, PersonUpdateInput.parse(body, { today: people.today() }));
          return saved(id, 'details');
        },
      );
    },
  );

  app.post<{ Params: PersonParams }>(
    '/people/:personId/statuses',
    { config: edit, schema: hide },
    async (request, reply) => {
      const user = requireUser(request);
      const id = request.params.personId;
      const body = (request.body ?? {}) as Body;
      return postForm(
        reply,
        body,
        async () => {
          await people.addStatus(user, id, StatusInput.parse(body, { today: people.today() }));
          return saved(id, 'status-added');
        },
        async ({ errors, errorList }) => {
          const r = await people.record(user, requirePersonAccess(request), 'page');
          return viewRecord(reply, request, { r, statusItems, errors, errorList });
        },
      );
    },
  );

  registerStatusEnd(app);

  app.get<{ Params: PersonParams }>(
    '/people/:personId/contacts/new',
    { config: edit, schema: hide },
    async (request, reply) => reply.view('people/views/contact.njk', { personId: request.params.personId, values: {} }),
  );

  app.post<{ Params: PersonParams }>(
    '/people/:personId/contacts',
    { config: edit, schema: hide },
    async (request, reply) => {
      const id = request.params.personId;
      const body = (request.body ?? {}) as Body;
      return formPage(reply, 'people/views/contact.njk', { personId: id, values: body }, async () => {
        await people.addContact(requireUser(request), id, ContactInput.parse(body, { today: people.today() }));
        return saved(id, 'contact');
      });
    },
  );

  app.get<{ Params: PersonParams }>(
    '/people/:personId/involvements/new',
    { config: manage, schema: hide },
    async (request, reply) =>
      reply.view('people/views/involvement.njk', {
        personId: request.params.personId,
        options: await people.formOptions(requireUser(request)),
        values: {},
      }),
  );

  app.post<{ Params: PersonParams }>(
    '/people/:personId/involvements',
    { config: manage, schema: hide },
    async (request, reply) => {
      const user = requireUser(request);
      const id = request.params.personId;
      const body = (request.body ?? {}) as Body;
      return formPage(
        reply,
        'people/views/involvement.njk',
        { personId: id, options: await people.formOptions(user), values: body },
        async () => {
          await people.addInvolvement(user, id, InvolvementInput.parse(body, { today: people.today() }));
          return saved(id, 'involvement');
        },
      );
    },
  );

  app.get<{ Params: ChildParams }>(
    '/people/:personId/involvements/:childId/allocate',
    { config: manage, schema: hide },
    async (request, reply) => {
      const user = requireUser(request);
      const record = await people.record(user, requirePersonAccess(request), 'page');
      const inv = record.involvements.find((i) => i.id === request.params.childId && !i.end_date);
      if (!inv) return reply.callNotFound();
      return reply.view('people/views/allocate.njk', {
        person: record.person,
        inv,
        // Owner picker (issue 11 capability 13): the team's caseworkers, a search when the team is long.
        workers: await app.services.caseload.teamPicker(
          user,
          inv.team_id,
          String((request.query as Body).q ?? ''),
          inv.worker_id,
        ),
        values: { worker_id: inv.worker_id },
      });
    },
  );

  app.post<{ Params: ChildParams }>(
    '/people/:personId/involvements/:childId/allocate',
    { config: manage, schema: hide },
    async (request, reply) => {
      const { personId, childId } = request.params;
      const body = (request.body ?? {}) as Body;
      const user = requireUser(request);
      // The page's "Remove the allocated worker" radio is the input's explicit `remove`.
      const form = body.worker_id === 'remove' ? { ...body, worker_id: '', remove: 'yes' } : body;
      return postForm(
        reply,
        body,
        async () => {
          await people.allocate(user, personId, childId, AllocateInput.parse(form, { today: people.today() }));
          return saved(personId, 'allocation');
        },
        async ({ values, errors, errorList }) => {
          const record = await people.record(user, requirePersonAccess(request), 'page');
          const inv = record.involvements.find((i) => i.id === childId && !i.end_date);
          if (!inv) return reply.callNotFound();
          const workers = await app.services.caseload.teamPicker(user, inv.team_id, '', String(body.worker_id ?? ''));
          return reply.view('people/views/allocate.njk', {
            person: record.person,
            inv,
            workers,
            values,
            errors,
            errorList,
          });
        },
      );
    },
  );

  app.post<{ Params: ChildParams }>(
    '/people/:personId/involvements/:childId/end',
    { config: manage, schema: hide },
    async (request, reply) => {
      await people.endInvolvement(requireUser(request), request.params.personId, request.params.childId);
      return reply.redirect(`/people/${request.params.personId}#involvements`, 303);
    },
  );

  // Break-glass needs the capability but, by its nature, no relationship.
  const glass = {
    policy: { capability: 'breakglass:use' as const, person: 'personId', relationship: 'not-needed' as const },
  };
  app.get<{ Params: PersonParams }>(
    '/people/:personId/break-glass',
    { config: glass, schema: hide },
    async (request, reply) =>
      reply.view('people/views/break-glass.njk', { personId: request.params.personId, values: {} }),
  );
  app.post<{ Params: PersonParams }>(
    '/people/:personId/break-glass',
    { config: glass, schema: hide },
    async (request, reply) => {
      const id = request.params.personId;
      const body = (request.body ?? {}) as Body;
      return formPage(reply, 'people/views/break-glass.njk', { personId: id, values: body }, async () => {
        await people.breakGlass(requireUser(request), id, BreakGlassInput.parse(body, { today: people.today() }));
        return `/people/${id}`;
      });
    },
  );

  registerPeopleApi(app);
}

/**
 * The record page's data: in one statement when the request came with a session cookie (the access decided on what
 * it read, completeDeferredAccess); for a bearer token, resolved by the hooks as usual and read as before.
 * Undefined when access was refused (the refusal is sent).
 */
async function loadRecordPage(
  app: FastifyInstance,
  request: FastifyRequest<{ Params: PersonParams }>,
  reply: FastifyReply,
  page: number,
) {
  const { people, protocols } = app.services;
  const deferred = request.deferredSession;
  if (!deferred) {
    const record = await people.record(requireUser(request), requirePersonAccess(request), 'page', page);
    return { record, protocols: await protocols.instancesOf(record.person.id) };
  }
  const capable = rolesWith('person:read');
  const read = await people.recordPage(deferred, request.params.personId, capable, page);
  if (!(await completeDeferredAccess(request, reply, read.session, read.relationship))) return undefined;
  // Access passed, so the statement wrote the access-log row and read the record; a person deleted meanwhile is gone.
  if (!read.record) throw new NotFound('No record with that reference.');
  const access = requirePersonAccess(request);
  const record = shapeRecord(read.record.read, access, Math.max(1, Math.floor(page) || 1), people.today());
  const titled = [];
  for (const r of read.record.protocols)
    titled.push({ ...r, title: (await protocols.definition(r.protocol_id, r.protocol_version)).title });
  return { record, protocols: titled };
}

/** Ending a status: a page that asks for the end date and the reason, then the change (issue 11 defect 7). */
function registerStatusEnd(app: FastifyInstance) {
  const { people } = app.services;
  const edit = { policy: { capability: 'person:edit' as const, person: 'personId' } };
  const url = '/people/:personId/statuses/:childId/end';
  const page = async (request: FastifyRequest<{ Params: ChildParams }>, reply: FastifyReply, shown: object) => {
    const status = await people.openStatus(requireUser(request), request.params.personId, request.params.childId);
    return reply.view('people/views/status-end.njk', { status, today: people.today(), ...shown });
  };

  app.get<{ Params: ChildParams }>(url, { config: edit, schema: { hide: true } }, (request, reply) =>
    page(request, reply, { values: {} }),
  );

  app.post<{ Params: ChildParams }>(url, { config: edit, schema: { hide: true } }, async (request, reply) => {
    const { personId, childId } = request.params;
    const body = (request.body ?? {}) as Body;
    return postForm(
      reply,
      body,
      async () => {
        await people.endStatus(
          requireUser(request),
          personId,
          childId,
          StatusEndInput.parse(body, { today: people.today() }),
        );
        return saved(personId, 'status-ended');
      },
      ({ values, errors, errorList }) =>
        page(request, reply, { values: { ...values, end_date: dateInput(body, 'end_date').parts }, errors, errorList }),
    );
  });
}
