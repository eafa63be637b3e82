// The typed GOV.UK components (src/views/components/) against govuk-frontend's own fixtures: every fixture of every
// component we implement, read from the fixtures.json the installed govuk-frontend ships, must give equivalent markup
// (same elements, attributes and text; whitespace between tags and attribute order do not count). A fixture is left
// out only when it uses an option listed below, with the reason; so an upgrade of govuk-frontend is checked by itself.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { test } from 'node:test';
import { myWorkSample, nunjucksEnv } from '../bench/render/my-work-sample.ts';
import { type MyWorkView, myWorkBody, myWorkTitle } from '../src/modules/home/views/my-work.ts';
import * as c from '../src/views/components/index.ts';
import { normalise } from './html-normalise.ts';

const require = createRequire(import.meta.url);
const COMPONENTS = path.join(path.dirname(require.resolve('govuk-frontend/package.json')), 'dist/govuk/components');

interface Fixture {
  name: string;
  options: Record<string, unknown>;
  html: string;
}

/** An option path ('items[].conditional') a fixture uses, and why no page of ours needs it. */
type Unsupported = Record<string, string>;

// biome-ignore lint/suspicious/noExplicitAny: the fixtures' options are whatever each macro takes
type Render = (options: any) => c.SafeHtml;

const IMPLEMENTED: Record<string, { render: Render; unsupported?: Unsupported }> = {
  'back-link': { render: c.govukBackLink },
  button: { render: c.govukButton },
  checkboxes: { render: c.govukCheckboxes },
  'date-input': { render: c.govukDateInput },
  details: { render: c.govukDetails },
  'error-message': { render: c.govukErrorMessage },
  'error-summary': { render: c.govukErrorSummary },
  fieldset: { render: c.govukFieldset },
  hint: { render: c.govukHint },
  'inset-text': { render: c.govukInsetText },
  input: { render: c.govukInput },
  label: { render: c.govukLabel },
  'notification-banner': { render: c.govukNotificationBanner },
  pagination: { render: c.govukPagination },
  panel: {
    render: c.govukPanel,
    unsupported: { actions: 'the interruption panel’s buttons and links: no page of ours interrupts a journey' },
  },
  'phase-banner': { render: c.govukPhaseBanner },
  radios: { render: c.govukRadios },
  select: { render: c.govukSelect },
  'summary-list': { render: c.govukSummaryList },
  table: { render: c.govukTable },
  'service-navigation': { render: c.govukServiceNavigation },
  'skip-link': { render: c.govukSkipLink },
  tag: { render: c.govukTag },
  textarea: { render: c.govukTextarea },
  'warning-text': { render: c.govukWarningText },
};

/** Whether an option path is set (not undefined) anywhere in the options: 'a.b', 'items[].c'. */
function uses(value: unknown, pathParts: string[]): boolean {
  if (pathParts.length === 0) return value !== undefined;
  if (value === null || typeof value !== 'object') return false;
  const [head, ...rest] = pathParts as [string, ...string[]];
  if (head.endsWith('[]')) {
    const list = (value as Record<string, unknown>)[head.slice(0, -2)];
    return Array.isArray(list) && list.some((item) => uses(item, rest));
  }
  return uses((value as Record<string, unknown>)[head], rest);
}

function fixtures(component: string): Fixture[] {
  return JSON.parse(readFileSync(path.join(COMPONENTS, component, 'fixtures.json'), 'utf8')).fixtures;
}

for (const [component, { render, unsupported = {} }] of Object.entries(IMPLEMENTED)) {
  test(`govuk ${component}: every fixture of the installed govuk-frontend gives the same markup`, (t) => {
    const all = fixtures(component);
    assert.ok(all.length > 0, `govuk-frontend ships fixtures for ${component}`);
    let checked = 0;
    const failures: string[] = [];
    for (const f of all) {
      const skip = Object.keys(unsupported).find((p) => uses(f.options, p.split('.')));
      if (skip) {
        t.diagnostic(`skipped "${f.name}": uses ${skip} (${unsupported[skip]})`);
        continue;
      }
      checked++;
      const ours = normalise(render(f.options).html);
      const theirs = normalise(f.html);
      try {
        assert.deepEqual(ours, theirs);
      } catch {
        failures.push(`"${f.name}":\n  ours:   ${ours.join(' ')}\n  theirs: ${theirs.join(' ')}`);
      }
    }
    assert.deepEqual(failures, [], `${failures.length} of ${checked} fixtures differ`);
    assert.ok(checked > 0);
  });
}

