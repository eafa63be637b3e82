// The advice giver's review pages: the requests for review advice addressed to them, and one request with its
// answer form. They open only requests addressed to the signed-in user (anything else is not found) and never the
// young person's record; reading one logs the access.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { postForm, type Shown } from '../../http/form-post.ts';
import type { Body } from '../../http/forms.ts';
import { requireUser } from '../../http/request.ts';
import { AnswerInput } from './schemas.ts';

type G = { requestId: string };
const hide = { hide: true };
const anyone = { policy: { capability: null } };

export function registerGiverRoutes(app: FastifyInstance) {
  const { ehcReviews } = app.services;
  app.get('/ehc-plans/review-advice', { config: anyone, schema: hide }, async (request, reply) =>
    reply.view('ehc-reviews/views/giver-list.njk', {
      requests: await ehcReviews.myReviewRequests(requireUser(request)),
    }),
  );
  const view = async (request: FastifyRequest<{ Params: G }>, reply: FastifyReply, shown?: Shown) => {
    const r = await ehcReviews.requestForGiver(requireUser(request), request.params.requestId, 'page');
    const sent = (request.query as Record<string, string>)?.saved === 'answered';
    return reply.view('ehc-reviews/views/giver-request.njk', {
      r,
      savedText: sent && !shown ? 'Your advice has been sent to the coordinator' : null,
      values: shown?.values ?? {},
      errors: shown?.errors ?? {},
      errorList: shown?.errorList ?? null,
    });
  };
  app.get<{ Params: G }>('/ehc-plans/review-advice/:requestId', { config: anyone, schema: hide }, (request, reply) =>
    view(request, reply),
  );
  app.post<{ Params: G }>('/ehc-plans/review-advice/:requestId', { config: anyone, schema: hide }, (request, reply) => {
    const body = (request.body ?? {}) as Body;
    return postForm(
      reply,
      body,
      async () => {
        await ehcReviews.answer(
          requireUser(request),
          request.params.requestId,
          AnswerInput.parse(body, { today: ehcReviews.today() }),
        );
        return `/ehc-plans/review-advice/${request.params.requestId}?saved=answered`;
      },
      (shown) => view(request, reply, shown),
    );
  });
}
