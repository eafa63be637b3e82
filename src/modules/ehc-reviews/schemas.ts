// The ehc-reviews module's inputs, declared once: the API validates and documents them with `.schema`, the pages and
// the API read them with `.parse` (one message per field, naming it and the fix), and the service takes the typed
// input. Every stage carries the review's `version`, so a form opened before someone else's change is refused.

import { TRANSFER_PHASE_IDS } from '../../domain/phase-transfer.ts';
import { type Check, f, type InputOf, input } from '../../http/schema-input.ts';
import { versionField } from '../../http/versions.ts';

const notFuture =
  (label: string): Check<string> =>
  (v, { today }) =>
    v <= today ? { ok: true, value: v } : { ok: false, message: `${label} must be today or in the past` };

const dateWords = (label: string) => ({
  missing: `Enter the ${label.toLowerCase()}, for example 20 11 2026`,
  invalid: `${label} must be a real date, for example 20 11 2026`,
});

export const ArrangeInput = input({
  meeting_date: f.date('Date of the review meeting', { required: true, ...dateWords('Date of the review meeting') }),
  version: versionField,
});
export type ArrangeInput = InputOf<typeof ArrangeInput>;

export const AdviceRequestInput = input({
  giver_user_id: f.id('Advice giver', {
    required: true,
    missing: 'Choose the advice giver to ask',
    invalid: 'Choose the advice giver from the list',
  }),
  question: f.text('What advice is needed', 2000, {
    required: true,
    missing: 'Enter what advice is needed for the review, for example progress towards the outcomes in section E',
  }),
});
export type AdviceRequestInput = InputOf<typeof AdviceRequestInput>;

export const CirculateInput = input({
  circulated_date: f.date('Date the advice was circulated', {
    required: true,
    ...dateWords('Date the advice was circulated'),
    check: notFuture('Date the advice was circulated'),
  }),
  version: versionField,
});
export type CirculateInput = InputOf<typeof CirculateInput>;

export const MeetingInput = input({
  held_date: f.date('Date the meeting was held', {
    required: true,
    ...dateWords('Date the meeting was held'),
    check: notFuture('Date the meeting was held'),
  }),
  attendees: f.text('Who attended', 2000, {
    required: true,
    missing:
      'Enter who attended the meeting, with their roles, for example Parent, SENCO, speech and language therapist',
  }),
  child_views: f.text('Views of the child or young person', 5000, {
    required: true,
    missing: 'Enter the views of the child or young person, in their words where you can',
  }),
  parent_views: f.text('Views of the parents', 5000, {
    hint: 'Leave empty for a young person over 16 who speaks for themself',
  }),
  pfa: f.text('Preparing for adulthood', 5000, {
    hint: 'Required from Year 9: employment, independent living, community participation and health',
  }),
  version: versionField,
});
export type MeetingInput = InputOf<typeof MeetingInput>;

export const ReportInput = input({
  report: f.text('Review report', 20000, {
    required: true,
    missing: 'Enter the review report: progress towards the outcomes, recommendations and any differences of view',
  }),
  sent_date: f.date('Date the report was sent', {
    required: true,
    ...dateWords('Date the report was sent'),
    check: notFuture('Date the report was sent'),
  }),
  pfa: f.text('Preparing for adulthood', 5000, {
    hint: 'Required from Year 9, if not recorded with the meeting',
  }),
  version: versionField,
});
export type ReportInput = InputOf<typeof ReportInput>;

export const DECISIONS = ['maintain', 'amend', 'cease'] as const;
export const DECISION_LABELS: Record<(typeof DECISIONS)[number], string> = {
  maintain: 'Maintain the plan as it is',
  amend: 'Amend the plan',
  cease: 'Cease to maintain the plan',
};

export const DecisionInput = input({
  decision: f.choice('Decision', DECISIONS, {
    required: true,
    missing: 'Choose the decision: maintain, amend or cease the plan',
    invalid: 'Choose the decision: maintain, amend or cease the plan',
  }),
  reasons: f.text('Reasons for the decision', 5000, {
    required: true,
    missing: 'Enter the reasons for the decision, as they will be given to the parent or young person',
  }),
  decision_date: f.date('Date of the decision', {
    required: true,
    ...dateWords('Date of the decision'),
    check: notFuture('Date of the decision'),
  }),
  version: versionField,
});
export type DecisionInput = InputOf<typeof DecisionInput>;

export const AnswerInput = input({
  answer: f.text('Your advice', 20000, {
    required: true,
    missing: 'Enter your advice and information for the review meeting',
  }),
  version: versionField,
});
export type AnswerInput = InputOf<typeof AnswerInput>;

export const CohortQuery = input({
  year: f.text('Year of transfer', 4, {
    hint: 'YYYY, the calendar year the child moves phase',
    check: (v) =>
      /^20\d\d$/.test(v) ? { ok: true, value: v } : { ok: false, message: 'Year of transfer must be a year like 2027' },
  }),
  phase: f.choice('Phase', TRANSFER_PHASE_IDS, {
    invalid: 'Choose the phase: reception, secondary or post16',
  }),
});
export type CohortQuery = InputOf<typeof CohortQuery>;

export const DueQuery = input({
  state: f.choice('Which reviews', ['due', 'overdue'] as const, {
    invalid: 'state must be due (the next 12 weeks and overdue) or overdue',
  }),
});
