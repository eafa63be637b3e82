// Every clock of the annual review, table-driven, through the engine's own deadline function (stepDeadline, as the
// engine computes each step's due date from the protocol definition and the instance's anchors) and the review's
// pure dates (src/domain/ehc-review.ts) that set those anchors. Each row names its regulation; rows cross bank
// holidays (which statutory calendar-day and week clocks do not move off) and the 15 February / 31 March dates.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  decisionPhaseBound,
  meetingBy,
  noticeBy,
  reviewDueAfter,
  reviewDueAfterTransfer,
} from '../src/domain/ehc-review.ts';
import { phaseTransferDeadline, transferInYear } from '../src/domain/phase-transfer.ts';
import { stepDeadline } from '../src/domain/protocol/deadline.ts';
import { firstMeetingBy, transferForReview } from '../src/modules/ehc-reviews/flow.ts';
import { ehcAnnualReview } from '../src/protocols/ehc-annual-review.ts';

function due(stepId: string, anchors: Record<string, string>, stepEntered = '2026-01-05') {
  const step = ehcAnnualReview.steps.find((s) => s.id === stepId)!;
  const d = stepDeadline(step.deadline!, {
    protocolId: ehcAnnualReview.id,
    version: ehcAnnualReview.version,
    stepId,
    stepEntered,
    anchors,
  });
  return { due: d?.due ?? null, source: d?.source ?? '' };
}

test('the review due date: 12 months starting with the plan made or last reviewed (CFA 2014 s.44(1))', () => {
  const rows: [from: string, expected: string, regulation: string, why: string][] = [
    ['2026-01-10', '2027-01-09', 'CFA 2014 s.44(1)', 'an ordinary date'],
    ['2026-12-25', '2027-12-24', 'CFA 2014 s.44(1)', 'issued on Christmas Day: not moved off the bank holiday'],
    ['2025-12-29', '2026-12-28', 'CFA 2014 s.44(1)', 'due on the substitute Boxing Day holiday 2026, kept'],
    ['2024-02-29', '2025-02-28', 'CFA 2014 s.44(1)', '29 February: the period ends on 28 February'],
    ['2026-03-01', '2027-02-28', 'CFA 2014 s.44(1)', '1 March to the last day of February'],
  ];
  for (const [from, expected, regulation, why] of rows)
    assert.equal(reviewDueAfter(from), expected, `${regulation}: ${why}`);
});

test('a plan transferred in: the later of 12 months from the last review and 3 months from the transfer (reg 15(5))', () => {
  const rows: [last: string | null, transfer: string, expected: string, why: string][] = [
    ['2026-01-15', '2026-11-23', '2027-02-22', 'reg 15(5)(b): 3 months from the transfer is later'],
    ['2026-06-01', '2026-07-01', '2027-05-31', 'reg 15(5)(a): 12 months from the last review is later'],
    [null, '2026-12-25', '2027-03-24', 'reg 15(5)(b): no review known; from a transfer on Christmas Day'],
  ];
  for (const [last, transfer, expected, why] of rows)
    assert.equal(reviewDueAfterTransfer(last, transfer), expected, why);
});

