// GOV.UK Frontend's error summary, notification banner and pagination as typed functions (the markup of their macros).
import type { TextOrHtml } from './basic.ts';
import { type Attributes, attributes, cls, content, esc, type Markup, SafeHtml } from './html.ts';

export interface ErrorSummaryItem extends TextOrHtml {
  href?: string | null;
  attributes?: Attributes | null;
}

export interface ErrorSummaryOptions {
  titleText?: string | null;
  titleHtml?: Markup | null;
  descriptionText?: string | null;
  descriptionHtml?: Markup | null;
  errorList?: ErrorSummaryItem[] | null;
  disableAutoFocus?: boolean;
  classes?: string | null;
  attributes?: Attributes | null;
}

export function govukErrorSummary(o: ErrorSummaryOptions): SafeHtml {
  const title = content({ html: o.titleHtml, text: o.titleText });
  const description =
    o.descriptionHtml || o.descriptionText
      ? `<p>${content({ html: o.descriptionHtml, text: o.descriptionText })}</p>`
      : '';
  const items = (o.errorList ?? []).map(
    (i) => `<li>${i.href ? `<a href="${esc(i.href)}"${attributes(i.attributes)}>${content(i)}</a>` : content(i)}</li>`,
  );
  const list = items.length ? `<ul class="govuk-list govuk-error-summary__list">${items.join('')}</ul>` : '';
  const focus = o.disableAutoFocus !== undefined ? ` data-disable-auto-focus="${esc(o.disableAutoFocus)}"` : '';
  return new SafeHtml(
    `<div class="govuk-error-summary${cls(o.classes)}"${focus}${attributes(o.attributes)} data-module="govuk-error-summary"><div role="alert"><h2 class="govuk-error-summary__title">${title}</h2><div class="govuk-error-summary__body">${description}${list}</div></div></div>`,
  );
}

export interface NotificationBannerOptions extends TextOrHtml {
  titleText?: string | null;
  titleHtml?: Markup | null;
  titleHeadingLevel?: number | null;
  type?: string | null;
  role?: string | null;
  titleId?: string | null;
  disableAutoFocus?: boolean;
  classes?: string | null;
  attributes?: Attributes | null;
}

export function govukNotificationBanner(o: NotificationBannerOptions): SafeHtml {
  const success = o.type === 'success';
  const role = o.role || (success ? 'alert' : 'region');
  const title = o.titleHtml ? String(o.titleHtml) : o.titleText ? esc(o.titleText) : success ? 'Success' : 'Important';
  const titleId = esc(o.titleId || 'govuk-notification-banner-title');
  const level = esc(o.titleHeadingLevel || 2);
  const typeClass = success ? ` govuk-notification-banner--${esc(o.type)}` : '';
  const focus = o.disableAutoFocus !== undefined ? ` data-disable-auto-focus="${esc(o.disableAutoFocus)}"` : '';
  let body = '';
  if (o.html) body = String(o.html).trim();
  else if (o.text) body = `<p class="govuk-notification-banner__heading">${esc(String(o.text).trim())}</p>`;
  return new SafeHtml(
    `<div class="govuk-notification-banner${typeClass}${cls(o.classes)}" role="${esc(role)}" aria-labelledby="${titleId}" data-module="govuk-notification-banner"${focus}${attributes(o.attributes)}><div class="govuk-notification-banner__header"><h${level} class="govuk-notification-banner__title" id="${titleId}">${title}</h${level}></div><div class="govuk-notification-banner__content">${body}</div></div>`,
  );
}

export interface PaginationLink extends TextOrHtml {
  href: string;
  labelText?: string | null;
  attributes?: Attributes | null;
}

export interface PaginationItem {
  number?: string | number | null;
  visuallyHiddenText?: string | null;
  href?: string | null;
  current?: boolean;
  ellipsis?: boolean;
  attributes?: Attributes | null;
}

export interface PaginationOptions {
  items?: (PaginationItem | null)[] | null;
  previous?: PaginationLink | null;
  next?: PaginationLink | null;
  landmarkLabel?: string | null;
  classes?: string | null;
  attributes?: Attributes | null;
}

const ARROW_PREVIOUS =
  '<svg class="govuk-pagination__icon govuk-pagination__icon--prev" xmlns="http://www.w3.org/2000/svg" height="13" width="15" aria-hidden="true" focusable="false" viewBox="0 0 15 13"><path d="m6.5938-0.0078125-6.7266 6.7266 6.7441 6.4062 1.377-1.449-4.1856-3.9768h12.896v-2h-12.984l4.2931-4.293-1.414-1.414z"></path></svg>';
const ARROW_NEXT =
  '<svg class="govuk-pagination__icon govuk-pagination__icon--next" xmlns="http://www.w3.org/2000/svg" height="13" width="15" aria-hidden="true" focusable="false" viewBox="0 0 15 13"><path d="m8.107-0.0078125-1.4136 1.414 4.2926 4.293h-12.986v2h12.896l-4.1855 3.9766 1.377 1.4492 6.7441-6.4062-6.7246-6.7266z"></path></svg>';

function arrowLink(link: PaginationLink, type: 'prev' | 'next', blockLevel: boolean): string {
  const arrow = type === 'prev' ? ARROW_PREVIOUS : ARROW_NEXT;
  const words = type === 'prev' ? 'Previous' : 'Next';
  const title = link.html || link.text ? content(link) : `${words}<span class="govuk-visually-hidden"> page</span>`;
  const decorated = blockLevel && !link.labelText ? ' govuk-pagination__link-title--decorated' : '';
  const label =
    link.labelText && blockLevel
      ? `<span class="govuk-visually-hidden">:</span><span class="govuk-pagination__link-label">${esc(link.labelText)}</span>`
      : '';
  return `<div class="govuk-pagination__${type}"><a class="govuk-link govuk-pagination__link" href="${esc(link.href)}" rel="${type}"${attributes(link.attributes)}>${blockLevel || type === 'prev' ? arrow : ''}<span class="govuk-pagination__link-title${decorated}">${title}</span>${label}${!blockLevel && type === 'next' ? arrow : ''}</a></div>`;
}

function pageItem(i: PaginationItem): string {
  const classes = `govuk-pagination__item${i.current ? ' govuk-pagination__item--current' : ''}${i.ellipsis ? ' govuk-pagination__item--ellipsis' : ''}`;
  if (i.ellipsis) return `<li class="${classes}">&ctdot;</li>`;
  const label = i.visuallyHiddenText === undefined ? `Page ${i.number ?? ''}` : i.visuallyHiddenText;
  return `<li class="${classes}"><a class="govuk-link govuk-pagination__link" href="${esc(i.href)}" aria-label="${esc(label)}"${i.current ? ' aria-current="page"' : ''}${attributes(i.attributes)}>${esc(i.number)}</a></li>`;
}

export function govukPagination(o: PaginationOptions): SafeHtml {
  const blockLevel = !o.items && Boolean(o.next || o.previous);
  let out = `<nav class="govuk-pagination${blockLevel ? ' govuk-pagination--block' : ''}${cls(o.classes)}" aria-label="${esc(o.landmarkLabel || 'Pagination')}"${attributes(o.attributes)}>`;
  if (o.previous?.href) out += arrowLink(o.previous, 'prev', blockLevel);
  if (o.items) {
    out += '<ul class="govuk-pagination__list">';
    for (const item of o.items) if (item && Object.keys(item).length > 0) out += pageItem(item);
    out += '</ul>';
  }
  if (o.next?.href) out += arrowLink(o.next, 'next', blockLevel);
  return new SafeHtml(`${out}</nav>`);
}
