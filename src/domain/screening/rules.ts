// Proposes a level from a screening's answers: pure, no database. The practitioner sees the proposal and its
// reasons; a manager or a meeting confirms or changes it (issue 12 part 2). Significant incidents are listed
// apart: each means an immediate referral, whatever the level.
import {
  type Answer,
  type Basis,
  DEFAULT_AGES,
  DEFAULT_COUNTING_ANSWERS,
  type IndicatorDef,
  type InstrumentDefinition,
  type PersonCondition,
  type When,
} from './definition.ts';

export interface IndicatorAnswer {
  answer: Answer;
  evidence?: string;
  basis?: Basis;
  when?: When;
}

/** Answers by indicator id; an indicator not answered counts as not known. */
export type Answers = Readonly<Record<string, IndicatorAnswer>>;

export interface PersonFacts {
  /** Age in whole years on the day of the screening. */
  age: number;
  /** SEND or a learning disability recorded for the young person. */
  sendOrLearningDisability: boolean;
}

export interface SignificantIncident {
  domain: string;
  indicator: string;
  text: string;
}

export interface Proposal {
  level: string;
  reasons: string[];
  significantIncidents: SignificantIncident[];
  /** True when any significant incident was answered: an immediate referral is required. */
  immediateReferral: boolean;
}

const applies = (c: PersonCondition, facts: PersonFacts): boolean =>
  'ageAtMost' in c
    ? facts.age <= c.ageAtMost
    : 'ageBelow' in c
      ? facts.age < c.ageBelow
      : facts.sendOrLearningDisability;

/** A message when the person is outside the instrument's age range, else null. */
export function ageProblem(instrument: InstrumentDefinition, age: number): string | null {
  const { from, to } = instrument.ages ?? DEFAULT_AGES;
  return age < from || age > to
    ? `${instrument.title} is for young people aged ${from} to ${to}; this young person is ${age}`
    : null;
}

export function proposeLevel(instrument: InstrumentDefinition, answers: Answers, facts: PersonFacts): Proposal {
  const rank = new Map(instrument.levels.map((l, i) => [l.code, i]));
  const labelOf = (code: string) => instrument.levels.find((l) => l.code === code)?.label ?? code;
  const counting = instrument.countingAnswers ?? DEFAULT_COUNTING_ANSWERS;
  const all = instrument.domains.flatMap((d) => d.indicators.map((i) => ({ domain: d.id, i })));
  const answerOf = (i: IndicatorDef): Answer => answers[i.id]?.answer ?? 'not_known';

  let level = 0;
  const reasons: string[] = [];
  const counted = all.filter(({ i }) => counting.includes(answerOf(i)));
  for (const { i } of counted) level = Math.max(level, rank.get(i.level) ?? 0);
  const top = counted.filter(({ i }) => rank.get(i.level) === level);
  if (top.length > 0)
    reasons.push(
      `${labelOf(instrument.levels[level]?.code ?? '')}: suggested by ${top.map(({ i }) => `"${i.text}" (${answerOf(i)})`).join(', ')}`,
    );
  else reasons.push(`${instrument.levels[0]?.label}: no indicator answered ${counting.join(' or ')}`);

  for (const r of instrument.rules ?? []) {
    if (r.appliesTo && !r.appliesTo.some((c) => applies(c, facts))) continue;
    const floor = rank.get(r.when.suggestedAtLeast ?? '') ?? 0;
    const matching = all.filter(
      ({ i }) =>
        r.when.answers.includes(answerOf(i)) &&
        (rank.get(i.level) ?? 0) >= floor &&
        (!r.when.indicators || r.when.indicators.includes(i.id)),
    );
    if (matching.length < (r.when.count ?? 1)) continue;
    const target = rank.get(r.atLeast) ?? 0;
    if (target > level) {
      level = target;
      reasons.push(`${labelOf(r.atLeast)}: ${r.reason}`);
    }
  }

  const significantIncidents = counted
    .filter(({ i }) => i.significantIncident)
    .map(({ domain, i }) => ({ domain, indicator: i.id, text: i.text }));
  return {
    level: instrument.levels[level]?.code ?? '',
    reasons,
    significantIncidents,
    immediateReferral: significantIncidents.length > 0,
  };
}
