// My work (`/`, and `GET /api/v1/my-work`): everything assigned to me and my teams, filtered, sorted and paged; and
// acknowledging an alert for my role.
import type { FastifyInstance } from 'fastify';
import { NotFound } from '../../http/errors.ts';
import { type Body, errorList, UUID } from '../../http/forms.ts';
import { requireUser } from '../../http/request.ts';
import { registerHomeApi } from './api.ts';
import { MyWorkQuery } from './schemas.ts';
import { type MyWorkView, myWorkBody, myWorkTitle } from './views/my-work.ts';

const DEFAULTS: MyWorkQuery = { kind: null, overdue: null, scope: 'all', sort: 'due', page: 1 };

/** The query string that gives these filters (for the pagination links and sorting). */
function queryOf(q: MyWorkQuery, over: Partial<MyWorkQuery> = {}): string {
  const v = { ...q, ...over };
  const p = new URLSearchParams();
  if (v.kind) p.set('kind', v.kind);
  if (v.overdue) p.set('overdue', 'yes');
  if (v.scope !== 'all') p.set('scope', v.scope);
  if (v.sort !== 'due') p.set('sort', v.sort);
  if (v.page > 1) p.set('page', String(v.page));
  const s = p.toString();
  return s ? `/?${s}` : '/';
}

/** The page numbers GOV.UK pagination lists: the first, the last, the current and its neighbours; null for a gap. */
export function pageItems(page: number, pages: number): (number | null)[] {
  const out: (number | null)[] = [];
  for (let n = 1; n <= pages; n++) {
    if (n === 1 || n === pages || Math.abs(n - page) <= 1) out.push(n);
    else if (out.at(-1) !== null) out.push(null);
  }
  return out;
}

export function registerHomeRoutes(app: FastifyInstance) {
  const { home } = app.services;

  app.get('/', { config: { policy: { capability: null } }, schema: { hide: true } }, async (request, reply) => {
    const user = requireUser(request);
    const { input, errors } = MyWorkQuery.read((request.query ?? {}) as Body, home.today());
    const wrongKind = home.kindError(input.kind ?? null);
    if (wrongKind) errors.kind = wrongKind;
    const q: MyWorkQuery = { ...DEFAULTS, ...input, ...(wrongKind ? { kind: null } : {}) };
    const [work, alerts] = await Promise.all([home.myWork(user, q), home.alerts(user)]);
    if (work.pageError && !errors.page) errors.page = work.pageError;
    const problems = Object.keys(errors).length > 0;
    if (problems) reply.code(400);
    const pageLinks = pageItems(work.page, work.pages).map((n) =>
      n === null ? { ellipsis: true } : { number: n, href: queryOf(q, { page: n }), current: n === work.page },
    );
    const locals = (reply as unknown as { locals?: { csrfToken?: string; unreadNotifications?: number } }).locals;
    const view: MyWorkView = {
      work,
      alerts,
      // A role that opens no record (the council's IT administrator) holds no casework: the page says so and points
      // to what the role does instead of showing casework filters.
      noCasework: !user.caps.has('person:read') && work.everything === 0,
      administers: user.caps.has('org:admin') || user.caps.has('user:admin'),
      q,
      filtered: Boolean(q.kind || q.overdue || q.scope !== 'all'),
      pageLinks,
      previous: work.page > 1 ? queryOf(q, { page: work.page - 1 }) : null,
      next: work.page < work.pages ? queryOf(q, { page: work.page + 1 }) : null,
      errors,
      errorList: problems ? errorList(errors) : null,
      roles: user.roles,
      csrfToken: locals?.csrfToken ?? '',
      unreadNotifications: locals?.unreadNotifications ?? 0,
    };
    return reply.view('home/views/my-work.njk', { pageTitle: myWorkTitle(view), body: myWorkBody(view).html });
  });

  app.post<{ Params: { id: string } }>(
    '/alerts/:id/acknowledge',
    { config: { policy: { capability: 'alert:read' } }, schema: { hide: true } },
    async (request, reply) => {
      if (!UUID.test(request.params.id) || !(await home.acknowledgeAlert(requireUser(request), request.params.id))) {
        throw new NotFound('That alert is not open, or is not for your role.');
      }
      return reply.redirect('/', 303);
    },
  );

  registerHomeApi(app);
}
