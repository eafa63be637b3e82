// A module's inputs, declared once (in modules/<area>/schemas.ts) and used three ways: the TypeBox schema validates
// the API body and documents it (OpenAPI); `read` turns a page form or an API body into typed input, with one
// GOV.UK-style message per field that names it and says how to fix it; services take that typed input. Dates come
// from the GOV.UK date input (field-day, -month, -year) or an ISO string; lists from repeated form fields
// (checkboxes) or a JSON array; empty optional fields become null. `partial()` reads only the fields sent (PATCH).
import {
  FormatRegistry,
  type Static,
  type TArray,
  type TBoolean,
  type TInteger,
  type TSchema,
  type TString,
  Type,
} from '@sinclair/typebox';
import { type TypeCheck, TypeCompiler } from '@sinclair/typebox/compiler';
import { Value } from '@sinclair/typebox/value';
import { type Body, dateInput, type FieldErrors, isRealDate, list, text, UUID, ValidationError } from './forms.ts';

// The formats the schemas use, for TypeBox's own checks (the API's ajv knows them already).
if (!FormatRegistry.Has('date')) FormatRegistry.Set('date', isRealDate);
if (!FormatRegistry.Has('uuid')) FormatRegistry.Set('uuid', (v) => UUID.test(v));

/** What the rules beyond the schema may need (e.g. "today or in the past"). */
export interface ReadContext {
  today: string;
}

/** A rule beyond the schema: returns the value to keep (normalised), or a message. */
export type Check<V> = (value: V, ctx: ReadContext) => { ok: true; value: V } | { ok: false; message: string };

export interface Field<S extends TSchema, NonNull extends boolean> {
  schema: S;
  /** Must be filled in (else the `missing` message). */
  required: boolean;
  /** Type-level only: whether the value read is never null (required, or a fallback fills it). */
  nonNull: NonNull;
  label: string;
  /** choices: a list of values from a set (checkboxes); ids: a list of ids (lower-cased, each once). */
  kind: 'text' | 'date' | 'id' | 'choice' | 'yesno' | 'integer' | 'choices' | 'ids';
  /** Text only: false keeps spaces at either end (passwords: spaces in a passphrase count). */
  trim: boolean;
  /** The message when a required field is empty (default: "Enter the <label>" or "Choose <label>"). */
  missing?: string;
  /** The message when the value is not the right kind (default by kind). */
  invalid?: string;
  check?: Check<Static<S>>;
  /** Used when an optional field is left empty, instead of null. */
  fallback?: (ctx: ReadContext) => Static<S>;
}

const lower = (s: string) => s.charAt(0).toLowerCase() + s.slice(1);
const upper = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

interface Opts<V> {
  required?: boolean;
  missing?: string;
  invalid?: string;
  hint?: string;
  check?: Check<V>;
  fallback?: (ctx: ReadContext) => V;
  /** Text only: `false` keeps the value as typed (default: trimmed). */
  trim?: boolean;
}
/** Never null: required, or filled in by a fallback when left empty. */
type Filled<O> = O extends { required: true }
  ? true
  : O extends { fallback: (ctx: ReadContext) => unknown }
    ? true
    : false;

const atLeastOne = (o: { required?: boolean }) => (o.required ? { minItems: 1 } : {});

/** Field builders: each carries its words with its schema. */
export const f = {
  text<const O extends Opts<string>>(label: string, max: number, o: O = {} as O) {
    return field<TString, Filled<O>>(
      Type.String({ maxLength: max, title: label, description: o.hint }),
      'text',
      label,
      o,
    );
  },
  date<const O extends Opts<string>>(label: string, o: O = {} as O) {
    return field<TString, Filled<O>>(
      Type.String({ format: 'date', title: label, description: o.hint ?? 'YYYY-MM-DD' }),
      'date',
      label,
      o,
    );
  },
  id<const O extends Opts<string>>(label: string, o: O = {} as O) {
    return field<TString, Filled<O>>(
      Type.String({ format: 'uuid', title: label, description: o.hint }),
      'id',
      label,
      o,
    );
  },
  choice<const C extends readonly string[], const O extends Opts<C[number]>>(
    label: string,
    options: C,
    o: O = {} as O,
  ) {
    const schema = Type.Union(
      options.map((c) => Type.Literal(c)),
      { title: label, description: o.hint },
    ) as unknown as TSchema & { static: C[number] };
    return field<typeof schema, Filled<O>>(schema, 'choice', label, o);
  },
  yesno<const O extends Opts<boolean>>(label: string, o: O = {} as O) {
    return field<TBoolean, Filled<O>>(Type.Boolean({ title: label, description: o.hint }), 'yesno', label, o);
  },
  integer<const O extends Opts<number>>(label: string, min: number, max: number, o: O = {} as O) {
    return field<TInteger, Filled<O>>(
      Type.Integer({ minimum: min, maximum: max, title: label, description: o.hint }),
      'integer',
      label,
      o,
    );
  },
  /** Any number of values from a set, each once (checkboxes); required means at least one. */
  choices<const C extends readonly string[], const O extends Opts<C[number][]>>(
    label: string,
    options: C,
    o: O = {} as O,
  ) {
    const item = Type.Union(options.map((c) => Type.Literal(c))) as unknown as TSchema & { static: C[number] };
    const schema = Type.Array(item, { title: label, description: o.hint, ...atLeastOne(o) });
    return field<TArray<typeof item>, Filled<O>>(schema, 'choices', label, o);
  },
  /** Any number of ids, each once, lower-cased; required means at least one. */
  ids<const O extends Opts<string[]>>(label: string, o: O = {} as O) {
    const schema = Type.Array(Type.String({ format: 'uuid' }), { title: label, description: o.hint, ...atLeastOne(o) });
    return field<TArray<TString>, Filled<O>>(schema, 'ids', label, o);
  },
};

