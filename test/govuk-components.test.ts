// The typed GOV.UK components (src/views/components/) against govuk-frontend's own fixtures: every fixture of every
// component we implement, read from the fixtures.json the installed govuk-frontend ships, must give equivalent markup
// (same elements, attributes and text; whitespace between tags and attribute order do not count). A fixture is left
// out only when it uses an option listed below, with the reason; so an upgrade of govuk-frontend is checked by itself.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { test } from 'node:test';
import * as c from '../src/views/components/index.ts';

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
  button: { render: c.govukButton },
  checkboxes: { render: c.govukCheckboxes },
  details: { render: c.govukDetails },
  'error-message': { render: c.govukErrorMessage },
  'error-summary': { render: c.govukErrorSummary },
  fieldset: { render: c.govukFieldset },
  hint: { render: c.govukHint },
  'inset-text': { render: c.govukInsetText },
  label: { render: c.govukLabel },
  'notification-banner': { render: c.govukNotificationBanner },
  pagination: { render: c.govukPagination },
  radios: { render: c.govukRadios },
  select: { render: c.govukSelect },
  'summary-list': { render: c.govukSummaryList },
  table: { render: c.govukTable },
  tag: { render: c.govukTag },
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

// --- A small HTML normaliser: the DOM as a list of lines, one per tag or text ---------------------------------

const VOID = new Set(['area', 'base', 'br', 'col', 'embed', 'hr', 'img', 'input', 'link', 'meta', 'source', 'wbr']);
const NAMED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0' };

function decode(s: string): string {
  return s.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, e: string) => {
    if (e[0] === '#')
      return String.fromCodePoint(e[1] === 'x' || e[1] === 'X' ? Number.parseInt(e.slice(2), 16) : Number(e.slice(1)));
    return NAMED[e] ?? whole;
  });
}

const TOKEN =
  /<!--[\s\S]*?-->|<\/?([a-zA-Z][\w-]*)((?:\s+[^\s"'>/=]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s>]+))?)*)\s*(\/?)>|[^<]+/g;
const ATTRIBUTE = /([^\s"'>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+)))?/g;

/** Tags with sorted attributes (class tokens' spacing collapsed), text with whitespace collapsed; entities decoded. */
export function normalise(html: string): string[] {
  const out: string[] = [];
  for (const m of html.matchAll(TOKEN)) {
    const [whole, name, attrs = '', selfClosing] = m;
    if (whole.startsWith('<!--')) continue;
    if (!name) {
      const text = decode(whole).replace(/\s+/g, ' ').trim();
      if (text) out.push(`text ${JSON.stringify(text)}`);
      continue;
    }
    const tag = name.toLowerCase();
    if (whole.startsWith('</')) {
      out.push(`</${tag}>`);
      continue;
    }
    const pairs = [...attrs.matchAll(ATTRIBUTE)].map((a) => {
      let value = decode(a[2] ?? a[3] ?? a[4] ?? '');
      if (a[1] === 'class') value = value.replace(/\s+/g, ' ').trim();
      return `${a[1]}=${JSON.stringify(value)}`;
    });
    out.push(`<${tag} ${pairs.sort().join(' ')}>`);
    if (selfClosing && !VOID.has(tag)) out.push(`</${tag}>`);
  }
  return out;
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
