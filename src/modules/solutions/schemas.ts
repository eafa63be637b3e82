// The Creative Solutions Board's inputs, declared once: the API validates and documents them with `.schema`, the
// page forms and the API read them with `.parse` (one message per field, naming it and the fix). The code lists
// are the words the pages, the register and its CSV show.
import type { FieldErrors } from '../../http/forms.ts';
import { type Check, f, type InputOf, input } from '../../http/schema-input.ts';
import { versionField } from '../../http/versions.ts';

/** The problem categories the board files a case under: what the pseudonymised register groups and filters by. */
export const CATEGORIES = {
  criminal_exploitation: 'Criminal exploitation or county lines',
  sexual_exploitation: 'Sexual exploitation',
  missing: 'Missing episodes',
  housing: 'Housing or a safe place to live',
  education_work: 'Education, training or work',
  engagement: 'Engaging with services',
  mental_health: 'Emotional wellbeing or mental health',
  substances: 'Drugs or alcohol',
  adult_transition: 'Moving to adult services',
  other: 'Other',
} as const;

export const RESULTS = {
  worked: 'Worked',
  partly: 'Partly worked',
  did_not_work: 'Did not work',
} as const;

export const NEXT = {
  test_another: 'Test another solution',
  closed: 'Close the case',
} as const;

const keys = <T extends Record<string, string>>(o: T) => Object.keys(o) as (keyof T & string)[];
const notPast: Check<string> = (v, { today }) =>
  v >= today ? { ok: true, value: v } : { ok: false, message: 'Review date must be today or in the future' };
const notFuture: Check<string> = (v, { today }) =>
  v <= today ? { ok: true, value: v } : { ok: false, message: 'Meeting date must be today or in the past' };

const tried = (n: number) => ({
  [`tried_${n}_what`]: f.text(`What was tried (${n})`, 2000),
  [`tried_${n}_when`]: f.text(`When (${n})`, 200),
  [`tried_${n}_result`]: f.text(`What happened (${n})`, 2000),
});
const TRIED_FIELDS = { ...tried(1), ...tried(2), ...tried(3) } as Record<
  `tried_${1 | 2 | 3}_${'what' | 'when' | 'result'}`,
  ReturnType<typeof f.text>
>;

/** A referral: the problem, up to three things tried (each what, when, result), and why the case is stuck. */
export const ReferInput = input(
  {
    problem: f.text('The problem', 4000, {
      required: true,
      missing: 'Enter the problem: what is happening for the young person and why it worries you',
    }),
    ...TRIED_FIELDS,
    why_stuck: f.text('Why the case is stuck', 4000, {
      required: true,
      missing: 'Enter why the case is stuck: what stops the usual services from working',
    }),
  },
  {
    check: (v) => {
      const e: FieldErrors = {};
      const rows = [1, 2, 3] as const;
      if (!v.tried_1_what && !v.tried_2_what && !v.tried_3_what)
        e.tried_1_what = 'Enter at least one thing that has been tried, for example a referral to a youth worker';
      for (const n of rows) {
        const w = v[`tried_${n}_what`];
        if (w && !v[`tried_${n}_when`])
          e[`tried_${n}_when`] ??= `Enter when it was tried (${n}), for example March 2026`;
        if (w && !v[`tried_${n}_result`]) e[`tried_${n}_result`] ??= `Enter what happened when it was tried (${n})`;
        if (!w && (v[`tried_${n}_when`] || v[`tried_${n}_result`]))
          e[`tried_${n}_what`] ??= `Enter what was tried (${n}), or clear its date and result`;
      }
      return e;
    },
  },
);
export type ReferInput = InputOf<typeof ReferInput>;

const solutionFields = {
  solution: f.text('The solution to test', 2000, {
    hint: 'Written for the register: no names, dates of birth, addresses or other identifiers',
  }),
  owner_user_id: f.id('Owner of the solution', { invalid: 'Choose the owner of the solution from the list' }),
  review_date: f.date('Review date', {
    invalid: 'Review date must be a real date, for example 20 1 2027',
    check: notPast,
  }),
};
const needSolution = (v: { solution?: string | null; owner_user_id?: string | null; review_date?: string | null }) => {
  const e: FieldErrors = {};
  if (!v.solution) e.solution = 'Enter the new solution to test, written without names or identifiers';
  if (!v.owner_user_id) e.owner_user_id = 'Choose who owns testing the solution';
  if (!v.review_date) e.review_date = 'Enter the review date, for example 20 1 2027';
  return e;
};

/** The board considers the case: its view of the problem, its category, and a solution to test (or declines). */
export const ConsiderInput = input(
  {
    decision: f.choice('Decision', ['test', 'decline'], {
      required: true,
      missing: 'Choose whether the board tests a solution or declines the case',
      invalid: 'Choose whether the board tests a solution or declines the case',
    }),
    meeting_date: f.date('Meeting date', {
      required: true,
      missing: 'Enter the date of the board meeting, for example 20 11 2026',
      invalid: 'Meeting date must be a real date, for example 20 11 2026',
      check: notFuture,
    }),
    category: f.choice('Problem category', keys(CATEGORIES), {
      required: true,
      missing: 'Choose the problem category for the register',
      invalid: 'Choose the problem category for the register',
    }),
    board_problem: f.text('The problem as the board sees it', 4000, {
      required: true,
      missing: 'Enter the problem as the board sees it',
    }),
    ...solutionFields,
    decline_reason: f.text('Why the board declines the case', 2000),
    version: versionField,
  },
  {
    check: (v) => {
      if (v.decision === 'test') return needSolution(v);
      if (v.decision === 'decline' && !v.decline_reason)
        return { decline_reason: 'Enter why the board declines the case and where it should go instead' };
      return {};
    },
  },
);
export type ConsiderInput = InputOf<typeof ConsiderInput>;

/** The review: the result and the learning of the solution under test, then another solution or close. */
export const ReviewInput = input(
  {
    result: f.choice('Result', keys(RESULTS), {
      required: true,
      missing: 'Choose the result: worked, partly worked or did not work',
      invalid: 'Choose the result: worked, partly worked or did not work',
    }),
    learning: f.text('Learning', 4000, {
      required: true,
      missing: 'Enter the learning, written for the register without names or identifiers',
    }),
    next: f.choice('What next', keys(NEXT), {
      required: true,
      missing: 'Choose whether to test another solution or close the case',
      invalid: 'Choose whether to test another solution or close the case',
    }),
    ...solutionFields,
    closing_note: f.text('Why the case closes', 2000),
    version: versionField,
  },
  {
    check: (v) => {
      if (v.next === 'test_another') return needSolution(v);
      if (v.next === 'closed' && !v.closing_note)
        return { closing_note: 'Enter why the case closes, for example the risk has reduced' };
      return {};
    },
  },
);
export type ReviewInput = InputOf<typeof ReviewInput>;

/** The register's filter. */
export const RegisterFilter = input({
  category: f.choice('Problem category', keys(CATEGORIES), { invalid: 'Choose a problem category from the list' }),
  result: f.choice('Result', keys(RESULTS), { invalid: 'Choose a result from the list' }),
});
export type RegisterFilter = InputOf<typeof RegisterFilter>;
