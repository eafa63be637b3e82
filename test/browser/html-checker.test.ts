// The W3C HTML checker that every browser journey runs at close() must be able to fail: a page with the two
// faults the record page once had (a non-ISO <time datetime>, a duplicate id) gives both errors, a valid one none.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { htmlErrors } from './harness.ts';

const page = (body: string) =>
  `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Check</title></head><body>${body}</body></html>`;

test('the W3C HTML checker reports a bad datetime and a duplicate id, and nothing on a valid page', async () => {
  const errors = await htmlErrors([
    { where: '/bad', html: page('<time datetime="Sat Dec 05 2026">5 December</time><p id="a">x</p><p id="a">y</p>') },
    { where: '/good', html: page('<time datetime="2026-12-05">5 December 2026</time><p id="a">x</p>') },
  ]);
  assert.equal(errors.length, 2, errors.join('\n'));
  assert.ok(
    errors.every((e) => e.startsWith('/bad ')),
    errors.join('\n'),
  );
  assert.match(errors[0] ?? '', /datetime/);
  assert.match(errors[1] ?? '', /Duplicate ID/);
});
