// Deadline clocks. Each rule names its source, so a deadline shown to a caseworker, a parent or a tribunal can
// be traced to the regulation or local protocol that sets it.
//
// Statutory clocks are counted exactly as the regulations word them. The SEND Regulations 2014 do not move a
// period that ends on a weekend or bank holiday, so neither do we; and their exceptions (e.g. reg 10(4) and
// reg 13(3): school holidays, exceptional personal circumstances, a missed appointment) are a caseworker's
// recorded decision to stop or extend a clock, not something this module infers.
import { addWorkingDays, type Calendar, CalendarInputError, fromDayNumber, toDayNumber } from './calendar.ts';

interface ClockRuleBase {
  /** Stable identifier, safe to store against a case. */
  readonly id: string;
  /** What must happen by the deadline. */
  readonly title: string;
  /** The event the clock runs from, worded to follow "from": "the request", "the request for advice". */
  readonly anchor: string;
  /** The regulation or local document that sets the period. */
  readonly source: string;
  readonly basis: 'statutory' | 'local';
  /** One line for people: "Final EHC plan issued: 20 weeks from the request (SEND Regulations 2014 reg 13(2))". */
  describe(): string;
}

/** n working days after the anchor (England-and-Wales working days unless another calendar is given). */
export interface WorkingDaysRule extends ClockRuleBase {
  readonly kind: 'workingDays';
  readonly n: number;
}

/**
 * n calendar days. beginningWith: the period includes the anchor day ("15 days beginning with the day it is
 * served"), so it ends on anchor + n − 1; otherwise it ends on anchor + n.
 */
export interface CalendarDaysRule extends ClockRuleBase {
  readonly kind: 'calendarDays';
  readonly n: number;
  readonly beginningWith: boolean;
}

/** "Within n weeks of" the anchor: ends on the same weekday n weeks later, anchor + 7n. */
export interface WeeksRule extends ClockRuleBase {
  readonly kind: 'weeks';
  readonly n: number;
}

export type ClockRule = WorkingDaysRule | CalendarDaysRule | WeeksRule;

type WithoutDescribe<T> = T extends unknown ? Omit<T, 'describe'> : never;
export type ClockRuleSpec = WithoutDescribe<ClockRule>;

function plural(n: number, unit: string): string {
  return `${n} ${unit}${n === 1 ? '' : 's'}`;
}

/** The period in words, without the source: "20 weeks from the request". */
function period(rule: ClockRuleSpec): string {
  switch (rule.kind) {
    case 'weeks':
      return `${plural(rule.n, 'week')} from ${rule.anchor}`;
    case 'workingDays':
      return `${plural(rule.n, 'working day')} from ${rule.anchor}`;
    case 'calendarDays':
      return rule.beginningWith
        ? `${plural(rule.n, 'day')} beginning with the day of ${rule.anchor}`
        : `${plural(rule.n, 'day')} from ${rule.anchor}`;
  }
}

/** Checks a rule and gives it describe(). Local authorities' own clocks are defined the same way. */
export function defineClockRule<const S extends ClockRuleSpec>(spec: S): S & { describe(): string } {
  if (!Number.isSafeInteger(spec.n) || spec.n < 1) {
    throw new CalendarInputError(`clock rule ${spec.id}: n must be a whole number of at least 1, got ${spec.n}`);
  }
  for (const key of ['id', 'title', 'anchor', 'source'] as const) {
    if (typeof spec[key] !== 'string' || spec[key].trim() === '') {
      throw new CalendarInputError(`clock rule ${String(spec.id)}: ${key} must be given`);
    }
  }
  const rule = { ...spec, describe: () => `${spec.title}: ${period(spec)} (${spec.source})` } as S & {
    describe(): string;
  };
  Object.freeze(rule);
  return rule;
}

export interface Deadline {
  /** The last day, YYYY-MM-DD, Europe/London. */
  readonly due: string;
  readonly rule: ClockRule;
  /** The anchor date the clock ran from. */
  readonly anchor: string;
  /** "20 weeks from the request on 2026-01-05 (SEND Regulations 2014 reg 13(2))" */
  readonly explanation: string;
}

/** The deadline a rule gives from an anchor date. Working-day rules use England and Wales unless told. */
export function computeDeadline(rule: ClockRule, anchorDate: string, calendar?: Calendar): Deadline {
  const anchorDay = toDayNumber(anchorDate);
  let due: string;
  switch (rule.kind) {
    case 'weeks':
      due = fromDayNumber(anchorDay + 7 * rule.n);
      break;
    case 'calendarDays':
      due = fromDayNumber(anchorDay + (rule.beginningWith ? rule.n - 1 : rule.n));
      break;
    case 'workingDays':
      due = calendar ? calendar.addWorkingDays(anchorDate, rule.n) : addWorkingDays(anchorDate, rule.n);
      break;
  }
  return Object.freeze({
    due,
    rule,
    anchor: anchorDate,
    explanation: `${period(rule)} on ${anchorDate} (${rule.source})`,
  });
}

// The England EHC needs assessment and plan clocks: the Special Educational Needs and Disability Regulations
// 2014 (SI 2014/1530), as summarised in the SEND Code of Practice 0–25 (2015) ch. 9, para 9.40 onwards.
// Plus one local protocol, labelled as such.
export const STATUTORY_RULES = Object.freeze({
  decisionToAssess: defineClockRule({
    id: 'send-2014-reg-5-decision-to-assess',
    title: 'Decide whether to carry out an EHC needs assessment',
    kind: 'weeks',
    n: 6,
    anchor: 'the request',
    source: 'SEND Regulations 2014 reg 5(1)',
    basis: 'statutory',
  }),
  adviceDue: defineClockRule({
    id: 'send-2014-reg-8-advice',
    title: 'Advice and information provided for the assessment',
    kind: 'weeks',
    n: 6,
    anchor: 'the request for advice',
    source: 'SEND Regulations 2014 reg 8(1)',
    basis: 'statutory',
  }),
  decisionNotToIssue: defineClockRule({
    id: 'send-2014-reg-10-decision-not-to-issue',
    title: 'Notify a decision not to issue an EHC plan',
    kind: 'weeks',
    n: 16,
    anchor: 'the request',
    source: 'SEND Regulations 2014 reg 10(1)',
    basis: 'statutory',
  }),
  draftRepresentations: defineClockRule({
    id: 'send-2014-reg-13-1-draft-representations',
    // reg 13(1) sets a minimum: the family must have at least this long, so the plan cannot be finalised
    // before the day after `due`.
    title: 'Representations on the draft plan (at least this long)',
    kind: 'calendarDays',
    n: 15,
    beginningWith: true,
    anchor: 'service of the draft plan',
    source: 'SEND Regulations 2014 reg 13(1)',
    basis: 'statutory',
  }),
  finalPlan: defineClockRule({
    id: 'send-2014-reg-13-2-final-plan',
    title: 'Final EHC plan issued',
    kind: 'weeks',
    n: 20,
    anchor: 'the request',
    source: 'SEND Regulations 2014 reg 13(2)',
    basis: 'statutory',
  }),
  cumbriaAdviceFollowUp: defineClockRule({
    id: 'cumbria-ehcp-advice-query-follow-up',
    title: 'Follow up an advice query',
    kind: 'workingDays',
    n: 5,
    anchor: 'the advice query',
    source: 'Cumbria EHCP advice query protocol',
    basis: 'local',
  }),
});
