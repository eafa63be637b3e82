// The review pages: a plan's reviews, one review with the form for the stage it is at (arrange, advice, meeting,
// report, decision) and the advice asked for it; the phase-transfer cohort. The advice giver's pages are in
// giver-routes.ts, the API in api.ts and api-advice.ts. Each POST goes through postForm: change and redirect with ?saved=<key>, or the
// page again (400) with what was typed and the error summary; a stale version shows the page again (409).
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { PHASE_TRANSFERS, TRANSFER_PHASE_IDS } from '../../domain/phase-transfer.ts';
import { postForm, type Shown } from '../../http/form-post.ts';
import { type Body, dateInput, errorList } from '../../http/forms.ts';
import { requireUser } from '../../http/request.ts';
import type { ReadContext } from '../../http/schema-input.ts';
import { staleForm } from '../../http/versions.ts';
import { registerReviewApi } from './api.ts';
import { registerReviewAdviceApi } from './api-advice.ts';
import { registerGiverRoutes } from './giver-routes.ts';
import {
  AdviceRequestInput,
  ArrangeInput,
  CirculateInput,
  CohortQuery,
  DECISION_LABELS,
  DecisionInput,
  MeetingInput,
  ReportInput,
} from './schemas.ts';
import type { EhcReviewsService } from './service.ts';

type PlanParams = { planId: string };
type ReviewParams = PlanParams & { reviewId: string };

const hide = { hide: true };
const manage = { policy: { capability: 'ehcp:manage' as const } };

export const SAVED: Record<string, string> = {
  arranged: 'Review meeting arranged and invitations recorded',
  advice: 'Advice requested: the advice giver has been told',
  advice_again: 'This advice giver had already been asked for advice for this review: that request stands',
  circulated: 'Advice circulation recorded',
  held: 'Review meeting recorded',
  report: 'Review report recorded as sent',
  decision: 'Decision recorded',
};

/** The banner for `?saved=<key>`: only the module's own keys (never a key of Object's prototype, such as constructor). */
export const savedText = (query: unknown) => {
  const key = (query as { saved?: unknown } | undefined)?.saved;
  return typeof key === 'string' && Object.hasOwn(SAVED, key) ? (SAVED[key] as string) : null;
};

const DATE_FIELDS = ['meeting_date', 'circulated_date', 'held_date', 'sent_date', 'decision_date'];

/** The form again as typed, each date in its three boxes. */
function typed(values: Body, body: Body): Body {
  const out: Record<string, unknown> = { ...values };
  for (const f of DATE_FIELDS) if (`${f}-day` in body || f in body) out[f] = dateInput(body, f).parts;
  return out as Body;
}

type Stage = {
  path: string;
  saved: string;
  /** The change; a saved key when it differs from the stage's own (a repeated advice request). */
  run: (
    s: EhcReviewsService,
    request: FastifyRequest<{ Params: ReviewParams }>,
    body: Body,
    ctx: ReadContext,
  ) => Promise<string | undefined>;
};

const done = async (p: Promise<unknown>) => {
  await p;
  return undefined;
};

const STAGES: Stage[] = [
  {
    path: 'arrange',
    saved: 'arranged',
    run: (s, r, b, c) => done(s.arrange(requireUser(r), r.params, ArrangeInput.parse(b, c))),
  },
  {
    path: 'advice',
    saved: 'advice',
    run: async (s, r, b, c) =>
      (await s.requestAdvice(requireUser(r), r.params, AdviceRequestInput.parse(b, c))).created
        ? undefined
        : 'advice_again',
  },
  {
    path: 'circulate',
    saved: 'circulated',
    run: (s, r, b, c) => done(s.circulate(requireUser(r), r.params, CirculateInput.parse(b, c))),
  },
  {
    path: 'meeting',
    saved: 'held',
    run: (s, r, b, c) => done(s.meeting(requireUser(r), r.params, MeetingInput.parse(b, c))),
  },
  {
    path: 'report',
    saved: 'report',
    run: (s, r, b, c) => done(s.report(requireUser(r), r.params, ReportInput.parse(b, c))),
  },
  {
    path: 'decision',
    saved: 'decision',
    run: (s, r, b, c) => done(s.decide(requireUser(r), r.params, DecisionInput.parse(b, c))),
  },
];

