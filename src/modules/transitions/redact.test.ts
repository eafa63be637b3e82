// The redactor and pseudonymised summaries (quality.md S15): canary values never survive.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { eighteenthBirthday, type Identity, pseudonym, pseudonymisedSummary, redact, turns18Phrase } from './redact.ts';

const canary: Identity = {
  givenName: 'Zephyrine',
  familyName: 'Quockerwodger',
  preferredName: 'Zeph',
  dateOfBirth: '2009-03-27',
  caseNumber: 'HO123987',
  nhsNumber: '9434765919',
  upn: 'A999123456789',
  address: '17 Canarywharf Lane, Exmouth',
  postcode: 'EX8 1ZZ',
  school: 'Bramblecombe Academy',
  contacts: [{ name: 'Marjoribanks Quockerwodger', phone: '01632 960 555', email: 'mq@example.org', address: null }],
};
const CANARIES = [
  'Zephyrine',
  'Quockerwodger',
  'Zeph',
  'Marjoribanks',
  'HO123987',
  '9434765919',
  '943 476 5919',
  'A999123456789',
  'Canarywharf',
  'EX8 1ZZ',
  'Bramblecombe',
  '01632 960 555',
  'mq@example.org',
  '2009-03-27',
  '27/03/2009',
  '27 March 2009',
];

test('the redactor removes every canary, in any case and spacing, and keeps ordinary words', () => {
  const text =
    'Zeph (Zephyrine QUOCKERWODGER, HO123987, NHS 943 476 5919, UPN a999123456789) lives at 17 Canarywharf Lane, Exmouth EX81ZZ; ' +
    'mum Marjoribanks on 01632960555 or mq@example.org; born 27/03/2009 (27 March 2009, 2009-03-27), at Bramblecombe Academy. ' +
    'Needs supported living and a Care Act assessment.';
  const out = redact(text, canary);
  for (const c of CANARIES)
    assert.doesNotMatch(out.toLowerCase(), new RegExp(c.toLowerCase().replace(/\s/g, '\\s?')), c);
  assert.match(out, /Needs supported living and a Care Act assessment/);
  // Generic shapes too: someone else's NHS number or postcode typed into the plan.
  assert.equal(
    redact('Sibling NHS 401 023 2137, postcode TQ1 2AB', canary),
    'Sibling NHS [removed], postcode [removed]',
  );
});

test('the summary says age, months to 18 and needs, and no identifier', () => {
  const s = pseudonymisedSummary(pseudonym(0), canary, '2026-11-23', {
    needs: 'Zeph needs supported accommodation near 17 Canarywharf Lane',
    blockedBy: 'No adult service will own the accommodation action (Quockerwodger family)',
    question: 'Which service is responsible?',
    issueType: 'unclear',
  });
  assert.match(s, /^Young person A, aged 17, turns 18 in about 4 months\./);
  assert.match(s, /Needs: \[removed\] needs supported accommodation near \[removed\]/);
  for (const c of CANARIES) assert.ok(!s.toLowerCase().includes(c.toLowerCase()), c);
});

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
