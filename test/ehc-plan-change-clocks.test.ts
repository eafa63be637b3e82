// Every clock of the plan-changes protocols, table-driven, through the engine's own deadline function (stepDeadline,
// as the engine computes each step's due date), with the module's own dates (the phase-transfer cap, the appeal
// window, the 25th birthday) worked out as the module records them as anchors. Each row names its regulation, and
// rows sit across bank holidays: calendar-day and week clocks do not move off them (statutory periods are counted as
// the regulations word them), working-day clocks do.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { stepDeadline } from '../src/domain/protocol/deadline.ts';
import type { DeadlineDef } from '../src/domain/protocol/definition.ts';
import {
  age25BornOnOrBefore,
  age25RaisedFrom,
  appealBy,
  endOfAcademicYearOf25th,
  phaseTransferCap,
} from '../src/modules/ehc-plan-changes/dates.ts';
import { ehcPlanAmendment } from '../src/protocols/ehc-plan-amendment.ts';
import { ehcPlanCessation } from '../src/protocols/ehc-plan-cessation.ts';
import { ehcPlanTransferIn } from '../src/protocols/ehc-plan-transfer-in.ts';

type P = { id: string; version: number; steps: readonly { id: string; deadline?: unknown }[] };
function due(p: P, stepId: string, anchors: Record<string, string>, stepEntered = '2026-01-01') {
  const step = p.steps.find((s) => s.id === stepId);
  assert.ok(step?.deadline, `${p.id} ${stepId} has a deadline`);
  const d = stepDeadline(step.deadline as DeadlineDef, {
    protocolId: p.id,
    version: p.version,
    stepId,
    stepEntered,
    anchors,
  });
  assert.ok(d, `${p.id} ${stepId}: a due date`);
  return d;
}

/** Amendment: the anchors the module records when the proposals are sent (dates.ts phaseTransferCap). */
function amendmentAnchors(sent: string, dob: string | null) {
  const cap = phaseTransferCap(dob, sent);
  return { proposals_sent: sent, ...(cap ? { phase_transfer_due: cap.due } : {}) };
}

