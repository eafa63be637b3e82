// GOV.UK Frontend's service navigation and skip link as typed functions (the markup of their macros): what a layout
// needs around a page.
import { type Attributes, attributes, cls, esc, type Markup, SafeHtml } from './html.ts';

export interface ServiceNavigationItem {
  text?: string | null;
  html?: Markup | null;
  href?: string | null;
  active?: boolean;
  current?: boolean;
  attributes?: Attributes | null;
}

export interface ServiceNavigationOptions {
  serviceName?: string | null;
  serviceUrl?: string | null;
  navigation?: (ServiceNavigationItem | null | false)[] | null;
  navigationId?: string | null;
  navigationLabel?: string | null;
  navigationClasses?: string | null;
  menuButtonText?: string | null;
  menuButtonLabel?: string | null;
  collapseNavigationOnMobile?: boolean;
  ariaLabel?: string | null;
  slots?: {
    start?: Markup | null;
    end?: Markup | { html?: Markup | null; align?: string | null } | null;
    navigationStart?: Markup | null;
    navigationEnd?: Markup | null;
  } | null;
  classes?: string | null;
  attributes?: Attributes | null;
}

function navItem(item: ServiceNavigationItem): string {
  const on = item.active || item.current;
  const text = item.html ? String(item.html) : esc(item.text);
  const inner = on ? `<strong class="govuk-service-navigation__active-fallback">${text}</strong>` : text;
  const current = on ? ` aria-current="${item.current ? 'page' : 'true'}"` : '';
  let body = '';
  if (item.href) {
    body = `<a class="govuk-service-navigation__link" href="${esc(item.href)}"${current}${attributes(item.attributes)}>${inner}</a>`;
  } else if (item.html || item.text) body = `<span class="govuk-service-navigation__text"${current}>${inner}</span>`;
  return `<li class="govuk-service-navigation__item${on ? ' govuk-service-navigation__item--active' : ''}">${body}</li>`;
}

export function govukServiceNavigation(o: ServiceNavigationOptions): SafeHtml {
  const slots = o.slots ?? {};
  const menu = o.menuButtonText || 'Menu';
  const navId = esc(o.navigationId || 'navigation');
  const end = slots.end;
  const endObject = end !== null && typeof end === 'object' && !(end instanceof SafeHtml) ? end : null;
  const endHtml = endObject ? endObject.html : end;
  const items = (o.navigation ?? []).filter((i): i is ServiceNavigationItem => Boolean(i));
  const collapse = o.collapseNavigationOnMobile === undefined ? items.length > 1 : o.collapseNavigationOnMobile;
  let name = '';
  if (o.serviceName) {
    name = o.serviceUrl
      ? `<a href="${esc(o.serviceUrl)}" class="govuk-service-navigation__link">${esc(o.serviceName)}</a>`
      : `<span class="govuk-service-navigation__text">${esc(o.serviceName)}</span>`;
    name = `<span class="govuk-service-navigation__service-name">${name}</span>`;
  }
  let nav = '';
  if (items.length || slots.navigationStart || slots.navigationEnd) {
    const label = o.menuButtonLabel && o.menuButtonLabel !== menu ? ` aria-label="${esc(o.menuButtonLabel)}"` : '';
    const toggle = collapse
      ? `<button type="button" class="govuk-service-navigation__toggle govuk-js-service-navigation-toggle" aria-controls="${navId}"${label} hidden aria-hidden="true">${esc(menu)}</button>`
      : '';
    nav = `<nav aria-label="${esc(o.navigationLabel || menu)}" class="govuk-service-navigation__wrapper${cls(o.navigationClasses)}">${toggle}<ul class="govuk-service-navigation__list" id="${navId}">${slots.navigationStart ? String(slots.navigationStart) : ''}${items.map(navItem).join('')}${slots.navigationEnd ? String(slots.navigationEnd) : ''}</ul></nav>`;
  }
  const inline = endObject?.align === 'inline' ? ' govuk-service-navigation__inlining-container' : '';
  const inner = `<div class="govuk-width-container${inline}">${slots.start ? String(slots.start) : ''}<div class="govuk-service-navigation__container">${name}${nav}</div>${endHtml ? String(endHtml) : ''}</div>`;
  const common = `class="govuk-service-navigation${cls(o.classes)}" data-module="govuk-service-navigation"${attributes(o.attributes)}`;
  if (o.serviceName || slots.start || endHtml) {
    return new SafeHtml(
      `<section aria-label="${esc(o.ariaLabel === undefined ? 'Service information' : o.ariaLabel)}" ${common}>${inner}</section>`,
    );
  }
  return new SafeHtml(`<div ${common}>${inner}</div>`);
}

export interface SkipLinkOptions {
  text?: string | null;
  html?: Markup | null;
  href?: string | null;
  classes?: string | null;
  attributes?: Attributes | null;
}

export function govukSkipLink(o: SkipLinkOptions): SafeHtml {
  return new SafeHtml(
    `<a href="${esc(o.href || '#content')}" class="govuk-skip-link${cls(o.classes)}"${attributes(o.attributes)} data-module="govuk-skip-link">${o.html ? String(o.html) : esc(o.text)}</a>`,
  );
}