export function registerEhcReviewsRoutes(app: FastifyInstance) {
  const { ehcReviews } = app.services;

  app.get<{ Params: PlanParams }>(
    '/ehc-plans/:planId/reviews',
    { config: manage, schema: hide },
    async (request, reply) => {
      const data = await ehcReviews.planReviews(requireUser(request), request.params.planId, 'page');
      return reply.view('ehc-reviews/views/plan-reviews.njk', data);
    },
  );

  const reviewView = async (
    request: FastifyRequest<{ Params: ReviewParams }>,
    reply: FastifyReply,
    shown?: Partial<Shown> & { form?: string },
  ) => {
    const user = requireUser(request);
    const { planId, reviewId } = request.params;
    const [data, givers] = await Promise.all([
      ehcReviews.reviewPage(user, planId, reviewId, 'page'),
      ehcReviews.giverOptions(user),
    ]);
    return reply.view('ehc-reviews/views/review.njk', {
      ...data,
      givers,
      decisionLabels: DECISION_LABELS,
      savedText: shown ? null : savedText(request.query),
      values: shown?.values ?? {},
      errors: shown?.errors ?? {},
      errorList: shown?.errorList ?? null,
      form: shown?.form ?? null,
    });
  };

  app.get<{ Params: ReviewParams }>(
    '/ehc-plans/:planId/reviews/:reviewId',
    { config: manage, schema: hide },
    async (request, reply) => reviewView(request, reply),
  );

  for (const stage of STAGES) {
    app.post<{ Params: ReviewParams }>(
      `/ehc-plans/:planId/reviews/:reviewId/${stage.path}`,
      { config: manage, schema: hide },
      async (request, reply) => {
        const body = (request.body ?? {}) as Body;
        const { planId, reviewId } = request.params;
        const here = `/ehc-plans/${planId}/reviews/${reviewId}`;
        try {
          return await postForm(
            reply,
            body,
            async () => {
              const saved = await stage.run(ehcReviews, request, body, { today: ehcReviews.today() });
              return `${here}?saved=${saved ?? stage.saved}`;
            },
            (shown) => reviewView(request, reply, { ...shown, values: typed(shown.values, body), form: stage.path }),
          );
        } catch (e) {
          return staleForm(reply, e, here, (shown) =>
            reviewView(request, reply, { ...shown, values: typed(body, body), form: stage.path }),
          );
        }
      },
    );
  }

  app.get('/ehc-plans/phase-transfers', { config: manage, schema: hide }, async (request, reply) => {
    const { input, errors } = CohortQuery.read(request.query as Body, { today: ehcReviews.today() });
    const phase = input.phase ?? 'secondary';
    const current = ehcReviews.currentCohortYear(phase);
    const year = input.year ? Number(input.year) : current;
    const data = await ehcReviews.cohort(requireUser(request), phase, year);
    if (Object.keys(errors).length) reply.code(400);
    return reply.view('ehc-reviews/views/cohort.njk', {
      c: data,
      phases: TRANSFER_PHASE_IDS.map((p) => ({ value: p, text: PHASE_TRANSFERS[p].label, selected: p === phase })),
      years: [current - 1, current, current + 1].map((y) => ({
        value: String(y),
        text: String(y),
        selected: y === year,
      })),
      errors,
      errorList: Object.keys(errors).length ? errorList(errors) : null,
    });
  });

  registerGiverRoutes(app);
  registerReviewApi(app);
  registerReviewAdviceApi(app);
}
