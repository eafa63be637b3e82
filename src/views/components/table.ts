// GOV.UK Frontend's table and summary list (with its card) as typed functions (the markup of their macros).
import type { TextOrHtml } from './basic.ts';
import { type Attributes, attr, attributes, cls, content, esc, type Markup, SafeHtml } from './html.ts';

export interface TableCell extends TextOrHtml {
  format?: string | null;
  classes?: string | null;
  colspan?: number | null;
  rowspan?: number | null;
  attributes?: Attributes | null;
}

export interface TableOptions {
  rows: (TableCell[] | null)[];
  head?: TableCell[] | null;
  caption?: string | null;
  captionClasses?: string | null;
  firstCellIsHeader?: boolean;
  classes?: string | null;
  attributes?: Attributes | null;
}

/** A cell's contents: the table macro writes `html` as it is, untrimmed. */
function cellContent(c: TableCell): string {
  return c.html ? String(c.html) : esc(c.text);
}

function spans(c: TableCell): string {
  return attr('colspan', c.colspan) + attr('rowspan', c.rowspan) + attributes(c.attributes);
}

function row(cells: TableCell[], firstCellIsHeader: boolean): string {
  let out = '<tr class="govuk-table__row">';
  cells.forEach((c, i) => {
    if (i === 0 && firstCellIsHeader) {
      out += `<th scope="row" class="govuk-table__header${cls(c.classes)}"${spans(c)}>${cellContent(c)}</th>`;
    } else {
      const format = c.format ? ` govuk-table__cell--${esc(c.format)}` : '';
      out += `<td class="govuk-table__cell${format}${cls(c.classes)}"${spans(c)}>${cellContent(c)}</td>`;
    }
  });
  return `${out}</tr>`;
}

export function govukTable(o: TableOptions): SafeHtml {
  let out = `<table class="govuk-table${cls(o.classes)}"${attributes(o.attributes)}>`;
  if (o.caption) out += `<caption class="govuk-table__caption${cls(o.captionClasses)}">${esc(o.caption)}</caption>`;
  if (o.head) {
    out += '<thead class="govuk-table__head"><tr class="govuk-table__row">';
    for (const c of o.head) {
      const format = c.format ? ` govuk-table__header--${esc(c.format)}` : '';
      out += `<th scope="col" class="govuk-table__header${format}${cls(c.classes)}"${spans(c)}>${cellContent(c)}</th>`;
    }
    out += '</tr></thead>';
  }
  out += '<tbody class="govuk-table__body">';
  for (const r of o.rows ?? []) if (r) out += row(r, Boolean(o.firstCellIsHeader));
  return new SafeHtml(`${out}</tbody></table>`);
}

export interface SummaryListAction extends TextOrHtml {
  href: string;
  visuallyHiddenText?: string | null;
  classes?: string | null;
  attributes?: Attributes | null;
}

interface Actions {
  items?: SummaryListAction[] | null;
  classes?: string | null;
}

export interface SummaryListRow {
  key?: (TextOrHtml & { classes?: string | null }) | null;
  value?: (TextOrHtml & { classes?: string | null }) | null;
  actions?: Actions | null;
  classes?: string | null;
}

interface CardTitle {
  text?: string | null;
  html?: Markup | null;
  headingLevel?: number | null;
  classes?: string | null;
}

export interface SummaryCardOptions {
  title?: CardTitle | null;
  actions?: Actions | null;
  classes?: string | null;
  attributes?: Attributes | null;
}

export interface SummaryListOptions {
  rows: (SummaryListRow | null)[];
  card?: SummaryCardOptions | null;
  classes?: string | null;
  attributes?: Attributes | null;
}

function actionLink(a: SummaryListAction, cardTitle: CardTitle | null | undefined): string {
  let hidden = '';
  if (a.visuallyHiddenText || cardTitle) {
    const forCard = cardTitle ? ` (${cardTitle.html ? String(cardTitle.html) : esc(cardTitle.text)})` : '';
    hidden = `<span class="govuk-visually-hidden">${a.visuallyHiddenText ? ` ${esc(a.visuallyHiddenText)}` : ''}${forCard}</span>`;
  }
  const text = a.html ? String(a.html) : esc(a.text);
  return `<a class="govuk-link${cls(a.classes)}" href="${esc(a.href)}"${attributes(a.attributes)}>${text}${hidden}</a>`;
}

function listRow(r: SummaryListRow, anyRowHasActions: boolean, cardTitle: CardTitle | null | undefined): string {
  const items = r.actions?.items ?? [];
  const noActions = anyRowHasActions && !r.actions?.items ? ' govuk-summary-list__row--no-actions' : '';
  let out = `<div class="govuk-summary-list__row${noActions}${cls(r.classes)}"><dt class="govuk-summary-list__key${cls(r.key?.classes)}">${content(r.key ?? undefined)}</dt><dd class="govuk-summary-list__value${cls(r.value?.classes)}">${content(r.value ?? undefined)}</dd>`;
  if (items.length) {
    out += `<dd class="govuk-summary-list__actions${cls(r.actions?.classes)}">`;
    if (items.length === 1) out += actionLink(items[0] as SummaryListAction, cardTitle);
    else {
      out += '<ul class="govuk-summary-list__actions-list">';
      for (const a of items)
        out += `<li class="govuk-summary-list__actions-list-item">${actionLink(a, cardTitle)}</li>`;
      out += '</ul>';
    }
    out += '</dd>';
  }
  return `${out}</div>`;
}

function summaryCard(card: SummaryCardOptions, list: string): string {
  const t = card.title;
  const level = esc(t?.headingLevel || 2);
  let head = t ? `<h${level} class="govuk-summary-card__title${cls(t.classes)}">${content(t)}</h${level}>` : '';
  const items = card.actions?.items ?? [];
  if (items.length === 1) {
    head += `<div class="govuk-summary-card__actions${cls(card.actions?.classes)}">${actionLink(items[0] as SummaryListAction, t)}</div>`;
  } else if (items.length > 1) {
    const lis = items.map((a) => `<li class="govuk-summary-card__action">${actionLink(a, t)}</li>`).join('');
    head += `<ul class="govuk-summary-card__actions${cls(card.actions?.classes)}">${lis}</ul>`;
  }
  return `<div class="govuk-summary-card${cls(card.classes)}"${attributes(card.attributes)}><div class="govuk-summary-card__title-wrapper">${head}</div><div class="govuk-summary-card__content">${list}</div></div>`;
}

export function govukSummaryList(o: SummaryListOptions): SafeHtml {
  const rows = o.rows ?? [];
  const anyRowHasActions = rows.some((r) => (r?.actions?.items?.length ?? 0) > 0);
  let list = `<dl class="govuk-summary-list${cls(o.classes)}"${attributes(o.attributes)}>`;
  for (const r of rows) if (r) list += listRow(r, anyRowHasActions, o.card?.title);
  list += '</dl>';
  return new SafeHtml(o.card ? summaryCard(o.card, list) : list);
}
