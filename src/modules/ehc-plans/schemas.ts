// The EHC plan module's inputs, declared once (issue 20): the API validates and documents them with `.schema`, the
// pages and the API read them with `.parse(body, { today })`, and the service takes the typed input. Every edit of
// a version carries the `version` the form or GET read (a change since is refused, 409). Messages name the field
// and say how to fix it. Rules that need the plan (served before issued, the 15 days of reg 13(1)) stay with the
// service, on the same fields.

import { SEN_SETTINGS, SEN_TYPES } from '../../domain/ehc-plan.ts';
import type { FieldErrors } from '../../http/forms.ts';
import { type Check, f, type InputOf, input } from '../../http/schema-input.ts';
import { versionField } from '../../http/versions.ts';

const upper = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** A date the form names as "the <what>": entered, real, today or in the past. */
function pastDate(what: string) {
  const notFuture: Check<string> = (v, { today }) =>
    v <= today ? { ok: true, value: v } : { ok: false, message: `The ${what} must be today or in the past` };
  return f.date(upper(what), {
    required: true,
    missing: `Enter the ${what}`,
    invalid: `The ${what} must be a real date, for example 21 12 2026`,
    check: notFuture,
  });
}

const choose = (message: string) => ({ required: true, missing: message, invalid: message }) as const;

/** A school's unique reference number: 6 to 8 digits (spaces allowed when typed). */
const urn = (label: string) =>
  f.text(label, 20, {
    hint: 'The setting’s unique reference number (URN), 6 to 8 digits',
    check: (v) => {
      const digits = v.replace(/\s+/g, '');
      return /^[0-9]{6,8}$/.test(digits)
        ? { ok: true, value: digits }
        : { ok: false, message: `${label} must be 6 to 8 digits, for example 123456` };
    },
  });

export const SEN_TYPE_CODES = SEN_TYPES.map((t) => t.code);
export const SEN_SETTING_CODES = SEN_SETTINGS.map((t) => t.code);

/** Draft the plan from the assessment's advice. */
export const DraftPlanInput = input({
  assessment_id: f.id('Assessment', {
    required: true,
    missing: 'Choose the EHC needs assessment to draft the plan from',
    invalid: 'Choose the EHC needs assessment to draft the plan from',
  }),
  person_id: f.id('Young person', {
    hint: 'When given, the assessment must be this young person’s',
    invalid: 'The young person must be the id of a record, or leave it out',
  }),
});
export type DraftPlanInput = InputOf<typeof DraftPlanInput>;

/** One section's text, on the version being edited. */
export const SectionInput = input({
  text: f.text('Section text', 20_000, { hint: 'The section as it will be printed on the plan' }),
  version: versionField,
});
export type SectionInput = InputOf<typeof SectionInput>;

/** Section I: the setting named (with its URN), or the SEN2 setting code when it has none. */
export const PlacementInput = input(
  {
    setting_name: f.text('Name of the school or other institution', 200),
    setting_urn: urn('URN of the school or other institution'),
    sen_setting: f.choice('Other arrangement (SEN2 setting)', SEN_SETTING_CODES, {
      invalid: 'Choose the other arrangement from the list',
    }),
    version: versionField,
  },
  {
    check: (v): FieldErrors => {
      if (v.sen_setting && (v.setting_name || v.setting_urn))
        return { sen_setting: 'Choose either a named school or institution, or an other arrangement, not both' };
      if (v.setting_urn && !v.setting_name)
        return { setting_name: 'Enter the name of the school or other institution with that URN' };
      return {};
    },
  },
);
export type PlacementInput = InputOf<typeof PlacementInput>;

/** SEN2 5c: the special educational needs, ranked (primary first). */
export const NeedsInput = input(
  {
    primary_need: f.choice('Primary need', SEN_TYPE_CODES, choose('Choose the primary special educational need')),
    secondary_need: f.choice('Secondary need', SEN_TYPE_CODES, {
      invalid: 'Choose the secondary special educational need from the list',
    }),
    version: versionField,
  },
  {
    check: (v): FieldErrors =>
      v.secondary_need && v.secondary_need === v.primary_need
        ? { secondary_need: 'The secondary need must be different from the primary need, or leave it empty' }
        : {},
  },
);
export type NeedsInput = InputOf<typeof NeedsInput>;

