// The record page's body by the typed components (src/modules/people/views/record.ts) is the markup the Nunjucks
// template gave (bench/render/record-nunjucks.njk, the page as it was), normalised (test/html-normalise.ts), in every
// state the page has: everything filled, nothing at all, break-glass, a viewer who may only read, one document, a long
// timeline on its first, middle and last pages, statuses all ended, the add-status form's error, and escaping.
// The people list and search page (src/modules/people/views/search.ts) the same way against
// bench/render/search-nunjucks.njk: browsing pages, one or no result, a search by name and date, and errors.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { nunjucksEnv } from '../bench/render/my-work-sample.ts';
import { recordData, recordSample } from '../bench/render/record-sample.ts';
import { searchPeople, searchSample } from '../bench/render/search-sample.ts';
import { formatDate, formatTime, formatTimeIntl } from '../src/http/views.ts';
import { type RecordView, recordBody, recordTitle } from '../src/modules/people/views/record.ts';
import type { RecordData } from '../src/modules/people/views/record-view.ts';
import { type SearchView, searchBody, searchTitle } from '../src/modules/people/views/search.ts';
import { normalise } from './html-normalise.ts';

const env = nunjucksEnv();
const base = recordSample();

type Case = { name: string; r?: Partial<RecordData>; view?: Partial<RecordView>; caps?: string[] };

/** Both renders of one state: the old template with the context it was given, and the body in the new shell. */
function renderBoth(c: Case) {
  const r = { ...recordData(), ...c.r };
  const user = c.caps ? { ...base.locals.user, caps: new Set(c.caps) } : base.locals.user;
  const view: RecordView = { ...base.view, ...c.view, r, user };
  const { user: _u, csrfToken: _c, ...data } = view;
  const context = { ...base.locals, user, ...data };
  const before = env.render('record-nunjucks.njk', context);
  const after = env.render('people/views/record.njk', {
    ...base.locals,
    user,
    pageTitle: recordTitle(view),
    body: recordBody(view).html,
  });
  return { before, after };
}

const nobody = {
  person: {
    ...recordData().person,
    preferred_name: null,
    gender: null,
    nhs_number: null,
    upn: null,
    address: null,
    postcode: null,
    school: null,
    locality_name: null,
  },
  age: 1,
  currentStatuses: [],
  statuses: [],
  involvements: [],
  contacts: [],
  events: [],
  timeline: { page: 1, pages: 1, total: 0 },
};
const ended = recordData().statuses.map((s) => ({ ...s, end_date: s.end_date ?? '2026-11-30' }));

const CASES: Case[] = [
  { name: 'everything, page 2 of a 5-page timeline, saved banner' },
  { name: 'nothing recorded', r: nobody, view: { protocols: [], documents: [], savedText: null } },
  { name: 'break-glass view', r: { breakGlass: true }, view: { savedText: null } },
  { name: 'a viewer who may only read', caps: ['person:read'] },
  { name: 'a viewer with no capability at all on the page', caps: [], r: { statuses: ended } },
  { name: 'one document', view: { documents: base.view.documents?.slice(0, 1) ?? [] } },
  { name: 'timeline page 1 of 5', r: { timeline: { page: 1, pages: 5, total: 118 } } },
  { name: 'timeline page 5 of 5', r: { timeline: { page: 5, pages: 5, total: 118 } } },
  { name: 'timeline page 6 of 12', r: { timeline: { page: 6, pages: 12, total: 290 } } },
  { name: 'no timeline counts', r: { timeline: null } },
  { name: 'statuses all ended', r: { statuses: ended, currentStatuses: [] } },
  {
    name: 'the add-status form with an error (no protocols or documents passed, as the route does)',
    view: {
      protocols: undefined,
      documents: undefined,
      savedText: null,
      errors: { status: 'Choose a status' },
      errorList: [{ text: 'Choose a status', href: '#status' }],
    },
  },
];

for (const c of CASES) {
  test(`record page by the components = the Nunjucks template: ${c.name}`, () => {
    const { before, after } = renderBoth(c);
    assert.ok(before.includes('<h1 class="govuk-heading-l">'), 'the old template rendered the record');
    assert.ok(before.length > 5000, 'the old template rendered the layout and body');
    assert.deepEqual(normalise(after), normalise(before));
  });
}

test('the comparison can fail: a changed body is told apart', () => {
  const { before } = renderBoth({ name: 'everything' });
  const view: RecordView = { ...base.view, r: { ...recordData(), age: 14 } };
  const after = env.render('people/views/record.njk', {
    ...base.locals,
    pageTitle: recordTitle(view),
    body: recordBody(view).html,
  });
  assert.notDeepEqual(normalise(after), normalise(before));
});

test('the record body escapes what people typed and writes no raw markup from data', () => {
  const html = recordBody(base.view).html;
  assert.ok(html.includes('Example Academy &lt;Upper&gt;'));
  assert.ok(html.includes('Transfer to adult services &lt;18+&gt;'));
  assert.ok(html.includes('Assessment &amp; &quot;plan&quot; &lt;v2&gt;'));
  assert.ok(html.includes('Case note &lt;added&gt;'));
  assert.ok(!html.includes('<added>') && !html.includes('<Upper>'));
  assert.equal(recordTitle(base.view), "Wren O'Ashcombe");
  assert.equal(recordTitle({ ...base.view, errorList: [{ text: 'x', href: '#status' }] }), "Error: Wren O'Ashcombe");
});

