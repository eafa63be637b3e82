// A page form's POST in the transfers module: the shared postForm (http/form-post.ts) with the body read once.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { postForm, type Shown } from '../../http/form-post.ts';
import type { Body } from '../../http/forms.ts';

export { formValues } from '../../http/form-post.ts';

/** Runs the change with the form's body and redirects to `to(result)`; on bad input shows the page `again`. */
export function submit<R>(
  request: FastifyRequest,
  reply: FastifyReply,
  run: (body: Body) => Promise<R>,
  to: (result: R) => string,
  again: (extra: Shown) => Promise<unknown>,
) {
  const body = (request.body ?? {}) as Body;
  return postForm(reply, body, async () => to(await run(body)), again);
}
