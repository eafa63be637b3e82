// A young person's mentoring (issue 12 part 7, Wiltshire transitional safeguarding): a professional who works with
// them refers them; the exploitation lead matches them with a mentor whose checks are in date (or declines the
// referral with a reason); while mentoring runs, a review is due every 3 months (each review starts the next
// 3 months); mentoring ends with an outcome. The mentoring module drives it (flow.ts) and keeps the referral's
// status column as a projection of where the instance is. A council may change the deadlines, owners and ladders
// in its own version; it must keep these step and outcome ids.
import { defineProtocol, type OutcomeIdOf, type StepIdOf } from '../domain/protocol/definition.ts';

/** Working days the exploitation lead has to match or decline a referral. */
export const MATCH_WORKING_DAYS = 15;
/** Weeks between mentoring reviews (3 months). */
export const REVIEW_WEEKS = 13;

export const mentoringReferral = defineProtocol({
  id: 'mentoring-referral',
  version: 1,
  title: 'Mentoring referral',
  description:
    'A professional who works with a young person refers them for a mentor. The exploitation lead matches them with a mentor who has capacity and in-date checks, or declines the referral with a reason, within 15 working days. While mentoring runs a review is due every 3 months; mentoring ends with an outcome.',
  source: 'Wiltshire Council, transitional safeguarding: the mentoring scheme (issue 12 part 7)',
  anchors: ['referred'],
  start: 'match',
  steps: [
    {
      id: 'match',
      title: 'Match the young person with a mentor',
      responsible: 'role:exploitation_lead',
      guidance:
        'Choose a mentor with capacity whose checks are in date, or decline the referral with a reason, on the mentoring page of this record.',
      deadline: {
        workingDays: MATCH_WORKING_DAYS,
        from: 'referred',
        source: 'Local practice: a mentoring referral is matched or declined within 15 working days',
      },
      overdue: [{ action: 'remind' }, { after: { workingDays: 5 }, action: 'notify', to: 'starter' }],
      outcomes: [
        { id: 'matched', label: 'Matched with a mentor', to: 'mentoring' },
        { id: 'declined', label: 'Referral declined', end: 'declined' },
      ],
    },
    {
      id: 'mentoring',
      title: 'Review the mentoring',
      responsible: 'role:exploitation_lead',
      guidance:
        'Review the goals and sessions with the young person and their mentor every 3 months, or end the mentoring with an outcome, on the mentoring page of this record.',
      deadline: { weeks: REVIEW_WEEKS, source: 'Local practice: mentoring is reviewed every 3 months' },
      overdue: [{ action: 'remind' }, { after: { workingDays: 10 }, action: 'notify', to: 'starter' }],
      outcomes: [
        { id: 'reviewed', label: 'Reviewed: mentoring continues', to: 'mentoring' },
        { id: 'goals_met', label: 'Ended: goals met', end: 'goals_met' },
        { id: 'partly_met', label: 'Ended: goals partly met', end: 'partly_met' },
        { id: 'disengaged', label: 'Ended: the young person disengaged', end: 'disengaged' },
        { id: 'moved_away', label: 'Ended: the young person moved away', end: 'moved_away' },
        { id: 'other', label: 'Ended: another reason', end: 'other' },
      ],
    },
  ],
});

export type MentoringStep = StepIdOf<typeof mentoringReferral>;
export type MentoringOutcome = OutcomeIdOf<typeof mentoringReferral>;
