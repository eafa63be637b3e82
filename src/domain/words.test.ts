import assert from 'node:assert/strict';
import { test } from 'node:test';
import { hasWords, visibleText, wordsIn } from './words.ts';

test('invisible and format characters are removed before counting words', () => {
  assert.equal(visibleText('\u200B\u200C\u200D\u2060\uFEFF\u00AD'), '');
  assert.equal(visibleText('po\u200Blice  call'), 'police call');
  assert.equal(visibleText('ｐｏｌｉｃｅ'), 'police', 'full-width letters are normalised');
  assert.deepEqual(wordsIn('A&E at 3am: child’s GP'), ['at', 'am', 'child’s', 'GP'], 'single letters are not words');
});

test('reasons of zero-width spaces, dots or symbols are not words', () => {
  for (const junk of [
    '\u200B'.repeat(20),
    '.'.repeat(20),
    '. . . . . . . . . .',
    '1234567890 123',
    '\u2800\u3164\u3164\u3164\u3164\u3164\u3164\u3164\u3164\u3164',
    'x x x x x x x x x x',
    'aaaaaaaaaaaa',
  ])
    assert.equal(hasWords(junk), false, JSON.stringify(junk));
});

test('real reasons, in any alphabet, are words', () => {
  for (const reason of [
    'Police called about a missing child',
    'Urgent safeguarding call',
    'Galwad brys gan yr heddlu',
    'Звонок из полиции срочно',
    'Strategy meeting at 9am',
  ])
    assert.equal(hasWords(reason), true, reason);
});
