import type { FastifyInstance, FastifyReply } from 'fastify';
import { checkNhsNumber, checkUpn } from '../../domain/identifiers.ts';
import { PERSON_STATUSES } from '../../domain/roles.ts';
import { type Body, dateInput, errorList, isRealDate, text, ValidationError } from '../../http/forms.ts';
import { requirePersonAccess, requireUser } from '../../http/request.ts';
import { registerPeopleApi } from './api.ts';
import type { SearchCriteria } from './repository.ts';
import { ContactInput, InvolvementInput, NewPersonInput, PersonUpdateInput, StatusInput } from './schemas.ts';

type PersonParams = { personId: string };
type ChildParams = PersonParams & { childId: string };

const statusItems = Object.entries(PERSON_STATUSES).map(([value, text]) => ({ value, text }));

/** Reads the search form; errors name the field. Shared with the API. */
export function readSearch(body: Body): {
  criteria: SearchCriteria;
  errors: Record<string, string>;
  values: Record<string, unknown>;
} {
  const errors: Record<string, string> = {};
  const criteria: SearchCriteria = {};
  const name = text(body, 'name');
  if (name) criteria.name = name.slice(0, 100);
  const dob = dateInput(body, 'date_of_birth');
  if (dob.value) {
    if (isRealDate(dob.value)) criteria.dateOfBirth = dob.value;
    else errors.date_of_birth = 'Date of birth must be a real date, for example 27 3 2010';
  }
  const nhs = text(body, 'nhs_number');
  if (nhs) {
    const r = checkNhsNumber(nhs);
    if (r.ok) criteria.nhsNumber = r.value;
    else errors.nhs_number = r.message;
  }
  const upn = text(body, 'upn');
  if (upn) {
    const r = checkUpn(upn);
    if (r.ok) criteria.upn = r.value;
    else errors.upn = r.message;
  }
  const caseNumber = text(body, 'case_number');
  if (caseNumber) criteria.caseNumber = caseNumber.toUpperCase().slice(0, 30);
  if (!Object.keys(criteria).length && !Object.keys(errors).length) {
    errors.name = 'Enter a name, date of birth, NHS number, UPN or case number to search';
  }
  return {
    criteria,
    errors,
    values: { name, date_of_birth: dob.parts, nhs_number: nhs, upn, case_number: caseNumber },
  };
}

async function formPage(
  reply: FastifyReply,
  template: string,
  data: Record<string, unknown>,
  run: () => Promise<FastifyReply | string>,
) {
  try {
    const to = await run();
    return typeof to === 'string' ? reply.redirect(to, 303) : to;
  } catch (e) {
    if (!(e instanceof ValidationError)) throw e;
    reply.code(400);
    return reply.view(template, { ...data, errors: e.fields, errorList: errorList(e.fields) });
  }
}

export function registerPeopleRoutes(app: FastifyInstance) {
  const { people } = app.services;
  const read = { policy: { capability: 'person:read' as const, person: 'personId' } };
  const edit = { policy: { capability: 'person:edit' as const, person: 'personId' } };
  const manage = { policy: { capability: 'involvement:manage' as const, person: 'personId' } };
  const hide = { hide: true };

  app.get('/people', { config: { policy: { capability: 'person:read' } }, schema: hide }, async (_req, reply) =>
    reply.view('people/views/search.njk', { values: {} }),
  );

  // POST, not GET: names and identifiers must never appear in URLs or logs.
  app.post(
    '/people/search',
    { config: { policy: { capability: 'person:read' } }, schema: hide },
    async (request, reply) => {
      const { criteria, errors, values } = readSearch((request.body ?? {}) as Body);
      if (Object.keys(errors).length) {
        reply.code(400);
        return reply.view('people/views/search.njk', { values, errors, errorList: errorList(errors) });
      }
      const results = await people.search(requireUser(request), criteria);
      return reply.view('people/views/search.njk', { values, results, searched: true });
    },
  );

  app.get(
    '/people/new',
    { config: { policy: { capability: 'person:create' } }, schema: hide },
    async (request, reply) => {
      const user = requireUser(request);
      return reply.view('people/views/new.njk', {
        options: await people.formOptions(user),
        values: { allocate_to_me: 'yes' },
      });
    },
  );

  app.post('/people', { config: { policy: { capability: 'person:create' } }, schema: hide }, async (request, reply) => {
    const user = requireUser(request);
    const body = (request.body ?? {}) as Body;
    return formPage(
      reply,
      'people/views/new.njk',
      { options: await people.formOptions(user), values: body },
      async () => {
        const id = await people.create(user, NewPersonInput.parse(body, { today: people.today() }));
        return `/people/${id}`;
      },
    );
  });

  app.get<{ Params: PersonParams }>('/people/:personId', { config: read, schema: hide }, async (request, reply) => {
    const record = await people.record(requireUser(request), requirePersonAccess(request), 'page');
    const protocols = await app.services.protocols.instancesOf(record.person.id);
    return reply.view('people/views/record.njk', { r: record, statusItems, protocols });
  });

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
          return `/people/${id}`;
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
      try {
        await people.addStatus(user, id, StatusInput.parse((request.body ?? {}) as Body, { today: people.today() }));
        return reply.redirect(`/people/${id}#statuses`, 303);
      } catch (e) {
        if (!(e instanceof ValidationError)) throw e;
        const record = await people.record(user, requirePersonAccess(request), 'page');
        reply.code(400);
        return reply.view('people/views/record.njk', {
          r: record,
          statusItems,
          errors: e.fields,
          errorList: errorList(e.fields),
        });
      }
    },
  );

  app.post<{ Params: ChildParams }>(
    '/people/:personId/statuses/:childId/end',
    { config: edit, schema: hide },
    async (request, reply) => {
      await people.endStatus(requireUser(request), request.params.personId, request.params.childId);
      return reply.redirect(`/people/${request.params.personId}#statuses`, 303);
    },
  );

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
        return `/people/${id}#contacts`;
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
          return `/people/${id}#involvements`;
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
        workers: await people.teamWorkers(user, inv.team_id),
        values: { worker_id: inv.worker_id },
      });
    },
  );

  app.post<{ Params: ChildParams }>(
    '/people/:personId/involvements/:childId/allocate',
    { config: manage, schema: hide },
    async (request, reply) => {
      await people.allocate(
        requireUser(request),
        request.params.personId,
        request.params.childId,
        (request.body ?? {}) as Body,
      );
      return reply.redirect(`/people/${request.params.personId}#involvements`, 303);
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
        await people.breakGlass(requireUser(request), id, body);
        return `/people/${id}`;
      });
    },
  );

  registerPeopleApi(app);
}
