// The information-sharing record's input, declared once: the API validates and documents it with `.schema`, the page
// form and the API read it with `.read`/`.parse` (one message per field, naming it and the fix), the service takes
// the typed input. The code lists are the words the pages and the CSV show.
import type { FieldErrors } from '../../http/forms.ts';
import { type Check, f, type InputOf, input } from '../../http/schema-input.ts';

export const DECISIONS = {
  share: 'Share',
  share_in_part: 'Share in part',
  not_share: 'Not share',
} as const;

/** UK GDPR Article 6(1): the lawful basis. */
export const LAWFUL_BASES = {
  public_task: 'Public task (Article 6(1)(e))',
  legal_obligation: 'Legal obligation (Article 6(1)(c))',
  vital_interests: 'Vital interests (Article 6(1)(d))',
  consent: 'Consent (Article 6(1)(a))',
  legitimate_interests: 'Legitimate interests (Article 6(1)(f))',
} as const;

/** UK GDPR Article 9(2): the condition for special-category data. */
export const ART9_CONDITIONS = {
  explicit_consent: '(a) Explicit consent',
  social_protection: '(b) Employment, social security and social protection law',
  vital_interests: '(c) Vital interests, where consent cannot be given',
  legal_claims: '(f) Legal claims or courts acting',
  substantial_public_interest: '(g) Substantial public interest',
  health_social_care: '(h) Health or social care',
  public_health: '(i) Public health',
} as const;

/** DPA 2018 Schedule 1: the condition that goes with the Article 9 condition. */
export const SCHEDULE1_CONDITIONS = {
  para_1: 'Paragraph 1: employment, social security and social protection',
  para_2: 'Paragraph 2: health or social care purposes',
  para_3: 'Paragraph 3: public health',
  para_6: 'Paragraph 6: statutory and government purposes',
  para_10: 'Paragraph 10: preventing or detecting unlawful acts',
  para_18: 'Paragraph 18: safeguarding of children and of individuals at risk',
  not_needed: 'None needed: the Article 9 condition is (a), (c) or (f)',
} as const;

/** The Article 9 conditions that stand without a Schedule 1 condition. */
const STANDS_ALONE: readonly string[] = ['explicit_consent', 'vital_interests', 'legal_claims'];

export const CONSENT = {
  with_consent: 'With consent',
  without_consent: 'Without consent',
} as const;

const keys = <T extends Record<string, string>>(o: T) => Object.keys(o) as (keyof T & string)[];
const words = (o: Record<string, string>) =>
  Object.values(o)
    .map((w) => w.toLowerCase())
    .join(', ');

const notFuture: Check<string> = (v, { today }) =>
  v <= today ? { ok: true, value: v } : { ok: false, message: 'Date of the decision must be today or in the past' };