test('dates and times written without Intl are what Intl writes for London (clock changes, midnight, noon, any day)', () => {
  const day = new Intl.DateTimeFormat('en-GB', {
    timeZone: 'Europe/London',
    day: 'numeric',
    month: 'long',
    year: 'numeric',
  });
  const moments: Date[] = [];
  for (let year = 1995; year <= 2101; year++) {
    // Two hours either side of 01:00 UTC on each day that can be a last Sunday of March or October, 15 minutes apart.
    for (const month of [2, 9]) {
      for (let date = 25; date <= 31; date++) {
        const one = Date.UTC(year, month, date, 1);
        for (let m = -120; m <= 120; m += 15) moments.push(new Date(one + m * 60_000));
      }
    }
  }
  let seed = 42;
  const next = () => {
    seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
    return seed / 2 ** 31;
  };
  for (let i = 0; i < 5_000; i++) moments.push(new Date(Date.UTC(1990, 0, 1) + next() * 115 * 365.25 * 86_400_000));
  for (const h of [0, 11, 12, 23])
    moments.push(new Date(Date.UTC(2026, 11, 5, h, 0)), new Date(Date.UTC(2026, 6, 5, h, 59)));
  let differ = 0;
  for (const m of moments) {
    const intl = `${day.format(m)}, ${formatTimeIntl(m)}`;
    if (formatDate(m) !== intl || formatDate(m.toISOString()) !== intl || formatTime(m) !== formatTimeIntl(m)) differ++;
  }
  assert.equal(differ, 0, `${differ} of ${moments.length} moments written differently`);
  for (let t = Date.UTC(1899, 0, 1, 12); t < Date.UTC(2101, 0, 1); t += 86_400_000 * 5) {
    const iso = new Date(t).toISOString().slice(0, 10);
    assert.equal(formatDate(iso), day.format(new Date(t)), iso);
  }
  // Days that are not in the calendar roll over as they always did (the forms reject them before this).
  assert.equal(formatDate('2026-02-30'), '2 March 2026');
  assert.equal(formatDate(new Date(Date.UTC(2026, 11, 5, 0, 5))), '5 December 2026, 12:05am');
  assert.equal(formatDate(new Date(Date.UTC(2026, 6, 5, 11, 30))), '5 July 2026, 12:30pm');
});

const search = searchSample();
const SEARCH_CASES: { name: string; view?: Partial<SearchView>; caps?: string[] }[] = [
  { name: 'browsing page 5 of 10 with filters' },
  {
    name: 'browsing page 1 of 2, no recent people',
    view: { results: { total: 30, items: searchPeople(25), page: 1, pages: 2 }, recent: [] },
  },
  { name: 'browsing, one person found', view: { results: { total: 1, items: searchPeople(1), page: 1, pages: 1 } } },
  { name: 'browsing, nobody matches', view: { results: { total: 0, items: [], page: 1, pages: 1 } } },
  {
    name: 'a search by name and date of birth, more found than shown',
    view: {
      browsing: false,
      searched: true,
      pageUrl: undefined,
      values: {
        name: 'Sam <b>',
        date_of_birth: { day: '3', month: '4', year: '2013' },
        nhs_number: '943 476 5919',
        upn: '',
        case_number: 'HC-1',
      },
      results: { total: 60, items: searchPeople(50), page: 1, pages: 2 },
    },
  },
  {
    name: 'a search with errors, for a viewer who may not create',
    caps: ['person:read'],
    view: {
      browsing: false,
      results: null,
      values: { name: '', date_of_birth: { day: '31', month: '2', year: '20' }, sort: 'nonsense', team_id: 'x' },
      errors: {
        date_of_birth: 'Date of birth must be a real date',
        sort: 'Choose how to sort',
        team_id: 'Choose a team from the list',
      },
      errorList: [
        { text: 'Choose a team from the list', href: '#team_id' },
        { text: 'Date of birth must be a real date', href: '#date_of_birth' },
        { text: 'Choose how to sort', href: '#sort' },
      ],
    },
  },
  {
    name: 'the list with bad filters in the address (values as typed, a date as text)',
    view: { results: null, values: { date_of_birth: '2013-04-03', page: '2' } },
  },
];

for (const c of SEARCH_CASES) {
  test(`search page by the components = the Nunjucks template: ${c.name}`, () => {
    const user = c.caps ? { ...search.locals.user, caps: new Set(c.caps) } : search.locals.user;
    const view: SearchView = { ...search.view, ...c.view, user };
    const { user: _u, csrfToken: _c, ...data } = view;
    const before = env.render('search-nunjucks.njk', { ...search.locals, user, ...data });
    const after = env.render('people/views/search.njk', {
      ...search.locals,
      user,
      pageTitle: searchTitle(view),
      body: searchBody(view).html,
    });
    assert.ok(before.includes('Find a person</h1>'), 'the old template rendered the page');
    assert.deepEqual(normalise(after), normalise(before));
  });
}
