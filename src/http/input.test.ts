// The one input rule (quality.md S13, issue 9 finding 7): which characters are refused, and how fields are named.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { badCharacter, inputErrors } from './input.ts';

test('C0 and C1 controls, DEL and lone surrogates are refused; tab, CR, LF and all real Unicode are kept', () => {
  for (const c of ['\u0000', '\u0001', '\u0008', '\u000b', '\u000c', '\u001b', '\u007f', '\u0085', '\u009f'])
    assert.equal(badCharacter(`a${c}b`), 'control', JSON.stringify(c));
  for (const c of ['\ud800', '\udfff', 'x\ud83d']) assert.equal(badCharacter(`a${c}b`), 'invalid', JSON.stringify(c));
  for (const ok of [
    'tab\there',
    'line\r\nline',
    'emoji 😀',
    '\u202Ertl',
    'e\u0301',
    '👩\u200D👩',
    '𠜎',
    '\u00a0nbsp',
    '',
  ])
    assert.equal(badCharacter(ok), null, JSON.stringify(ok));
});

test('fields are named as the error handler names them, nested ones with dots', () => {
  assert.deepEqual(inputErrors({ given_name: 'a\u0000', notes: 'fine' }, 'body'), {
    given_name: 'Remove the control character from given name',
  });
  assert.deepEqual(inputErrors({ goals: [{ text: 'ok' }, { text: '\ud800' }] }, 'body'), {
    'goals.1.text': 'Remove the character that is not valid text from goals 1 text',
  });
  assert.deepEqual(inputErrors({ 'bad\u0000key': 'x' }, 'query'), {
    query: 'Remove the control character from a field name',
  });
  assert.deepEqual(inputErrors('a\u0001', 'body'), { body: 'Remove the control character from body' });
  assert.deepEqual(inputErrors(undefined, 'params'), {});
});
