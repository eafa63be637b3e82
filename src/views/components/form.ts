// GOV.UK Frontend's select, radios and checkboxes as typed functions (the markup of their macros), built on the
// label, hint, error message and fieldset functions as the macros are.
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

type Value = string | number | boolean | null | undefined;

/** Nunjucks' `==` between an item's value and the field's value. */
function same(a: Value, b: Value): boolean {
  return a === b || (a !== null && a !== undefined && b !== null && b !== undefined && String(a) === String(b));
}

interface FormGroup {
  classes?: string | null;
  attributes?: Attributes | null;
}

interface Field {
  hint?: HintOptions | null;
  errorMessage?: ErrorMessageOptions | null | false;
  classes?: string | null;
  attributes?: Attributes | null;
}

function formGroup(group: FormGroup | null | undefined, error: unknown, inner: string): string {
  return `<div class="govuk-form-group${error ? ' govuk-form-group--error' : ''}${cls(group?.classes)}"${attributes(group?.attributes)}>${inner}</div>`;
}

/** The hint and error message above a field, and the ids they add to aria-describedby. */
function hintAndError(f: Field, idPrefix: string, describedBy: string): { html: string; describedBy: string } {
  let html = '';
  let ids = describedBy;
  if (f.hint) {
    const id = `${idPrefix}-hint`;
    ids = ids ? `${ids} ${id}` : id;
    html += govukHint({ ...f.hint, id }).html;
  }
  if (f.errorMessage) {
    const id = `${idPrefix}-error`;
    ids = ids ? `${ids} ${id}` : id;
    html += govukErrorMessage({ ...f.errorMessage, id }).html;
  }
  return { html, describedBy: ids };
}

interface Around {
  beforeInput?: TextOrHtml | null;
  afterInput?: TextOrHtml | null;
  beforeInputs?: TextOrHtml | null;
  afterInputs?: TextOrHtml | null;
}

export interface SelectItem {
  value?: string | number | null;
  text?: string | number | null;
  selected?: boolean;
  disabled?: boolean;
  attributes?: Attributes | null;
}

export interface SelectOptions extends Field {
  id?: string | null;
  name: string;
  items?: (SelectItem | null)[] | null;
  value?: Value;
  disabled?: boolean;
  describedBy?: string | null;
  label?: LabelOptions | null;
  formGroup?: (FormGroup & Around) | null;
}

function option(item: SelectItem, value: Value): string {
  const effective = item.value === undefined ? item.text : item.value;
  const selected = item.selected || (value ? same(effective, value) && item.selected !== false : false);
  const v = item.value !== undefined ? ` value="${esc(item.value)}"` : '';
  return `<option${v}${selected ? ' selected' : ''}${item.disabled ? ' disabled' : ''}${attributes(item.attributes)}>${esc(item.text)}</option>`;
}

export function govukSelect(o: SelectOptions): SafeHtml {
  const id = o.id || o.name;
  const l = o.label;
  let inner = govukLabel({ ...l, for: id }).html;
  const above = hintAndError(o, id, o.describedBy || '');
  inner += above.html;
  if (o.formGroup?.beforeInput) inner += content(o.formGroup.beforeInput);
  const classes = `${cls(o.classes)}${o.errorMessage ? ' govuk-select--error' : ''}`;
  inner += `<select class="govuk-select${classes}" id="${esc(id)}" name="${esc(o.name)}"${o.disabled ? ' disabled' : ''}${attr('aria-describedby', above.describedBy)}${attributes(o.attributes)}>`;
  for (const item of o.items ?? []) if (item) inner += option(item, o.value);
  inner += '</select>';
  if (o.formGroup?.afterInput) inner += content(o.formGroup.afterInput);
  return new SafeHtml(formGroup(o.formGroup, o.errorMessage, inner));
}

export interface ChoiceItem extends TextOrHtml {
  value?: string | number | null;
  id?: string | null;
  name?: string | null;
  label?: { classes?: string | null; attributes?: Attributes | null } | null;
  hint?: HintOptions | null;
  divider?: string | null;
  checked?: boolean;
  conditional?: { html?: string | null } | null;
  behaviour?: string | null;
  disabled?: boolean;
  attributes?: Attributes | null;
}

export interface ChoicesOptions extends Field {
  name: string;
  idPrefix?: string | null;
  items?: (ChoiceItem | null)[] | null;
  fieldset?: {
    describedBy?: string | null;
    legend?: LegendOptions | null;
    classes?: string | null;
    attributes?: Attributes | null;
  } | null;
  formGroup?: (FormGroup & Around) | null;
}

