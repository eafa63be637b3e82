// A page form's POST in the transfers module: POST-redirect-GET, or the page again with the GOV.UK error summary.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { type Body, errorList, ValidationError } from '../../http/forms.ts';

/** What the user typed, to fill the form again (without the CSRF token). */
export function formValues(body: Body) {
  const { _csrf, ...rest } = body;
  return rest;
}

/**
 * A form's POST: runs the change and redirects (303) to `to(result)`; on a ValidationError shows the page again
 * (400) with what was typed, each message beside its field and in the error summary. Nothing is written on error.
 */
export async function submit<R>(
  request: FastifyRequest,
  reply: FastifyReply,
  run: (body: Body) => Promise<R>,
  to: (result: R) => string,
  again: (extra: Record<string, unknown>) => Promise<unknown>,
) {
  const body = (request.body ?? {}) as Body;
  try {
    return reply.redirect(to(await run(body)), 303);
  } catch (e) {
    if (!(e instanceof ValidationError)) throw e;
    reply.code(400);
    return again({ values: formValues(body), errors: e.fields, errorList: errorList(e.fields) });
  }
}