const SharingFields = {
  decision: f.choice('Decision', keys(DECISIONS), {
    required: true,
    missing: 'Choose the decision: share, share in part or not share',
    invalid: 'Choose the decision: share, share in part or not share',
  }),
  what: f.text('What information', 4000, {
    required: true,
    missing: 'Enter what information was shared or asked for: the items or categories',
  }),
  recipient_organisation: f.text('Organisation', 200, {
    required: true,
    missing: 'Enter the organisation the information was shared with or asked for by',
  }),
  recipient_role: f.text('Role', 200),
  recipient_name: f.text('Person’s name', 200),
  decided_on: f.date('Date of the decision', {
    required: true,
    missing: 'Enter the date of the decision, for example 20 11 2026',
    invalid: 'Date of the decision must be a real date, for example 20 11 2026',
    check: notFuture,
  }),
  purpose: f.text('Purpose', 4000, { required: true, missing: 'Enter the purpose of sharing' }),
  necessity: f.text('Why it is necessary and proportionate', 4000, {
    required: true,
    missing: 'Enter why sharing (or not sharing) is necessary and proportionate',
  }),
  lawful_basis: f.choice('Lawful basis', keys(LAWFUL_BASES), {
    required: true,
    missing: `Choose the UK GDPR Article 6 lawful basis: ${words(LAWFUL_BASES)}`,
    invalid: `Choose the UK GDPR Article 6 lawful basis: ${words(LAWFUL_BASES)}`,
  }),
  special_category: f.yesno('Special category data', {
    required: true,
    missing: 'Choose yes if the information includes special category data (for example health), or no',
  }),
  art9_condition: f.choice('Article 9 condition', keys(ART9_CONDITIONS), {
    invalid: `Choose the Article 9 condition: ${words(ART9_CONDITIONS)}`,
  }),
  schedule1_condition: f.choice('Schedule 1 condition', keys(SCHEDULE1_CONDITIONS), {
    invalid: 'Choose the DPA 2018 Schedule 1 condition from the list, for example paragraph 18 safeguarding',
  }),
  consent: f.choice('Consent', keys(CONSENT), {
    required: true,
    missing: 'Choose whether the information was shared with consent or without consent',
    invalid: 'Choose whether the information was shared with consent or without consent',
  }),
  views: f.text('Views expressed', 4000, { hint: 'What the young person or their family said about sharing' }),
  person_told: f.yesno('Person told', {
    required: true,
    missing: 'Choose yes if the young person (or their family) was told about the decision, or no',
  }),
  not_told_reason: f.text('Why they were not told', 4000),
  decided_by_name: f.text('Decided by', 200, {
    hint: 'Leave empty if you made the decision; otherwise the colleague’s name and role',
  }),
  reasoning: f.text('Reasoning', 8000, { required: true, missing: 'Enter the reasoning for the decision' }),
  corrects_id: f.id('Entry corrected', {
    invalid: 'Entry corrected must be the id of an earlier entry on this record',
  }),
  correction_reason: f.text('Why the entry is corrected', 2000),
  source_kind: f.choice('Source', ['screening', 'meeting'], {
    invalid: 'Source must be a screening or a meeting decision',
  }),
  source_id: f.id('Source decision', {
    invalid: 'Source decision must be the id of a screening or a meeting decision',
  }),
};

/** The rules across fields: the special-category conditions, and why the person was not told. */
function across(v: {
  special_category?: boolean | null;
  art9_condition?: string | null;
  schedule1_condition?: string | null;
  person_told?: boolean | null;
  not_told_reason?: string | null;
  corrects_id?: string | null;
  correction_reason?: string | null;
  source_kind?: string | null;
  source_id?: string | null;
}): FieldErrors {
  const e: FieldErrors = {};
  if (v.corrects_id && !v.correction_reason)
    e.correction_reason = 'Enter why the entry is corrected, for example the wrong organisation was recorded';
  if (!v.source_kind !== !v.source_id)
    e.source_id = 'Source decision must name both the kind (screening or meeting) and the decision';
  if (v.special_category) {
    if (!v.art9_condition) e.art9_condition = 'Choose the Article 9 condition for the special category data';
    if (!v.schedule1_condition)
      e.schedule1_condition =
        'Choose the DPA 2018 Schedule 1 condition, for example paragraph 18 safeguarding of children';
    else if (v.schedule1_condition === 'not_needed' && v.art9_condition && !STANDS_ALONE.includes(v.art9_condition))
      e.schedule1_condition =
        'Choose a Schedule 1 condition: the Article 9 condition chosen needs one (only (a), (c) and (f) do not)';
  }
  if (v.person_told === false && !v.not_told_reason)
    e.not_told_reason = 'Enter why the young person or their family was not told about the decision';
  return e;
}

/** A new entry (or a correction of an earlier one, naming it in corrects_id). */
export const SharingInput = input(SharingFields, { check: across });
export type SharingInput = InputOf<typeof SharingInput>;

/** The council-wide list's filter: a date range (each end optional), the decision, the basis, the organisation. */
export const RegisterFilter = input(
  {
    from_date: f.date('From', { invalid: 'From must be a real date, for example 1 9 2026' }),
    to_date: f.date('To', { invalid: 'To must be a real date, for example 30 11 2026' }),
    decision: f.choice('Decision', keys(DECISIONS), { invalid: 'Choose a decision from the list, or any' }),
    lawful_basis: f.choice('Lawful basis', keys(LAWFUL_BASES), {
      invalid: 'Choose a lawful basis from the list, or any',
    }),
    organisation: f.text('Organisation', 200),
  },
  {
    check: (v): FieldErrors =>
      v.from_date && v.to_date && v.from_date > v.to_date ? { to_date: 'To must be the same as or after From' } : {},
  },
);
export type RegisterFilter = InputOf<typeof RegisterFilter>;