function field<S extends TSchema, NonNull extends boolean>(
  schema: S,
  kind: Field<S, NonNull>['kind'],
  label: string,
  // biome-ignore lint/suspicious/noExplicitAny: the builder has typed the options against S already
  o: Opts<any>,
): Field<S, NonNull> {
  return {
    schema,
    required: (o.required ?? false) as NonNull,
    nonNull: undefined as unknown as NonNull,
    label,
    kind,
    trim: o.trim ?? true,
    missing: o.missing,
    invalid: o.invalid,
    check: o.check,
    fallback: o.fallback,
  };
}

// biome-ignore lint/suspicious/noExplicitAny: any field, whatever its schema
type AnyField = Field<any, boolean>;
type ValueOf<F extends AnyField> =
  F extends Field<infer S, infer R>
    ? R extends true
      ? Static<S>
      : F['fallback'] extends (ctx: ReadContext) => unknown
        ? Static<S>
        : Static<S> | null
    : never;
type Values<F extends Record<string, AnyField>> = { [K in keyof F]: ValueOf<F[K]> };
/** The typed input of a declaration (or of its `partial()`). */
export type InputOf<D extends { parse(body: Body, ctx: ReadContext): unknown }> = ReturnType<D['parse']>;

/**
 * What `read` found: the input, and a message for each field that is wrong (empty when all is well). A field with
 * a message has no value in `input`: a service that adds problems only it can see (a name already taken) looks up
 * only the fields without one, so the user sees every problem at once.
 */
export interface Reading<V> {
  input: V;
  errors: FieldErrors;
}

/** A rule across fields. It gets the fields that read well (and, for `partial()`, were sent); its messages go on
 *  fields that have none yet. */
export type InputCheck<F extends Record<string, AnyField>> = (
  values: Partial<Values<F>>,
  ctx: ReadContext,
) => FieldErrors;

export interface Input<F extends Record<string, AnyField>, V = Values<F>> {
  readonly fields: F;
  /** The API body: required fields required, optional ones nullable; nothing else accepted. */
  readonly schema: TSchema;
  /** Reads a form or API body into typed input and the messages for what is wrong (empty when all is well). */
  read(body: Body, ctx: ReadContext): Reading<V>;
  /** As read, but throws a ValidationError (every message, each on its field) when anything is wrong. */
  parse(body: Body, ctx: ReadContext): V;
  /**
   * The same fields for a change that sends only what changes (PATCH): only the fields present in the body are
   * read, and only they are in the input. A required field may be left out but not emptied; the API body must
   * send at least one field.
   */
  partial(): Input<F, Partial<Values<F>>>;
}

/** Declares a module input from its fields (see `f`), with an optional rule across them. */
export function input<const F extends Record<string, AnyField>>(
  fields: F,
  opts: { check?: InputCheck<F> } = {},
): Input<F> {
  return declare(fields, opts.check, false) as Input<F>;
}

