// The people list and search page's body (`/people`, `POST /people/search`), rendered by the typed GOV.UK components
// (issue 16 part 3); the layout stays Nunjucks (search.njk). Same markup as the template it replaced (kept as
// bench/render/search-nunjucks.njk; test/record-render.test.ts compares the two).
import { formatDate } from '../../../http/views.ts';
import {
  govukButton,
  govukDateInput,
  govukErrorSummary,
  govukInput,
  govukPagination,
  govukSelect,
  govukTable,
  h,
  type PaginationItem,
  type SafeHtml,
} from '../../../views/components/index.ts';

interface Choice {
  value: string;
  text: string;
}

export interface SearchPerson {
  id: string;
  given_name: string;
  family_name: string;
  preferred_name: string | null;
  date_of_birth: string;
  age: number;
  case_number: string;
  teams: readonly { team: string; worker: string | null }[];
}

/** What the page was given: the form as typed (or the filters read), their choices, the results and recent people. */
export interface SearchView {
  values: Record<string, unknown>;
  options: {
    teams: readonly { id: string; name: string }[];
    workers: readonly { id: string; display_name: string }[];
    statuses: readonly Choice[];
    ages: readonly Choice[];
    sorts: readonly Choice[];
  };
  results?: { total: number; items: readonly SearchPerson[]; page: number; pages: number } | null;
  searched?: boolean;
  browsing?: boolean;
  pageUrl?: (n: number) => string;
  recent: readonly Pick<SearchPerson, 'id' | 'given_name' | 'family_name' | 'case_number' | 'date_of_birth'>[];
  errors?: Record<string, string> | null;
  errorList?: { text: string; href: string }[] | null;
  user: { caps: ReadonlySet<string> };
  csrfToken: string;
}

export const searchTitle = (v: SearchView) => `${v.errorList ? 'Error: ' : ''}Find a person`;

/** The form's value as the template compared it (`==`): numbers and strings alike. */
// biome-ignore lint/suspicious/noDoubleEquals: the template's loose comparison, kept for the same markup
const same = (a: unknown, b: unknown) => a == b;
const str = (x: unknown) => (x === null || x === undefined ? undefined : String(x));

function selects(v: SearchView): SafeHtml {
  const { values, options: o } = v;
  const errors = v.errors ?? {};
  const select = (id: string, label: string, items: { value: string; text: string; selected?: boolean }[]) =>
    govukSelect({
      label: { text: label },
      id,
      name: id,
      items,
      classes: 'govuk-!-width-full',
      errorMessage: errors[id] ? { text: errors[id] } : null,
    });
  const pick = (field: string, list: readonly Choice[]) =>
    list.map((c) => ({ value: c.value, text: c.text, selected: same(values[field], c.value) }));
  return h`${select('team_id', 'Team', [
    { value: '', text: 'Any team' },
    ...o.teams.map((t) => ({ value: t.id, text: t.name, selected: same(values.team_id, t.id) })),
  ])}${select('worker', 'Allocated worker', [
    { value: '', text: 'Anyone or nobody' },
    { value: 'unallocated', text: 'Nobody allocated', selected: same(values.worker, 'unallocated') },
    ...o.workers.map((w) => ({ value: w.id, text: w.display_name, selected: same(values.worker, w.id) })),
  ])}${select('status', 'Status', [{ value: '', text: 'Any status' }, ...pick('status', o.statuses)])}${select(
    'age',
    'Age',
    [{ value: '', text: 'Any age' }, ...pick('age', o.ages)],
  )}${select(
    'sort',
    'Sort by',
    o.sorts.map((c) => ({ value: c.value, text: c.text, selected: same(values.sort || 'name', c.value) })),
  )}`;
}

function identifiers(v: SearchView): SafeHtml {
  const { values } = v;
  const errors = v.errors ?? {};
  const err = (f: string) => (errors[f] ? { text: errors[f] } : null);
  const given = values.date_of_birth as Record<string, unknown> | undefined;
  const dob = given && typeof given === 'object' && given.day !== undefined ? given : {};
  return h`${govukInput({ label: { text: 'Name' }, id: 'name', name: 'name', value: str(values.name), autocomplete: 'off', spellcheck: false, errorMessage: err('name') })}
      ${govukDateInput({
        id: 'date_of_birth',
        namePrefix: 'date_of_birth',
        fieldset: { legend: { text: 'Date of birth', classes: 'govuk-fieldset__legend--s' } },
        hint: { text: 'For example, 27 3 2010' },
        errorMessage: err('date_of_birth'),
        items: [
          { name: 'day', label: 'Day', classes: 'govuk-input--width-2', value: str(dob.day) },
          { name: 'month', label: 'Month', classes: 'govuk-input--width-2', value: str(dob.month) },
          { name: 'year', label: 'Year', classes: 'govuk-input--width-4', value: str(dob.year) },
        ],
      })}
      ${govukInput({ label: { text: 'NHS number' }, id: 'nhs_number', name: 'nhs_number', value: str(values.nhs_number), inputmode: 'numeric', spellcheck: false, classes: 'govuk-input--width-10', errorMessage: err('nhs_number') })}
      ${govukInput({ label: { text: 'UPN' }, id: 'upn', name: 'upn', value: str(values.upn), spellcheck: false, classes: 'govuk-!-width-full', errorMessage: err('upn') })}
      ${govukInput({ label: { text: 'Case number' }, id: 'case_number', name: 'case_number', value: str(values.case_number), spellcheck: false, classes: 'govuk-input--width-10' })}`;
}

