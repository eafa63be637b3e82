// My work's body, rendered by the typed GOV.UK components (src/views/components/) instead of Nunjucks macros (issue 16
// part 3); the layout around it stays Nunjucks (my-work.njk). Same markup as the template it replaced.
import { formatDate } from '../../../http/views.ts';
import {
  govukButton,
  govukCheckboxes,
  govukErrorSummary,
  govukNotificationBanner,
  govukPagination,
  govukRadios,
  govukSelect,
  govukTag,
  h,
  type PaginationItem,
  type SafeHtml,
} from '../../../views/components/index.ts';
import type { MyWorkQuery } from '../schemas.ts';
import type { HomeService, WorkRow } from '../service.ts';

type MyWork = Awaited<ReturnType<HomeService['myWork']>>;
type Alert = Awaited<ReturnType<HomeService['alerts']>>[number];

export interface MyWorkView {
  work: MyWork;
  alerts: Alert[];
  q: MyWorkQuery;
  /** A role that opens no record holds no casework: the page says so instead of showing filters. */
  noCasework: boolean;
  administers: boolean;
  filtered: boolean;
  pageLinks: PaginationItem[];
  previous: string | null;
  next: string | null;
  errors: Record<string, string>;
  errorList: { text: string; href: string }[] | null;
  roles: readonly string[];
  csrfToken: string;
  unreadNotifications: number;
}

const s = (n: number, word: string) => `${word}${n === 1 ? '' : 's'}`;

/** Nunjucks' capitalize: the first letter upper case, the rest lower. */
const capitalize = (t: string) => t.charAt(0).toUpperCase() + t.slice(1).toLowerCase();

/** The page's <title> text. */
export function myWorkTitle(v: MyWorkView): string {
  const paged = v.work.pages > 1 ? ` (page ${v.work.page} of ${v.work.pages})` : '';
  return `${v.errorList ? 'Error: ' : ''}My work${paged}`;
}

function alertBanners(v: MyWorkView): SafeHtml | string {
  if (!v.alerts.length) return '';
  const items = v.alerts.map((a) => {
    const content = h`<p class="govuk-notification-banner__heading">${a.message}</p>${
      a.link
        ? h`<p class="govuk-body"><a class="govuk-notification-banner__link" href="${a.link}">See who viewed the record</a></p>`
        : ''
    }<form method="post" action="/alerts/${a.id}/acknowledge"><input type="hidden" name="_csrf" value="${v.csrfToken}">${govukButton(
      { text: 'Mark as seen', classes: 'govuk-button--secondary govuk-!-margin-bottom-0' },
    )}</form>`;
    const banner = govukNotificationBanner({
      titleId: `alert-${a.id}`,
      titleHeadingLevel: 3,
      titleText: `${capitalize(a.kind)} · ${formatDate(a.created_at)}`,
      html: content,
    });
    return h`<li>${banner}</li>`;
  });
  return h`<h2 class="govuk-heading-m">Alerts for your role</h2><ul class="govuk-list">${items}</ul>`;
}

function noCasework(v: MyWorkView): SafeHtml {
  return h`<p class="govuk-body">Your role holds no casework, so nothing will be assigned to you here.</p>${
    v.administers
      ? h`<p class="govuk-body">As the council’s IT administrator you run Handover for the council:</p>
<ul class="govuk-list govuk-list--bullet">
  <li><a class="govuk-link" href="/admin">Council administration</a>: users, teams, services and transfer points</li>
  <li><a class="govuk-link" href="/notifications">Notifications</a></li>
</ul>`
      : ''
  }`;
}

const errorText = (text: string | undefined) => (text ? { text } : null);

function filterForm(v: MyWorkView): SafeHtml {
  const { q, errors } = v;
  const kindItems = [
    { value: '', text: 'All kinds of work' },
    ...v.work.kinds.map((k) => ({ value: k.kind, text: k.label, selected: q.kind === k.kind })),
  ];
  const small = (text: string, kind: 'label' | 'legend') => ({
    text,
    classes: kind === 'label' ? 'govuk-label--s' : 'govuk-fieldset__legend--s',
  });
  return h`<form method="get" action="/" novalidate class="app-work-filter" aria-label="Filter My work">
  <h2 class="govuk-heading-m">Filter</h2>
  ${govukSelect({ id: 'kind', name: 'kind', label: small('Kind of work', 'label'), items: kindItems, errorMessage: errorText(errors.kind) })}
  ${govukRadios({
    name: 'scope',
    classes: 'govuk-radios--small',
    fieldset: { legend: small('Whose work', 'legend') },
    errorMessage: errorText(errors.scope),
    items: [
      { value: 'all', text: 'Mine and my teams’', checked: q.scope === 'all' },
      { value: 'mine', text: 'Assigned to me', checked: q.scope === 'mine' },
      { value: 'team', text: 'My teams’', checked: q.scope === 'team' },
    ],
  })}
  ${govukCheckboxes({
    name: 'overdue',
    classes: 'govuk-checkboxes--small',
    fieldset: { legend: small('Overdue', 'legend') },
    errorMessage: errorText(errors.overdue),
    items: [{ value: 'yes', text: 'Overdue only', checked: Boolean(q.overdue) }],
  })}
  ${govukSelect({
    id: 'sort',
    name: 'sort',
    label: small('Sort by', 'label'),
    errorMessage: errorText(errors.sort),
    items: [
      { value: 'due', text: 'Due date, overdue first', selected: q.sort === 'due' },
      { value: 'kind', text: 'Kind of work', selected: q.sort === 'kind' },
    ],
  })}
  ${govukButton({ text: 'Show work', classes: 'govuk-button--secondary' })}
  ${v.filtered || q.sort !== 'due' ? h`<p class="govuk-body"><a class="govuk-link" href="/">Clear filters</a></p>` : ''}
</form>`;
}

