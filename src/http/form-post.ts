// A page form's POST, once for every module: make the change and redirect (POST-redirect-GET); on bad input (read
// from the declared input, or found by the service) show the form again (400) with what was typed, each message
// beside its field and in the GOV.UK error summary. Nothing is written on error: the change runs in one transaction.
import type { FastifyReply } from 'fastify';
import { type Body, errorList, type FieldErrors, ValidationError } from './forms.ts';

/** What the form is shown again with. */
export type Shown = {
  values: Body;
  errors: FieldErrors;
  errorList: ReturnType<typeof errorList>;
};

/** What the user typed, to fill the form again (never the CSRF token or a password). */
export function formValues(body: Body): Body {
  const { _csrf, password: _password, ...rest } = body;
  return rest;
}

/** Runs `change` and redirects (303) to where it says; on a ValidationError answers 400 with `again(shown)`. */
export async function postForm(
  reply: FastifyReply,
  body: Body,
  change: () => Promise<string>,
  again: (shown: Shown) => unknown,
) {
  try {
    return reply.redirect(await change(), 303);
  } catch (e) {
    if (!(e instanceof ValidationError)) throw e;
    reply.code(400);
    return again({ values: formValues(body), errors: e.fields, errorList: errorList(e.fields) });
  }
}
