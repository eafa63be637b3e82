// The input adapter (src/http/schema-input.ts) through the people module's schemas: a form body and an API body
// read to the same typed input; every problem is one message naming its field; the API schema takes what the form
// adapter takes.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Value } from '@sinclair/typebox/value';
import {
  ContactInput,
  InvolvementInput,
  NewPersonInput,
  PersonInput,
  PersonUpdateInput,
  StatusInput,
} from './schemas.ts';

const ctx = { today: '2026-12-05' };

test('a form with GOV.UK date boxes and an API body with an ISO date read to the same input', () => {
  const form = PersonInput.read(
    {
      given_name: ' Ada ',
      family_name: 'Lovelace',
      'date_of_birth-day': '7',
      'date_of_birth-month': '3',
      'date_of_birth-year': '2010',
      nhs_number: '943 476 5919',
      postcode: 'ex1 1aa',
      preferred_name: '',
    },
    ctx,
  );
  assert.deepEqual(form.errors, {});
  const api = PersonInput.read(
    {
      given_name: 'Ada',
      family_name: 'Lovelace',
      date_of_birth: '2010-03-07',
      nhs_number: '9434765919',
      postcode: 'EX1 1AA',
    },
    ctx,
  );
  assert.deepEqual(api.errors, {});
  assert.deepEqual(form.input, api.input);
  assert.equal(form.input.preferred_name, null);
  assert.equal(form.input.postcode, 'EX1 1AA');
  assert.equal(form.input.nhs_number, '9434765919');
  assert.ok(Value.Check(PersonInput.schema, api.input), 'what the adapter reads, the API schema accepts');
});

test('each problem is one message on its field, saying how to fix it', () => {
  const { errors } = PersonInput.read(
    {
      family_name: 'x'.repeat(101),
      'date_of_birth-day': '31',
      'date_of_birth-month': '2',
      'date_of_birth-year': '2010',
      nhs_number: '1234567890',
      postcode: 'nowhere',
      locality_id: 'not-an-id',
    },
    ctx,
  );
  assert.deepEqual(errors, {
    given_name: 'Enter the first name',
    family_name: 'Last name must be 100 characters or fewer',
    date_of_birth: 'Date of birth must be a real date, for example 27 3 2010',
    nhs_number: 'NHS number is not valid: check the digits, one may have been mistyped',
    postcode: 'Enter a real postcode, for example EX1 1AA',
    locality_id: 'Choose locality from the list',
  });
  assert.equal(
    PersonInput.read({ given_name: 'A', family_name: 'B', date_of_birth: '1990-01-01' }, ctx).errors.date_of_birth,
    'Date of birth must be within the last 26 years: Handover is for people aged 0 to 25',
  );
});

test('fallbacks, choices and yes/no', () => {
  const s = StatusInput.read({ status: 'child_in_need' }, ctx);
  assert.deepEqual(s, { input: { status: 'child_in_need', start_date: '2026-12-05' }, errors: {} });
  assert.match(StatusInput.read({ status: 'nonsense' }, ctx).errors.status ?? '', /^Choose a status from the list: /);
  assert.equal(
    StatusInput.read({ status: 'child_in_need', start_date: '2027-01-01' }, ctx).errors.start_date,
    'Start date must be today or in the past',
  );
  const c = ContactInput.read({ name: 'Jo', relationship: 'Mother', parental_responsibility: 'yes' }, ctx);
  assert.equal(c.input.parental_responsibility, true);
  assert.equal(
    ContactInput.read({ name: 'Jo', relationship: 'Mother', parental_responsibility: 'maybe' }, ctx).errors
      .parental_responsibility,
    'Choose yes or no for parental responsibility',
  );
  assert.deepEqual(InvolvementInput.read({ reason: 'CIN' }, ctx).errors, {
    team_id: 'Choose the team that is working with this young person',
  });
});

test('a UPN or why it is not known, never both: the refusal names the field and the fix', () => {
  const base = { given_name: 'Ada', family_name: 'Lovelace', date_of_birth: '2010-03-07' };
  const reason = PersonInput.read({ ...base, upn_unknown: 'UN2' }, ctx);
  assert.deepEqual(reason.errors, {});
  assert.equal(reason.input.upn_unknown, 'UN2');
  assert.equal(reason.input.upn, null);
  assert.equal(PersonInput.read({ ...base, upn_unknown: '' }, ctx).input.upn_unknown, null, 'None is no reason');
  assert.deepEqual(PersonInput.read({ ...base, upn: 'M801200112001', upn_unknown: 'UN2' }, ctx).errors, {
    upn_unknown: 'Give a UPN or why it is not known, not both: remove the UPN, or choose None for why it is not known',
  });
  assert.match(
    PersonInput.read({ ...base, upn_unknown: 'UN4' }, ctx).errors.upn_unknown ?? '',
    /^Choose why the UPN is not known from the list \(UN1, UN2, .*\), or leave it empty$/,
  );
  // The same rule on the change (with its version) and on a new record.
  assert.ok(
    PersonUpdateInput.read({ ...base, upn: 'M801200112001', upn_unknown: 'UN1', version: 1 }, ctx).errors.upn_unknown,
  );
  assert.ok(
    NewPersonInput.read({ ...base, upn: 'M801200112001', upn_unknown: 'UN1', team_id: crypto.randomUUID() }, ctx).errors
      .upn_unknown,
  );
});