const OVERDUE = govukTag({ text: 'Overdue', classes: 'govuk-tag--red' });

function workRow(r: WorkRow): SafeHtml {
  const who = r.name
    ? h`<a class="govuk-link" href="/people/${r.personId}">${r.name}</a> (${r.reference})`
    : r.reference;
  return h`<li class="app-work__item">
      <p class="govuk-body-s govuk-!-margin-bottom-1">${r.kindLabel}${r.scope === 'team' ? ' · for your team' : ''}</p>
      <h3 class="govuk-heading-s govuk-!-margin-bottom-1"><a class="govuk-link app-work__text" href="${r.link}">${r.what}</a></h3>
      ${r.personId || r.reference ? h`<p class="govuk-body govuk-!-margin-bottom-1 app-work__text app-work__who">For: ${who}</p>` : ''}
      <p class="govuk-body govuk-!-margin-bottom-0">
        ${r.due ? h`Due <time datetime="${r.due}">${formatDate(r.due)}</time>` : 'No deadline'}
        ${r.overdue ? h` ${OVERDUE}` : ''}
      </p>
    </li>`;
}

function workList(v: MyWorkView): SafeHtml {
  const { work, errors } = v;
  const heading = h`<h2 class="govuk-heading-m" id="work-heading">${work.total} ${s(work.total, 'item')}${
    v.filtered ? ' matching the filters' : ''
  }${work.pages > 1 ? `, page ${work.page} of ${work.pages}` : ''}</h2>`;
  let list: SafeHtml;
  if (work.rows.length) {
    const pageError = errors.page
      ? h` <span class="govuk-error-message govuk-!-display-inline"><span class="govuk-visually-hidden">Error:</span> ${errors.page}</span>`
      : '';
    const pagination =
      work.pages > 1
        ? govukPagination({
            previous: v.previous ? { href: v.previous } : null,
            next: v.next ? { href: v.next } : null,
            items: v.pageLinks,
            landmarkLabel: 'Pages of My work',
          })
        : '';
    list = h`<p class="govuk-body" id="page">Showing ${work.from} to ${work.to} of ${work.total} ${s(work.total, 'item')}${pageError}</p>
  <ol class="govuk-list app-work" aria-labelledby="work-heading">${work.rows.map(workRow)}</ol>${pagination}`;
  } else if (v.filtered) {
    list = h`<p class="govuk-body">Nothing matches these filters. <a class="govuk-link" href="/">Show all your work</a>.</p>`;
  } else {
    list = h`<p class="govuk-body">Nothing is waiting on you or your teams.</p>`;
  }
  const manages = v.roles.includes('team_manager') || v.roles.includes('service_manager');
  return h`${heading}${list}${
    manages
      ? h`<p class="govuk-body"><a class="govuk-link" href="/protocols/team">See and reassign my teams’ steps</a></p>`
      : ''
  }`;
}

/** The page's main content (the layout's `content` block). */
export function myWorkBody(v: MyWorkView): SafeHtml {
  const n = v.unreadNotifications;
  const unread = n
    ? h`<p class="govuk-body"><a class="govuk-link" href="/notifications">You have ${n >= 100 ? '99+' : n} unread ${s(n, 'notification')}</a></p>`
    : '';
  const everything = v.work.everything;
  const main = v.noCasework
    ? noCasework(v)
    : h`<p class="govuk-body">
  ${everything} ${s(everything, 'thing')} assigned to you and your teams${
    v.work.overdue ? h`, <strong>${v.work.overdue} overdue</strong>` : ''
  }.
</p>
<div class="govuk-grid-row">
<div class="govuk-grid-column-one-third">${filterForm(v)}</div>
<div class="govuk-grid-column-two-thirds">${workList(v)}</div>
</div>`;
  return h`${v.errorList ? govukErrorSummary({ titleText: 'There is a problem', errorList: v.errorList }) : ''}<h1 class="govuk-heading-l">My work</h1>
${unread}${alertBanners(v)}${main}`;
}
