// The MoJ Frontend components we use, as typed functions (the markup of their macros in
// @ministryofjustice/frontend). MoJ ships no fixtures.json: test/govuk-components.test.ts renders the MoJ macro itself
// beside each of these for its options and compares.
import { type Attributes, attributes, cls, esc, type Markup, SafeHtml } from './html.ts';

interface TextOrHtml {
  text?: string | null;
  html?: Markup | null;
}

export interface TimelineItem extends TextOrHtml {
  label: TextOrHtml;
  byline?: TextOrHtml | null;
  /** `type` (MoJ's own mojDate filter) is not here: no page of ours uses it. */
  datetime: { timestamp: string; format?: string | null };
  classes?: string | null;
  attributes?: Record<string, string | number> | null;
}

export interface TimelineOptions {
  items: TimelineItem[];
  headingLevel?: number | null;
  classes?: string | null;
  attributes?: Attributes | null;
}

/**
 * How a timestamp is written in the item's <time>: the macro calls the environment's `date` filter with
 * `datetime.format`, so the app passes its own (src/http/views.ts formatDate) — the component knows no app code.
 */
export type TimelineDate = (timestamp: string, format?: string | null) => string;

/** The macro writes `html | safe if html else text`: text escaped, html as it is (untrimmed, unlike the govuk ones). */
const either = (o: TextOrHtml | null | undefined) => (o?.html ? String(o.html) : esc(o?.text));

export function mojTimeline(o: TimelineOptions, date: TimelineDate): SafeHtml {
  const level = esc(o.headingLevel || 2);
  let out = `<div class="moj-timeline${cls(o.classes)}"${attributes(o.attributes)}>`;
  for (const item of o.items) {
    const byline = item.byline ? `<p class="moj-timeline__byline">by ${either(item.byline)}</p>` : '';
    const ts = item.datetime.timestamp;
    out += `<div class="moj-timeline__item${cls(item.classes)}"${attributes(item.attributes)}><div class="moj-timeline__header"><h${level} class="moj-timeline__title">${either(item.label)}</h${level}>${byline}</div><p class="moj-timeline__date"><time datetime="${esc(ts)}">${esc(date(ts, item.datetime.format))}</time></p><div class="moj-timeline__description">${either(item)}</div></div>`;
  }
  return new SafeHtml(`${out}</div>`);
}