function form(v: SearchView): SafeHtml {
  // A date error links to the Day box: the date input's own id is on a <div>, which cannot take focus.
  const summary = v.errorList
    ? govukErrorSummary({
        titleText: 'There is a problem',
        errorList: v.errorList.map((e) => ({
          text: e.text,
          href: e.href === '#date_of_birth' ? '#date_of_birth-day' : e.href,
        })),
      })
    : '';
  return h`${summary}
    <h1 class="govuk-heading-l">Find a person</h1>
    <p class="govuk-body">The young people you, your teams and the workers you manage work with.</p>
    <form method="post" action="/people/search" novalidate>
      <input type="hidden" name="_csrf" value="${v.csrfToken}">
      <fieldset class="govuk-fieldset">
      <legend class="govuk-fieldset__legend govuk-fieldset__legend--s">Filter</legend>
      ${selects(v)}
      </fieldset>
      <p class="govuk-body govuk-!-font-weight-bold govuk-!-margin-bottom-1">Search</p>
      <p class="govuk-body-s">Optional: any of these narrows the list.</p>
      ${identifiers(v)}
      ${govukButton({ text: 'Search' })}
    </form>
    ${v.user.caps.has('person:create') ? h`<p class="govuk-body"><a class="govuk-link" href="/people/new">Add a new person</a></p>` : ''}`;
}

function personCell(p: SearchPerson): SafeHtml {
  const teams = p.teams.length
    ? p.teams.map((t, i) => h`${t.team}: ${t.worker || 'nobody allocated'}${i < p.teams.length - 1 ? h`<br>` : ''}`)
    : 'No team is working with them';
  const known = p.preferred_name
    ? h` <span class="govuk-hint govuk-!-display-inline">(${p.preferred_name})</span>`
    : '';
  return h`<a class="govuk-link" href="/people/${p.id}">${p.given_name} ${p.family_name}</a>${known}<span class="govuk-body-s govuk-!-display-block govuk-!-margin-0">${teams}</span>`;
}

function pagination(v: SearchView, page: number, pages: number): SafeHtml | string {
  if (!v.browsing || pages <= 1 || !v.pageUrl) return '';
  const url = v.pageUrl;
  const items: PaginationItem[] = [];
  for (let i = 1; i <= pages; i++) {
    if (i === 1 || i === pages || (i >= page - 2 && i <= page + 2)) {
      items.push({ number: i, href: url(i), current: i === page });
    } else if (i === page - 3 || i === page + 3) items.push({ ellipsis: true });
  }
  return govukPagination({
    previous: page > 1 ? { href: url(page - 1) } : null,
    next: page < pages ? { href: url(page + 1) } : null,
    items,
    landmarkLabel: 'Pages of people',
  });
}

function results(v: SearchView): SafeHtml | string {
  const r = v.results;
  if (!r) return '';
  const n = r.total;
  const shown = r.items.length;
  const list = shown
    ? h`${govukTable({
        caption: 'Search results',
        captionClasses: 'govuk-visually-hidden',
        head: [
          { text: 'Name, team and worker' },
          { text: 'Date of birth' },
          { text: 'Age', format: 'numeric' },
          { text: 'Case' },
        ],
        rows: r.items.map((p) => [
          { html: personCell(p) },
          { text: formatDate(p.date_of_birth) },
          { text: p.age, format: 'numeric' },
          { text: p.case_number },
        ]),
      })}${pagination(v, r.page, r.pages)}`
    : h`<p class="govuk-body">Nobody you work with matches. Check the spelling, or search by NHS number or UPN.</p>
        <p class="govuk-body">Records of young people you do not work with are not shown. If a child is at risk and you need a record now, open it from its reference and use break-glass access.</p>`;
  return h`<h2 class="govuk-heading-m" id="results">${n} ${n === 1 ? 'person' : 'people'} found</h2>
    ${v.searched && n > shown ? h`<p class="govuk-body">Showing the first ${shown}: add to your search to narrow it.</p>` : ''}
    ${v.browsing && n ? h`<p class="govuk-body">Showing ${(r.page - 1) * 25 + 1} to ${(r.page - 1) * 25 + shown} of ${n}.</p>` : ''}
    ${list}`;
}

function recent(v: SearchView): SafeHtml | string {
  if (!v.recent.length) return '';
  const items = v.recent.map(
    (p) =>
      h`<li><a class="govuk-link" href="/people/${p.id}">${p.given_name} ${p.family_name}</a> <span class="govuk-hint govuk-!-display-inline">${p.case_number}, born ${formatDate(p.date_of_birth)}</span></li>`,
  );
  return h`<h2 class="govuk-heading-m">Recently viewed</h2><ul class="govuk-list" id="recently-viewed">${items}</ul>`;
}

export function searchBody(v: SearchView): SafeHtml {
  return h`<div class="govuk-grid-row">
  <div class="govuk-grid-column-one-third">${form(v)}</div>
  <div class="govuk-grid-column-two-thirds">${results(v)}${recent(v)}</div>
</div>`;
}
