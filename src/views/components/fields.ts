// GOV.UK Frontend's text input and textarea as typed functions (the markup of their macros).
import {
  type ErrorMessageOptions,
  govukErrorMessage,
  govukHint,
  govukLabel,
  type HintOptions,
  type LabelOptions,
  type TextOrHtml,
} from './basic.ts';
import { type Attributes, attr, attributes, cls, content, esc, SafeHtml } from './html.ts';

interface FormGroup {
  classes?: string | null;
  attributes?: Attributes | null;
  beforeInput?: TextOrHtml | null;
  afterInput?: TextOrHtml | null;
}

interface TextField {
  id?: string | null;
  name: string;
  value?: string | number | null;
  disabled?: boolean;
  describedBy?: string | null;
  label?: LabelOptions | null;
  hint?: HintOptions | null;
  errorMessage?: ErrorMessageOptions | null | false;
  formGroup?: FormGroup | null;
  classes?: string | null;
  autocomplete?: string | null;
  spellcheck?: boolean | null;
  attributes?: Attributes | null;
}

/** The label, hint and error message of a text field, and its aria-describedby. */
function above(o: TextField, id: string): { html: string; describedBy: string } {
  let html = govukLabel({ ...o.label, for: id }).html;
  let ids = o.describedBy || '';
  if (o.hint) {
    ids = ids ? `${ids} ${id}-hint` : `${id}-hint`;
    html += govukHint({ ...o.hint, id: `${id}-hint` }).html;
  }
  if (o.errorMessage) {
    ids = ids ? `${ids} ${id}-error` : `${id}-error`;
    html += govukErrorMessage({ ...o.errorMessage, id: `${id}-error` }).html;
  }
  return { html, describedBy: ids };
}

function group(o: TextField, inner: string): SafeHtml {
  const g = o.formGroup;
  return new SafeHtml(
    `<div class="govuk-form-group${o.errorMessage ? ' govuk-form-group--error' : ''}${cls(g?.classes)}"${attributes(g?.attributes)}>${inner}</div>`,
  );
}

const hasContent = (x: TextOrHtml | null | undefined) => Boolean(x && (x.text || x.html));

interface Affix extends TextOrHtml {
  classes?: string | null;
  attributes?: Attributes | null;
}

export interface InputOptions extends TextField {
  type?: string | null;
  inputmode?: string | null;
  autocapitalize?: string | null;
  pattern?: string | null;
  prefix?: Affix | null;
  suffix?: Affix | null;
  inputWrapper?: { classes?: string | null; attributes?: Attributes | null } | null;
}

function affix(a: Affix, type: 'prefix' | 'suffix'): string {
  return `<div class="govuk-input__${type}${cls(a.classes)}" aria-hidden="true"${attributes(a.attributes)}>${content(a)}</div>`;
}

export function govukInput(o: InputOptions): SafeHtml {
  const id = o.id || o.name;
  const top = above(o, id);
  const classes = `govuk-input${o.classes ? ` ${o.classes}` : ''}${o.errorMessage ? ' govuk-input--error' : ''}`;
  const optional = (value: unknown) => ({ value: value as string | boolean | null | undefined, optional: true });
  const input = `<input${attributes({
    class: classes,
    id,
    name: o.name,
    type: o.type || 'text',
    spellcheck: optional(o.spellcheck === true || o.spellcheck === false ? String(o.spellcheck) : false),
    value: optional(o.value === undefined || o.value === null ? o.value : String(o.value)),
    disabled: optional(o.disabled),
    'aria-describedby': optional(top.describedBy || undefined),
    autocomplete: optional(o.autocomplete),
    autocapitalize: optional(o.autocapitalize),
    pattern: optional(o.pattern),
    inputmode: optional(o.inputmode),
  })}${attributes(o.attributes)}>`;
  const before = o.formGroup?.beforeInput;
  const after = o.formGroup?.afterInput;
  const hasPrefix = hasContent(o.prefix);
  const hasSuffix = hasContent(o.suffix);
  if (!hasPrefix && !hasSuffix && !hasContent(before) && !hasContent(after)) return group(o, top.html + input);
  const wrapper =
    `<div class="govuk-input__wrapper${cls(o.inputWrapper?.classes)}"${attributes(o.inputWrapper?.attributes)}>` +
    `${hasContent(before) ? content(before ?? undefined) : ''}${hasPrefix && o.prefix ? affix(o.prefix, 'prefix') : ''}${input}` +
    `${hasSuffix && o.suffix ? affix(o.suffix, 'suffix') : ''}${hasContent(after) ? content(after ?? undefined) : ''}</div>`;
  return group(o, top.html + wrapper);
}

export interface TextareaOptions extends TextField {
  rows?: number | null;
}

export function govukTextarea(o: TextareaOptions): SafeHtml {
  const id = o.id || o.name;
  const top = above(o, id);
  const before = o.formGroup?.beforeInput ? content(o.formGroup.beforeInput) : '';
  const after = o.formGroup?.afterInput ? content(o.formGroup.afterInput) : '';
  const spell = o.spellcheck === true || o.spellcheck === false ? ` spellcheck="${o.spellcheck}"` : '';
  const textarea =
    `<textarea class="govuk-textarea${o.errorMessage ? ' govuk-textarea--error' : ''}${cls(o.classes)}" id="${esc(id)}" name="${esc(o.name)}" rows="${esc(o.rows || 5)}"` +
    `${spell}${o.disabled ? ' disabled' : ''}${attr('aria-describedby', top.describedBy)}${attr('autocomplete', o.autocomplete)}${attributes(o.attributes)}>${esc(o.value)}</textarea>`;
  return group(o, top.html + before + textarea + after);
}