function declare<F extends Record<string, AnyField>>(
  fields: F,
  check: InputCheck<F> | undefined,
  partial: boolean,
): Input<F, unknown> {
  const props: Record<string, TSchema> = {};
  for (const [name, fd] of Object.entries(fields)) {
    const value = fd.required ? fd.schema : Type.Union([fd.schema, Type.Null()]);
    props[name] = fd.required && !partial ? value : Type.Optional(value);
  }
  const schema = Type.Object(props, { additionalProperties: false, ...(partial ? { minProperties: 1 } : {}) });
  return {
    fields,
    schema,
    read(body, ctx) {
      const out: Record<string, unknown> = {};
      const errors: FieldErrors = {};
      for (const [name, fd] of Object.entries(fields)) {
        if (partial && !sent(name, fd, body)) continue;
        const r = readField(name, fd, body, ctx);
        if ('message' in r) errors[name] = r.message;
        else out[name] = r.value;
      }
      if (check)
        for (const [name, message] of Object.entries(check(out as Partial<Values<F>>, ctx)))
          if (!errors[name]) {
            errors[name] = message;
            delete out[name];
          }
      return { input: out, errors };
    },
    parse(body, ctx) {
      const { input: value, errors } = this.read(body, ctx);
      if (Object.keys(errors).length) throw new ValidationError(errors);
      return value;
    },
    partial() {
      return declare(fields, check, true) as Input<F, Partial<Values<F>>>;
    },
  };
}

function sent(name: string, fd: AnyField, body: Body): boolean {
  if (Object.hasOwn(body, name)) return true;
  return fd.kind === 'date' && ['day', 'month', 'year'].some((p) => Object.hasOwn(body, `${name}-${p}`));
}

function raw(name: string, fd: AnyField, body: Body): unknown {
  if (fd.kind === 'date') return dateInput(body, name).value;
  const v = body[name];
  if (fd.kind === 'choices' || fd.kind === 'ids') {
    const values = [...new Set(list(body, name).map((x) => (fd.kind === 'ids' ? x.toLowerCase() : x)))];
    return values.length ? values : '';
  }
  if (fd.kind === 'text' && !fd.trim && typeof v === 'string') return v;
  if (fd.kind === 'yesno') {
    if (typeof v === 'boolean') return v;
    const t = text(body, name).toLowerCase();
    return t === '' ? '' : ['yes', 'true', 'on'].includes(t) ? true : ['no', 'false'].includes(t) ? false : t;
  }
  if (fd.kind === 'integer') {
    const t = text(body, name);
    return t === '' ? '' : /^-?\d+$/.test(t) ? Number(t) : t;
  }
  return text(body, name);
}

function readField(name: string, fd: AnyField, body: Body, ctx: ReadContext): { value: unknown } | { message: string } {
  const value = raw(name, fd, body);
  if (value === '') {
    if (fd.required)
      return {
        message:
          fd.missing ??
          (fd.kind === 'text' || fd.kind === 'date' ? `Enter the ${lower(fd.label)}` : `Choose ${lower(fd.label)}`),
      };
    return { value: fd.fallback ? fd.fallback(ctx) : null };
  }
  const problem = firstProblem(fd, value);
  if (problem) return { message: problem };
  if (!fd.check) return { value };
  const checked = fd.check(value, ctx);
  return checked.ok ? { value: checked.value } : { message: checked.message };
}

/** The schema's objection to a value, in words: the field's own message, else one by kind. */
const checkers = new WeakMap<TSchema, TypeCheck<TSchema>>();
/** A field's schema compiled once to a checking function. */
function compiled(schema: TSchema): TypeCheck<TSchema> {
  let c = checkers.get(schema);
  if (!c) {
    c = TypeCompiler.Compile(schema);
    checkers.set(schema, c);
  }
  return c;
}

function firstProblem(fd: AnyField, value: unknown): string | null {
  if (fd.kind === 'date' && (typeof value !== 'string' || !isRealDate(value)))
    return fd.invalid ?? `${upper(fd.label)} must be a real date, for example 27 3 2026`;
  if (fd.kind === 'id' && (typeof value !== 'string' || !UUID.test(value)))
    return fd.invalid ?? `Choose ${lower(fd.label)} from the list`;
  // The quick yes first (an import checks every cell of thousands of rows); the errors only for a no.
  const fits: boolean = compiled(fd.schema).Check(value);
  if (fits) return null;
  const e = Value.Errors(fd.schema, value).First();
  if (!e) return null;
  if (fd.invalid) return fd.invalid;
  const s = e.schema as { maxLength?: number; minimum?: number; maximum?: number };
  if (fd.kind === 'text' && typeof value === 'string' && s.maxLength !== undefined && value.length > s.maxLength)
    return `${upper(fd.label)} must be ${s.maxLength} characters or fewer`;
  if (fd.kind === 'integer')
    return `${upper(fd.label)} must be a whole number${s.minimum !== undefined ? ` from ${s.minimum} to ${s.maximum}` : ''}`;
  if (fd.kind === 'yesno') return `Choose yes or no for ${lower(fd.label)}`;
  return `Choose ${lower(fd.label)} from the list`;
}
