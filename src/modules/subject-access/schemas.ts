// The subject access module's inputs, declared once: the API validates and documents them with `.schema`; the pages
// and the API read them with `read`/`parse`; the service takes the typed input. Messages name the field and the fix.
import { Type } from '@sinclair/typebox';
import type { RequesterRelationship, ReviewDecision, ReviewTable } from '../../db/schema.ts';
import { type Body, type FieldErrors, text, UUID, ValidationError } from '../../http/forms.ts';
import { type Check, f, type InputOf, input } from '../../http/schema-input.ts';

/** Who asked, in relation to the young person (the three the ICO's guidance names for a child's data). */
export const RELATIONSHIPS: Record<RequesterRelationship, string> = {
  self: 'The young person',
  parent: 'A parent with parental responsibility',
  representative: 'A representative acting for them (for example a solicitor or advocate)',
};
const RELATIONSHIP_KEYS = Object.keys(RELATIONSHIPS) as RequesterRelationship[];

export const DECISIONS: Record<ReviewDecision, string> = {
  include: 'Include',
  redact: 'Redact',
  withhold: 'Withhold',
};
const DECISION_KEYS = Object.keys(DECISIONS) as ReviewDecision[];
export const REVIEW_TABLES: readonly ReviewTable[] = ['case_notes', 'documents', 'contacts'];

const notFuture: Check<string> = (v, { today }) =>
  v <= today ? { ok: true, value: v } : { ok: false, message: 'Date received must be today or in the past' };

/** A new request: whose data (by case number), who asked and how they are related, and when it was received. */
export const RequestInput = input({
  case_number: f.text('Case number', 40, {
    required: true,
    missing: 'Enter the case number of the young person the request is about',
  }),
  requester_name: f.text('Name of the person asking', 200, {
    required: true,
    missing: 'Enter the name of the person making the request',
  }),
  requester_relationship: f.choice('Who is asking', RELATIONSHIP_KEYS, {
    required: true,
    missing: 'Choose who is asking: the young person, a parent with parental responsibility, or a representative',
    invalid: 'Choose who is asking: self, parent or representative',
  }),
  received_date: f.date('Date received', {
    required: true,
    missing: 'Enter the date the request was received, for example 20 11 2026',
    invalid: 'Date received must be a real date, for example 20 11 2026',
    check: notFuture,
  }),
});
export type RequestInput = InputOf<typeof RequestInput>;

/** An extension for a complex request: one or two further months, and why. */
export const ExtensionInput = input({
  months: f.integer('Extend by', 1, 2, {
    required: true,
    missing: 'Choose how many months to extend by: 1 or 2',
    invalid: 'Extend by must be 1 or 2 months (the ICO allows up to two further months)',
  }),
  reason: f.text('Why the request is complex', 1000, {
    required: true,
    missing: 'Enter why the request is complex, for example Several thousand records to review',
  }),
  version: f.integer('Version', 1, 2_147_483_647, {
    required: true,
    missing: 'version is required: send the version of the request you read',
    invalid: 'version is required: send the version of the request you read',
  }),
});
export type ExtensionInput = InputOf<typeof ExtensionInput>;

/** One decision on a piece of third parties' data. */
export interface ReviewItemDecision {
  item_table: ReviewTable;
  item_id: string;
  decision: ReviewDecision;
  reason: string | null;
}

export const ReviewBody = Type.Object(
  {
    decisions: Type.Array(
      Type.Object(
        {
          item_table: Type.Union(REVIEW_TABLES.map((t) => Type.Literal(t))),
          item_id: Type.String({ format: 'uuid' }),
          decision: Type.Union(DECISION_KEYS.map((d) => Type.Literal(d))),
          reason: Type.Optional(Type.Union([Type.String({ maxLength: 1000 }), Type.Null()])),
        },
        { additionalProperties: false },
      ),
      { maxItems: 10_000 },
    ),
  },
  { additionalProperties: false },
);

/** The form field names of one item's decision and reason. */
export const fieldOf = (table: string, id: string) => ({
  decision: `decision-${table}-${id}`,
  reason: `reason-${table}-${id}`,
});

/**
 * The review form: one decision (and, to redact or withhold, a reason) per item listed. Items left undecided are
 * kept undecided; a redact or withhold without a reason, or a reason over 1,000 characters, names that item's field.
 */
export function readReviewForm(body: Body, items: { item_table: ReviewTable; item_id: string; label: string }[]) {
  const decisions: ReviewItemDecision[] = [];
  const errors: FieldErrors = {};
  for (const item of items) {
    const names = fieldOf(item.item_table, item.item_id);
    const decision = text(body, names.decision);
    const reason = text(body, names.reason).trim();
    if (!decision) continue;
    if (!(DECISION_KEYS as string[]).includes(decision)) {
      errors[names.decision] = `Choose include, redact or withhold for ${item.label}`;
      continue;
    }
    if (reason.length > 1000) errors[names.reason] = `Reason for ${item.label} must be 1,000 characters or fewer`;
    else if (decision !== 'include' && !reason)
      errors[names.reason] = `Enter why ${item.label} is ${decision === 'redact' ? 'redacted' : 'withheld'}`;
    else decisions.push({ ...item, decision: decision as ReviewDecision, reason: reason || null });
  }
  if (Object.keys(errors).length) throw new ValidationError(errors);
  return decisions.map(({ item_table, item_id, decision, reason }) => ({ item_table, item_id, decision, reason }));
}

/** The API's decisions, checked the same way (a reason to redact or withhold), each message naming its place. */
export function readReviewApi(body: { decisions: ReviewItemDecision[] }): ReviewItemDecision[] {
  const errors: FieldErrors = {};
  const out = body.decisions.map((d, i) => {
    const reason = typeof d.reason === 'string' ? d.reason.trim() : '';
    if (d.decision !== 'include' && !reason)
      errors[`decisions[${i}].reason`] =
        `decisions[${i}].reason is required to ${d.decision} an item: say why, for example Names another child`;
    if (!UUID.test(d.item_id)) errors[`decisions[${i}].item_id`] = `decisions[${i}].item_id must be an id`;
    return { item_table: d.item_table, item_id: d.item_id.toLowerCase(), decision: d.decision, reason: reason || null };
  });
  if (Object.keys(errors).length) throw new ValidationError(errors);
  return out;
}
