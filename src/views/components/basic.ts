// GOV.UK Frontend's small components as typed functions: the markup of their Nunjucks macros (tag, button, inset
// text, details, hint, label, error message, fieldset). Options follow each component's macro-options.json.
import { type Attributes, attr, attributes, cls, content, esc, type Markup, SafeHtml } from './html.ts';

/** Text or HTML, as most options take it: `html` wins when given, and is written as it is. */
export interface TextOrHtml {
  text?: string | number | null;
  html?: Markup | null;
}

interface Common {
  classes?: string | null;
  attributes?: Attributes | null;
}

export interface TagOptions extends TextOrHtml, Common {}

export function govukTag(o: TagOptions): SafeHtml {
  return new SafeHtml(`<strong class="govuk-tag${cls(o.classes)}"${attributes(o.attributes)}>${content(o)}</strong>`);
}

export interface ButtonOptions extends TextOrHtml, Common {
  element?: string;
  name?: string | null;
  type?: string | null;
  value?: string | null;
  disabled?: boolean;
  href?: string | null;
  preventDoubleClick?: boolean;
  isStartButton?: boolean;
  id?: string | null;
}

const START_ICON =
  '<svg class="govuk-button__start-icon" xmlns="http://www.w3.org/2000/svg" width="17.5" height="19" viewBox="0 0 33 40" aria-hidden="true" focusable="false"><path fill="currentColor" d="M0 0h13l20 20-20 20H0l20-20z"/></svg>';

export function govukButton(o: ButtonOptions): SafeHtml {
  const classNames = `govuk-button${o.classes ? ` ${o.classes}` : ''}${o.isStartButton ? ' govuk-button--start' : ''}`;
  const common = ` class="${esc(classNames)}" data-module="govuk-button"${attributes(o.attributes)}${attr('id', o.id)}`;
  const text = o.html && o.isStartButton ? `<span>${String(o.html).trim()}</span>` : content(o);
  const icon = o.isStartButton ? START_ICON : '';
  if (o.href) {
    return new SafeHtml(`<a href="${esc(o.href)}" role="button" draggable="false"${common}>${text}${icon}</a>`);
  }
  const extra =
    attr('value', o.value) +
    attr('name', o.name) +
    (o.disabled ? ' disabled aria-disabled="true"' : '') +
    (o.preventDoubleClick !== undefined ? ` data-prevent-double-click="${esc(o.preventDoubleClick)}"` : '');
  return new SafeHtml(`<button type="${esc(o.type || 'submit')}"${extra}${common}>${text}${icon}</button>`);
}

export interface InsetTextOptions extends TextOrHtml, Common {
  id?: string | null;
}

export function govukInsetText(o: InsetTextOptions): SafeHtml {
  return new SafeHtml(
    `<div${attr('id', o.id)} class="govuk-inset-text${cls(o.classes)}"${attributes(o.attributes)}>${content(o)}</div>`,
  );
}

export interface DetailsOptions extends TextOrHtml, Common {
  summaryText?: string | null;
  summaryHtml?: Markup | null;
  id?: string | null;
  open?: boolean;
}

export function govukDetails(o: DetailsOptions): SafeHtml {
  const summary = content({ html: o.summaryHtml, text: o.summaryText });
  const open = `<details${attr('id', o.id)} class="govuk-details${cls(o.classes)}"${attributes(o.attributes)}${o.open ? ' open' : ''}>`;
  return new SafeHtml(
    `${open}<summary class="govuk-details__summary"><span class="govuk-details__summary-text">${summary}</span></summary><div class="govuk-details__text">${content(o)}</div></details>`,
  );
}

export interface HintOptions extends TextOrHtml, Common {
  id?: string | null;
}

export function govukHint(o: HintOptions): SafeHtml {
  return new SafeHtml(
    `<div${attr('id', o.id)} class="govuk-hint${cls(o.classes)}"${attributes(o.attributes)}>${content(o)}</div>`,
  );
}

export interface LabelOptions extends TextOrHtml, Common {
  for?: string | null;
  isPageHeading?: boolean;
}

export function govukLabel(o: LabelOptions): SafeHtml {
  if (!o.html && !o.text) return new SafeHtml('');
  const label = `<label class="govuk-label${cls(o.classes)}"${attributes(o.attributes)}${attr('for', o.for)}>${content(o)}</label>`;
  return new SafeHtml(o.isPageHeading ? `<h1 class="govuk-label-wrapper">${label}</h1>` : label);
}

export interface ErrorMessageOptions extends TextOrHtml, Common {
  id?: string | null;
  visuallyHiddenText?: string | false | null;
}

export function govukErrorMessage(o: ErrorMessageOptions): SafeHtml {
  const hidden = o.visuallyHiddenText === undefined ? 'Error' : o.visuallyHiddenText;
  const prefix = hidden ? `<span class="govuk-visually-hidden">${esc(hidden)}:</span> ` : '';
  return new SafeHtml(
    `<p${attr('id', o.id)} class="govuk-error-message${cls(o.classes)}"${attributes(o.attributes)}>${prefix}${content(o)}</p>`,
  );
}

export interface LegendOptions extends TextOrHtml {
  classes?: string | null;
  isPageHeading?: boolean;
}

export interface FieldsetOptions extends Common {
  describedBy?: string | null;
  legend?: LegendOptions | null;
  role?: string | null;
  html?: Markup | null;
}

export function govukFieldset(o: FieldsetOptions): SafeHtml {
  const l = o.legend;
  let legend = '';
  if (l && (l.html || l.text)) {
    const inner = l.isPageHeading ? `<h1 class="govuk-fieldset__heading">${content(l)}</h1>` : content(l);
    legend = `<legend class="govuk-fieldset__legend${cls(l.classes)}">${inner}</legend>`;
  }
  const open = `<fieldset class="govuk-fieldset${cls(o.classes)}"${attr('role', o.role)}${attr('aria-describedby', o.describedBy)}${attributes(o.attributes)}>`;
  return new SafeHtml(`${open}${legend}${o.html ? String(o.html) : ''}</fieldset>`);
}
