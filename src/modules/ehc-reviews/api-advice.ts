// JSON API for the advice asked for a review (/api/v1, reg 20(4)): the coordinator's request (a repeat to the same
// giver answers with the open request, 200, instead of making a second), and the advice giver's own requests and
// answer (which needs the version read). Same service and rules as the pages (advice.ts).
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { DateStr, errors, Id, Nullable } from '../../http/api-schema.ts';
import type { Body } from '../../http/forms.ts';
import { requireUser } from '../../http/request.ts';
import { bodyWithVersion } from '../../http/versions.ts';
import { tags } from './api.ts';
import { AdviceRequestInput, AnswerInput } from './schemas.ts';

const manage = { policy: { capability: 'ehcp:manage' as const } };
const anyone = { policy: { capability: null } };
const ReviewParams = Type.Object({ planId: Id, reviewId: Id });
const RequestParams = Type.Object({ requestId: Id });
const S = Nullable(Type.String());
const D = Nullable(DateStr);

export function registerReviewAdviceApi(app: FastifyInstance) {
  const { ehcReviews } = app.services;
  app.post<{ Params: { planId: string; reviewId: string } }>(
    '/api/v1/ehc-plans/:planId/reviews/:reviewId/advice-requests',
    {
      config: manage,
      schema: {
        tags,
        summary:
          'Ask an advice giver for advice for the review (reg 20(4)); they are told. 201 with the new request, or 200 with the open request already made of that giver for this review (nothing new is written)',
        params: ReviewParams,
        body: AdviceRequestInput.schema,
        response: { 201: Type.Object({ id: Id }), 200: Type.Object({ id: Id }), ...errors },
      },
    },
    async (request, reply) => {
      const r = await ehcReviews.requestAdvice(
        requireUser(request),
        request.params,
        AdviceRequestInput.parse(request.body as Body, { today: ehcReviews.today() }),
      );
      return reply.code(r.created ? 201 : 200).send({ id: r.id });
    },
  );
  app.get(
    '/api/v1/ehc-reviews/advice-requests',
    {
      config: anyone,
      schema: {
        tags,
        summary: 'The requests for review advice addressed to you',
        response: {
          200: Type.Object({
            items: Type.Array(
              Type.Object({
                id: Id,
                reference: Type.String(),
                status: Type.String(),
                requested_date: DateStr,
                due_date: DateStr,
                overdue: Type.Boolean(),
              }),
            ),
          }),
          ...errors,
        },
      },
    },
    async (request) => ({
      items: (await ehcReviews.myReviewRequests(requireUser(request))).map((r) => ({
        id: r.id,
        reference: r.reference,
        status: r.status,
        requested_date: r.requestedDate,
        due_date: r.dueDate,
        overdue: r.overdue,
      })),
    }),
  );
  app.get<{ Params: { requestId: string } }>(
    '/api/v1/ehc-reviews/advice-requests/:requestId',
    {
      config: anyone,
      schema: {
        tags,
        summary: 'One request for review advice addressed to you (nothing else of the record)',
        params: RequestParams,
        response: {
          200: Type.Object({
            id: Id,
            reference: Type.String(),
            version: Type.Integer(),
            question: Type.String(),
            requested_date: DateStr,
            due_date: DateStr,
            meeting_date: D,
            status: Type.String(),
            answer: S,
            answered_date: D,
          }),
          ...errors,
        },
      },
    },
    async (request) => {
      const r = await ehcReviews.requestForGiver(requireUser(request), request.params.requestId, 'api');
      return {
        id: r.id,
        reference: r.reference,
        version: r.version,
        question: r.question,
        requested_date: r.requested_date,
        due_date: r.due_date,
        meeting_date: r.meeting_date,
        status: r.status,
        answer: r.answer,
        answered_date: r.answered_date,
      };
    },
  );
  app.post<{ Params: { requestId: string } }>(
    '/api/v1/ehc-reviews/advice-requests/:requestId/answer',
    {
      config: anyone,
      schema: {
        tags,
        summary:
          'Send your advice for the review (once), with the version you read (in the body or as If-Match; required, a stale one is refused with 409); the coordinator is told',
        params: RequestParams,
        body: AnswerInput.schema,
        response: { 204: Type.Null(), ...errors },
      },
    },
    async (request, reply) => {
      await ehcReviews.answer(
        requireUser(request),
        request.params.requestId,
        AnswerInput.parse(bodyWithVersion(request), { today: ehcReviews.today() }),
      );
      return reply.code(204).send();
    },
  );
}
