// The consultation forums' inputs (issue 12 part 6), declared once for the page forms and the API.
import type { FieldErrors } from '../../http/forms.ts';
import { type Check, f, type InputOf, input } from '../../http/schema-input.ts';

const notPast =
  (label: string): Check<string> =>
  (v, { today }) =>
    v >= today ? { ok: true, value: v } : { ok: false, message: `${label} must be today or in the future` };

/** A booking: the forum and its date, the question, and the young person's case number only if named. */
export const BookInput = input({
  forum: f.text('Forum', 200, {
    required: true,
    missing: 'Enter the forum, for example Exploitation consultation forum',
  }),
  forum_date: f.date('Forum date', {
    required: true,
    missing: 'Enter the date of the forum, for example 7 12 2026',
    invalid: 'Forum date must be a real date, for example 7 12 2026',
  }),
  question: f.text('Your question', 4000, {
    required: true,
    missing: 'Enter the question you want the forum’s advice on',
  }),
  case_number: f.text('Case number of the young person', 40, {
    hint: 'Leave empty to ask without naming the young person',
  }),
});
export type BookInput = InputOf<typeof BookInput>;

const followUp = (n: number) => ({
  [`follow_up_${n}_action`]: f.text(`Follow-up (${n})`, 2000),
  [`follow_up_${n}_owner`]: f.id(`Owner of follow-up (${n})`, {
    invalid: `Choose the owner of follow-up (${n}) from the list`,
  }),
  [`follow_up_${n}_due`]: f.date(`Due date of follow-up (${n})`, {
    invalid: `Due date of follow-up (${n}) must be a real date, for example 14 12 2026`,
    check: notPast(`Due date of follow-up (${n})`),
  }),
});
const FOLLOW_UPS = { ...followUp(1), ...followUp(2) } as Record<
  `follow_up_${1 | 2}_${'action' | 'owner' | 'due'}`,
  ReturnType<typeof f.text>
>;

/** The forum's advice and up to two follow-ups, each with an owner and a due date. */
export const AdviceInput = input(
  {
    advice: f.text('Advice given', 8000, { required: true, missing: 'Enter the advice the forum gave' }),
    ...FOLLOW_UPS,
  },
  {
    check: (v) => {
      const e: FieldErrors = {};
      for (const n of [1, 2] as const) {
        if (!v[`follow_up_${n}_action`]) continue;
        if (!v[`follow_up_${n}_owner`]) e[`follow_up_${n}_owner`] = `Choose who owns follow-up (${n})`;
        if (!v[`follow_up_${n}_due`])
          e[`follow_up_${n}_due`] = `Enter the due date of follow-up (${n}), for example 14 12 2026`;
      }
      return e;
    },
  },
);
export type AdviceInput = InputOf<typeof AdviceInput>;
