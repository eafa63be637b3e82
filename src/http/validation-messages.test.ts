import assert from 'node:assert/strict';
import test from 'node:test';
import { fieldMessages } from './validation-messages.ts';

test('a choice refused is answered with every value it may take, not its first branch', () => {
  const refusals = ['reception', 'secondary', 'post16'].map((v) => ({
    keyword: 'const',
    instancePath: '/phase',
    params: { allowedValue: v },
  }));
  refusals.push({ keyword: 'anyOf', instancePath: '/phase', params: {} as { allowedValue: string } });
  assert.deepEqual(fieldMessages(refusals, 'querystring'), {
    phase: 'phase must be one of: "reception", "secondary", "post16"',
  });
});

test('otherwise the first, most specific refusal of each property is kept', () => {
  const fields = fieldMessages(
    [
      { keyword: 'format', instancePath: '/date', params: { format: 'date' } },
      { keyword: 'anyOf', instancePath: '/date', params: {} },
      { keyword: 'required', instancePath: '', params: { missingProperty: 'reason' } },
      { keyword: 'const', instancePath: '/kind', params: { allowedValue: 'only' } },
    ],
    'body',
  );
  assert.deepEqual(fields, {
    date: 'date must be a date like 2009-12-15',
    reason: 'reason is required',
    kind: 'kind must be "only"',
  });
});
