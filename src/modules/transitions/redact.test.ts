// Pseudonyms and the age phrases of the pseudonymised panels. The substring redactor is gone (issue 9 finding 2):
// the canary tests are src/domain/identifier-detector.test.ts and test/panel-canaries.test.ts (S15).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { eighteenthBirthday, pseudonym, turns18Phrase } from './redact.ts';

test('pseudonyms, 18th birthdays and the countdown', () => {
  assert.deepEqual([0, 1, 25, 26].map(pseudonym), [
    'Young person A',
    'Young person B',
    'Young person Z',
    'Young person AA',
  ]);
  assert.equal(eighteenthBirthday('2008-02-29'), '2026-03-01');
  assert.equal(eighteenthBirthday('2010-02-29'.replace('2010', '2012')), '2030-03-01');
  assert.equal(eighteenthBirthday('2009-03-27'), '2027-03-27');
  assert.equal(turns18Phrase('2009-03-27', '2026-11-23'), 'turns 18 in about 4 months');
  assert.equal(turns18Phrase('2008-11-23', '2026-11-23'), 'is 18 or over');
  assert.equal(turns18Phrase('2008-12-01', '2026-11-23'), 'turns 18 within a month');
});
