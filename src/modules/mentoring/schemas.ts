// The mentoring scheme's inputs, declared once: the API validates and documents them with `.schema`, the pages and
// the API read them with `.read`/`.parse` (one message per field, naming it and the fix). The code lists are the
// words the pages show.
import type { FieldErrors } from '../../http/forms.ts';
import { type Check, f, type InputOf, input } from '../../http/schema-input.ts';

export const MENTOR_KINDS = { staff: 'Member of staff', volunteer: 'Vetted volunteer' } as const;

/** The checks every mentor needs in date before they can be matched. */
export const CHECK_TYPES = {
  enhanced_dbs: 'Enhanced DBS check',
  references: 'References',
  safeguarding_training: 'Safeguarding training',
} as const;

export const OUTCOMES = {
  goals_met: 'Goals met',
  partly_met: 'Goals partly met',
  disengaged: 'The young person disengaged',
  moved_away: 'The young person moved away',
  other: 'Another reason',
} as const;

export const PROGRESS = {
  not_started: 'Not started',
  some: 'Some progress',
  good: 'Good progress',
  met: 'Met',
} as const;

export const STATUSES = {
  waiting: 'Waiting for a match',
  active: 'Being mentored',
  ended: 'Ended',
  declined: 'Declined',
} as const;

const keys = <T extends Record<string, string>>(o: T) => Object.keys(o) as (keyof T & string)[];
const words = (o: Record<string, string>) =>
  Object.values(o)
    .map((w) => w.toLowerCase())
    .join(', ');

const notFuture =
  (label: string): Check<string> =>
  (v, { today }) =>
    v <= today ? { ok: true, value: v } : { ok: false, message: `${label} must be today or in the past` };

const date = (label: string, future = false) =>
  f.date(label, {
    required: true,
    missing: `Enter the ${label.toLowerCase()}, for example 20 11 2026`,
    invalid: `${label} must be a real date, for example 20 11 2026`,
    ...(future ? {} : { check: notFuture(label) }),
  });

export const MentorInput = input(
  {
    kind: f.choice('Kind of mentor', keys(MENTOR_KINDS), {
      required: true,
      missing: 'Choose whether the mentor is a member of staff or a vetted volunteer',
      invalid: 'Choose whether the mentor is a member of staff or a vetted volunteer',
    }),
    user_email: f.text('Staff email', 200, { hint: 'For a member of staff: their Handover sign-in email' }),
    name: f.text('Name', 200, { required: true, missing: 'Enter the mentor’s name' }),
    contact: f.text('Contact details', 200, { hint: 'A work phone number or email' }),
    organisation: f.text('Organisation', 200),
    capacity: f.integer('Capacity', 0, 50, {
      required: true,
      missing: 'Enter how many young people the mentor can take, for example 2',
      invalid: 'Capacity must be a whole number from 0 to 50, for example 2',
    }),
    areas: f.text('Areas', 1000, { hint: 'The areas the mentor can work in' }),
    interests: f.text('Interests', 1000, { hint: 'For example football, music, cooking' }),
  },
  {
    check: (v): FieldErrors => {
      if (v.kind === 'staff' && !v.user_email)
        return { user_email: 'Enter the staff member’s Handover sign-in email, for example name@council.gov.uk' };
      if (v.kind === 'volunteer' && !v.organisation)
        return { organisation: 'Enter the volunteer’s organisation, for example a mentoring charity' };
      return {};
    },
  },
);
export type MentorInput = InputOf<typeof MentorInput>;

export const CheckInput = input(
  {
    check_type: f.choice('Check', keys(CHECK_TYPES), {
      required: true,
      missing: `Choose the check: ${words(CHECK_TYPES)}`,
      invalid: `Choose the check: ${words(CHECK_TYPES)}`,
    }),
    checked_date: date('Date of the check'),
    expiry_date: date('Expiry date', true),
    reference: f.text('Reference', 200, { hint: 'For example the DBS certificate number' }),
  },
  {
    check: (v): FieldErrors =>
      v.checked_date && v.expiry_date && v.expiry_date <= v.checked_date
        ? { expiry_date: 'Expiry date must be after the date of the check' }
        : {},
  },
);
export type CheckInput = InputOf<typeof CheckInput>;

export const ReferralInput = input({
  reason: f.text('Why the young person is referred', 4000, {
    required: true,
    missing: 'Enter why the young person is referred for a mentor',
  }),
  hopes: f.text('What they hope for', 4000, {
    required: true,
    missing: 'Enter what the young person (and you) hope mentoring will bring',
  }),
  goals: f.text('Goals', 4000, {
    required: true,
    missing: 'Enter at least one goal, one a line, for example “go to college 3 days a week”',
    hint: 'One goal a line',
  }),
});
export type ReferralInput = InputOf<typeof ReferralInput>;

/** The goals typed one a line. */
export const goalLines = (goals: string) =>
  goals
    .split(/\r?\n/)
    .map((g) => g.trim())
    .filter(Boolean)
    .slice(0, 20);

export const MatchInput = input({
  mentor_id: f.id('Mentor', { required: true, missing: 'Choose a mentor', invalid: 'Choose a mentor from the list' }),
  match_date: date('Match date'),
  version: f.integer('Version', 1, 1_000_000, { required: true, missing: 'Reload the page and try again' }),
});
export type MatchInput = InputOf<typeof MatchInput>;

export const DeclineInput = input({
  reason: f.text('Reason', 4000, { required: true, missing: 'Enter why the referral is declined' }),
  version: f.integer('Version', 1, 1_000_000, { required: true, missing: 'Reload the page and try again' }),
});
export type DeclineInput = InputOf<typeof DeclineInput>;

export const SessionInput = input(
  {
    session_date: date('Session date'),
    attended: f.yesno('Attended', {
      required: true,
      missing: 'Choose yes if the young person attended the session, or no',
    }),
    not_attended_reason: f.text('Why they did not attend', 2000),
    notes: f.text('Notes', 8000),
  },
  {
    check: (v): FieldErrors =>
      v.attended === false && !v.not_attended_reason
        ? { not_attended_reason: 'Enter why the young person did not attend, for example they were unwell' }
        : {},
  },
);
export type SessionInput = InputOf<typeof SessionInput>;

export const GoalInput = input({
  progress: f.choice('Progress', keys(PROGRESS), {
    required: true,
    missing: `Choose the progress: ${words(PROGRESS)}`,
    invalid: `Choose the progress: ${words(PROGRESS)}`,
  }),
  progress_note: f.text('Progress note', 2000),
  version: f.integer('Version', 1, 1_000_000, { required: true, missing: 'Reload the page and try again' }),
});
export type GoalInput = InputOf<typeof GoalInput>;

export const ReviewInput = input({
  version: f.integer('Version', 1, 1_000_000, { required: true, missing: 'Reload the page and try again' }),
});

export const EndInput = input({
  outcome: f.choice('Outcome', keys(OUTCOMES), {
    required: true,
    missing: `Choose the outcome: ${words(OUTCOMES)}`,
    invalid: `Choose the outcome: ${words(OUTCOMES)}`,
  }),
  end_date: date('End date'),
  notes: f.text('Notes', 4000, { required: true, missing: 'Enter notes on how the mentoring ended' }),
  version: f.integer('Version', 1, 1_000_000, { required: true, missing: 'Reload the page and try again' }),
});
export type EndInput = InputOf<typeof EndInput>;
