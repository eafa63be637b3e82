// The pieces every GOV.UK component function is built from: HTML that is already safe, escaping exactly as Nunjucks'
// autoescape does, and the `attributes` option the macros take (govuk/macros/attributes.njk).

/** Markup that is written out as it is: a component's output, or an `html` option. */
export class SafeHtml {
  constructor(readonly html: string) {}
  toString(): string {
    return this.html;
  }
}

/** Trusted markup, as the macros' `html` options are: passed through unescaped. */
export type Markup = string | SafeHtml;

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const ESCAPE = /[&<>"']/g;
const NEEDS_ESCAPE = /[&<>"']/;

/** Text as Nunjucks' autoescape writes it (`{{ value }}`): null and undefined give nothing. */
export function esc(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (value instanceof SafeHtml) return value.html;
  const s = String(value);
  return NEEDS_ESCAPE.test(s) ? s.replace(ESCAPE, (c) => ESCAPES[c] as string) : s;
}

/** Raw markup made safe: for HTML built elsewhere and already escaped. */
export function raw(markup: string): SafeHtml {
  return new SafeHtml(markup);
}

type Piece = SafeHtml | string | number | boolean | null | undefined | readonly Piece[];

function piece(value: Piece): string {
  if (value === null || value === undefined || value === false) return '';
  if (Array.isArray(value)) return value.map(piece).join('');
  return esc(value);
}

/** A template of HTML: every value is escaped unless it is SafeHtml; lists are joined; null, undefined, false vanish. */
export function h(strings: TemplateStringsArray, ...values: Piece[]): SafeHtml {
  let out = strings[0] as string;
  for (let i = 0; i < values.length; i++) out += piece(values[i] as Piece) + (strings[i + 1] as string);
  return new SafeHtml(out);
}

/** `{{ html | safe if html else text }}`: the html option as it is, else the text escaped. */
export function content(o: { html?: Markup | null; text?: string | number | null } | undefined): string {
  if (!o) return '';
  if (o.html) return String(o.html).trim();
  return esc(o.text);
}

/** ` classes` when there are any (the macros' `{%- if params.classes %} {{ params.classes }}{% endif %}`). */
export function cls(classes: string | null | undefined): string {
  return classes ? ` ${esc(classes)}` : '';
}

/** An attribute when its value is truthy, as `{%- if value %} name="{{ value }}"{% endif %}`. */
export function attr(name: string, value: unknown): string {
  return value || value === 0 ? ` ${name}="${esc(value)}"` : '';
}

type AttributeValue = string | number | boolean | SafeHtml | null | undefined;

/** The macros' `attributes` option: a map of name to value (or `{ value, optional }`), or a string written as it is. */
export type Attributes =
  | string
  | SafeHtml
  | Record<string, AttributeValue | { value: AttributeValue; optional?: boolean }>;

/** govukAttributes: ` name="value"` pairs; optional ones left out when empty, and written bare when `true`. */
export function attributes(a: Attributes | null | undefined): string {
  if (!a) return '';
  if (typeof a === 'string') return a;
  if (a instanceof SafeHtml) return a.html;
  let out = '';
  for (const [name, item] of Object.entries(a)) {
    const isOptions = item !== null && typeof item === 'object' && !(item instanceof SafeHtml);
    const value = isOptions ? item.value : item;
    const optional = isOptions && item.optional === true;
    if (optional && value === true) out += ` ${esc(name)}`;
    else if (!optional || (value !== null && value !== undefined && value !== false)) {
      out += ` ${esc(name)}="${esc(value)}"`;
    }
  }
  return out;
}
