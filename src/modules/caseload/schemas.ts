// Bulk reallocation's input, declared once: the API body (and its OpenAPI) and the page's form are read by the same
// declaration. One reallocation moves chosen cases, steps and actions of one worker to one other worker; to share a
// leaver's work among several people, a manager makes one reallocation per receiving worker (docs/decisions.md).
import type { FieldErrors } from '../../http/forms.ts';
import { f, type InputOf, input } from '../../http/schema-input.ts';

export const ReallocationInput = input(
  {
    to_user_id: f.id('Worker to move them to', {
      required: true,
      missing: 'Choose the worker to move the chosen work to',
      invalid: 'Choose the worker to move the chosen work to from the list',
    }),
    involvement_ids: f.ids('Cases', { fallback: () => [], invalid: 'Choose cases from the list' }),
    step_ids: f.ids('Protocol steps', { fallback: () => [], invalid: 'Choose steps from the list' }),
    action_ids: f.ids('Plan actions', { fallback: () => [], invalid: 'Choose actions from the list' }),
    reason: f.text('Reason', 500, {
      hint: 'Why the work moves, for the timeline, for example "Worker on leave until 5 January"',
    }),
  },
  {
    check: (v): FieldErrors =>
      v.involvement_ids?.length || v.step_ids?.length || v.action_ids?.length
        ? {}
        : { involvement_ids: 'Choose at least one case, step or action to move' },
  },
);
export type ReallocationInput = InputOf<typeof ReallocationInput>;