test('each step of the review protocol, through the engine: due date and the regulation it cites', () => {
  const rows: [step: string, anchors: Record<string, string>, expected: string, cites: RegExp, why: string][] = [
    // Arrange: invitations at least 2 weeks before a meeting on the last day it may be held.
    [
      'arrange_meeting',
      { notice_by: noticeBy('2027-01-09') },
      '2026-12-26',
      /reg 20\(2\) and \(3\)/,
      'notice for a meeting on the due date; 26 December (a bank holiday) is not moved',
    ],
    [
      'arrange_meeting',
      { notice_by: noticeBy('2026-04-20') },
      '2026-04-06',
      /reg 20\(2\) and \(3\)/,
      '2 weeks before, on Easter Monday 2026',
    ],
    // Circulate: the advice 2 weeks before the meeting set.
    [
      'circulate_advice',
      { notice_by: noticeBy('2026-12-14') },
      '2026-11-30',
      /reg 20\(4\)/,
      'advice circulated 2 weeks before',
    ],
    [
      'circulate_advice',
      { notice_by: noticeBy('2027-01-08') },
      '2026-12-25',
      /reg 20\(4\)/,
      'on Christmas Day: statutory weeks do not skip it',
    ],
    // Hold: by the due date, or the phase-transfer bound.
    [
      'hold_meeting',
      { meeting_by: meetingBy('2027-01-09', null) },
      '2027-01-09',
      /s\.44\(1\)/,
      'by the review due date',
    ],
    [
      'hold_meeting',
      { meeting_by: meetingBy('2027-03-01', '2027-02-15') },
      '2026-11-23',
      /reg 18\(1\)/,
      'Year 6: 12 weeks before 15 February 2027, earlier than the due date',
    ],
    [
      'hold_meeting',
      { meeting_by: meetingBy('2027-06-30', '2027-03-31') },
      '2027-01-06',
      /reg 18\(1\)/,
      'Year 11: 12 weeks before 31 March 2027',
    ],
    [
      'hold_meeting',
      { meeting_by: meetingBy('2026-10-01', '2027-02-15') },
      '2026-10-01',
      /s\.44\(1\)/,
      'the due date is earlier than the phase bound',
    ],
    // Report: 2 weeks after the meeting.
    [
      'send_report',
      { meeting_held: '2026-12-14' },
      '2026-12-28',
      /reg 20\(7\)/,
      'due on the substitute Boxing Day holiday, kept',
    ],
    ['send_report', { meeting_held: '2026-03-20' }, '2026-04-03', /reg 20\(7\)/, 'Good Friday 2026, kept'],
    // Decision: 4 weeks after the meeting, or earlier in a transfer year.
    ['decide', { meeting_held: '2026-12-14' }, '2027-01-11', /reg 20\(10\)/, '4 weeks across Christmas and New Year'],
    [
      'decide',
      { meeting_held: '2026-12-14', ...phase('2026-12-14', '2027-02-15') },
      '2026-12-21',
      /reg 18\(1\)/,
      'Year 6 met late: 8 weeks before 15 February leaves 21 December',
    ],
    [
      'decide',
      { meeting_held: '2026-11-02', ...phase('2026-11-02', '2027-02-15') },
      '2026-11-30',
      /reg 20\(10\)/,
      'met in time: the 4 weeks end first',
    ],
    [
      'decide',
      { meeting_held: '2027-01-20', ...phase('2027-01-20', '2027-03-31') },
      '2027-02-03',
      /reg 18\(1\)/,
      'Year 11 met late: 8 weeks before 31 March',
    ],
  ];
  for (const [step, anchors, expected, cites, why] of rows) {
    const d = due(step, anchors);
    assert.equal(d.due, expected, `${step}: ${why}`);
    assert.match(d.source, cites, `${step}: ${why}: cites ${cites}`);
  }
});

function phase(held: string, deadline: string): Record<string, string> {
  const bound = decisionPhaseBound(held, deadline);
  return bound ? { phase_decision_due: bound } : {};
}

test('phase-transfer dates a review works to: 15 February, 31 March for post-16 (reg 18(1))', () => {
  assert.equal(phaseTransferDeadline('secondary', 2027), '2027-02-15');
  assert.equal(phaseTransferDeadline('post16', 2027), '2027-03-31');
  assert.equal(transferInYear('2015-12-01', 2027)?.phase, 'secondary');
  assert.equal(transferInYear('2011-01-01', 2027)?.deadline, '2027-03-31');
  // No step has a deadline without a source.
  for (const s of ehcAnnualReview.steps) assert.ok(s.deadline?.source, `${s.id} cites its source`);
});

test('a plan first issued in its phase-transfer year: the meeting is due no earlier than 4 weeks after it is made', () => {
  // [born, first issued (today), transfer the review works to, meeting due by, why]
  const rows: [dob: string, made: string, transfer: string | null, meeting: string, why: string][] = [
    [
      '2015-10-01',
      '2026-08-10',
      '2027-02-15',
      '2026-11-23',
      'Year 6, issued in August: reg 18, 12 weeks before 15 February',
    ],
    [
      '2015-10-01',
      '2026-10-26',
      '2027-02-15',
      '2026-11-23',
      'issued exactly 4 weeks before 23 November: reg 18 stands',
    ],
    ['2015-10-01', '2026-10-27', '2027-02-15', '2026-11-24', 'a day later: 4 weeks after the issue (reg 20(3), (4))'],
    ['2015-10-01', '2026-11-30', '2027-02-15', '2026-12-28', 'issued after 23 November: not overdue on day one'],
    ['2015-10-01', '2027-02-10', '2027-02-15', '2027-03-10', 'issued 5 days before 15 February: the review follows'],
    ['2010-10-01', '2027-01-20', '2027-03-31', '2027-02-17', 'Year 11, after the post-16 point (6 January 2027)'],
    ['2012-05-01', '2026-01-10', null, '2027-01-09', 'no transfer: the due date (s.44(1)), not moved'],
  ];
  for (const [dob, made, transfer, meeting, why] of rows) {
    const due = reviewDueAfter(made);
    const t = transferForReview(dob, made, due);
    assert.equal(t?.deadline ?? null, transfer, why);
    assert.equal(firstMeetingBy(due, t?.deadline ?? null, made), meeting, why);
    assert.ok(firstMeetingBy(due, t?.deadline ?? null, made) > made, `${why}: due after the plan was made`);
  }
  // A later cycle (no first issue): reg 18's point, as before.
  assert.equal(firstMeetingBy('2027-11-29', '2027-02-15', null), '2026-11-23');
  // Never later than the review's own due date.
  assert.equal(firstMeetingBy('2026-12-20', null, '2026-12-01'), '2026-12-20');
});