const ROWS: {
  what: string;
  regulation: RegExp;
  p: P;
  step: string;
  anchors: Record<string, string>;
  stepEntered?: string;
  expect: string;
}[] = [
  // 15 days beginning with the day the proposals are sent (reg 22(2)(c)): day 1 is the day sent.
  {
    what: 'representations: sent Tue 15 Dec 2026, over Christmas and Boxing Day (substitute Mon 28 Dec)',
    regulation: /reg 22\(2\)\(c\)/,
    p: ehcPlanAmendment,
    step: 'representations',
    anchors: amendmentAnchors('2026-12-15', null),
    expect: '2026-12-29',
  },
  {
    what: 'representations: sent Fri 27 Mar 2026, over Good Friday and Easter Monday (3 and 6 Apr)',
    regulation: /reg 22\(2\)\(c\)/,
    p: ehcPlanAmendment,
    step: 'representations',
    anchors: amendmentAnchors('2026-03-27', null),
    expect: '2026-04-10',
  },
  {
    what: 'representations: sent Mon 23 Nov 2026',
    regulation: /reg 22\(2\)\(c\)/,
    p: ehcPlanAmendment,
    step: 'representations',
    anchors: amendmentAnchors('2026-11-23', null),
    expect: '2026-12-07',
  },
  // 8 weeks from the proposals (reg 22(3)/(4)); falling on a bank holiday does not move it.
  {
    what: '8 weeks: sent Mon 2 Nov 2026, due on a Monday 28 Dec 2026 (a bank holiday)',
    regulation: /reg 22\(3\) and \(4\)/,
    p: ehcPlanAmendment,
    step: 'finalise',
    anchors: amendmentAnchors('2026-11-02', '2012-01-10'),
    expect: '2026-12-28',
  },
  {
    what: '8 weeks: sent Mon 2 Mar 2026, over Easter (3 and 6 Apr), due Mon 27 Apr',
    regulation: /reg 22\(3\) and \(4\)/,
    p: ehcPlanAmendment,
    step: 'finalise',
    anchors: amendmentAnchors('2026-03-02', null),
    expect: '2026-04-27',
  },
  // The reg 18 cap: a Year 6 child (secondary transfer in September 2027) must have the amended plan by 15 February.
  {
    what: 'phase transfer, Year 6: sent 4 Jan 2027, 8 weeks would be 1 Mar; 15 February is earlier',
    regulation: /reg 18\(1\)/,
    p: ehcPlanAmendment,
    step: 'finalise',
    anchors: amendmentAnchors('2027-01-04', '2015-10-01'),
    expect: '2027-02-15',
  },
  {
    what: 'phase transfer, Year 6: sent 2 Nov 2026, 8 weeks (28 Dec) is earlier than 15 February',
    regulation: /reg 22\(3\)/,
    p: ehcPlanAmendment,
    step: 'finalise',
    anchors: amendmentAnchors('2026-11-02', '2015-10-01'),
    expect: '2026-12-28',
  },
  // Year 11 to post-16: 31 March.
  {
    what: 'phase transfer, Year 11: sent 1 Mar 2027, 8 weeks would be 26 Apr; 31 March is earlier',
    regulation: /31 March/,
    p: ehcPlanAmendment,
    step: 'finalise',
    anchors: amendmentAnchors('2027-03-01', '2011-01-10'),
    expect: '2027-03-31',
  },
  {
    what: 'phase transfer, Year 11: sent 12 Jan 2027, 8 weeks (9 Mar) is earlier than 31 March',
    regulation: /reg 22\(3\)/,
    p: ehcPlanAmendment,
    step: 'finalise',
    anchors: amendmentAnchors('2027-01-12', '2011-01-10'),
    expect: '2027-03-09',
  },
  // Reg 15(4): 6 weeks from the transfer.
  {
    what: 'transfer in on Mon 14 Dec 2026: 6 weeks, over Christmas',
    regulation: /reg 15\(4\)/,
    p: ehcPlanTransferIn,
    step: 'tell_family',
    anchors: { transferred: '2026-12-14' },
    expect: '2027-01-25',
  },
  {
    what: 'transfer in on Fri 20 Mar 2026: 6 weeks, over Easter',
    regulation: /reg 15\(4\)/,
    p: ehcPlanTransferIn,
    step: 'tell_family',
    anchors: { transferred: '2026-03-20' },
    expect: '2026-05-01',
  },
  // The appeal window: 2 months from the notice (Tribunal rules rule 20(1)); a month end is the month's last day.
  {
    what: 'appeal: notice Thu 31 Dec 2026, 2 months is 28 Feb 2027',
    regulation: /rule 20\(1\)/,
    p: ehcPlanCessation,
    step: 'appeal_window',
    anchors: { appeal_by: appealBy('2026-12-31') },
    expect: '2027-02-28',
  },
  {
    what: 'appeal: notice Wed 23 Dec 2026, 2 months over Christmas is 23 Feb 2027',
    regulation: /CFA 2014 s\.45\(4\)/,
    p: ehcPlanCessation,
    step: 'appeal_window',
    anchors: { appeal_by: appealBy('2026-12-23') },
    expect: '2027-02-23',
  },
  // The cessation of a plan at the end of the academic year of the 25th birthday (s.46, reg 46(1)(a)): 31 July.
  {
    what: '25th birthday 10 Mar 2027: the plan ends 31 Jul 2027',
    regulation: /s\.46/,
    p: ehcPlanCessation,
    step: 'cease_plan',
    anchors: { cease_on: endOfAcademicYearOf25th('2002-03-10') },
    expect: '2027-07-31',
  },
  {
    what: '25th birthday 1 Aug 2027 (the next academic year): the plan ends 31 Jul 2028',
    regulation: /reg 46\(1\)/,
    p: ehcPlanCessation,
    step: 'cease_plan',
    anchors: { cease_on: endOfAcademicYearOf25th('2002-08-01') },
    expect: '2028-07-31',
  },
  // Ceasing with no fixed end: 5 working days after the appeal period, skipping bank holidays.
  {
    what: 'cease the plan: entered Tue 22 Dec 2026, 5 working days over Christmas',
    regulation: /Handover default/,
    p: ehcPlanCessation,
    step: 'cease_plan',
    anchors: {},
    stepEntered: '2026-12-22',
    expect: '2026-12-31',
  },
  // Local defaults, labelled as such.
  {
    what: 'proposals prepared: 2 weeks from the start (Handover default, after R (L, M and P) v Devon CC)',
    regulation: /Devon CC/,
    p: ehcPlanAmendment,
    step: 'prepare_proposals',
    anchors: { started: '2026-12-21' },
    expect: '2027-01-04',
  },
  {
    what: 'consultation on ceasing: 4 weeks from the start (Handover default; reg 31(1) sets none)',
    regulation: /reg 31\(1\)/,
    p: ehcPlanCessation,
    step: 'consult',
    anchors: { started: '2026-12-21' },
    expect: '2027-01-18',
  },
];

for (const r of ROWS)
  test(`${r.p.id} ${r.step}: ${r.what}`, () => {
    const d = due(r.p, r.step, r.anchors, r.stepEntered);
    assert.equal(d.due, r.expect);
    assert.match(`${d.source} ${d.explanation}`, r.regulation);
  });

test('the 25th-birthday cessation is raised from 1 August of the final academic year, and only for those due', () => {
  assert.equal(age25RaisedFrom('2002-03-10'), '2026-08-01');
  assert.equal(age25RaisedFrom('2002-08-01'), '2027-08-01');
  // On 7 December 2026 the job raises it for those born by 31 July 2002 (25 by the end of July 2027).
  assert.equal(age25BornOnOrBefore('2026-12-07'), '2002-07-31');
  assert.equal(age25BornOnOrBefore('2027-07-31'), '2002-07-31');
  assert.equal(age25BornOnOrBefore('2027-08-01'), '2003-07-31');
  // A 29 February birthday.
  assert.equal(endOfAcademicYearOf25th('2004-02-29'), '2029-07-31');
});

test('every deadline of the three protocols cites a source', () => {
  for (const p of [ehcPlanAmendment, ehcPlanCessation, ehcPlanTransferIn])
    for (const s of p.steps)
      if ('deadline' in s && s.deadline) assert.ok((s.deadline as { source?: string }).source, `${p.id} ${s.id}`);
});
