// Contextual safeguarding pages (issue 12 part 3): places and peer groups of concern (list, add, edit, close, a page
// naming only the linked young people the viewer works with), persons of concern, and the young person's own
// section (link and unlink, person:edit and a relationship). safeguarding:read sees; safeguarding:manage keeps.
import type { FastifyInstance, FastifyReply } from 'fastify';
import { formValues, postForm } from '../../http/form-post.ts';
import type { Body } from '../../http/forms.ts';
import { requirePersonAccess, requireUser } from '../../http/request.ts';
import { staleForm } from '../../http/versions.ts';
import { BLOCK_KINDS } from '../cohort/schemas.ts';
import { registerContextualApi } from './api.ts';
import type { Area } from './repository.ts';
import {
  CloseInput,
  ConcernEdit,
  ConcernInput,
  ConcernLinkInput,
  GroupEdit,
  GroupInput,
  PersonLinkInput,
  PLACE_KINDS,
  PlaceEdit,
  PlaceInput,
} from './schemas.ts';

const hide = { hide: true };
const read = { policy: { capability: 'safeguarding:read' as const } };
const manage = { policy: { capability: 'safeguarding:manage' as const } };
type IdParams = { id: string };
export const AREAS: { area: Area; path: string; title: string; one: string }[] = [
  { area: 'places', path: '/places', title: 'Places of concern', one: 'place' },
  { area: 'peer_groups', path: '/peer-groups', title: 'Peer groups', one: 'peer group' },
];
const SAVED: Record<string, string> = {
  added: 'Added',
  changed: 'Changes saved',
  closed: 'Closed',
  concern: 'Person of concern linked',
  linked: 'Link saved',
  unlinked: 'Link removed',
  block: 'System block recorded on the case',
};
const saved = (q: unknown) => SAVED[String((q as Record<string, unknown>)?.saved ?? '')];

export function registerContextualRoutes(app: FastifyInstance) {
  for (const a of AREAS) registerArea(app, a);
  registerConcerns(app);
  registerPersonSection(app);
  registerContextualApi(app);
}

function registerArea(app: FastifyInstance, a: (typeof AREAS)[number]) {
  const { contextual } = app.services;
  const [add, edit] = a.area === 'places' ? [PlaceInput, PlaceEdit] : [GroupInput, GroupEdit];
  const view = (reply: FastifyReply, tpl: string, data: Record<string, unknown>) =>
    reply.view(`contextual/views/${tpl}.njk`, { ...a, kinds: PLACE_KINDS, ...data });

  app.get(a.path, { config: read, schema: hide }, async (req, reply) =>
    view(reply, 'list', { rows: await contextual.list(requireUser(req), a.area), savedText: saved(req.query) }),
  );
  app.get(`${a.path}/new`, { config: manage, schema: hide }, async (_req, reply) =>
    view(reply, 'form', { values: {} }),
  );
  app.post(`${a.path}`, { config: manage, schema: hide }, async (req, reply) => {
    const body = (req.body ?? {}) as Body;
    return postForm(
      reply,
      body,
      async () => {
        const id = await contextual.add(requireUser(req), a.area, add.parse(body, contextual.today()) as PlaceEdit);
        return `${a.path}/${id}?saved=added`;
      },
      (shown) => view(reply, 'form', { ...shown }),
    );
  });
  app.get<{ Params: IdParams }>(`${a.path}/:id`, { config: read, schema: hide }, async (req, reply) => {
    const user = requireUser(req);
    const data = await contextual.show(user, a.area, req.params.id);
    const concerns = user.caps.has('safeguarding:manage') ? await contextual.concerns(user) : [];
    return view(reply, 'show', { ...data, allConcerns: concerns, savedText: saved(req.query) });
  });
  app.get<{ Params: IdParams }>(`${a.path}/:id/edit`, { config: manage, schema: hide }, async (req, reply) => {
    const { item } = await contextual.show(requireUser(req), a.area, req.params.id);
    return view(reply, 'form', { item, values: item });
  });
  app.post<{ Params: IdParams }>(`${a.path}/:id`, { config: manage, schema: hide }, async (req, reply) => {
    const body = (req.body ?? {}) as Body;
    const id = req.params.id;
    const again = async (shown: { errors: Record<string, string>; errorList: unknown[] }) => {
      const { item } = await contextual.show(requireUser(req), a.area, id);
      return view(reply, 'form', { item, values: formValues(body), ...shown });
    };
    try {
      return await postForm(
        reply,
        body,
        async () => {
          await contextual.edit(requireUser(req), a.area, id, edit.parse(body, contextual.today()) as PlaceEdit);
          return `${a.path}/${id}?saved=changed`;
        },
        again,
      );
    } catch (e) {
      // Someone else saved it since this form was read: the form again (409) with what was typed, saying to reload.
      return staleForm(reply, e, `${a.path}/${id}/edit`, again);
    }
  });
  app.post<{ Params: IdParams }>(`${a.path}/:id/close`, { config: manage, schema: hide }, async (req, reply) => {
    const { version } = CloseInput.parse((req.body ?? {}) as Body, contextual.today());
    await contextual.close(requireUser(req), a.area, req.params.id, version);
    return reply.redirect(`${a.path}/${req.params.id}?saved=closed`, 303);
  });
  app.post<{ Params: IdParams }>(`${a.path}/:id/concerns`, { config: manage, schema: hide }, async (req, reply) => {
    const body = (req.body ?? {}) as Body;
    const id = req.params.id;
    return postForm(
      reply,
      body,
      async () => {
        await contextual.linkConcern(requireUser(req), a.area, id, ConcernLinkInput.parse(body, contextual.today()));
        return `${a.path}/${id}?saved=concern`;
      },
      async (shown) => {
        const user = requireUser(req);
        const data = await contextual.show(user, a.area, id);
        return view(reply, 'show', { ...data, allConcerns: await contextual.concerns(user), ...shown });
      },
    );
  });
}

