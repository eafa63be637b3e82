// The screening instrument format: an instrument is typed, versioned data, like a protocol (design.md §5).
// Councils write their own as JSON or YAML files in SCREENING_DIR; the built-ins live in src/screening/.
// The same shape is validated (validate.ts) and evaluated (rules.ts). Written from domain-notes.md §1.
import { type Static, Type } from '@sinclair/typebox';

/** The answers a practitioner can give to an indicator. */
export const ANSWERS = ['yes', 'no', 'possible', 'not_known'] as const;
export type Answer = (typeof ANSWERS)[number];

/** When what an indicator describes last happened. */
export const WHEN = ['last_3_months', 'earlier'] as const;
export type When = (typeof WHEN)[number];

/** Whether an answer rests on evidence or on professional judgement. */
export const BASES = ['evidence', 'professional_judgement'] as const;
export type Basis = (typeof BASES)[number];

/** The answers that count towards a level when the instrument does not say (docs/decisions.md). */
export const DEFAULT_COUNTING_ANSWERS: readonly Answer[] = ['yes', 'possible'];
export const DEFAULT_AGES = { from: 11, to: 25 } as const;

const Code = Type.String({ pattern: '^[a-z][a-z0-9_]*$' });
const AnswerSchema = Type.Union(ANSWERS.map((a) => Type.Literal(a)));
const Age = Type.Integer({ minimum: 0, maximum: 30 });

const Level = Type.Object(
  {
    code: Code,
    label: Type.String({ minLength: 1 }),
    description: Type.Optional(Type.String()),
  },
  { additionalProperties: false },
);
export type LevelDef = Static<typeof Level>;

const Indicator = Type.Object(
  {
    id: Code,
    text: Type.String({ minLength: 1 }),
    level: Type.String({ description: 'the level this indicator suggests: one of the instrument’s level codes' }),
    answers: Type.Optional(
      Type.Array(AnswerSchema, { minItems: 2, uniqueItems: true, description: 'default: all four answers' }),
    ),
    evidence: Type.Optional(Type.Boolean({ description: 'ask for the evidence in words (default true)' })),
    basis: Type.Optional(
      Type.Boolean({
        description: 'ask whether the answer rests on evidence or professional judgement (default true)',
      }),
    ),
    when: Type.Optional(Type.Boolean({ description: 'ask when: in the last 3 months or earlier (default true)' })),
    significantIncident: Type.Optional(
      Type.Boolean({ description: 'a counting answer means a significant incident: an immediate referral' }),
    ),
  },
  { additionalProperties: false },
);
export type IndicatorDef = Static<typeof Indicator>;

const Domain = Type.Object(
  {
    id: Code,
    title: Type.String({ minLength: 1 }),
    indicators: Type.Array(Indicator, { minItems: 1 }),
  },
  { additionalProperties: false },
);
export type DomainDef = Static<typeof Domain>;

/** Who a rule applies to: any one of these holding is enough. */
const PersonCondition = Type.Union([
  Type.Object({ ageAtMost: Age }, { additionalProperties: false }),
  Type.Object({ ageBelow: Age }, { additionalProperties: false }),
  Type.Object({ sendOrLearningDisability: Type.Literal(true) }, { additionalProperties: false }),
]);
export type PersonCondition = Static<typeof PersonCondition>;

const Rule = Type.Object(
  {
    id: Code,
    reason: Type.String({ minLength: 1, description: 'the reason shown when the rule raises the level' }),
    atLeast: Type.String({ description: 'a level code: when the rule holds, the proposed level is at least this' }),
    appliesTo: Type.Optional(
      Type.Array(PersonCondition, { minItems: 1, description: 'any one of these; leave out for everyone' }),
    ),
    when: Type.Object(
      {
        answers: Type.Array(AnswerSchema, { minItems: 1, uniqueItems: true }),
        suggestedAtLeast: Type.Optional(Type.String({ description: 'only indicators suggesting this level or above' })),
        indicators: Type.Optional(Type.Array(Code, { minItems: 1, description: 'only these indicators' })),
        count: Type.Optional(Type.Integer({ minimum: 1, description: 'how many such answers (default 1)' })),
      },
      { additionalProperties: false },
    ),
  },
  { additionalProperties: false },
);
export type RuleDef = Static<typeof Rule>;

export const InstrumentSchema = Type.Object(
  {
    id: Type.String({ pattern: '^[a-z][a-z0-9-]*$' }),
    version: Type.Integer({ minimum: 1 }),
    title: Type.String({ minLength: 1 }),
    description: Type.Optional(Type.String()),
    source: Type.Optional(Type.String({ description: 'the facts or document this instrument is written from' })),
    ages: Type.Optional(Type.Object({ from: Age, to: Age }, { additionalProperties: false })),
    levels: Type.Array(Level, { minItems: 2, description: 'lowest first' }),
    countingAnswers: Type.Optional(
      Type.Array(AnswerSchema, {
        minItems: 1,
        uniqueItems: true,
        description: 'answers that make an indicator count towards its level (default yes and possible)',
      }),
    ),
    domains: Type.Array(Domain, { minItems: 1 }),
    rules: Type.Optional(Type.Array(Rule)),
  },
  { additionalProperties: false },
);
export type InstrumentDefinition = Static<typeof InstrumentSchema>;
