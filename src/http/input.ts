// One rule for every string a request carries (quality.md S13): no control characters and no broken Unicode.
// Checked in preValidation, after the access policy, before any schema or handler sees the input, so no route
// can store a NUL (which PostgreSQL refuses, giving a 500) or a character the page cannot show.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { type FieldErrors, ValidationError } from './forms.ts';

/**
 * C0 controls except tab, line feed and carriage return (text areas send CR LF), DEL, and C1 controls
 * (U+0080–U+009F, including NEL U+0085).
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is this rule's purpose.
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/;
/** A UTF-16 surrogate without its partner: not a character, and PostgreSQL would store U+FFFD instead. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** What is wrong with one string, or null. */
export function badCharacter(value: string): 'control' | 'invalid' | null {
  if (CONTROL.test(value)) return 'control';
  if (LONE_SURROGATE.test(value)) return 'invalid';
  return null;
}

const label = (field: string) => field.replace(/[_.-]+/g, ' ').trim();

function message(kind: 'control' | 'invalid', field: string) {
  return kind === 'control'
    ? `Remove the control character from ${label(field)}`
    : `Remove the character that is not valid text from ${label(field)}`;
}

/**
 * Walks a parsed body, query or params object. Fields are named as in the error handler (`goals.0.text`);
 * a bad character in a field's name is reported against the place it came from (`body`, `query`, `params`).
 */
export function inputErrors(value: unknown, where: string, path = ''): FieldErrors {
  const errors: FieldErrors = {};
  const visit = (v: unknown, at: string) => {
    if (typeof v === 'string') {
      const kind = badCharacter(v);
      if (kind && !errors[at || where]) errors[at || where] = message(kind, at || where);
    } else if (Array.isArray(v)) {
      for (const [i, x] of v.entries()) visit(x, at ? `${at}.${i}` : String(i));
    } else if (v !== null && typeof v === 'object') {
      for (const [k, x] of Object.entries(v)) {
        const kind = badCharacter(k);
        if (kind)
          errors[where] = `Remove the ${kind === 'control' ? 'control' : 'invalid'} character from a field name`;
        else visit(x, at ? `${at}.${k}` : k);
      }
    }
  };
  visit(value, path);
  return errors;
}

export function checkRequestInput(request: FastifyRequest): FieldErrors {
  return {
    ...inputErrors(request.params, 'params'),
    ...inputErrors(request.query, 'query'),
    ...inputErrors(request.body, 'body'),
  };
}

/** Register after the access policy: a caller who may not use the route learns nothing from its input rules. */
export function installInputCheck(app: FastifyInstance) {
  app.addHook('preValidation', async (request) => {
    const errors = checkRequestInput(request);
    if (Object.keys(errors).length) throw new ValidationError(errors);
  });
}
