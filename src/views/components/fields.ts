// GOV.UK Frontend's text input, textarea and date input as typed functions (the markup of their macros).
import {
  type ErrorMessageOptions,
  govukErrorMessage,
  govukFieldset,
  govukHint,
  govukLabel,
  type HintOptions,
  type LabelOptions,
  type LegendOptions,
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

export interface DateInputItem {
  id?: string | null;
  name?: string | null;
  label?: string | null;
  value?: string | number | null;
  error?: boolean;
  classes?: string | null;
  inputmode?: string | null;
  autocomplete?: string | null;
  pattern?: string | null;
  attributes?: Attributes | null;
}

export interface DateInputOptions {
  id?: string | null;
  namePrefix?: string | null;
  items?: (DateInputItem | null)[] | null;
  day?: DateInputItem;
  month?: DateInputItem;
  year?: DateInputItem;
  values?: Record<string, string | number | null | undefined> | null;
  hint?: HintOptions | null;
  errorMessage?: ErrorMessageOptions | null | false;
  formGroup?: (FormGroup & { beforeInputs?: TextOrHtml | null; afterInputs?: TextOrHtml | null }) | null;
  fieldset?: {
    describedBy?: string | null;
    legend?: LegendOptions | null;
    classes?: string | null;
    attributes?: Attributes | null;
  } | null;
  classes?: string | null;
  attributes?: Attributes | null;
}

const hasError = (i: DateInputItem | null | undefined) =>
  Boolean(i?.error || i?.classes?.includes('govuk-input--error'));
const capitalize = (t: string | null | undefined) => (t ? t.charAt(0).toUpperCase() + t.slice(1).toLowerCase() : '');

function dateItem(o: DateInputOptions, item: DateInputItem, parts: DateInputItem[], anyError: boolean): string {
  const [day, month, year] = parts as [DateInputItem, DateInputItem, DateInputItem];
  let name = item.name;
  let value = item.value;
  let width = 2;
  const named = (part: DateInputItem, word: string) =>
    item === part || Boolean(item.name && (item.name === word || item.name === part.name));
  for (const [part, word] of [
    [day, 'day'],
    [month, 'month'],
    [year, 'year'],
  ] as const) {
    if (named(part, word)) {
      name = item.name === undefined ? word : item.name;
      value = item.value === undefined ? part.value : item.value;
      if (word === 'year') width = 4;
      break;
    }
  }
  const classes: string[] = [];
  const own = item.classes;
  if (
    !own?.includes('govuk-input--error') &&
    (hasError(item) || (item.error !== false && o.errorMessage && !anyError))
  ) {
    classes.push('govuk-input--error');
  }
  if (!own?.includes('govuk-input--width-')) classes.push(`govuk-input--width-${width}`);
  if (own) classes.push(own);
  const itemClasses = classes.join(' ').trim();
  const prefix = o.namePrefix ? `${o.namePrefix}-` : '';
  const fullName = `${prefix}${name ?? ''}`;
  const input = govukInput({
    label: { text: item.label || capitalize(name), classes: 'govuk-date-input__label' },
    id: item.id || `${o.id}-${name}`,
    classes: `govuk-date-input__input${itemClasses ? ` ${itemClasses}` : ''}`,
    name: fullName,
    value: value === undefined ? o.values?.[fullName] : value,
    type: 'text',
    inputmode: item.inputmode || 'numeric',
    autocomplete: item.autocomplete,
    pattern: item.pattern,
    attributes: item.attributes,
  });
  return `<div class="govuk-date-input__item">${input.html}</div>`;
}

export function govukDateInput(o: DateInputOptions): SafeHtml {
  const parts: DateInputItem[] = [
    o.day === undefined ? { name: 'day', value: o.values?.day, classes: 'govuk-input--width-2' } : o.day,
    o.month === undefined ? { name: 'month', value: o.values?.month, classes: 'govuk-input--width-2' } : o.month,
    o.year === undefined ? { name: 'year', value: o.values?.year, classes: 'govuk-input--width-4' } : o.year,
  ];
  const items = o.items?.length ? o.items : parts;
  const anyError = items.some(hasError);
  let describedBy = o.fieldset?.describedBy || '';
  let inner = '';
  if (o.hint) {
    describedBy = describedBy ? `${describedBy} ${o.id}-hint` : `${o.id}-hint`;
    inner += govukHint({ ...o.hint, id: `${o.id}-hint` }).html;
  }
  if (o.errorMessage) {
    describedBy = describedBy ? `${describedBy} ${o.id}-error` : `${o.id}-error`;
    inner += govukErrorMessage({ ...o.errorMessage, id: `${o.id}-error` }).html;
  }
  inner += `<div class="govuk-date-input${cls(o.classes)}"${attributes(o.attributes)}${attr('id', o.id)}>`;
  if (o.formGroup?.beforeInputs) inner += content(o.formGroup.beforeInputs);
  for (const item of items) if (item) inner += dateItem(o, item, parts, anyError);
  if (o.formGroup?.afterInputs) inner += content(o.formGroup.afterInputs);
  inner += '</div>';
  const body = o.fieldset ? govukFieldset({ ...o.fieldset, describedBy, role: 'group', html: inner }).html : inner;
  const g = o.formGroup;
  return new SafeHtml(
    `<div class="govuk-form-group${o.errorMessage ? ' govuk-form-group--error' : ''}${cls(g?.classes)}"${attributes(g?.attributes)}>${body}</div>`,
  );
}
