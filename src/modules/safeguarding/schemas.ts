// The screening inputs, declared once: the page forms and the API read them the same way (one message per field,
// naming it and the fix). A screening's answers depend on its instrument, so they are read by `readAnswers` from
// fields named a_<indicator> (the answer), e_ (evidence), b_ (evidence or professional judgement) and w_ (when).
import { type Static, Type } from '@sinclair/typebox';
import { ANSWERS, BASES, type InstrumentDefinition, WHEN } from '../../domain/screening/definition.ts';
import type { Answers, IndicatorAnswer } from '../../domain/screening/rules.ts';
import { type Body, type FieldErrors, text } from '../../http/forms.ts';
import { type Check, f, type InputOf, input } from '../../http/schema-input.ts';

export const REASONS = {
  first: 'First screening',
  review: 'Review',
  missing_episode: 'After a missing episode',
  placement_move: 'After a placement move',
  new_intelligence: 'New intelligence',
} as const;

export const ANSWER_WORDS = { yes: 'Yes', no: 'No', possible: 'Possible', not_known: 'Not known' } as const;
export const BASIS_WORDS = { evidence: 'Evidence', professional_judgement: 'Professional judgement' } as const;
export const WHEN_WORDS = { last_3_months: 'In the last 3 months', earlier: 'Earlier' } as const;

export const RISK_KINDS = {
  missing_episode: 'Missing episode',
  placement_move: 'Placement move',
  new_intelligence: 'New intelligence',
} as const;

export const RETURN_INTERVIEW = {
  offered_accepted: 'Offered and accepted',
  offered_declined: 'Offered and declined',
  not_offered: 'Not offered',
} as const;

export const PLACE_KINDS = {
  public_space: 'Public space (park, street, shopping centre)',
  shop_or_takeaway: 'Shop or takeaway',
  transport: 'Transport (station, bus route)',
  address: 'Address',
  school_or_college: 'School or college',
  leisure: 'Leisure (gym, arcade, sports ground)',
  online: 'Online',
  other: 'Other',
} as const;

const keys = <T extends Record<string, string>>(o: T) => Object.keys(o) as (keyof T & string)[];

const notFuture =
  (label: string): Check<string> =>
  (v, { today }) =>
    v <= today ? { ok: true, value: v } : { ok: false, message: `${label} must be today or in the past` };

export const ScreeningInput = input(
  {
    instrument_id: f.text('Screening instrument', 100, { required: true, missing: 'Choose the screening instrument' }),
    reason: f.choice('Reason for the screening', keys(REASONS), {
      required: true,
      missing: 'Choose the reason for the screening',
    }),
    send_or_learning_disability: f.yesno('SEND or a learning disability', { fallback: () => false }),
    proposed_level: f.text('Level you propose', 40, { hint: 'default: the suggested level' }),
    proposed_reason: f.text('Why you propose a different level', 2000),
    review_due: f.date('Review date', { hint: 'YYYY-MM-DD; default: 3 months after the screening' }),
    summary: f.text('Summary', 4000),
    risk_event_id: f.id('Event this screening follows'),
    place_ids: f.ids('Places of concern'),
    peer_group_ids: f.ids('Peer groups'),
    person_of_concern_ids: f.ids('Persons of concern'),
    new_place_name: f.text('Name of the new place', 200),
    new_place_area: f.text('Area of the new place', 200),
    new_place_kind: f.choice('Kind of place', keys(PLACE_KINDS)),
    new_group_name: f.text('Name of the new peer group', 200),
    new_group_area: f.text('Area of the new peer group', 200),
    new_person_name: f.text('Name or alias of the new person of concern', 200),
    new_person_description: f.text('Why the new person is a concern', 2000),
  },
  {
    check: (v) => {
      const e: FieldErrors = {};
      if (v.new_place_name && !v.new_place_area) e.new_place_area = 'Enter the area of the new place';
      if (v.new_place_name && !v.new_place_kind) e.new_place_kind = 'Choose the kind of place';
      if (v.new_group_name && !v.new_group_area) e.new_group_area = 'Enter the area of the new peer group';
      if (v.new_person_name && !v.new_person_description)
        e.new_person_description = 'Enter why the new person is a concern';
      return e;
    },
  },
);
export type ScreeningInput = InputOf<typeof ScreeningInput>;

const asks = (flag: boolean | undefined) => flag !== false;

/**
 * The answers to an instrument's indicators from a form or API body: every indicator answered; for a yes or a
 * possible, the evidence, its basis and when, as the indicator asks.
 */
