// My work's filters, declared once: the page's filter form and `GET /api/v1/my-work` read them the same way.
import { Type } from '@sinclair/typebox';
import { f, type InputOf, input } from '../../http/schema-input.ts';

export const SCOPES = ['all', 'mine', 'team'] as const;
export const SORTS = ['due', 'kind'] as const;

export const MyWorkQuery = input({
  kind: f.text('Kind of work', 40, { hint: 'One kind only, for example advice_request (see the list on My work)' }),
  overdue: f.yesno('Overdue only'),
  scope: f.choice('Whose work', SCOPES, {
    invalid: 'Choose whose work to show: all, mine (assigned to me) or team (my teams’)',
    fallback: () => 'all' as const,
  }),
  sort: f.choice('Sort by', SORTS, {
    invalid: 'Choose how to sort: due (overdue first, then soonest due) or kind',
    fallback: () => 'due' as const,
  }),
  page: f.integer('Page', 1, 100_000, { invalid: 'Page must be a whole number from 1', fallback: () => 1 }),
});
export type MyWorkQuery = InputOf<typeof MyWorkQuery>;

/** The API's query string: every value a string (the API's ajv does not coerce), read by MyWorkQuery. */
export const MyWorkQueryString = Type.Object(
  {
    kind: Type.Optional(Type.String({ maxLength: 40, description: 'One kind of work (`kinds` in the answer)' })),
    overdue: Type.Optional(Type.Union([Type.Literal('yes'), Type.Literal('no')], { description: 'yes: overdue only' })),
    scope: Type.Optional(
      Type.Union(
        SCOPES.map((s) => Type.Literal(s)),
        { description: 'mine: assigned to me; team: to my teams, roles or service; all (default)' },
      ),
    ),
    sort: Type.Optional(
      Type.Union(
        SORTS.map((s) => Type.Literal(s)),
        { description: 'due (default): overdue first, then soonest due; kind: by kind, then due' },
      ),
    ),
    page: Type.Optional(Type.String({ pattern: '^[0-9]{1,6}$', description: 'The page, from 1 (25 a page)' })),
  },
  { additionalProperties: false },
);
