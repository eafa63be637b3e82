import assert from 'node:assert/strict';
import { test } from 'node:test';
import { endOfLondonDay } from './repository.ts';

test('a London day ends at London midnight, in GMT and in BST, and across the clock changes', () => {
  const cases: [string, string][] = [
    ['2026-01-15', '2026-01-16T00:00:00.000Z'], // GMT
    ['2026-07-15', '2026-07-15T23:00:00.000Z'], // BST
    ['2026-03-28', '2026-03-29T00:00:00.000Z'], // clocks go forward at 01:00 GMT on the 29th
    ['2026-03-29', '2026-03-29T23:00:00.000Z'],
    ['2026-10-24', '2026-10-24T23:00:00.000Z'], // clocks go back at 01:00 GMT on the 25th
    ['2026-10-25', '2026-10-26T00:00:00.000Z'],
    ['2026-12-31', '2027-01-01T00:00:00.000Z'],
  ];
  for (const [date, iso] of cases) assert.equal(endOfLondonDay(date).toISOString(), iso, date);
});
