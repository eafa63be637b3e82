// A page of My work as a busy worker sees it, for bench/render.ts and test/govuk-components.test.ts: 25 rows of mixed
// kinds (names, references only, overdue, no deadline), 10 pages, two alerts, and the filter form with an error.
// Fictional throughout. `nunjucksContext` is what the Nunjucks template (before) was given; `view` the components'.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import nunjucks from 'nunjucks';
import { errorList } from '../../src/http/forms.ts';
import { configureNunjucks } from '../../src/http/views.ts';
import { pageItems } from '../../src/modules/home/routes.ts';
import type { MyWorkView } from '../../src/modules/home/views/my-work.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const HERE = path.dirname(fileURLToPath(import.meta.url));

/** A Nunjucks environment as the app configures it (src/app.ts), plus this folder for the template of before. */
export function nunjucksEnv(): nunjucks.Environment {
  const govuk = path.join(ROOT, 'node_modules/govuk-frontend/dist');
  const moj = path.join(ROOT, 'node_modules/@ministryofjustice/frontend');
  const env = nunjucks.configure([HERE, path.join(ROOT, 'src/views'), path.join(ROOT, 'src/modules'), govuk, moj], {
    autoescape: true,
    throwOnUndefined: false,
  });
  configureNunjucks(env);
  return env;
}

const KINDS = [
  { kind: 'step', label: 'Protocol step' },
  { kind: 'allocated', label: 'Case allocated to me' },
  { kind: 'unallocated', label: 'Case waiting for a worker' },
  { kind: 'advice_request', label: 'Advice request' },
];

function rows() {
  return Array.from({ length: 25 }, (_, i) => {
    const k = KINDS[i % KINDS.length] as (typeof KINDS)[number];
    const day = String(1 + (i % 28)).padStart(2, '0');
    return {
      key: `${k.kind}:${i}`,
      kind: k.kind,
      kindLabel: k.label,
      what: i % 5 === 0 ? `Agree the plan & "next steps" <${i}>` : `Review the transition plan ${i}`,
      personId: i % 7 === 6 ? null : `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
      reference: `HC-2026-${String(1000 + i)}`,
      name: i % 3 === 0 ? null : `Alex O'Brien ${i}`,
      due: i % 6 === 5 ? null : `2026-12-${day}`,
      link: `/people/00000000-0000-4000-8000-${String(i).padStart(12, '0')}/protocols/${i}`,
      scope: (i % 2 ? 'team' : 'mine') as 'mine' | 'team',
      overdue: i < 9,
    };
  });
}

/** The same page as both renderers take it. */
export function myWorkSample() {
  const q = { kind: null, overdue: true, scope: 'team' as const, sort: 'kind' as const, page: 4 };
  const work = {
    rows: rows(),
    total: 242,
    from: 76,
    to: 100,
    pageSize: 25,
    overdue: 31,
    everything: 242,
    page: 4,
    pages: 10,
    pageError: null,
    kinds: KINDS,
    today: '2026-12-07',
  };
  const alerts = [1, 2].map((n) => ({
    id: `10000000-0000-4000-8000-00000000000${n}`,
    kind: 'UNUSUAL_ACCESS',
    message: `Unusual access: ${n * 40} records opened in an hour`,
    link: n === 1 ? '/admin/access-log?user=1' : null,
    created_at: new Date(Date.UTC(2026, 11, 7, 9, n * 5)),
  }));
  const errors = { sort: 'Choose how to sort: due (overdue first, then soonest due) or kind' };
  const pageLinks = pageItems(work.page, work.pages).map((n) =>
    n === null ? { ellipsis: true } : { number: n, href: `/?page=${n}`, current: n === work.page },
  );
  const user = {
    id: 'u1',
    displayName: 'Sam Worker',
    roles: ['social_worker', 'team_manager'],
    caps: new Set(['person:read', 'alert:read', 'involvement:manage', 'transfer:read']),
  };
  const locals = {
    user,
    csrfToken: 'csrf-token-value',
    cspNonce: 'nonce-value',
    currentPath: '/',
    demoMode: false,
    unreadNotifications: 12,
  };
  const shared = {
    work,
    alerts,
    noCasework: false,
    administers: false,
    q,
    filtered: true,
    pageLinks,
    previous: '/?page=3',
    next: '/?page=5',
  };
  const view: MyWorkView = {
    ...shared,
    errors,
    errorList: errorList(errors),
    roles: user.roles,
    csrfToken: locals.csrfToken,
    unreadNotifications: locals.unreadNotifications,
  };
  const nunjucksContext = { ...locals, ...shared, errors, errorList: errorList(errors) };
  return { view, locals, nunjucksContext };
}
