import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Calendar, CalendarInputError, DIVISIONS } from './calendar.ts';
import { type ClockRule, computeDeadline, defineClockRule, STATUTORY_RULES } from './clocks.ts';

test('statutory and local deadlines, table', () => {
  const cases: [rule: ClockRule, anchor: string, due: string, explanation: string][] = [
    [
      STATUTORY_RULES.finalPlan,
      '2026-01-05',
      '2026-05-25',
      '20 weeks from the request on 2026-01-05 (SEND Regulations 2014 reg 13(2))',
    ],
    [
      STATUTORY_RULES.draftRepresentations,
      '2026-03-02',
      '2026-03-16',
      '15 days beginning with the day of service of the draft plan on 2026-03-02 (SEND Regulations 2014 reg 13(1))',
    ],
    [
      STATUTORY_RULES.decisionToAssess,
      '2026-01-05',
      '2026-02-16',
      '6 weeks from the request on 2026-01-05 (SEND Regulations 2014 reg 5(1))',
    ],
    [
      STATUTORY_RULES.adviceDue,
      '2026-11-23',
      '2027-01-04',
      '6 weeks from the request for advice on 2026-11-23 (SEND Regulations 2014 reg 8(1))',
    ],
    [
      STATUTORY_RULES.decisionNotToIssue,
      '2026-01-05',
      '2026-04-27',
      '16 weeks from the request on 2026-01-05 (SEND Regulations 2014 reg 10(1))',
    ],
    [
      STATUTORY_RULES.cumbriaAdviceFollowUp,
      '2026-12-22',
      '2026-12-31',
      '5 working days from the advice query on 2026-12-22 (Cumbria EHCP advice query protocol)',
    ],
    // A week count crosses leap days and the clock change without drifting.
    [
      STATUTORY_RULES.finalPlan,
      '2027-12-20',
      '2028-05-08',
      '20 weeks from the request on 2027-12-20 (SEND Regulations 2014 reg 13(2))',
    ],
    // The final-plan date lands on a bank holiday (Spring bank holiday 2026) and stays there: the regulations
    // do not move it.
    [
      STATUTORY_RULES.finalPlan,
      '2026-01-05',
      '2026-05-25',
      '20 weeks from the request on 2026-01-05 (SEND Regulations 2014 reg 13(2))',
    ],
  ];
  for (const [rule, anchor, due, explanation] of cases) {
    const deadline = computeDeadline(rule, anchor);
    assert.equal(deadline.due, due, `${rule.id} from ${anchor}`);
    assert.equal(deadline.explanation, explanation);
    assert.equal(deadline.anchor, anchor);
    assert.equal(deadline.rule, rule);
  }
});

test('calendar-day rules: "beginning with" includes the anchor day, "from" does not', () => {
  const base = { id: 'x', title: 'X', anchor: 'the letter', source: 'test', basis: 'local' } as const;
  const cases: [n: number, beginningWith: boolean, anchor: string, due: string][] = [
    [15, true, '2026-03-02', '2026-03-16'],
    [15, false, '2026-03-02', '2026-03-17'],
    [1, true, '2026-03-02', '2026-03-02'],
    [1, false, '2026-03-02', '2026-03-03'],
    [15, true, '2028-02-20', '2028-03-05'],
    [15, true, '2026-12-28', '2027-01-11'],
  ];
  for (const [n, beginningWith, anchor, due] of cases) {
    const rule = defineClockRule({ ...base, kind: 'calendarDays', n, beginningWith });
    assert.equal(computeDeadline(rule, anchor).due, due, `${n} days ${beginningWith ? 'beginning with' : 'from'}`);
  }
});

test('every catalogued rule names its source and describes itself', () => {
  const expected: Record<keyof typeof STATUTORY_RULES, string> = {
    decisionToAssess:
      'Decide whether to carry out an EHC needs assessment: 6 weeks from the request (SEND Regulations 2014 reg 5(1))',
    adviceDue:
      'Advice and information provided for the assessment: 6 weeks from the request for advice ' +
      '(SEND Regulations 2014 reg 8(1))',
    decisionNotToIssue:
      'Notify a decision not to issue an EHC plan: 16 weeks from the request (SEND Regulations 2014 reg 10(1))',
    draftRepresentations:
      'Representations on the draft plan (at least this long): 15 days beginning with the day of service of the ' +
      'draft plan (SEND Regulations 2014 reg 13(1))',
    finalPlan: 'Final EHC plan issued: 20 weeks from the request (SEND Regulations 2014 reg 13(2))',
    cumbriaAdviceFollowUp:
      'Follow up an advice query: 5 working days from the advice query (Cumbria EHCP advice query protocol)',
  };
  for (const [key, rule] of Object.entries(STATUTORY_RULES) as [keyof typeof STATUTORY_RULES, ClockRule][]) {
    assert.equal(rule.describe(), expected[key], key);
    assert.ok(rule.source.length > 0);
    assert.equal(rule.basis, key === 'cumbriaAdviceFollowUp' ? 'local' : 'statutory', key);
  }
  const ids = Object.values(STATUTORY_RULES).map((r) => r.id);
  assert.equal(new Set(ids).size, ids.length, 'ids are unique');
  assert.ok(Object.isFrozen(STATUTORY_RULES.finalPlan));
});

test('singular units read naturally', () => {
  const rule = defineClockRule({
    id: 'one',
    title: 'Acknowledge',
    kind: 'workingDays',
    n: 1,
    anchor: 'the referral',
    source: 'local practice',
    basis: 'local',
  });
  assert.equal(rule.describe(), 'Acknowledge: 1 working day from the referral (local practice)');
  assert.equal(computeDeadline(rule, '2026-12-24').due, '2026-12-29');
});

test('working-day rules can use another calendar', () => {
  const config = DIVISIONS['england-and-wales'];
  assert.ok(config);
  const calendar = new Calendar(config, { first: 2026, last: 2027 });
  assert.equal(computeDeadline(STATUTORY_RULES.cumbriaAdviceFollowUp, '2026-12-22', calendar).due, '2026-12-31');
});

test('bad anchors and bad rules are refused', () => {
  assert.throws(
    () => computeDeadline(STATUTORY_RULES.finalPlan, '05/01/2026'),
    (e: unknown) =>
      e instanceof CalendarInputError && e.message === '"05/01/2026" is not a date; use YYYY-MM-DD, e.g. 2026-12-22',
  );
  const base = { id: 'bad', title: 'Bad', anchor: 'x', source: 's', basis: 'local' } as const;
  assert.throws(() => defineClockRule({ ...base, kind: 'weeks', n: 0 }), /n must be a whole number of at least 1/);
  assert.throws(() => defineClockRule({ ...base, kind: 'weeks', n: 2.5 }), CalendarInputError);
  assert.throws(() => defineClockRule({ ...base, kind: 'weeks', n: 2, source: ' ' }), /source must be given/);
});
