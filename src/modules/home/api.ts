// GET /api/v1/my-work: My work as JSON, with the page's filters, sort and pages (src/modules/home/schemas.ts).
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { DateStr, errorsOf, Id, Nullable } from '../../http/api-schema.ts';
import { type Body, ValidationError } from '../../http/forms.ts';
import { requireUser } from '../../http/request.ts';
import { MyWorkQuery, MyWorkQueryString } from './schemas.ts';

const Item = Type.Object({
  key: Type.String({ description: 'The item, stable across pages and reads (the kind and its id)' }),
  kind: Type.String({ description: 'The kind of work (one of `kinds`)' }),
  kind_label: Type.String(),
  what: Type.String({ description: 'What to do' }),
  person_id: Nullable(Id),
  name: Nullable(Type.String({ description: 'The young person’s name, only if you may open their record' })),
  reference: Type.String({ description: 'A reference to quote: the case number, or the item’s own' }),
  due: Nullable(DateStr),
  overdue: Type.Boolean(),
  scope: Type.Union([Type.Literal('mine'), Type.Literal('team')], {
    description: 'mine: assigned to you; team: to a team, role or service of yours',
  }),
  link: Type.String({ description: 'The page to act on it (a path on this site)' }),
});

export function registerHomeApi(app: FastifyInstance) {
  const { home } = app.services;
  app.get(
    '/api/v1/my-work',
    {
      config: { policy: { capability: null } },
      schema: {
        tags: ['my work'],
        summary:
          'Everything assigned to me and my teams, overdue first (25 a page; a page past the last is a 400 naming `page`)',
        querystring: MyWorkQueryString,
        response: {
          200: Type.Object({
            items: Type.Array(Item),
            page: Type.Integer(),
            pages: Type.Integer(),
            page_size: Type.Integer({ description: 'Items a page holds (the last may hold fewer)' }),
            from: Type.Integer({ description: 'Position of the first item of this page in the filtered list, from 1' }),
            to: Type.Integer({ description: 'Position of the last item of this page (from..to of total)' }),
            total: Type.Integer({ description: 'Items matching the filters' }),
            overdue: Type.Integer({ description: 'Overdue items, before the filters' }),
            kinds: Type.Array(Type.Object({ kind: Type.String(), label: Type.String() })),
          }),
          ...errorsOf(400, 401, 403),
        },
      },
    },
    async (request) => {
      const q = MyWorkQuery.parse(request.query as Body, home.today());
      const w = await home.myWork(requireUser(request), q);
      if (w.pageError) throw new ValidationError({ page: w.pageError });
      return {
        items: w.rows.map((r) => ({
          key: r.key,
          kind: r.kind,
          kind_label: r.kindLabel,
          what: r.what,
          person_id: r.personId,
          name: r.name,
          reference: r.reference,
          due: r.due,
          overdue: r.overdue,
          scope: r.scope,
          link: r.link,
        })),
        page: w.page,
        pages: w.pages,
        page_size: w.pageSize,
        from: w.from,
        to: w.to,
        total: w.total,
        overdue: w.overdue,
        kinds: w.kinds,
      };
    },
  );
}