test('every option listed as unsupported is used by some fixture (the list stays true after an upgrade)', () => {
  for (const [component, { unsupported = {} }] of Object.entries(IMPLEMENTED)) {
    for (const p of Object.keys(unsupported)) {
      assert.ok(
        fixtures(component).some((f) => uses(f.options, p.split('.'))),
        `${component}: no fixture uses ${p} any more; take it off the list`,
      );
    }
  }
});

test('the normaliser tells different markup apart', () => {
  assert.deepEqual(
    normalise('<p class="a  b" id="x">\n Hi  there </p>'),
    normalise('<p id="x" class="a b">Hi there</p>'),
  );
  assert.notDeepEqual(normalise('<p>Hi</p>'), normalise('<p>Ho</p>'));
  assert.notDeepEqual(normalise('<p class="a">Hi</p>'), normalise('<p class="b">Hi</p>'));
  assert.notDeepEqual(normalise('<p>&lt;b&gt;</p>'), normalise('<p><b></b></p>'));
});

test('text is escaped and html options are written as they are, as the macros do', () => {
  assert.equal(
    c.govukTag({ text: '<b>"Tom" & \'Jo\'</b>' }).html,
    '<strong class="govuk-tag">&lt;b&gt;&quot;Tom&quot; &amp; &#39;Jo&#39;&lt;/b&gt;</strong>',
  );
  assert.equal(
    c.govukTag({ html: '<b>Tom</b>', text: 'ignored' }).html,
    '<strong class="govuk-tag"><b>Tom</b></strong>',
  );
  assert.equal(
    c.h`<p title="${'a"b'}">${c.govukTag({ text: 'x' })}${['<', c.raw('<br>')]}${null}</p>`.html,
    '<p title="a&quot;b"><strong class="govuk-tag">x</strong>&lt;<br></p>',
  );
});

test('My work rendered by the components is the markup the Nunjucks template gave (busy, empty, filtered, no casework)', () => {
  const env = nunjucksEnv();
  const base = myWorkSample();
  const emptyWork = { ...base.view.work, rows: [], total: 0, from: 0, to: 0, pages: 1, page: 1 };
  const cases: { name: string; over: Partial<MyWorkView> }[] = [
    { name: 'a busy page with alerts, errors and pagination', over: {} },
    { name: 'filtered to nothing', over: { work: emptyWork, errors: {}, errorList: null, alerts: [] } },
    {
      name: 'nothing waiting',
      over: { work: emptyWork, filtered: false, errors: {}, errorList: null, unreadNotifications: 0 },
    },
    {
      name: 'an administrator with no casework',
      over: { work: { ...emptyWork, everything: 0 }, noCasework: true, administers: true, roles: ['it_admin'] },
    },
  ];
  for (const { name, over } of cases) {
    const view = { ...base.view, ...over };
    const { roles: _roles, ...rest } = over;
    const context = {
      ...base.nunjucksContext,
      ...rest,
      user: { ...base.locals.user, roles: [...view.roles] },
      unreadNotifications: view.unreadNotifications,
    };
    const before = env.render('my-work-nunjucks.njk', context);
    const after = env.render('home/views/my-work.njk', {
      ...context,
      pageTitle: myWorkTitle(view),
      body: myWorkBody(view).html,
    });
    assert.ok(before.includes('My work'), name);
    assert.deepEqual(normalise(after), normalise(before), name);
  }
});

test('moj timeline: the MoJ macro and mojTimeline give the same markup (MoJ ships no fixtures, so the macro is run)', () => {
  const env = nunjucksEnv();
  const date = (ts: string, format?: string | null) => `${ts}|${format ?? ''}`;
  env.addFilter('date', date);
  const cases: c.TimelineOptions[] = [
    { items: [] },
    {
      headingLevel: 3,
      classes: 'app-extra',
      attributes: { 'data-x': 'a"b' },
      items: [
        {
          label: { text: 'Review <booked>' },
          text: 'Spoke with O’Brien & family',
          datetime: { timestamp: '2026-12-05T10:05:00.000Z' },
          byline: { text: 'Sam "S" Worker' },
        },
        {
          label: { html: '<a href="/x">Linked</a>' },
          html: '<p class="govuk-body">Detail</p>',
          datetime: { timestamp: '2026-12-04', format: 'd MMMM yyyy' },
          byline: { html: '<b>Team</b>' },
          classes: 'app-item',
          attributes: { id: 'item-2' },
        },
        { label: { text: 'No byline' }, text: '', datetime: { timestamp: '' }, byline: null },
      ],
    },
  ];
  for (const options of cases) {
    const theirs = env.renderString(
      '{% from "moj/components/timeline/macro.njk" import mojTimeline %}{{ mojTimeline(o) }}',
      { o: options },
    );
    assert.deepEqual(normalise(c.mojTimeline(options, date).html), normalise(theirs));
  }
});
