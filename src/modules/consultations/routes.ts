// Consultation forum pages: the consultations a user booked (every one for the forum), booking one with or
// without naming the young person, a consultation with the forum's advice form and its follow-ups, and the API.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { postForm } from '../../http/form-post.ts';
import { type Body, dateInput } from '../../http/forms.ts';
import { requireUser } from '../../http/request.ts';
import { picker } from '../kit/staff.ts';
import { registerConsultationsApi } from './api.ts';
import { AdviceInput, BookInput } from './schemas.ts';

type IdParams = { id: string };
const hide = { hide: true };
const staff = { policy: { capability: 'person:read' as const } };
const forum = { policy: { capability: 'solutions:manage' as const } };
const SAVED: Record<string, string> = {
  booked: 'Consultation booked',
  advised: 'Advice and follow-ups recorded',
  done: 'Follow-up marked done',
};
const saved = (req: FastifyRequest) => SAVED[String((req.query as Record<string, unknown>).saved ?? '')];

export function registerConsultationsRoutes(app: FastifyInstance) {
  const { consultations } = app.services;

  app.get('/consultations', { config: staff, schema: hide }, async (req, reply) => {
    const items = await consultations.list(requireUser(req));
    return reply.view('consultations/views/list.njk', { items, savedText: saved(req) });
  });
  app.get('/consultations/new', { config: staff, schema: hide }, async (_req, reply) =>
    reply.view('consultations/views/new.njk', { values: {} }),
  );
  app.post('/consultations', { config: staff, schema: hide }, async (req, reply) => {
    const body = (req.body ?? {}) as Body;
    return postForm(
      reply,
      body,
      async () => {
        const id = await consultations.book(requireUser(req), BookInput.parse(body, consultations.today()));
        return `/consultations/${id}?saved=booked`;
      },
      (shown) =>
        reply.view('consultations/views/new.njk', {
          ...shown,
          values: { ...shown.values, forum_date: dateInput(body, 'forum_date').parts },
        }),
    );
  });

  const page = async (req: FastifyRequest<{ Params: IdParams }>, extra: { values?: Body } & object) => {
    const user = requireUser(req);
    const data = await consultations.show(user, req.params.id, 'page');
    const q = String((req.query as Record<string, unknown>).q ?? '');
    const owners = data.forum ? await picker(consultations.ctx.db, user.authorityId, { council: true }, q) : null;
    return { ...data, owners, values: {}, savedText: saved(req), ...extra };
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
      async (shown) => {
        const values = {
          ...shown.values,
          follow_up_1_due: dateInput(body, 'follow_up_1_due').parts,
          follow_up_2_due: dateInput(body, 'follow_up_2_due').parts,
        };
        return reply.view('consultations/views/show.njk', await page(req, { ...shown, values }));
      },
    );
  });
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
