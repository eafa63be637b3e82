// The people list and search page, for test/record-render.test.ts: the filters' choices, a page of 25 results of 240
// (teams with and without workers, preferred names, text to escape), and people viewed recently. Fictional
// throughout. `view` is what the components' renderer takes; `nunjucksContext` what the Nunjucks template was given.
import { PERSON_STATUSES } from '../../src/domain/roles.ts';
import type { SearchPerson, SearchView } from '../../src/modules/people/views/search.ts';

const id = (prefix: number, i: number) => `${prefix}0000000-0000-4000-8000-${String(i).padStart(12, '0')}`;

export function searchPeople(n: number): SearchPerson[] {
  return Array.from({ length: n }, (_, i) => ({
    id: id(1, i),
    given_name: i % 4 === 0 ? `Alex "Al" <${i}>` : `Sam ${i}`,
    family_name: "O'Brien",
    preferred_name: i % 3 === 0 ? `Ally & ${i}` : null,
    date_of_birth: `20${String(8 + (i % 10)).padStart(2, '0')}-0${1 + (i % 9)}-1${i % 10}`,
    age: 8 + (i % 10),
    case_number: `HC-2026-${1000 + i}`,
    teams:
      i % 5 === 0
        ? []
        : [
            { team: 'Disabled children’s team North', worker: i % 2 ? 'Sam Worker' : null },
            ...(i % 3 ? [] : [{ team: 'SEND casework', worker: 'Ali Khan' }]),
          ],
  }));
}

export function searchSample() {
  const choices = (o: Record<string, string>) => Object.entries(o).map(([value, text]) => ({ value, text }));
  const options = {
    teams: [
      { id: id(2, 1), name: 'Disabled children’s team North' },
      { id: id(2, 2), name: 'SEND casework' },
    ],
    workers: [
      { id: id(3, 1), display_name: 'Sam Worker' },
      { id: id(3, 2), display_name: 'Ali "AK" Khan' },
    ],
    statuses: choices(PERSON_STATUSES),
    ages: choices({ under_5: 'Under 5', '5_to_10': '5 to 10', '11_to_15': '11 to 15', '16_plus': '16 and over' }),
    sorts: choices({ name: 'Name', youngest: 'Youngest first', oldest: 'Oldest first', updated: 'Recently updated' }),
  };
  const user = {
    id: 'u1',
    displayName: 'Sam Worker',
    roles: ['social_worker'],
    caps: new Set(['person:read', 'person:create']),
  };
  const locals = {
    user,
    csrfToken: 'csrf-token-value',
    cspNonce: 'nonce-value',
    currentPath: '/people',
    demoMode: false,
    unreadNotifications: 0,
  };
  const pageUrl = (n: number) => `/people?team_id=${id(2, 1)}&page=${n}`;
  const data: Omit<SearchView, 'user' | 'csrfToken'> = {
    values: { team_id: id(2, 1), worker: 'unallocated', status: 'child_in_need', age: null, sort: 'youngest' },
    options,
    results: { total: 240, items: searchPeople(25), page: 5, pages: 10 },
    browsing: true,
    pageUrl,
    recent: searchPeople(3),
  };
  const view: SearchView = { ...data, user, csrfToken: locals.csrfToken };
  return { view, locals, nunjucksContext: { ...locals, ...data } };
}
