// JSON API for annual reviews (/api/v1): a plan's reviews and each stage, the reviews due and overdue, and the
// phase-transfer cohort (both scoped as the caseload is). The advice requests' API is in api-advice.ts. Same
// service, rules and logging as the pages; every input documented by its TypeBox schema (schemas.ts).
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { DateStr, errors, Id, Nullable } from '../../http/api-schema.ts';
import type { Body } from '../../http/forms.ts';
import { requireUser } from '../../http/request.ts';
import { bodyWithVersion } from '../../http/versions.ts';
import {
  ArrangeInput,
  CirculateInput,
  CohortQuery,
  DecisionInput,
  DueQuery,
  MeetingInput,
  ReportInput,
} from './schemas.ts';
import type { EhcReviewsService } from './service.ts';

export const tags = ['EHC plan reviews'];
const manage = { policy: { capability: 'ehcp:manage' as const } };
const PlanParams = Type.Object({ planId: Id });
const ReviewParams = Type.Object({ planId: Id, reviewId: Id });
const S = Nullable(Type.String());
const D = Nullable(DateStr);

const Review = Type.Object({
  id: Id,
  plan_id: Id,
  version: Type.Integer({ description: 'Send it with each stage (or as If-Match)' }),
  status: Type.Union([Type.Literal('open'), Type.Literal('decided'), Type.Literal('closed')]),
  due_date: Type.String({ description: 'Held by (CFA 2014 s.44; reg 15(5) after a transfer in)' }),
  due_basis: Type.String({ description: 'first, annual or transfer_in' }),
  meeting_by: Type.String({
    description: 'The meeting is due by this date: the due date, or earlier in a phase-transfer year (reg 18)',
  }),
  transfer_phase: S,
  transfer_deadline: D,
  step: S,
  step_title: S,
  step_due: D,
  step_due_rule: S,
  owner: S,
  overdue: Type.Boolean(),
  meeting_date: D,
  invites_sent_date: D,
  advice_circulated_date: D,
  meeting_held_date: D,
  attendees: S,
  child_views: S,
  parent_views: S,
  pfa: S,
  report: S,
  report_sent_date: D,
  decision: S,
  decision_reasons: S,
  decision_date: D,
});
const Advice = Type.Object({
  id: Id,
  giver_name: Type.String(),
  question: Type.String(),
  requested_date: DateStr,
  due_date: DateStr,
  status: Type.String(),
  answer: S,
  answered_date: D,
});

type ReviewRow = Awaited<ReturnType<EhcReviewsService['reviewPage']>>['review'];
const review = (r: ReviewRow) => ({
  id: r.id,
  plan_id: r.plan_id,
  version: r.version,
  status: r.status,
  due_date: r.due_date,
  due_basis: r.due_basis,
  meeting_by: r.meetingBy,
  transfer_phase: r.transfer_phase,
  transfer_deadline: r.transfer_deadline,
  step: r.step,
  step_title: r.stepTitle,
  step_due: r.stepDue,
  step_due_rule: r.stepDueRule,
  owner: r.ownerLabel,
  overdue: r.overdue,
  meeting_date: r.meeting_date,
  invites_sent_date: r.invites_sent_date,
  advice_circulated_date: r.advice_circulated_date,
  meeting_held_date: r.meeting_held_date,
  attendees: r.attendees,
  child_views: r.child_views,
  parent_views: r.parent_views,
  pfa: r.pfa,
  report: r.report,
  report_sent_date: r.report_sent_date,
  decision: r.decision,
  decision_reasons: r.decision_reasons,
  decision_date: r.decision_date,
});

type StageRun = (
  s: EhcReviewsService,
  user: ReturnType<typeof requireUser>,
  at: { planId: string; reviewId: string },
  body: Body,
  today: string,
) => Promise<unknown>;
const STAGES: [string, string, { schema: unknown }, StageRun][] = [
  [
    'arrange',
    'Arrange the meeting (invitations sent today, at least 2 weeks before it: reg 20(3))',
    ArrangeInput,
    (s, u, at, b, t) => s.arrange(u, at, ArrangeInput.parse(b, { today: t })),
  ],
  [
    'circulate',
    'Record the advice circulated (at least 2 weeks before the meeting: reg 20(4))',
    CirculateInput,
    (s, u, at, b, t) => s.circulate(u, at, CirculateInput.parse(b, { today: t })),
  ],
  [
    'meeting',
    'Record the meeting held (preparing for adulthood from Year 9: reg 20(6))',
    MeetingInput,
    (s, u, at, b, t) => s.meeting(u, at, MeetingInput.parse(b, { today: t })),
  ],
  [
    'report',
    'Record the report sent (within 2 weeks of the meeting: reg 20(7)); refused without preparing for adulthood from Year 9',
    ReportInput,
    (s, u, at, b, t) => s.report(u, at, ReportInput.parse(b, { today: t })),
  ],
  [
    'decision',
    'Record the decision: maintain, amend or cease (within 4 weeks of the meeting: reg 20(10))',
    DecisionInput,
    (s, u, at, b, t) => s.decide(u, at, DecisionInput.parse(b, { today: t })),
  ],
];

