// The EHC plan's own clocks (issue 20 part 1), table-driven through the engine's deadline function: the family's
// representations on a served draft (15 days beginning with the day served, SEND Regulations 2014 reg 13(1)) and
// a consulted setting's answer (15 days from the day sent, CFA 2014 s.39(2)/s.40(2), Code of Practice chapter 9).
// Both are calendar days in law: a bank holiday or weekend inside or at the end of the period does not move it.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { stepDeadline } from '../src/domain/protocol/deadline.ts';
import type { ProtocolSource } from '../src/domain/protocol/definition.ts';
import { ehcNeedsAssessment } from '../src/protocols/ehc-needs-assessment.ts';
import { ehcSettingConsultation } from '../src/protocols/ehc-setting-consultation.ts';

function due(def: ProtocolSource, stepId: string, anchor: string, date: string) {
  const step = def.steps.find((s) => s.id === stepId);
  assert.ok(step?.deadline, `${def.id} ${stepId} has a deadline`);
  const d = stepDeadline(step.deadline as Parameters<typeof stepDeadline>[0], {
    protocolId: def.id,
    version: def.version,
    stepId,
    stepEntered: date,
    anchors: { [anchor]: date },
  });
  assert.ok(d);
  return d;
}

const ROWS: { clock: string; regulation: string; from: string; due: string; why: string }[] = [
  { clock: 'representations', regulation: 'reg 13(1)', from: '2026-11-10', due: '2026-11-24', why: 'plain' },
  {
    clock: 'representations',
    regulation: 'reg 13(1)',
    from: '2026-12-11',
    due: '2026-12-25',
    why: 'ends on Christmas Day',
  },
  {
    clock: 'representations',
    regulation: 'reg 13(1)',
    from: '2026-12-15',
    due: '2026-12-29',
    why: 'across Christmas and Boxing Day',
  },
  {
    clock: 'representations',
    regulation: 'reg 13(1)',
    from: '2026-08-17',
    due: '2026-08-31',
    why: 'ends on the summer bank holiday',
  },
  {
    clock: 'representations',
    regulation: 'reg 13(1)',
    from: '2027-03-22',
    due: '2027-04-05',
    why: 'across Easter 2027',
  },
  { clock: 'consultation', regulation: 's.39(2)', from: '2026-11-20', due: '2026-12-05', why: 'ends on a Saturday' },
  { clock: 'consultation', regulation: 's.39(2)', from: '2026-12-11', due: '2026-12-26', why: 'ends on Boxing Day' },
  { clock: 'consultation', regulation: 's.39(2)', from: '2026-12-15', due: '2026-12-30', why: 'across Christmas' },
  {
    clock: 'consultation',
    regulation: 's.39(2)',
    from: '2027-03-22',
    due: '2027-04-06',
    why: 'across Easter Monday',
  },
  {
    clock: 'consultation',
    regulation: 's.39(2)',
    from: '2026-08-17',
    due: '2026-09-01',
    why: 'across the summer bank holiday',
  },
];

for (const row of ROWS)
  test(`${row.clock} from ${row.from}: due ${row.due} (${row.why}; ${row.regulation})`, () => {
    const d =
      row.clock === 'representations'
        ? due(ehcNeedsAssessment, 'representations', 'draft_served', row.from)
        : due(ehcSettingConsultation, 'awaiting_response', 'consulted', row.from);
    assert.equal(d.due, row.due);
    assert.ok(d.explanation.includes(row.regulation), d.explanation);
  });
