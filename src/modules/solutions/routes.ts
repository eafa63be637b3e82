// Creative Solutions Board pages: a record's board cases and the referral form (the person's relationship policy),
// the board's list and case pages with its consider and review forms (solutions:manage: the board reaches a case
// referred to it without a relationship, every read logged), and the pseudonymised register with its CSV.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { postForm } from '../../http/form-post.ts';
import { type Body, dateInput } from '../../http/forms.ts';
import { requirePersonAccess, requireUser } from '../../http/request.ts';
import { staleForm } from '../../http/versions.ts';
import { picker } from '../kit/staff.ts';
import { registerSolutionsApi } from './api.ts';
import { registerCsv } from './csv.ts';
import { CATEGORIES, ConsiderInput, NEXT, RESULTS, ReferInput, RegisterFilter, ReviewInput } from './schemas.ts';

type CaseParams = { personId: string; caseId: string };
const hide = { hide: true };
const lists = { categories: CATEGORIES, results: RESULTS, nexts: NEXT };
const SAVED: Record<string, string> = {
  referred: 'Case referred to the Creative Solutions Board',
  considered: 'Board decision recorded',
  reviewed: 'Review recorded',
};
const saved = (req: FastifyRequest) => SAVED[String((req.query as Record<string, unknown>).saved ?? '')];
const q = (req: FastifyRequest) => String((req.query as Record<string, unknown>).q ?? '');

export function registerSolutionsRoutes(app: FastifyInstance) {
  const { solutions } = app.services;
  const read = { policy: { capability: 'person:read' as const, person: 'personId' } };
  const edit = { policy: { capability: 'person:edit' as const, person: 'personId' } };
  const board = {
    policy: { capability: 'solutions:manage' as const, person: 'personId', relationship: 'not-needed' as const },
  };

  app.get<{ Params: { personId: string } }>(
    '/people/:personId/solutions',
    { config: read, schema: hide },
    async (req, reply) => {
      const data = await solutions.forPerson(requireUser(req), requirePersonAccess(req), 'page');
      return reply.view('solutions/views/person.njk', { ...data, ...lists, savedText: saved(req) });
    },
  );

  const referForm = async (req: FastifyRequest, extra: object) => {
    const { person } = await solutions.forPerson(requireUser(req), requirePersonAccess(req), 'page');
    return { person, values: {}, ...extra };
  };
  app.get<{ Params: { personId: string } }>(
    '/people/:personId/solutions/new',
    { config: edit, schema: hide },
    async (req, reply) => reply.view('solutions/views/refer.njk', await referForm(req, {})),
  );
  app.post<{ Params: { personId: string } }>(
    '/people/:personId/solutions',
    { config: edit, schema: hide },
    async (req, reply) => {
      const id = req.params.personId;
      const body = (req.body ?? {}) as Body;
      return postForm(
        reply,
        body,
        async () => {
          await solutions.refer(requireUser(req), id, ReferInput.parse(body, solutions.today()));
          return `/people/${id}/solutions?saved=referred`;
        },
        async (shown) => reply.view('solutions/views/refer.njk', await referForm(req, shown)),
      );
    },
  );

  app.get(
    '/solutions',
    { config: { policy: { capability: 'solutions:manage' as const } }, schema: hide },
    async (req, reply) => {
      const cases = await solutions.board(requireUser(req));
      return reply.view('solutions/views/board.njk', { cases, ...lists });
    },
  );

  app.get<{ Params: CaseParams }>(
    '/people/:personId/board/:caseId',
    { config: board, schema: hide },
    async (req, reply) => {
      const data = await solutions.boardCase(requireUser(req), requirePersonAccess(req), req.params.caseId, 'page');
      return reply.view('solutions/views/case.njk', { ...data, ...lists, savedText: saved(req) });
    },
  );

  for (const form of ['consider', 'review'] as const) {
    const page = async (req: FastifyRequest<{ Params: CaseParams }>, extra: { values?: Body } & object) => {
      const user = requireUser(req);
      const data = await solutions.boardCase(user, requirePersonAccess(req), req.params.caseId, 'page');
      const chosen = (extra.values?.owner_user_id as string | undefined) ?? null;
      const owners = await picker(solutions.ctx.db, user.authorityId, { council: true }, q(req), chosen);
      return { ...data, ...lists, owners, values: { version: data.case?.version }, ...extra };
    };
    const url = `/people/:personId/board/:caseId/${form}`;
    app.get<{ Params: CaseParams }>(url, { config: board, schema: hide }, async (req, reply) =>
      reply.view(`solutions/views/${form}.njk`, await page(req, {})),
    );
    app.post<{ Params: CaseParams }>(url, { config: board, schema: hide }, async (req, reply) => {
      const { personId, caseId } = req.params;
      const body = (req.body ?? {}) as Body;
      const again = async (shown: object) => {
        const values = {
          ...body,
          review_date: dateInput(body, 'review_date').parts,
          meeting_date: dateInput(body, 'meeting_date').parts,
        };
        return reply.view(`solutions/views/${form}.njk`, await page(req, { ...shown, values }));
      };
      try {
        return await postForm(
          reply,
          body,
          async () => {
            const user = requireUser(req);
            if (form === 'consider')
              await solutions.consider(user, personId, caseId, ConsiderInput.parse(body, solutions.today()));
            else await solutions.review(user, personId, caseId, ReviewInput.parse(body, solutions.today()));
            return `/people/${personId}/board/${caseId}?saved=${form === 'consider' ? 'considered' : 'reviewed'}`;
          },
          again,
        );
      } catch (e) {
        return staleForm(reply, e, `/people/${personId}/board/${caseId}`, again);
      }
    });
  }

  app.get(
    '/solutions/register',
    { config: { policy: { capability: 'safeguarding:read' as const } }, schema: hide },
    async (req, reply) => {
      const read = RegisterFilter.read(req.query as Body, solutions.today());
      const rows = await solutions.register(requireUser(req), read.input, 'page');
      return reply.view('solutions/views/register.njk', { rows, ...lists, filter: read.input });
    },
  );
  app.get(
    '/solutions/register.csv',
    { config: { policy: { capability: 'safeguarding:read' as const } }, schema: hide },
    async (req, reply) => {
      const filter = RegisterFilter.parse(req.query as Body, solutions.today());
      const rows = await solutions.register(requireUser(req), filter, 'csv');
      return reply
        .header('content-type', 'text/csv; charset=utf-8')
        .header('content-disposition', 'attachment; filename="creative-solutions-register.csv"')
        .send(registerCsv(rows));
    },
  );
  registerSolutionsApi(app);
}
