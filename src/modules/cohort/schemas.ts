// The cohort's filters and the system blocks register's inputs (issue 12 part 11), declared once for the pages, the
// CSV and the API (one message per field, naming it and the fix).
import type { SystemBlockKind } from '../../db/schema.ts';
import { f, type InputOf, input } from '../../http/schema-input.ts';

export const AGE_BANDS = { '11-15': [11, 15], '16-17': [16, 17], '18-25': [18, 25] } as const;
export type AgeBand = keyof typeof AGE_BANDS;
export const CARE_STATUSES = {
  child_in_care: 'Child in care',
  care_leaver: 'Care leaver',
  child_protection_plan: 'Child protection plan',
  child_in_need: 'Child in need',
} as const;

export const CohortFilter = input({
  age_band: f.choice('Age band', Object.keys(AGE_BANDS) as AgeBand[], {
    invalid: 'Choose the age band: 11 to 15, 16 to 17 or 18 to 25',
  }),
  level: f.text('Level', 40),
  send: f.choice('SEND', ['yes', 'no'] as const, {
    invalid: 'Choose whether to show young people with SEND or without',
  }),
  care: f.choice('Care status', Object.keys(CARE_STATUSES) as (keyof typeof CARE_STATUSES)[], {
    invalid: 'Choose a care status from the list',
  }),
  wellbeing: f.choice('Emotional wellbeing support', ['yes', 'no'] as const, {
    invalid: 'Choose whether to show young people with emotional wellbeing support or without',
  }),
});
export type CohortFilter = InputOf<typeof CohortFilter>;

export const BLOCK_KINDS: Record<SystemBlockKind, string> = {
  housing_18_25: 'Housing for 18 to 25 year olds',
  adult_services_threshold: 'Adult services threshold not met',
  no_provider: 'No provider available',
  mental_health: 'Mental health service not available',
  education_training: 'No education, employment or training offer',
  benefits_income: 'Benefits or income',
  information_sharing: 'Information not shared between agencies',
  other: 'Other',
};

export const BlockInput = input({
  kind: f.choice('Kind of block', Object.keys(BLOCK_KINDS) as SystemBlockKind[], {
    required: true,
    missing: 'Choose the kind of block',
    invalid: 'Choose the kind of block from the list',
  }),
  description: f.text('What stood in the way', 4000, {
    required: true,
    missing: 'Enter what stood in the way. Do not name the young person',
  }),
});
export type BlockInput = InputOf<typeof BlockInput>;

export const ResolveInput = input({
  what_changed: f.text('What changed', 4000, {
    required: true,
    missing: 'Enter what changed to resolve the block',
  }),
  version: f.integer('Version', 1, 2_000_000_000, {
    required: true,
    missing: 'Version is missing: open the register again and resolve the block',
    invalid: 'Version is missing: open the register again and resolve the block',
  }),
});
export type ResolveInput = InputOf<typeof ResolveInput>;

/** A block linked to a case, from the young person's record. */
export const BlockCaseInput = input({
  block_id: f.id('System block', {
    required: true,
    missing: 'Choose the system block that occurred on this case',
    invalid: 'Choose the system block from the list',
  }),
  note: f.text('Note', 1000),
});
export type BlockCaseInput = InputOf<typeof BlockCaseInput>;
