// The record page's panels that only link elsewhere, its documents panel and its timeline column (record.ts renders
// the rest). The documents panel is the markup of documents/views/_record-panel.njk and _table.njk, which the
// documents module's own pages still render; test/record-render.test.ts compares the two.
import { formatDate, isoTime, readableDates } from '../../../http/views.ts';
import {
  govukPagination,
  govukTable,
  govukTag,
  h,
  mojTimeline,
  type PaginationItem,
  type SafeHtml,
} from '../../../views/components/index.ts';
import type { RecordDocument, RecordView } from './record-view.ts';

export function caseLinks(v: RecordView): SafeHtml {
  const base = `/people/${v.r.person.id}`;
  return h`<h2 class="govuk-heading-m" id="notes">Case notes</h2>
    <ul class="govuk-list">
      <li><a class="govuk-link" href="${base}/notes">Case notes</a></li>
      ${v.user.caps.has('person:edit') ? h`<li><a class="govuk-link" href="${base}/notes/new">Add a case note</a></li>` : ''}
      <li><a class="govuk-link" href="${base}/chronology">Chronology of significant events</a></li>
      <li><a class="govuk-link" href="${base}/sharing">Information sharing</a> (decisions to share or not, with the reasons)</li>
      <li><a class="govuk-link" href="${base}/bundle">Record bundle to print</a> (summary, chronology, plan and documents list)</li>
    </ul>`;
}

export function exploitationLinks(v: RecordView): SafeHtml {
  const id = v.r.person.id;
  const base = `/people/${id}`;
  const editing = v.user.caps.has('person:edit')
    ? h`<li><a class="govuk-link" href="${base}/screenings/new">Screen for exploitation</a></li>
      <li><a class="govuk-link" href="${base}/risk-events/new">Record a missing episode or other event</a></li>`
    : '';
  const consult = v.user.caps.has('person:read')
    ? h`<li><a class="govuk-link" href="/consultations/new?person=${id}">Book a consultation about this case</a> (advice from a consultation forum)</li>`
    : '';
  return h`<h2 class="govuk-heading-m" id="exploitation">Exploitation and transitional safeguarding</h2>
    <ul class="govuk-list">
      <li><a class="govuk-link" href="${base}/screenings">Exploitation screenings</a> (levels, who confirmed them, reviews)</li>
      ${editing}
      <li><a class="govuk-link" href="${base}/risk">Single view of risk</a> (screenings, events, meetings and partner agencies’ entries)</li>
      <li><a class="govuk-link" href="${base}/contextual">Places, peer groups and system blocks</a> (contextual safeguarding)</li>
      <li><a class="govuk-link" href="${base}/exploitation-meetings">Exploitation meetings</a> (agenda items, decisions and actions)</li>
      <li><a class="govuk-link" href="${base}/transition-plan">Joint transition plan for after 18</a> (at risk of exploitation: who holds the case after 18)</li>
      <li><a class="govuk-link" href="${base}/mentoring">Mentoring</a></li>
      <li><a class="govuk-link" href="${base}/solutions">Creative Solutions Board</a> (problems, solutions tried and what was learned)</li>
      ${consult}
    </ul>`;
}

const SCANNED = govukTag({ text: 'Scanned', classes: 'govuk-tag--green' });
const NOT_SCANNED = govukTag({ text: 'Not scanned', classes: 'govuk-tag--yellow' });

function documentRow(v: RecordView, d: RecordDocument) {
  const download = `/people/${v.r.person.id}/documents/${d.id}`;
  const linked = d.aboutHref && (d.target_kind !== 'meeting' || v.user.caps.has('panel:read'));
  return [
    {
      html: h`<a class="govuk-link" href="${download}" download>${d.title}<span class="govuk-visually-hidden"> (download, ${d.type_label})</span></a>`,
    },
    { html: linked ? h`<a class="govuk-link" href="${d.aboutHref}">${d.about}</a>` : h`${d.about}` },
    { text: `${d.type_label}, ${d.size_label}` },
    { text: `${d.uploaded_by_name}, ${formatDate(d.uploaded_at)}` },
    { html: d.scan_result === 'clean' ? SCANNED : NOT_SCANNED },
  ];
}

export function documentsPanel(v: RecordView): SafeHtml {
  const docs = v.documents ?? [];
  const base = `/people/${v.r.person.id}/documents`;
  const table = docs.length
    ? govukTable({
        caption: `${docs.length} document${docs.length === 1 ? '' : 's'}, newest first`,
        captionClasses: 'govuk-table__caption--s',
        head: [
          { text: 'Title' },
          { text: 'Attached to' },
          { text: 'Type and size' },
          { text: 'Uploaded' },
          { text: 'Virus check' },
        ],
        rows: docs.map((d) => documentRow(v, d)),
        classes: 'app-table--stack',
      })
    : h`<p class="govuk-body">No documents have been uploaded yet.</p>`;
  const upload = v.user.caps.has('person:edit')
    ? h`<li><a class="govuk-link" href="${base}#upload">Upload a document</a></li>`
    : '';
  return h`<h2 class="govuk-heading-m" id="documents">Documents</h2>${table}
<ul class="govuk-list">
  <li><a class="govuk-link" href="${base}">All documents</a></li>
  ${upload}
</ul>`;
}

/** The pages around the current one: the first, the last, the neighbours, and an ellipsis for each gap. */
function timelinePages(v: RecordView, page: number, pages: number): PaginationItem[] {
  const items: PaginationItem[] = [];
  const href = (n: number) => `/people/${v.r.person.id}?page=${n}#timeline`;
  for (let n = 1; n <= pages; n++) {
    if (n === 1 || n === pages || (n >= page - 1 && n <= page + 1)) {
      items.push({ number: n, href: href(n), current: n === page });
    } else if (n === page - 2 || n === page + 2) items.push({ ellipsis: true });
  }
  return items;
}

function timelinePagination(v: RecordView): SafeHtml | string {
  const tl = v.r.timeline;
  if (!tl || tl.pages <= 1) return '';
  const href = (n: number) => `/people/${v.r.person.id}?page=${n}#timeline`;
  return h`<p class="govuk-body-s">Page ${tl.page} of ${tl.pages} (${tl.total} events, newest first)</p>
    ${govukPagination({
      landmarkLabel: 'Timeline pages',
      items: timelinePages(v, tl.page, tl.pages),
      previous: tl.page > 1 ? { href: href(tl.page - 1) } : null,
      next: tl.page < tl.pages ? { href: href(tl.page + 1) } : null,
    })}`;
}

export function timelineColumn(v: RecordView): SafeHtml {
  const events = v.r.events;
  // The macro wrote `timestamp | date`; the moments are Dates already, so they are written without parsing it again.
  const moments = new Map<string, Date | string | null>();
  const items = events.map((e) => {
    const timestamp = isoTime(e.at);
    moments.set(timestamp, e.at);
    return {
      label: { text: readableDates(e.title) },
      text: readableDates(e.detail),
      datetime: { timestamp },
      byline: e.actor_name ? { text: e.actor_name } : null,
    };
  });
  const timeline = items.length
    ? mojTimeline({ headingLevel: 3, items }, (ts) => formatDate(moments.get(ts) ?? ts))
    : h`<p class="govuk-body">Nothing has happened yet.</p>`;
  return h`<h2 class="govuk-heading-m" id="timeline">Timeline</h2>
    <p class="govuk-body"><a class="govuk-link" href="/people/${v.r.person.id}/access-log">Who has viewed this record</a></p>
    ${timeline}${timelinePagination(v)}`;
}
