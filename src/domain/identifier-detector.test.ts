// The identifier detector (quality.md S14, S15): every disguised form of a canary is flagged; ordinary text is not.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { detectIdentifiers, type FindingKind, findingKey, normalise } from './identifier-detector.ts';

const NAMES = ['Zephyrine', 'Quockerwodger', 'Zeph', 'Marjoribanks Quockerwodger', 'Orlaith Brackenbury'];

/** The 17 variant forms of issue 9, finding 2, with the kind each must be flagged as. */
export const VARIANTS: [label: string, text: string, kind: FindingKind][] = [
  ['date of birth written out', 'born on the 27th of March 2009', 'date'],
  ['date of birth, month first', 'born March 27 2009', 'date'],
  ['date of birth with dots', 'DOB 27.03.09', 'date'],
  ['NHS number with dots', 'NHS 943.476.5919', 'nhs_number'],
  ['NHS number with odd spaces', 'NHS 94 34 76 59 19', 'nhs_number'],
  ['UPN with spaces', 'UPN A999 1234 5678 9', 'upn'],
  ['postcode without a space', 'lives near EX81ZZ', 'postcode'],
  ['case number with a space', 'see HO 123987', 'case_number'],
  ['zero-width characters inside the name', 'Zeph\u200Byrine is worried', 'name'],
  ['Cyrillic look-alike letters', 'Quосkеrwоdgеr family', 'name'],
  ['accented name', 'Zéphyrïne said no', 'name'],
  ['nickname', 'Zephy wants to stay local', 'name'],
  ['another person’s name (a contact)', 'Marjoribanks cannot drive', 'name'],
  ['another young person’s name', 'shares a flat with Orlaith', 'name'],
  ['full-width digits', 'NHS ９４３４７６５９１９', 'nhs_number'],
  ['email address', 'write to mq @ example.org', 'email'],
  ['phone number', 'ring 01632 960555', 'phone'],
];

for (const [label, text, kind] of VARIANTS) {
  test(`flags ${label}`, () => {
    const found = detectIdentifiers(text, { names: NAMES });
    assert.ok(
      found.some((f) => f.kind === kind),
      `${label}: ${JSON.stringify(found)}`,
    );
    for (const f of found) assert.equal(text.slice(f.start, f.end), f.excerpt, 'offsets point into the input');
  });
}

test('ordinary text about needs and services is not flagged', () => {
  const text =
    'Needs supported living from 18 and a personal assistant three days a week. Adult social care and the ' +
    'CAMHS team disagree about who funds it. The forum met twice and could not agree which service is responsible.';
  assert.deepEqual(detectIdentifiers(text, { names: NAMES }), []);
});

test('findings give the excerpt as written and merge overlaps', () => {
  const text = 'Zeph\u200Byrine (HO 123987) at 17 Canary Lane';
  const found = detectIdentifiers(text, { names: NAMES });
  assert.deepEqual(
    found.map((f) => [f.kind, f.excerpt]),
    [
      ['name', 'Zeph\u200Byrine'],
      ['case_number', 'HO 123987'],
      ['address', '17 Canary Lane'],
    ],
  );
});

test('normalise maps look-alikes and removes zero-width and accents, keeping offsets', () => {
  const n = normalise('Zé\u200Bрh');
  assert.equal(n.text, 'Zeph');
  assert.deepEqual(n.from, [0, 1, 3, 4]);
});

test('a finding key is the same however the text was disguised', () => {
  assert.equal(findingKey({ kind: 'name', excerpt: 'Zéph\u200B' }), findingKey({ kind: 'name', excerpt: 'zeph' }));
});

test('nicknames of known names are flagged, everyday words are not', () => {
  const found = detectIdentifiers('Liz will ring the team', { names: ['Elizabeth Smith', 'William Jones'] });
  assert.deepEqual(
    found.map((f) => f.excerpt),
    ['Liz'],
  );
});