/** Serve the draft (reg 13(1)) or issue the final (reg 13(2)): the day, and the version read. */
export const ServeInput = input({ served_date: pastDate('date the draft was served'), version: versionField });
export type ServeInput = InputOf<typeof ServeInput>;
export const FinalInput = input({ final_date: pastDate('date the final plan was issued'), version: versionField });
export type FinalInput = InputOf<typeof FinalInput>;

/** An action on the plan as read (starting the final version): the plan's `version`. */
export const PlanVersionInput = input({ version: versionField });
export type PlanVersionInput = InputOf<typeof PlanVersionInput>;

/** Withdraw the draft: the council's decision not to issue a plan after all (reg 10(1)), and why. */
export const WithdrawInput = input({
  withdrawn_date: pastDate('date of the decision not to issue a plan'),
  reason: f.text('Reason for withdrawing the draft plan', 2000, {
    required: true,
    missing: 'Enter the reason for withdrawing the draft plan',
    hint: 'It is kept on the plan’s record',
  }),
  version: versionField,
});
export type WithdrawInput = InputOf<typeof WithdrawInput>;

export const MADE_BY = { parent: 'A parent', young_person: 'The young person', other: 'Someone on their behalf' };
export const MADE_BY_VALUES = ['parent', 'young_person', 'other'] as const;

/** Representations on the served draft, and the setting they ask to be named in section I. */
export const RepresentationInput = input(
  {
    made_by: f.choice('Who made them', MADE_BY_VALUES, choose('Choose who made the representations')),
    made_by_name: f.text('Their name', 200),
    received_date: pastDate('date the representations were received'),
    summary: f.text('Summary of the representations', 5000, {
      required: true,
      missing: 'Enter a summary of the representations',
    }),
    requested_setting_name: f.text('School or college they ask to be named', 200),
    requested_setting_urn: urn('URN of the school or college they ask for'),
    version: versionField,
  },
  {
    check: (v): FieldErrors =>
      v.requested_setting_urn && !v.requested_setting_name
        ? { requested_setting_name: 'Enter the name of the school or college with that URN' }
        : {},
  },
);
export type RepresentationInput = InputOf<typeof RepresentationInput>;

/** A school or college consulted about being named (CFA 2014 s.39(2)/s.40(2)). */
export const ConsultationInput = input({
  setting_name: f.text('School or college consulted', 200, {
    required: true,
    missing: 'Enter the name of the school or college consulted',
  }),
  setting_urn: urn('URN of the school or college consulted'),
  sent_date: pastDate('date the draft plan was sent to it'),
  representation_id: f.id('Representations that asked for it', {
    invalid: 'Choose the representations that asked for this setting from the list',
  }),
  version: versionField,
});
export type ConsultationInput = InputOf<typeof ConsultationInput>;

export const RESPONSES = { agrees: 'Agrees to be named', does_not_agree: 'Does not agree to be named' };
/** The setting's answer. */
export const ConsultationResponseInput = input(
  {
    response: f.choice(
      'The setting’s answer',
      ['agrees', 'does_not_agree'] as const,
      choose('Choose whether the setting agrees to be named'),
    ),
    response_reason: f.text('Reason given', 2000),
    responded_date: pastDate('date the setting answered'),
    version: versionField,
  },
  {
    check: (v): FieldErrors =>
      v.response === 'does_not_agree' && !v.response_reason
        ? { response_reason: 'Enter the reason the setting gave for not agreeing' }
        : {},
  },
);
export type ConsultationResponseInput = InputOf<typeof ConsultationResponseInput>;

/** The caseload's filters. */
export const CASELOAD_FILTERS = ['all', 'reviews_overdue', 'amendments_waiting', 'drafts'] as const;
export type CaseloadFilter = (typeof CASELOAD_FILTERS)[number];