export function readAnswers(instrument: InstrumentDefinition, body: Body): { answers: Answers; errors: FieldErrors } {
  const answers: Record<string, IndicatorAnswer> = {};
  const errors: FieldErrors = {};
  for (const d of instrument.domains)
    for (const i of d.indicators) {
      const allowed = i.answers ?? ANSWERS;
      const a = text(body, `a_${i.id}`);
      if (!(allowed as readonly string[]).includes(a)) {
        errors[`a_${i.id}`] = `Choose ${allowed.map((x) => ANSWER_WORDS[x].toLowerCase()).join(', ')} for “${i.text}”`;
        continue;
      }
      const one: IndicatorAnswer = { answer: a as IndicatorAnswer['answer'] };
      const counts = a === 'yes' || a === 'possible';
      const evidence = text(body, `e_${i.id}`);
      if (evidence.length > 2000) errors[`e_${i.id}`] = 'Evidence must be 2000 characters or fewer';
      else if (evidence) one.evidence = evidence;
      else if (counts && asks(i.evidence)) errors[`e_${i.id}`] = `Enter the evidence for “${i.text}”`;
      const basis = text(body, `b_${i.id}`);
      if ((BASES as readonly string[]).includes(basis)) one.basis = basis as IndicatorAnswer['basis'];
      else if (counts && asks(i.basis))
        errors[`b_${i.id}`] = `Choose evidence or professional judgement for “${i.text}”`;
      const when = text(body, `w_${i.id}`);
      if ((WHEN as readonly string[]).includes(when)) one.when = when as IndicatorAnswer['when'];
      else if (counts && asks(i.when)) errors[`w_${i.id}`] = `Choose when “${i.text}” last happened`;
      answers[i.id] = one;
    }
  return { answers, errors };
}

/** The answers as form fields (the API sends them as an object; the check answers page carries them hidden). */
export function answerFields(answers: Answers): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [id, a] of Object.entries(answers)) {
    out[`a_${id}`] = a.answer;
    if (a.evidence) out[`e_${id}`] = a.evidence;
    if (a.basis) out[`b_${id}`] = a.basis;
    if (a.when) out[`w_${id}`] = a.when;
  }
  return out;
}

const AnswerSchema = Type.Object(
  {
    answer: Type.Union(ANSWERS.map((a) => Type.Literal(a))),
    evidence: Type.Optional(Type.String({ maxLength: 2000 })),
    basis: Type.Optional(Type.Union(BASES.map((a) => Type.Literal(a)))),
    when: Type.Optional(Type.Union(WHEN.map((a) => Type.Literal(a)))),
  },
  { additionalProperties: false },
);

/** The API body for a new screening: the fields above and the answers by indicator id. */
export const ScreeningApiBody = Type.Object(
  {
    ...(ScreeningInput.schema as unknown as { properties: Record<string, never> }).properties,
    answers: Type.Record(Type.String({ pattern: '^[a-z][a-z0-9_]*$' }), AnswerSchema, {
      description: 'by indicator id (GET /api/v1/screening-instruments): every indicator answered',
    }),
  },
  { additionalProperties: false },
);
export type ScreeningApiBody = Static<typeof ScreeningApiBody>;

export const ConfirmInput = input({
  level: f.text('Level', 40, { required: true, missing: 'Choose the level' }),
  reason: f.text('Reason', 2000),
  share: f.yesno('Will this decision be shared with another organisation', { fallback: () => false }),
  version: f.integer('Version', 1, 1_000_000),
});
export type ConfirmInput = InputOf<typeof ConfirmInput>;

export const RiskEventInput = input({
  kind: f.choice('What happened', keys(RISK_KINDS), { required: true, missing: 'Choose what happened' }),
  occurred_on: f.date('Date it happened', {
    required: true,
    missing: 'Enter the date it happened, for example 20 11 2026',
    check: notFuture('Date it happened'),
  }),
  returned_on: f.date('Date they returned', { check: notFuture('Date they returned') }),
  return_interview: f.choice('Return interview', keys(RETURN_INTERVIEW)),
  details: f.text('Details', 4000, { required: true, missing: 'Enter the details of what happened' }),
});
export type RiskEventInput = InputOf<typeof RiskEventInput>;

export const CloseInput = input({
  reason: f.text('Why there is no further concern', 2000, {
    required: true,
    missing: 'Enter why there is no further concern',
  }),
});

export const ReferralInput = input({
  outcome: f.choice('Referral', ['referred', 'not_needed'] as const, {
    required: true,
    missing: 'Choose whether you referred the young person',
  }),
  referred_to: f.text('Referred to', 200),
  reference: f.text('Reference', 100),
  not_needed_reason: f.text('Why a referral was not needed', 2000),
});
export type ReferralInput = InputOf<typeof ReferralInput>;
