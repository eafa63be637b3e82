// Consultation forum pages: the forum's list (booked and awaiting advice, advice given, open follow-ups; names only
// as far as the viewer's relationships allow), booking one with or without naming the young person (?person=<id>
// prefills one the user works with; the search for a young person is a POST, so no name is ever in an address), a
// consultation's page with the forum's advice form, its follow-ups with owners (the owner picker) and "mark done".
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { postForm, type Shown } from '../../http/form-post.ts';
import { type Body, dateInput, errorList, text, UUID, ValidationError } from '../../http/forms.ts';
import { requireUser } from '../../http/request.ts';
import { picker } from '../kit/staff.ts';
import { registerConsultationsApi } from './api.ts';
import { AdviceInput, BookInput, FollowUpInput } from './schemas.ts';

type IdParams = { id: string };
const hide = { hide: true };
const staff = { policy: { capability: 'person:read' as const } };
const forum = { policy: { capability: 'solutions:manage' as const } };
const SAVED: Record<string, string> = {
  booked: 'Consultation booked',
  advised: 'Advice recorded',
  'follow-up': 'Follow-up added',
  done: 'Follow-up marked done',
};
const query = (req: FastifyRequest) => req.query as Record<string, unknown>;
const saved = (req: FastifyRequest) => SAVED[String(query(req).saved ?? '')];
/** The form's "ask without naming the young person" choice. */
const UNNAMED = 'unnamed';

export function registerConsultationsRoutes(app: FastifyInstance) {
  const { consultations } = app.services;

  app.get('/consultations', { config: staff, schema: hide }, async (req, reply) => {
    const data = await consultations.list(requireUser(req));
    return reply.view('consultations/views/list.njk', { ...data, savedText: saved(req) });
  });

  const bookForm = async (
    req: FastifyRequest,
    reply: FastifyReply,
    values: Body,
    shown: Partial<Shown> = {},
    search = '',
  ) => {
    const chosen = typeof values.person_id === 'string' && UUID.test(values.person_id) ? values.person_id : null;
    const people = await consultations.personPicker(requireUser(req), search, chosen);
    return reply.view('consultations/views/new.njk', { ...shown, values, people, search });
  };
  app.get('/consultations/new', { config: staff, schema: hide }, async (req, reply) => {
    const person = String(query(req).person ?? '');
    return bookForm(req, reply, UUID.test(person) ? { person_id: person } : {});
  });
  app.post('/consultations', { config: staff, schema: hide }, async (req, reply) => {
    const body = (req.body ?? {}) as Body;
    const values = { ...body, forum_date: dateInput(body, 'forum_date').parts };
    // "Find" searches the young people the user works with and shows the form again, writing nothing.
    if (body.find !== undefined) return bookForm(req, reply, values, {}, text(body, 'who'));
    const chosen = text(body, 'person_id');
    return postForm(
      reply,
      body,
      async () => {
        const read = BookInput.read({ ...body, person_id: chosen === UNNAMED ? '' : chosen }, consultations.today());
        if (!chosen) read.errors.person_id = 'Choose the young person, or choose to ask without naming them';
        if (Object.keys(read.errors).length) throw new ValidationError(read.errors);
        const id = await consultations.book(requireUser(req), read.input as BookInput);
        return `/consultations/${id}?saved=booked`;
      },
      (shown) => bookForm(req, reply, values, { ...shown, errorList: ordered(shown) }, text(body, 'who')),
    );
  });

  const page = async (req: FastifyRequest<{ Params: IdParams }>, extra: Partial<Shown> & { form?: string }) => {
    const user = requireUser(req);
    const data = await consultations.show(user, req.params.id, 'page');
    const chosen = (extra.values?.owner_user_id as string | undefined) ?? null;
    const owners =
      data.forum && data.consultation.advice
        ? await picker(consultations.ctx.db, user.authorityId, { council: true }, String(query(req).q ?? ''), chosen)
        : null;
    return {
      ...data,
      owners,
      userId: user.id,
      today: consultations.today().today,
      values: {},
      errors: {},
      savedText: saved(req),
      ...extra,
    };
  };
  app.get<{ Params: IdParams }>('/consultations/:id', { config: staff, schema: hide }, async (req, reply) =>
    reply.view('consultations/views/show.njk', await page(req, {})),
  );
  app.post<{ Params: IdParams }>('/consultations/:id/advice', { config: forum, schema: hide }, async (req, reply) => {
    const body = (req.body ?? {}) as Body;
    return postForm(
      reply,
      body,
      async () => {
        await consultations.advise(requireUser(req), req.params.id, AdviceInput.parse(body, consultations.today()));
        return `/consultations/${req.params.id}?saved=advised`;
      },
      async (shown) => reply.view('consultations/views/show.njk', await page(req, { ...shown, form: 'advice' })),
    );
  });
  app.post<{ Params: IdParams }>(
    '/consultations/:id/follow-ups',
    { config: forum, schema: hide },
    async (req, reply) => {
      const body = (req.body ?? {}) as Body;
      return postForm(
        reply,
        body,
        async () => {
          const input = FollowUpInput.parse(body, consultations.today());
          await consultations.addFollowUp(requireUser(req), req.params.id, input);
          return `/consultations/${req.params.id}?saved=follow-up`;
        },
        async (shown) => {
          const values = { ...shown.values, due_date: dateInput(body, 'due_date').parts };
          return reply.view('consultations/views/show.njk', await page(req, { ...shown, values, form: 'follow-up' }));
        },
      );
    },
  );
  app.post<{ Params: IdParams & { followUpId: string } }>(
    '/consultations/:id/follow-ups/:followUpId/done',
    { config: staff, schema: hide },
    async (req, reply) => {
      await consultations.done(requireUser(req), req.params.id, req.params.followUpId);
      return reply.redirect(`/consultations/${req.params.id}?saved=done`, 303);
    },
  );
  registerConsultationsApi(app);
}

/** The error summary in the order of the booking form's fields. */
function ordered(shown: Shown) {
  const order = ['forum', 'forum_date', 'person_id', 'question'];
  const errors = Object.fromEntries(order.filter((k) => shown.errors[k]).map((k) => [k, shown.errors[k] as string]));
  return errorList(errors);
}
