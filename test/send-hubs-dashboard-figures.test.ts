// The hub dashboard's arithmetic (issue 13 part 8), as pure functions: percentiles interpolated between ranks, the
// share within target, working days across a bank holiday, the period's start, the bar chart's geometry, and the CSV's
// header and formula-safe cells.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { barChart } from '../src/modules/send-hubs/charts.ts';
import {
  countBy,
  dashboardFigures,
  median,
  monthsBefore,
  percentile,
  withinTarget,
  workingDays,
} from '../src/modules/send-hubs/dashboard-figures.ts';
import { dashboardCsv } from '../src/modules/send-hubs/dashboard-routes.ts';
import type { DashboardRequest } from '../src/modules/send-hubs/repository-dashboard.ts';

test('percentiles interpolate between ranks; none of nothing', () => {
  assert.equal(median([]), null);
  assert.equal(median([7]), 7);
  assert.equal(median([4, 2]), 3);
  assert.equal(median([14, 2, 4, 3]), 3.5);
  assert.equal(percentile([14, 2, 4, 3], 90), 11);
  assert.equal(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 90), 9.1);
  assert.equal(percentile([5, 1], 0), 1);
  assert.equal(percentile([5, 1], 100), 5);
  assert.throws(() => percentile([1], 101), RangeError);
});

test('within target counts the clocks that stopped on or before their own target', () => {
  assert.deepEqual(withinTarget([]), { within: 0, of: 0, percent: null });
  assert.deepEqual(
    withinTarget([
      { days: 10, target: 10 },
      { days: 11, target: 10 },
      { days: 3, target: 5 },
    ]),
    { within: 2, of: 3, percent: 67 },
  );
});

test('working days skip weekends and bank holidays, and never count below 0', () => {
  // Monday 2 November to Friday 20 November 2026: 14 working days after the 2nd.
  assert.equal(workingDays('2026-11-02', '2026-11-20'), 14);
  // Christmas Eve 2026 (Thursday) to Monday 28 December: Christmas Day and the Boxing Day substitute are holidays.
  assert.equal(workingDays('2026-12-24', '2026-12-29'), 1);
  assert.equal(workingDays('2026-11-20', '2026-11-02'), 0);
});

test('the period starts the same day N months back, the day kept within the month', () => {
  assert.equal(monthsBefore('2026-11-23', 12), '2025-11-23');
  assert.equal(monthsBefore('2026-03-31', 1), '2026-02-28');
  assert.equal(monthsBefore('2026-01-15', 3), '2025-10-15');
  assert.equal(monthsBefore('2026-11-23', 24), '2024-11-23');
});

test('bar chart: the largest count is the longest bar; each bar has its label and count as text positions', () => {
  const c = barChart([
    { label: 'A', count: 4 },
    { label: 'B', count: 1 },
    { label: 'C', count: 0 },
  ]);
  assert.equal(c.max, 4);
  assert.equal(c.bars.length, 3);
  assert.equal(c.bars[0]?.barWidth, c.width - 48);
  assert.equal(c.bars[1]?.barWidth, Math.round((c.width - 48) / 4));
  assert.equal(c.bars[2]?.barWidth, 0);
  assert.ok((c.bars[1]?.labelY ?? 0) > (c.bars[0]?.barY ?? 0), 'each row below the one before');
  assert.equal(barChart([{ label: 'none', count: 0 }]).bars[0]?.barWidth, 0);
});

test('counts keep every key in order, zeros too, then keys met besides', () => {
  assert.deepEqual(countBy(['a', 'b'], { a: 'A', b: 'B' }, ['b', 'c', 'b']), [
    { key: 'a', label: 'A', count: 0 },
    { key: 'b', label: 'B', count: 2 },
    { key: 'c', label: 'c', count: 1 },
  ]);
});

const base: DashboardRequest = {
  id: 'x',
  reference: 'SR-1',
  hub_id: 'h',
  setting_name: '=Evil School',
  received_on: '2026-11-02',
  status: 'closed',
  outcome: 'declined',
  result: 'declined',
  areas_of_need: ['semh'],
  complete_on: '2026-11-02',
  first_response_on: '2026-11-04',
  triaged_on: null,
  support_started_on: null,
  decline_reason: '+SUM(A1:A9)',
  decline_alternative: 'Advice line, "with quotes"',
  first_response_target: 10,
  support_start_target: 10,
};

test('the CSV has a header and every cell is quoted and formula-safe', () => {
  const f = dashboardFigures([base], [], new Map(), new Map(), '2026-11-23');
  const csv = dashboardCsv('@Hub', { from: '2025-11-23', to: '2026-11-23' }, f);
  const lines = csv.trimEnd().split('\r\n');
  assert.equal(lines[0], '"Section","Measure","Value","Alternative offered"');
  assert.ok(lines.includes('"Hub","Name","\'@Hub",""'));
  assert.ok(lines.includes('"Setting","\'=Evil School","1",""'));
  assert.ok(lines.includes('"First response (working days)","Median","2",""'));
  assert.ok(lines.includes('"Decline SR-1","Reason","\'+SUM(A1:A9)","Advice line, ""with quotes"""'));
  for (const line of lines) assert.match(line, /^"[^=+\-@]/);
});
