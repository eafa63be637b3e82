// The record page's body (`/people/:id`), rendered by the typed GOV.UK components (src/views/components/) instead of
// Nunjucks macros (issue 16 part 3); the layout around it stays Nunjucks (record.njk). Same markup as the template it
// replaced (kept as bench/render/record-nunjucks.njk; test/record-render.test.ts compares the two).
import { PERSON_STATUSES } from '../../../domain/roles.ts';
import { formatDate } from '../../../http/views.ts';
import {
  govukButton,
  govukErrorSummary,
  govukNotificationBanner,
  govukSelect,
  govukSummaryList,
  govukTable,
  govukTag,
  govukWarningText,
  h,
  type SafeHtml,
  type TableCell,
} from '../../../views/components/index.ts';
import { UPN_UNKNOWN, type UpnUnknown } from '../../sen2/codes.ts';
import { caseLinks, documentsPanel, exploitationLinks, timelineColumn } from './record-panels.ts';
import type { RecordInvolvement, RecordStatus, RecordView } from './record-view.ts';

export type { RecordView } from './record-view.ts';

/** The `statusLabel` filter: a status's words, else the code as it is. */
export const statusLabel = (s: string) => PERSON_STATUSES[s as keyof typeof PERSON_STATUSES] ?? s;

const fullName = (v: RecordView) => `${v.r.person.given_name} ${v.r.person.family_name}`;

/** The page's <title> text. */
export function recordTitle(v: RecordView): string {
  return `${v.errorList ? 'Error: ' : ''}${fullName(v)}`;
}

const NOT_RECORDED = 'Not recorded';
/** Why the UPN is not known, in words with its SEN2 code; null when no reason is recorded. */
const upnUnknown = (code: string | null | undefined) =>
  code ? `Not known: ${UPN_UNKNOWN[code as UpnUnknown] ?? 'reason'} (${code})` : null;

function summary(v: RecordView): SafeHtml {
  const { r } = v;
  const p = r.person;
  const nhs = p.nhs_number
    ? `${p.nhs_number.slice(0, 3)} ${p.nhs_number.slice(3, 6)} ${p.nhs_number.slice(6)}`
    : NOT_RECORDED;
  const row = (key: string, text: string | number) => ({ key: { text: key }, value: { text } });
  return h`<h2 class="govuk-heading-m" id="summary">Summary</h2>
    ${govukSummaryList({
      rows: [
        row('Date of birth', formatDate(p.date_of_birth)),
        row('Age', `${r.age}${r.age === 1 ? ' year old' : ' years old'}`),
        row('School year', r.schoolYearLabel),
        row('Gender', p.gender || NOT_RECORDED),
        row('School or setting', p.school || NOT_RECORDED),
        row('Locality', p.locality_name || NOT_RECORDED),
        row('Address', `${p.address || NOT_RECORDED}${p.postcode ? `, ${p.postcode}` : ''}`),
      ],
    })}
    ${v.user.caps.has('person:edit') ? h`<p class="govuk-body"><a class="govuk-link" href="/people/${p.id}/edit">Change details</a></p>` : ''}
    <h2 class="govuk-heading-m" id="identifiers">Identifiers</h2>
    ${govukSummaryList({
      rows: [
        row('Case number', p.case_number),
        row('NHS number', nhs),
        row('Unique pupil number', p.upn || upnUnknown(p.upn_unknown) || NOT_RECORDED),
      ],
    })}`;
}

function statusEnd(v: RecordView, s: RecordStatus): SafeHtml {
  if (!s.end_date && v.user.caps.has('person:edit')) {
    return h`<a class="govuk-link" href="/people/${v.r.person.id}/statuses/${s.id}/end">End<span class="govuk-visually-hidden"> ${statusLabel(s.status)}</span></a>`;
  }
  return h`${formatDate(s.end_date)}${s.end_reason ? h`<br><span class="govuk-hint govuk-!-margin-bottom-0">${s.end_reason}</span>` : ''}`;
}

