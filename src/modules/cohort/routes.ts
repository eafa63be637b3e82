// The cohort page (counts by level, now and over 12 months, with filters; CSV) and the system blocks register (one
// list with the gap-vs-capacity register; raise, resolve, CSV), for cohort:read (managers and the exploitation
// lead); linking a block to a case is on the young person's record (person:edit and a relationship).
import type { FastifyInstance } from 'fastify';
import { postForm } from '../../http/form-post.ts';
import { type Body, errorList } from '../../http/forms.ts';
import { requirePersonAccess, requireUser } from '../../http/request.ts';
import { registerCohortApi } from './api.ts';
import { stackedBars } from './chart.ts';
import { csvOf } from './csv.ts';
import {
  AGE_BANDS,
  BLOCK_KINDS,
  BlockCaseInput,
  BlockInput,
  CARE_STATUSES,
  CohortFilter,
  ResolveInput,
} from './schemas.ts';

const hide = { hide: true };
const cohortRead = { policy: { capability: 'cohort:read' as const } };
const ISSUE_TYPES: Record<string, string> = {
  gap: 'Gap (no service exists)',
  capacity: 'Capacity (service full)',
  unclear: 'Unclear',
};
const SAVED: Record<string, string> = { raised: 'System block added', resolved: 'System block resolved' };
const lists = {
  ageBands: Object.keys(AGE_BANDS),
  careStatuses: CARE_STATUSES,
  blockKinds: BLOCK_KINDS,
  issueTypes: ISSUE_TYPES,
};

export function registerCohortRoutes(app: FastifyInstance) {
  const { cohort } = app.services;

  app.get<{ Querystring: Body }>('/cohort', { config: cohortRead, schema: hide }, async (req, reply) => {
    const query = req.query ?? {};
    const { input, errors } = CohortFilter.read(query, cohort.today());
    let data: Awaited<ReturnType<typeof cohort.cohort>> | undefined;
    if (Object.keys(errors).length === 0) {
      try {
        data = await cohort.cohort(requireUser(req), input, 'page');
      } catch (e) {
        if (!(e instanceof Error && 'fields' in e)) throw e;
        Object.assign(errors, (e as { fields: Record<string, string> }).fields);
      }
    }
    const bad = Object.keys(errors).length > 0;
    if (bad) reply.code(400);
    const qs = new URLSearchParams(query as Record<string, string>).toString();
    return reply.view('cohort/views/cohort.njk', {
      ...lists,
      ...data,
      chart: data ? stackedBars(data.levels, data.history) : undefined,
      values: query,
      errors,
      errorList: bad ? errorList(errors) : undefined,
      csvHref: `/cohort.csv${qs ? `?${qs}` : ''}`,
    });
  });

  app.get('/cohort.csv', { config: cohortRead, schema: hide }, async (req, reply) => {
    const filter = CohortFilter.parse(req.query as Body, cohort.today());
    const d = await cohort.cohort(requireUser(req), filter, 'csv');
    const rows: unknown[][] = [['month', 'as_of', ...d.levels, 'total']];
    for (const h of d.history) {
      const counts = d.levels.map((l) => h.counts[l] ?? 0);
      rows.push([h.month, h.asOf, ...counts, counts.reduce((a, b) => a + b, 0)]);
    }
    rows.push(['open now', cohort.today().today, ...d.levels.map((l) => d.now[l] ?? 0), d.total]);
    return reply
      .header('content-type', 'text/csv; charset=utf-8')
      .header('content-disposition', 'attachment; filename="cohort.csv"')
      .send(csvOf(rows));
  });

  app.get('/system-blocks', { config: cohortRead, schema: hide }, async (req, reply) => {
    const data = await cohort.register(requireUser(req), 'page');
    const key = String((req.query as Record<string, unknown>)?.saved ?? '');
    return reply.view('cohort/views/register.njk', { ...lists, ...data, savedText: SAVED[key] });
  });

  app.get('/system-blocks.csv', { config: cohortRead, schema: hide }, async (req, reply) => {
    const { blocks, gaps } = await cohort.register(requireUser(req), 'csv');
    const rows: unknown[][] = [
      ['source', 'kind', 'description', 'service', 'area', 'status', 'cases', 'open', 'raised_on', 'what_changed'],
    ];
    for (const b of blocks)
      rows.push([
        'System blocks',
        BLOCK_KINDS[b.kind],
        b.description,
        '',
        '',
        b.status,
        b.cases,
        '',
        b.raised_on,
        b.what_changed,
      ]);
    for (const g of gaps)
      rows.push([
        'Gap vs capacity (plan actions)',
        ISSUE_TYPES[g.issue_type ?? ''] ?? g.issue_type,
        '',
        g.service,
        g.area,
        g.open ? 'open' : 'resolved',
        g.people,
        g.open,
        '',
        '',
      ]);
    return reply
      .header('content-type', 'text/csv; charset=utf-8')
      .header('content-disposition', 'attachment; filename="system-blocks.csv"')
      .send(csvOf(rows));
  });

  app.get('/system-blocks/new', { config: cohortRead, schema: hide }, async (_req, reply) =>
    reply.view('cohort/views/block-form.njk', { ...lists, values: {} }),
  );
  app.post('/system-blocks', { config: cohortRead, schema: hide }, async (req, reply) => {
    const body = (req.body ?? {}) as Body;
    return postForm(
      reply,
      body,
      async () => {
        await cohort.raise(requireUser(req), BlockInput.parse(body, cohort.today()));
        return '/system-blocks?saved=raised';
      },
      (shown) => reply.view('cohort/views/block-form.njk', { ...lists, ...shown }),
    );
  });
  app.post<{ Params: { id: string } }>(
    '/system-blocks/:id/resolve',
    { config: cohortRead, schema: hide },
    async (req, reply) => {
      const body = (req.body ?? {}) as Body;
      return postForm(
        reply,
        body,
        async () => {
          await cohort.resolve(requireUser(req), req.params.id, ResolveInput.parse(body, cohort.today()));
          return '/system-blocks?saved=resolved';
        },
        async (shown) => {
          const data = await cohort.register(requireUser(req), 'page');
          // The register has a "What changed" box for each open block: the summary links to this block's.
          const errorList = shown.errorList.map((e) =>
            e.href === '#what_changed' ? { ...e, href: `#what_changed-${req.params.id}` } : e,
          );
          return reply.view('cohort/views/register.njk', {
            ...lists,
            ...data,
            ...shown,
            errorList,
            resolving: req.params.id,
          });
        },
      );
    },
  );

  const pEdit = { policy: { capability: 'person:edit' as const, person: 'personId' } };
  app.post<{ Params: { personId: string } }>(
    '/people/:personId/system-blocks',
    { config: pEdit, schema: hide },
    async (req, reply) => {
      const body = (req.body ?? {}) as Body;
      const id = req.params.personId;
      return postForm(
        reply,
        body,
        async () => {
          await cohort.linkCase(requireUser(req), id, BlockCaseInput.parse(body, cohort.today()));
          return `/people/${id}/contextual?saved=block`;
        },
        async (shown) => {
          const user = requireUser(req);
          const data = await app.services.contextual.personLinks(user, requirePersonAccess(req), 'page');
          const blocks = await cohort.forPerson(user, id);
          return reply.view('contextual/views/person.njk', {
            ...data,
            ...blocks,
            blockKinds: BLOCK_KINDS,
            errorList: shown.errorList,
            blockErrors: shown.errors,
            blockValues: shown.values,
          });
        },
      );
    },
  );
  registerCohortApi(app);
}
