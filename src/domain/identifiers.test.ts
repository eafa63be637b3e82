import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkNhsNumber, checkUpn, formatNhsNumber, upnCheckLetter } from './identifiers.ts';

test('NHS numbers pass or fail on their modulus-11 check digit', () => {
  const cases: [string, boolean][] = [
    ['9434765919', true],
    ['943 476 5919', true],
    ['943-476-5919', true],
    ['4010232137', true],
    ['9434765918', false], // wrong check digit
    ['9434765910', false],
    ['1000000010', false], // remainder gives 10: never issued
    ['943476591', false], // nine digits
    ['94347659190', false],
    ['94347A5919', false],
    ['', false],
  ];
  for (const [input, ok] of cases) assert.equal(checkNhsNumber(input).ok, ok, input);
  const bad = checkNhsNumber('12');
  assert.equal(bad.ok, false);
  if (!bad.ok) assert.match(bad.message, /10 digits/);
  assert.equal(formatNhsNumber('9434765919'), '943 476 5919');
});

test('UPNs pass or fail on their check letter', () => {
  const body = '801200112001';
  const letter = upnCheckLetter(body);
  assert.ok(letter);
  // Worked by hand: digits × positions 2..13 = 8·2+0+1·4+2·5+0+0+1·8+1·9+2·10+0+0+1·13 = 80; 80 mod 23 = 11 → 'M'.
  assert.equal(letter, 'M');
  assert.deepEqual(checkUpn(`M${body}`), { ok: true, value: `M${body}` });
  assert.deepEqual(checkUpn(`m ${body}`), { ok: true, value: `M${body}` });
  assert.equal(checkUpn(`A${body}`).ok, false);
  assert.equal(checkUpn('M80120011200').ok, false);
  assert.equal(checkUpn('180120011200X').ok, false);
  // Temporary UPNs end in a letter; its value is its place in the check-letter alphabet.
  const temp = '80120011200A';
  assert.equal(checkUpn(`${upnCheckLetter(temp)}${temp}`).ok, true);
  assert.equal(upnCheckLetter('80120011200I'), null); // I and O are not used in UPNs
});

test('the UPN message’s own example passes the check', () => {
  const bad = checkUpn('x');
  assert.equal(bad.ok, false);
  const example = /for example ([A-Z0-9]{13})/.exec(bad.ok ? '' : bad.message)?.[1] ?? '';
  assert.deepEqual(checkUpn(example), { ok: true, value: example });
});