function statuses(v: RecordView): SafeHtml {
  const list = v.r.statuses;
  const table = list.length
    ? govukTable({
        caption: 'Statuses',
        captionClasses: 'govuk-visually-hidden',
        head: [{ text: 'Status' }, { text: 'Since' }, { text: 'Ended' }],
        rows: list.map((s) => [
          { text: statusLabel(s.status) },
          { text: formatDate(s.start_date) },
          { html: statusEnd(v, s) },
        ]),
      })
    : h`<p class="govuk-body">No statuses recorded.</p>`;
  const error = v.errors?.status;
  const form = v.user.caps.has('person:edit')
    ? h`<form method="post" action="/people/${v.r.person.id}/statuses" novalidate>
        <input type="hidden" name="_csrf" value="${v.csrfToken}">
        ${govukSelect({
          id: 'status',
          name: 'status',
          label: { text: 'Add a status' },
          items: [{ value: '', text: 'Choose a status' }, ...v.statusItems],
          errorMessage: error ? { text: error } : null,
        })}
        ${govukButton({ text: 'Add status', classes: 'govuk-button--secondary' })}
      </form>`
    : '';
  return h`<h2 class="govuk-heading-m" id="statuses">Statuses</h2>${table}${form}`;
}

const UNALLOCATED = govukTag({ text: 'Unallocated', classes: 'govuk-tag--red' });

function worker(v: RecordView, i: RecordInvolvement): SafeHtml {
  const open = !i.end_date;
  const who = i.worker_name || (open ? UNALLOCATED : 'None');
  const base = `/people/${v.r.person.id}`;
  const allocate =
    open && v.user.caps.has('involvement:manage')
      ? h`<br><a class="govuk-link" href="${base}/involvements/${i.id}/allocate">${i.worker_name ? 'Change' : 'Allocate'}<span class="govuk-visually-hidden"> worker for ${i.team_name}</span></a>`
      : '';
  const transfer =
    open && v.user.caps.has('transfer:manage') && v.user.teamIds.includes(i.team_id)
      ? h`<br><a class="govuk-link" href="${base}/transfers/new?involvement=${i.id}">Transfer<span class="govuk-visually-hidden"> from ${i.team_name}</span></a>`
      : '';
  return h`${who}${allocate}${transfer}`;
}

function involvements(v: RecordView): SafeHtml {
  const rows: TableCell[][] = v.r.involvements.map((i) => [
    { text: i.team_name },
    { text: i.service_name },
    { html: worker(v, i) },
    { text: i.reason },
    { text: `${formatDate(i.start_date)}${i.end_date ? ` to ${formatDate(i.end_date)}` : ' to now'}` },
  ]);
  const table = rows.length
    ? govukTable({
        caption: `Teams and services working with ${fullName(v)}`,
        captionClasses: 'govuk-visually-hidden',
        head: [
          { text: 'Team' },
          { text: 'Service' },
          { text: 'Allocated worker' },
          { text: 'Reason' },
          { text: 'Dates' },
        ],
        rows,
      })
    : h`<p class="govuk-body">No team is working with them.</p>`;
  const add = v.user.caps.has('involvement:manage')
    ? h`<p class="govuk-body"><a class="govuk-link" href="/people/${v.r.person.id}/involvements/new">Add a team involvement</a></p>`
    : '';
  return h`<h2 class="govuk-heading-m" id="involvements">Involvements</h2>${table}${add}`;
}

