// My notifications' inputs, declared once: marking read (the chosen ones, or all) and the page of the list.
import type { FieldErrors } from '../../http/forms.ts';
import { f, type InputOf, input } from '../../http/schema-input.ts';

export const MarkReadInput = input(
  {
    action: f.choice('What to mark as read', ['selected', 'all'] as const, {
      required: true,
      missing: 'Choose Mark as read (the ones you selected) or Mark all as read',
      invalid: 'Choose Mark as read (the ones you selected) or Mark all as read',
    }),
    ids: f.ids('Notifications', { invalid: 'Select the notifications to mark as read from the list' }),
  },
  {
    check: (v): FieldErrors =>
      v.action === 'selected' && !v.ids?.length
        ? { ids: 'Select the notifications to mark as read, or choose Mark all as read' }
        : {},
  },
);
export type MarkReadInput = InputOf<typeof MarkReadInput>;

export const NotificationsPage = input({
  page: f.integer('Page', 1, 100_000, { invalid: 'Page must be a whole number from 1', fallback: () => 1 }),
});
