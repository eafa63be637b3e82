// The POST route of a page form (and the page with it empty), once for every form of the module: the body is read with the form's declared input
// (schemas.ts); the change is made and the browser redirected (PRG); on bad input (read here, or found by the
// service) the form is shown again with what was typed and a GOV.UK error summary naming each field (400).
import type { FastifyContextConfig, FastifyInstance, FastifyRequest } from 'fastify';
import { postForm } from '../../http/form-post.ts';
import { type Body, dateInput } from '../../http/forms.ts';
import type { ReadContext } from '../../http/schema-input.ts';

/** Dates come back to the GOV.UK date input as parts. */
export function dateParts(body: Body, ...fields: string[]) {
  const out: Record<string, unknown> = { ...body };
  for (const f of fields) out[f] = dateInput(body, f).parts;
  return out;
}

/** The words of the success banner after each save on the plan and panel pages, by the key in ?saved=. */
export const SAVED = {
  plan: 'Plan saved',
  goal: 'Goal added to the plan',
  review: 'Review recorded',
  'action-added': 'Action added to the plan',
  'action-updated': 'Action updated',
  referral: 'Referral sent',
  response: 'Response to the referral recorded',
  'forum-referral': 'Case referred to the 16-17 Transitions Forum',
  'panel-summary':
    'Summary for the panel saved. The panel will see it, and the case’s structured facts, when the case is sent.',
  panels: 'Panels set up',
  member: 'Member added to the panel',
  meeting: 'Meeting planned: the cases waiting for the panel are on its agenda',
  decision: 'Decision recorded',
  minutes: 'Minutes saved: the meeting is marked as held',
  document: 'Document attached',
} as const;

/** The banner's words for ?saved= in the address (an unknown key shows nothing: nothing from the address is shown). */
export function savedText(query: unknown): string | null {
  const key = (query as { saved?: unknown } | undefined)?.saved;
  return typeof key === 'string' && Object.hasOwn(SAVED, key) ? SAVED[key as keyof typeof SAVED] : null;
}

/**
 * `to` with ?saved=<key>, and without its #fragment: the banner is at the top of the page and takes the focus, which
 * a fragment would take away (the browser moves focus to the fragment's target when the page loads).
 */
export function withSaved(to: string, key: keyof typeof SAVED | undefined): string {
  if (!key) return to;
  const [path] = to.split('#');
  return `${path}${path?.includes('?') ? '&' : '?'}saved=${key}`;
}

export interface FormPost<Params, V> {
  url: string;
  /** The address of the page with the form empty, if this form has one of its own (same policy). */
  get?: string;
  config: FastifyContextConfig;
  template: string;
  /** What the form's page shows, with `values` (what was typed) when it is shown again. */
  page: (request: FastifyRequest<{ Params: Params }>, body: Body) => Promise<Record<string, unknown>>;
  input: { parse(body: Body, ctx: ReadContext): V };
  /** Makes the change; returns where to go next. */
  run: (request: FastifyRequest<{ Params: Params }>, value: V) => Promise<string>;
  /** The success banner the next page shows (issue 11 defect 8): a key of SAVED, added to the address as ?saved=. */
  saved?: keyof typeof SAVED;
  /** Rewrites the error summary's links, for a page with one form per item. */
  errorHref?: (request: FastifyRequest<{ Params: Params }>, href: string) => string;
}

export function formPoster(app: FastifyInstance, labels: Record<string, unknown>, today: () => string) {
  return function post<Params, V>(form: FormPost<Params, V>) {
    if (form.get)
      app.get<{ Params: Params }>(form.get, { config: form.config, schema: { hide: true } }, async (request, reply) =>
        reply.view(form.template, { ...labels, ...(await form.page(request, {})) }),
      );
    app.post<{ Params: Params }>(form.url, { config: form.config, schema: { hide: true } }, async (request, reply) => {
      const body = (request.body ?? {}) as Body;
      const href = form.errorHref;
      return postForm(
        reply,
        body,
        async () => withSaved(await form.run(request, form.input.parse(body, { today: today() })), form.saved),
        async ({ errors, errorList }) =>
          reply.view(form.template, {
            ...labels,
            ...(await form.page(request, body)),
            errors,
            errorList: href ? errorList.map((x) => ({ ...x, href: href(request, x.href) })) : errorList,
          }),
      );
    });
  };
}
