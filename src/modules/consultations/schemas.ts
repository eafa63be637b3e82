// The consultation forums' inputs (issue 12 part 6), declared once for the page forms and the API.
import { type Check, f, type InputOf, input } from '../../http/schema-input.ts';

const notPast =
  (label: string): Check<string> =>
  (v, { today }) =>
    v >= today ? { ok: true, value: v } : { ok: false, message: `${label} must be today or in the future` };

/** A booking: the forum and its date, the question, and the young person only if named (one the booker works
 *  with; left out or null asks without naming them). */
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
  person_id: f.id('Young person', {
    hint: 'A young person you work with; leave out (or null) to ask without naming the young person',
    invalid: 'Choose the young person from the list, or choose to ask without naming them',
  }),
});
export type BookInput = InputOf<typeof BookInput>;

/** The forum's advice on a consultation (recorded once). */
export const AdviceInput = input({
  advice: f.text('Advice given', 8000, { required: true, missing: 'Enter the advice the forum gave' }),
});
export type AdviceInput = InputOf<typeof AdviceInput>;

/** A follow-up the forum agreed: what, who owns it, by when. */
export const FollowUpInput = input({
  action: f.text('Follow-up', 2000, {
    required: true,
    missing: 'Enter the follow-up, for example Ask the school for attendance since September',
  }),
  owner_user_id: f.id('Owner of the follow-up', {
    required: true,
    missing: 'Choose who owns the follow-up',
    invalid: 'Choose the owner of the follow-up from the list',
  }),
  due_date: f.date('Due date', {
    required: true,
    missing: 'Enter the due date of the follow-up, for example 14 12 2026',
    invalid: 'Due date must be a real date, for example 14 12 2026',
    check: notPast('Due date'),
  }),
});
export type FollowUpInput = InputOf<typeof FollowUpInput>;