function registerConcerns(app: FastifyInstance) {
  const { contextual } = app.services;
  const view = (reply: FastifyReply, tpl: string, data: Record<string, unknown>) =>
    reply.view(`contextual/views/${tpl}.njk`, data);
  app.get('/persons-of-concern', { config: read, schema: hide }, async (req, reply) =>
    view(reply, 'concerns', { rows: await contextual.concerns(requireUser(req)), savedText: saved(req.query) }),
  );
  app.get('/persons-of-concern/new', { config: manage, schema: hide }, async (_req, reply) =>
    view(reply, 'concern-form', { values: {} }),
  );
  app.post('/persons-of-concern', { config: manage, schema: hide }, async (req, reply) => {
    const body = (req.body ?? {}) as Body;
    return postForm(
      reply,
      body,
      async () => {
        await contextual.addConcern(requireUser(req), ConcernInput.parse(body, contextual.today()));
        return '/persons-of-concern?saved=added';
      },
      (shown) => view(reply, 'concern-form', shown),
    );
  });
  app.get<{ Params: IdParams }>(
    '/persons-of-concern/:id/edit',
    { config: manage, schema: hide },
    async (req, reply) => {
      const item = await contextual.concern(requireUser(req), req.params.id);
      return view(reply, 'concern-form', { item, values: item });
    },
  );
  app.post<{ Params: IdParams }>('/persons-of-concern/:id', { config: manage, schema: hide }, async (req, reply) => {
    const body = (req.body ?? {}) as Body;
    const again = async (shown: { errors: Record<string, string>; errorList: unknown[] }) => {
      const item = await contextual.concern(requireUser(req), req.params.id);
      return view(reply, 'concern-form', { item, values: formValues(body), ...shown });
    };
    try {
      return await postForm(
        reply,
        body,
        async () => {
          await contextual.editConcern(requireUser(req), req.params.id, ConcernEdit.parse(body, contextual.today()));
          return '/persons-of-concern?saved=changed';
        },
        again,
      );
    } catch (e) {
      return staleForm(reply, e, `/persons-of-concern/${req.params.id}/edit`, again);
    }
  });
}

function registerPersonSection(app: FastifyInstance) {
  const { contextual } = app.services;
  type P = { Params: { personId: string } };
  const pRead = { policy: { capability: 'person:read' as const, person: 'personId' } };
  const pEdit = { policy: { capability: 'person:edit' as const, person: 'personId' } };
  app.get<P>('/people/:personId/contextual', { config: pRead, schema: hide }, async (req, reply) => {
    const user = requireUser(req);
    const data = await contextual.personLinks(user, requirePersonAccess(req), 'page');
    const blocks = await app.services.cohort.forPerson(user, req.params.personId);
    return reply.view('contextual/views/person.njk', {
      ...data,
      ...blocks,
      blockKinds: BLOCK_KINDS,
      savedText: saved(req.query),
    });
  });
  app.post<P>('/people/:personId/contextual', { config: pEdit, schema: hide }, async (req, reply) => {
    const body = (req.body ?? {}) as Body;
    const id = req.params.personId;
    return postForm(
      reply,
      body,
      async () => {
        await contextual.linkPerson(requireUser(req), id, PersonLinkInput.parse(body, contextual.today()));
        return `/people/${id}/contextual?saved=linked`;
      },
      async (shown) => {
        const user = requireUser(req);
        const data = await contextual.personLinks(user, requirePersonAccess(req), 'page');
        const blocks = await app.services.cohort.forPerson(user, req.params.personId);
        return reply.view('contextual/views/person.njk', { ...data, ...blocks, blockKinds: BLOCK_KINDS, ...shown });
      },
    );
  });
  app.post<P>('/people/:personId/contextual/unlink', { config: pEdit, schema: hide }, async (req, reply) => {
    const body = (req.body ?? {}) as Body;
    const area: Area = body.area === 'peer_groups' ? 'peer_groups' : 'places';
    await contextual.unlinkPerson(requireUser(req), req.params.personId, area, String(body.target_id ?? ''));
    return reply.redirect(`/people/${req.params.personId}/contextual?saved=unlinked`, 303);
  });
}