export function registerReviewApi(app: FastifyInstance) {
  const { ehcReviews } = app.services;
  app.get<{ Params: { planId: string } }>(
    '/api/v1/ehc-plans/:planId/reviews',
    {
      config: manage,
      schema: {
        tags,
        summary: "A plan's annual reviews, newest first",
        params: PlanParams,
        response: { 200: Type.Object({ items: Type.Array(Review) }), ...errors },
      },
    },
    async (request) => {
      const d = await ehcReviews.planReviews(requireUser(request), request.params.planId, 'api');
      return { items: d.reviews.map(review) };
    },
  );
  app.get<{ Params: { planId: string; reviewId: string } }>(
    '/api/v1/ehc-plans/:planId/reviews/:reviewId',
    {
      config: manage,
      schema: {
        tags,
        summary: 'One review, with where it is and the advice asked for it',
        params: ReviewParams,
        response: {
          200: Type.Object({ review: Review, pfa_required: Type.Boolean(), advice: Type.Array(Advice) }),
          ...errors,
        },
      },
    },
    async (request) => {
      const d = await ehcReviews.reviewPage(
        requireUser(request),
        request.params.planId,
        request.params.reviewId,
        'api',
      );
      return { review: review(d.review), pfa_required: d.pfaRequired, advice: d.advice };
    },
  );
  for (const [path, summary, input, run] of STAGES) {
    app.post<{ Params: { planId: string; reviewId: string } }>(
      `/api/v1/ehc-plans/:planId/reviews/:reviewId/${path}`,
      {
        config: manage,
        schema: {
          tags,
          summary,
          params: ReviewParams,
          body: input.schema as never,
          response: { 200: Type.Object({ review: Review }), ...errors },
        },
      },
      async (request) => {
        const user = requireUser(request);
        await run(ehcReviews, user, request.params, bodyWithVersion(request), ehcReviews.today());
        const d = await ehcReviews.reviewPage(user, request.params.planId, request.params.reviewId, 'api');
        return { review: review(d.review) };
      },
    );
  }
  app.get(
    '/api/v1/ehc-reviews',
    {
      config: manage,
      schema: {
        tags,
        summary:
          "The council's open reviews due in the next 12 weeks or overdue (state=overdue: overdue only), by case number",
        querystring: DueQuery.schema,
        response: {
          200: Type.Object({
            items: Type.Array(
              Type.Object({
                id: Id,
                plan_id: Id,
                case_number: Type.String(),
                due_date: DateStr,
                meeting_date: D,
                transfer_deadline: D,
                step: Type.String(),
                step_due: D,
                owner: Type.String(),
                overdue: Type.Boolean(),
              }),
            ),
          }),
          ...errors,
        },
      },
    },
    async (request) => {
      const q = DueQuery.parse(request.query as Body, { today: ehcReviews.today() });
      const rows = await ehcReviews.dueReviews(requireUser(request), { overdueOnly: q.state === 'overdue' });
      return {
        items: rows.map((r) => ({
          id: r.id,
          plan_id: r.plan_id,
          case_number: r.case_number,
          due_date: r.due_date,
          meeting_date: r.meeting_date,
          transfer_deadline: r.transfer_deadline,
          step: r.step_key,
          step_due: r.step_due,
          owner: r.owner_label,
          overdue: r.overdue,
        })),
      };
    },
  );
  app.get(
    '/api/v1/phase-transfers',
    {
      config: manage,
      schema: {
        tags,
        summary:
          'The phase-transfer cohort of a year (reg 18): each child with a plan, on track or not and why, with counts',
        querystring: CohortQuery.schema,
        response: {
          200: Type.Object({
            phase: Type.String(),
            year: Type.Integer(),
            deadline: DateStr,
            source: Type.String(),
            counts: Type.Object({
              total: Type.Integer(),
              complete: Type.Integer(),
              onTrack: Type.Integer(),
              notOnTrack: Type.Integer(),
            }),
            rows: Type.Array(
              Type.Object({
                planId: Id,
                caseNumber: Type.String(),
                reviewHeld: D,
                decision: S,
                decisionDate: D,
                amendment: Type.String(),
                amendmentDate: D,
                onTrack: Type.Boolean(),
                complete: Type.Boolean(),
                why: Type.String(),
              }),
            ),
          }),
          ...errors,
        },
      },
    },
    async (request) => {
      const q = CohortQuery.parse(request.query as Body, { today: ehcReviews.today() });
      const phase = q.phase ?? 'secondary';
      const c = await ehcReviews.cohort(
        requireUser(request),
        phase,
        q.year ? Number(q.year) : ehcReviews.currentCohortYear(phase),
      );
      return { phase: c.phase, year: c.year, deadline: c.deadline, source: c.source, counts: c.counts, rows: c.rows };
    },
  );
}