export interface RadiosOptions extends ChoicesOptions {
  value?: Value;
}

export interface CheckboxesOptions extends ChoicesOptions {
  values?: Value[] | null;
  describedBy?: string | null;
}

type Kind = 'radios' | 'checkboxes';

/** One radio or checkbox: its input, label, hint and conditional reveal (`describedBy` for checkboxes only). */
function choice(
  kind: Kind,
  o: ChoicesOptions,
  item: ChoiceItem,
  itemId: string,
  checked: boolean,
  describedBy: string,
) {
  if (item.divider) return `<div class="govuk-${kind}__divider">${esc(item.divider)}</div>`;
  const hasHint = Boolean(item.hint?.text || item.hint?.html);
  const hintId = `${itemId}-item-hint`;
  const ids = kind === 'radios' ? (hasHint ? hintId : '') : `${describedBy} ${hasHint ? hintId : ''}`.trim();
  const conditionalId = `conditional-${itemId}`;
  const name = kind === 'checkboxes' && item.name ? item.name : o.name;
  const input =
    `<input class="govuk-${kind}__input" id="${esc(itemId)}" name="${esc(name)}" type="${kind === 'radios' ? 'radio' : 'checkbox'}" value="${esc(item.value)}"` +
    `${checked ? ' checked' : ''}${item.disabled ? ' disabled' : ''}` +
    `${item.conditional?.html ? ` data-aria-controls="${esc(conditionalId)}"` : ''}` +
    `${kind === 'checkboxes' ? attr('data-behaviour', item.behaviour) : ''}${attr('aria-describedby', ids)}${attributes(item.attributes)}>`;
  const label = govukLabel({
    html: item.html,
    text: item.text,
    classes: `govuk-${kind}__label${item.label?.classes ? ` ${item.label.classes}` : ''}`,
    attributes: item.label?.attributes,
    for: itemId,
  }).html;
  const hint = hasHint
    ? govukHint({
        ...item.hint,
        id: hintId,
        classes: `govuk-${kind}__hint${item.hint?.classes ? ` ${item.hint.classes}` : ''}`,
      }).html
    : '';
  let out = `<div class="govuk-${kind}__item">${input}${label}${hint}</div>`;
  if (item.conditional?.html) {
    const hidden = checked ? '' : ` govuk-${kind}__conditional--hidden`;
    out += `<div class="govuk-${kind}__conditional${hidden}" id="${esc(conditionalId)}">${item.conditional.html.trim()}</div>`;
  }
  return out;
}

function choices(kind: Kind, o: ChoicesOptions, describedByStart: string, isChecked: (i: ChoiceItem) => boolean) {
  const idPrefix = o.idPrefix || o.name;
  const hasFieldset = Boolean(o.fieldset);
  const above = hintAndError(o, idPrefix, describedByStart);
  let inner = `${above.html}<div class="govuk-${kind}${cls(o.classes)}"${attributes(o.attributes)} data-module="govuk-${kind}">`;
  if (o.formGroup?.beforeInputs) inner += content(o.formGroup.beforeInputs);
  const itemDescribedBy = hasFieldset ? '' : above.describedBy;
  (o.items ?? []).forEach((item, i) => {
    if (!item) return;
    const itemId = item.id || `${idPrefix}${i > 0 ? `-${i + 1}` : ''}`;
    inner += choice(kind, o, item, itemId, isChecked(item), itemDescribedBy);
  });
  if (o.formGroup?.afterInputs) inner += content(o.formGroup.afterInputs);
  inner += '</div>';
  const body = o.fieldset ? govukFieldset({ ...o.fieldset, describedBy: above.describedBy, html: inner }).html : inner;
  return new SafeHtml(formGroup(o.formGroup, o.errorMessage, body));
}

export function govukRadios(o: RadiosOptions): SafeHtml {
  return choices('radios', o, o.fieldset?.describedBy || '', (item) =>
    Boolean(item.checked || (o.value ? same(item.value, o.value) && item.checked !== false : false)),
  );
}

export function govukCheckboxes(o: CheckboxesOptions): SafeHtml {
  const values = o.values;
  return choices('checkboxes', o, o.fieldset?.describedBy || o.describedBy || '', (item) =>
    Boolean(item.checked || (values ? values.includes(item.value) && item.checked !== false : false)),
  );
}
