// Deadline tables across bank holidays: statutory calendar-week dates are never moved by bank holidays (the
// SEND Regulations 2014 count weeks and days, not working days); the Cumbria 5-working-day follow-up dates are.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { adviceDue, assessmentClocks, exceptionDays, followUpDue } from './clocks.ts';

const open = {
  decision_to_assess: null,
  decision_date: null,
  not_issue_date: null,
  draft_served_date: null,
  final_issued_date: null,
};

test('statutory dates from a request: 6, 16 and 20 weeks, untouched by bank holidays', () => {
  const table = [
    // request       reg 5 (6w)     reg 10 (16w)   reg 13(2) (20w)
    ['2026-12-21', '2027-02-01', '2027-04-12', '2027-05-10'], // across Christmas and New Year
    ['2027-03-26', '2027-05-07', '2027-07-16', '2027-08-13'], // Good Friday itself; 2027-05-03 May Day is passed over
    ['2026-12-25', '2027-02-05', '2027-04-16', '2027-05-14'], // Christmas Day
    ['2027-02-26', '2027-04-09', '2027-06-18', '2027-07-16'], // 6 weeks spans Good Friday and Easter Monday 2027
  ] as const;
  for (const [request, reg5, reg10, reg13] of table) {
    const c = assessmentClocks({ request_date: request, ...open }, [], [], request);
    const by = Object.fromEntries(c.clocks.map((x) => [x.key, x]));
    assert.equal(by.decision_to_assess?.statutory, reg5, `reg 5 from ${request}`);
    assert.equal(by.decision_not_to_issue?.statutory, reg10, `reg 10 from ${request}`);
    assert.equal(by.final_plan?.statutory, reg13, `reg 13(2) from ${request}`);
    assert.match(
      by.final_plan!.explanation,
      new RegExp(`20 weeks from the request on ${request} \\(SEND Regulations 2014 reg 13\\(2\\)\\)`),
    );
  }
});

test('advice is due 6 weeks from its request (reg 8), even on a bank holiday', () => {
  for (const [requested, due] of [
    ['2026-12-21', '2027-02-01'],
    ['2027-02-15', '2027-03-29'], // Easter Monday 2027: not moved
    ['2026-11-13', '2026-12-25'], // Christmas Day: not moved
  ] as const) {
    const d = adviceDue(requested);
    assert.equal(d.due, due, requested);
    assert.match(d.explanation, /reg 8\(1\)/);
  }
});

test('the Cumbria follow-up is 5 working days from the email, skipping weekends and bank holidays', () => {
  for (const [emailed, due] of [
    ['2026-11-23', '2026-11-30'], // an ordinary Monday
    ['2026-12-21', '2026-12-30'], // Christmas Day (Fri), Boxing Day substitute (Mon 28th)
    ['2026-12-24', '2027-01-05'], // 25th, 28th, 1 January all skipped
    ['2027-03-26', '2027-04-05'], // emailed on Good Friday: Easter Monday skipped
    ['2027-03-25', '2027-04-05'], // the day before Good Friday: Good Friday and Easter Monday skipped
  ] as const) {
    const d = followUpDue(emailed);
    assert.equal(d.due, due, emailed);
    assert.match(d.explanation, /5 working days from the advice query on .* \(Cumbria EHCP advice query protocol\)/);
  }
});

test('draft representations: at least 15 days beginning with the day served (reg 13(1))', () => {
  const c = assessmentClocks(
    {
      request_date: '2026-09-07',
      ...open,
      decision_to_assess: 'assess',
      decision_date: '2026-10-01',
      draft_served_date: '2026-12-21',
    },
    [],
    [],
    '2026-12-22',
  );
  const reps = c.clocks.find((x) => x.key === 'draft_representations')!;
  assert.equal(reps.statutory, '2027-01-04', '21 December + 14 days: the 15th day, not moved by the holidays');
  assert.equal(c.projectedFinal, '2027-01-25', 'the 20-week date, which is after representations end');
});

test('exceptions never move a statutory date; they move the projection, overlaps counted once', () => {
  assert.equal(
    exceptionDays([
      { start_date: '2027-01-01', end_date: '2027-01-10' },
      { start_date: '2027-01-05', end_date: '2027-01-14' },
    ]),
    14,
  );
  const c = assessmentClocks(
    { request_date: '2026-12-21', ...open, decision_to_assess: 'assess', decision_date: '2027-01-20' },
    [{ start_date: '2027-02-01', end_date: '2027-02-28' }],
    [],
    '2027-01-20',
  );
  const final = c.clocks.find((x) => x.key === 'final_plan')!;
  assert.equal(final.statutory, '2027-05-10');
  assert.equal(final.projected, '2027-06-07', '28 days of exception');
  assert.match(final.projectedWhy ?? '', /28 days of recorded exceptions \(SEND Regulations 2014 reg 10\(4\)/);
  assert.equal(c.delayed, true);
  const reg10 = c.clocks.find((x) => x.key === 'decision_not_to_issue')!;
  assert.equal(reg10.statutory, '2027-04-12');
  assert.equal(reg10.projected, '2027-05-10');
});

test('late advice pushes the projected final date past 20 weeks', () => {
  const c = assessmentClocks(
    { request_date: '2026-09-07', ...open, decision_to_assess: 'assess', decision_date: '2026-10-05' },
    [],
    [
      {
        status: 'requested',
        due_date: '2026-11-16',
        received_date: null,
        follow_up_due: null,
        follow_up_closed_on: null,
      },
    ],
    '2027-01-18',
  );
  assert.equal(c.statutoryFinal, '2027-01-25');
  // Still outstanding today (18 January): + 10 working days to draft (1 February) + 15 days.
  assert.equal(c.projectedFinal, '2027-02-16');
  assert.equal(c.delayed, true);
});
