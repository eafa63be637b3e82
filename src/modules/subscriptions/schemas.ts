// The inputs of scheduled reports, declared once: which list and how often (the page's form and the API), and the
// API's body with the list's filters (each list checks its own, src/modules/subscriptions/registry.ts).
import { Type } from '@sinclair/typebox';
import { f, type InputOf, input } from '../../http/schema-input.ts';
import { FREQUENCIES } from './periods.ts';

const HOW_OFTEN = 'Choose how often: weekly (on Mondays) or monthly (on the 1st)';

export const SubscriptionInput = input({
  list: f.text('List', 60, { required: true, missing: 'Choose the list or dashboard to subscribe to' }),
  frequency: f.choice('How often', FREQUENCIES, { required: true, missing: HOW_OFTEN, invalid: HOW_OFTEN }),
});
export type SubscriptionInput = InputOf<typeof SubscriptionInput>;

/** The API's body: the list, how often, and the list's own filters (ids and choices, as its page's query). */
export const SubscriptionBody = Type.Object(
  {
    ...SubscriptionInput.schema.properties,
    filters: Type.Optional(
      Type.Record(Type.String({ pattern: '^[a-z_]+$' }), Type.String({ maxLength: 100 }), {
        description: 'The list’s filters as its page’s query string has them, e.g. {"months": "6", "team": "<id>"}',
      }),
    ),
  },
  { additionalProperties: false },
);

/** The form and API fields that are not the list's filters. */
export const NOT_FILTERS = new Set(['list', 'frequency', '_csrf', 'filters']);
