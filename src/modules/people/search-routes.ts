// Pages for finding people and adding a new one (issue 11 capability 11). The list's filters (team, worker, status,
// age band, sort, page) are nothing personal and live in the URL, so a filtered list can be paged and bookmarked;
// names and identifiers are only ever POSTed, never put in a URL or a log.
import type { FastifyInstance, FastifyReply } from 'fastify';
import { PERSON_STATUSES } from '../../domain/roles.ts';
import { postForm } from '../../http/form-post.ts';
import { type Body, dateInput, errorList } from '../../http/forms.ts';
import { requireUser } from '../../http/request.ts';
import type { AuthUser } from '../../http/types.ts';
import { LikelyDuplicates } from './duplicates.ts';
import { AGE_BANDS, FilterInput, hasPersonalTerms, NewPersonInput, SearchInput, SORTS } from './schemas.ts';
import { type SearchView, searchBody, searchTitle } from './views/search.ts';

/** What each route adds to the page: the form as typed, and the results or the errors. */
type Shown = Omit<SearchView, 'options' | 'recent' | 'user' | 'csrfToken'>;

const FILTERS = ['team_id', 'worker', 'status', 'age', 'sort'] as const;

/** The list's address with its filters (never a name or an identifier) and a page. */
export function listUrl(f: Partial<Record<(typeof FILTERS)[number], string | null>>, page?: number): string {
  const q = new URLSearchParams();
  for (const k of FILTERS) {
    const v = f[k];
    if (v && !(k === 'sort' && v === 'name')) q.set(k, v);
  }
  if (page && page > 1) q.set('page', String(page));
  const s = q.toString();
  return s ? `/people?${s}` : '/people';
}

const choices = (o: Record<string, string | { text: string }>) =>
  Object.entries(o).map(([value, t]) => ({ value, text: typeof t === 'string' ? t : t.text }));

export function registerPeopleSearchRoutes(app: FastifyInstance) {
  const { people } = app.services;
  const hide = { hide: true };
  const readPolicy = { policy: { capability: 'person:read' as const } };

  /** The page: the form (as typed), the filters' choices, the results and the people viewed recently. */
  const page = async (reply: FastifyReply, user: AuthUser, shown: Shown) => {
    const [options, recent] = await Promise.all([people.filterOptions(user), people.recentlyViewed(user)]);
    const locals = (reply as unknown as { locals?: { csrfToken?: string } }).locals;
    const view: SearchView = {
      ...shown,
      options: {
        ...options,
        statuses: choices(PERSON_STATUSES),
        ages: choices(AGE_BANDS),
        sorts: choices(SORTS),
      },
      recent,
      user,
      csrfToken: locals?.csrfToken ?? '',
    };
    return reply.view('people/views/search.njk', { pageTitle: searchTitle(view), body: searchBody(view).html });
  };

  app.get('/people', { config: readPolicy, schema: hide }, async (request, reply) => {
    const user = requireUser(request);
    const query = (request.query ?? {}) as Body;
    const { input, errors } = FilterInput.read(query, { today: people.today() });
    if (Object.keys(errors).length) {
      reply.code(400);
      return page(reply, user, { values: query, errors, errorList: errorList(errors) });
    }
    const results = await people.list(user, input);
    const pageUrl = (n: number) => listUrl(input, n);
    return page(reply, user, { values: input, results, browsing: true, pageUrl });
  });

  // POST, not GET: names and identifiers must never appear in URLs or logs.
  app.post('/people/search', { config: readPolicy, schema: hide }, async (request, reply) => {
    const user = requireUser(request);
    const body = (request.body ?? {}) as Body;
    const values = { ...body, date_of_birth: dateInput(body, 'date_of_birth').parts };
    const { input, errors } = SearchInput.read(body, { today: people.today() });
    if (Object.keys(errors).length) {
      reply.code(400);
      return page(reply, user, { values, errors, errorList: errorList(errors) });
    }
    // Filters alone go to the list's address, which can be paged.
    if (!hasPersonalTerms(input)) return reply.redirect(`${listUrl(input)}`, 303);
    const results = await people.list(user, { ...input, page: 1 }, 50);
    return page(reply, user, { values, results, searched: true });
  });

  app.get(
    '/people/new',
    { config: { policy: { capability: 'person:create' } }, schema: hide },
    async (request, reply) =>
      reply.view('people/views/new.njk', {
        options: await people.formOptions(requireUser(request)),
        values: { allocate_to_me: 'yes' },
      }),
  );

  app.post('/people', { config: { policy: { capability: 'person:create' } }, schema: hide }, async (request, reply) => {
    const user = requireUser(request);
    const body = (request.body ?? {}) as Body;
    const shown = { options: await people.formOptions(user), values: body };
    try {
      return await postForm(
        reply,
        body,
        async () => {
          const id = await people.create(user, NewPersonInput.parse(body, { today: people.today() }));
          return `/people/${id}?saved=created`;
        },
        ({ errors, errorList }) => reply.view('people/views/new.njk', { ...shown, errors, errorList }),
      );
    } catch (e) {
      if (!(e instanceof LikelyDuplicates)) throw e;
      // Not an error in what was typed: a warning, with the matches the user may see, and the choice to go on.
      return reply.view('people/views/new.njk', { ...shown, duplicates: e.duplicates });
    }
  });
}
