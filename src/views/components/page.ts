// GOV.UK Frontend's back link, warning text, panel and phase banner as typed functions (the markup of their macros).
import { govukTag, type TextOrHtml } from './basic.ts';
import { type Attributes, attributes, cls, content, esc, SafeHtml } from './html.ts';

interface Common {
  classes?: string | null;
  attributes?: Attributes | null;
}

export interface BackLinkOptions extends TextOrHtml, Common {
  href?: string | null;
}

export function govukBackLink(o: BackLinkOptions): SafeHtml {
  const text = o.html ? String(o.html) : esc(o.text || 'Back');
  return new SafeHtml(
    `<a href="${esc(o.href || '#')}" class="govuk-back-link${cls(o.classes)}"${attributes(o.attributes)}>${text}</a>`,
  );
}

export interface WarningTextOptions extends TextOrHtml, Common {
  iconFallbackText?: string | null;
}

export function govukWarningText(o: WarningTextOptions): SafeHtml {
  const text = o.html ? String(o.html) : esc(o.text);
  return new SafeHtml(
    `<div class="govuk-warning-text${cls(o.classes)}"${attributes(o.attributes)}><span class="govuk-warning-text__icon" aria-hidden="true">!</span><strong class="govuk-warning-text__text"><span class="govuk-visually-hidden">${esc(o.iconFallbackText || 'Warning')}</span>${text}</strong></div>`,
  );
}

/** The confirmation panel (the interruption variant's actions are not here: no page of ours interrupts). */
export interface PanelOptions extends TextOrHtml, Common {
  titleText?: string | null;
  titleHtml?: string | SafeHtml | null;
  headingLevel?: number | null;
}

export function govukPanel(o: PanelOptions): SafeHtml {
  const level = esc(o.headingLevel || 1);
  const interruption = Boolean(o.classes?.includes('govuk-panel--interruption'));
  const modifier = interruption ? '' : ' govuk-panel--confirmation';
  const title = o.titleHtml ? String(o.titleHtml) : esc(o.titleText);
  const body = o.html || o.text ? `<div class="govuk-panel__body">${content(o)}</div>` : '';
  return new SafeHtml(
    `<div class="govuk-panel${modifier}${cls(o.classes)}"${attributes(o.attributes)}><h${level} class="govuk-panel__title">${title}</h${level}>${body}</div>`,
  );
}

export interface PhaseBannerOptions extends TextOrHtml, Common {
  tag?: (TextOrHtml & { classes?: string | null }) | null;
}

export function govukPhaseBanner(o: PhaseBannerOptions): SafeHtml {
  const tag = govukTag({
    text: o.tag?.text,
    html: o.tag?.html,
    classes: `govuk-phase-banner__content__tag${o.tag?.classes ? ` ${o.tag.classes}` : ''}`,
  });
  return new SafeHtml(
    `<div class="govuk-phase-banner govuk-width-container${cls(o.classes)}"${attributes(o.attributes)}><p class="govuk-phase-banner__content">${tag.html}<span class="govuk-phase-banner__text">${content(o)}</span></p></div>`,
  );
}