function protocols(v: RecordView): SafeHtml {
  const list = v.protocols ?? [];
  const id = v.r.person.id;
  const table = list.length
    ? govukTable({
        caption: `Protocols for ${fullName(v)}`,
        captionClasses: 'govuk-visually-hidden',
        head: [{ text: 'Protocol' }, { text: 'Status' }, { text: 'Started' }],
        rows: list.map((i) => [
          { html: h`<a class="govuk-link" href="/people/${id}/protocols/${i.id}">${i.title}</a>` },
          { text: i.status === 'open' ? 'Running' : `Ended: ${(i.result || '').replaceAll('_', ' ')}` },
          { text: formatDate(i.started_at) },
        ]),
      })
    : h`<p class="govuk-body">No protocol has been started.</p>`;
  return h`<h2 class="govuk-heading-m" id="protocols">Protocols</h2>${table}
    <p class="govuk-body"><a class="govuk-link" href="/people/${id}/protocols/new">Start a protocol</a></p>`;
}

function contacts(v: RecordView): SafeHtml {
  const list = v.r.contacts;
  const table = list.length
    ? govukTable({
        caption: 'Contacts',
        captionClasses: 'govuk-visually-hidden',
        head: [{ text: 'Name' }, { text: 'Relationship' }, { text: 'Phone and email' }],
        rows: list.map((c) => [
          { text: c.name },
          { text: `${c.relationship}${c.parental_responsibility ? ' (parental responsibility)' : ''}` },
          { text: [c.phone, c.email].filter(Boolean).join(', ') || 'None recorded' },
        ]),
      })
    : h`<p class="govuk-body">No contacts recorded.</p>`;
  const add = v.user.caps.has('person:edit')
    ? h`<p class="govuk-body"><a class="govuk-link" href="/people/${v.r.person.id}/contacts/new">Add a contact</a></p>`
    : '';
  return h`<h2 class="govuk-heading-m" id="contacts">Contacts</h2>${table}${add}`;
}

function heading(v: RecordView): SafeHtml {
  const p = v.r.person;
  const known = p.preferred_name
    ? h` <span class="govuk-!-font-weight-regular">(known as ${p.preferred_name})</span>`
    : '';
  const tags = v.r.currentStatuses.map(
    (s) => h`<li>${govukTag({ text: statusLabel(s.status), classes: 'govuk-tag--blue' })}</li>`,
  );
  return h`<span class="govuk-caption-l">Case ${p.case_number}</span>
<h1 class="govuk-heading-l">${fullName(v)}${known}</h1>
<ul class="app-tag-list" aria-label="Current statuses">${tags}</ul>`;
}

const BREAK_GLASS = govukWarningText({
  text: 'You are viewing this record with break-glass access. Your reason has been recorded and a manager has been told.',
  iconFallbackText: 'Warning',
});

/** The page's body: everything inside the layout's main content. */
export function recordBody(v: RecordView): SafeHtml {
  const id = v.r.person.id;
  return h`${v.savedText ? govukNotificationBanner({ type: 'success', text: v.savedText }) : ''}${
    v.errorList ? govukErrorSummary({ titleText: 'There is a problem', errorList: v.errorList }) : ''
  }${v.r.breakGlass ? BREAK_GLASS : ''}${heading(v)}
<div class="govuk-grid-row">
  <div class="govuk-grid-column-two-thirds">
    ${summary(v)}${statuses(v)}${involvements(v)}${caseLinks(v)}${exploitationLinks(v)}${documentsPanel(v)}
    <h2 class="govuk-heading-m" id="plan">Person-led plan</h2>
    <p class="govuk-body"><a class="govuk-link" href="/people/${id}/plan">Person-led plan, actions, referrals and forum</a></p>
    <h2 class="govuk-heading-m" id="ehcp">EHC needs assessment</h2>
    <p class="govuk-body"><a class="govuk-link" href="/people/${id}/ehcp">EHC needs assessments: clocks, advice and stages</a></p>
    <p class="govuk-body"><a class="govuk-link" href="/people/${id}/ehc-plans">EHC plan: its sections, versions, representations and reviews</a></p>
    ${protocols(v)}${contacts(v)}
  </div>
  <div class="govuk-grid-column-one-third">${timelineColumn(v)}</div>
</div>`;
}
