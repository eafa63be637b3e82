// The transfers module's inputs (schemas.ts): the rules across fields, the messages a user sees, and the API schema
// taking what the form adapter takes.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Value } from '@sinclair/typebox/value';
import {
  MeetingInput,
  PointInput,
  ReturnInput,
  SuspensionInput,
  TransferRequestInput,
  VersionInput,
} from './schemas.ts';

const ctx = { today: '2026-11-23' };
const TEAM = '00000000-0000-4000-8000-000000000001';
const OTHER = '00000000-0000-4000-8000-000000000002';

test('a handover meeting needs its date when held, and why not when not', () => {
  assert.deepEqual(MeetingInput.read({ meeting_held: 'yes' }, ctx).errors, {
    meeting_date: 'Enter the date of the handover meeting',
  });
  assert.deepEqual(MeetingInput.read({ meeting_held: 'no' }, ctx).errors, {
    meeting_not_possible_reason: 'Enter why a handover meeting is not possible',
  });
  assert.deepEqual(MeetingInput.read({}, ctx).errors, {
    meeting_held: 'Say whether a handover meeting with the child and carer is taking place',
  });
  const form = MeetingInput.read(
    { meeting_held: 'yes', 'meeting_date-day': '20', 'meeting_date-month': '11', 'meeting_date-year': '2026' },
    ctx,
  );
  assert.deepEqual(form, {
    input: { meeting_held: 'yes', meeting_date: '2026-11-20', meeting_not_possible_reason: null, version: null },
    errors: {},
  });
  assert.match(
    MeetingInput.read({ meeting_held: 'yes', meeting_date: '2026-11-24' }, ctx).errors.meeting_date ?? '',
    /must be today or in the past/,
  );
  assert.match(
    MeetingInput.read({ meeting_held: 'yes', meeting_date: '2026-02-30' }, ctx).errors.meeting_date ?? '',
    /must be a real date/,
  );
});

test('missing work: one item a line, at most 30, and blank lines do not count', () => {
  assert.equal(
    ReturnInput.read({ missing_work: ' \n \n' }, ctx).errors.missing_work,
    'Enter the missing work, one item a line',
  );
  const many = Array.from({ length: 31 }, (_, i) => `Item ${i}`).join('\n');
  assert.equal(
    ReturnInput.read({ missing_work: many }, ctx).errors.missing_work,
    'List at most 30 items of missing work',
  );
  assert.deepEqual(ReturnInput.read({ missing_work: 'Chronology\n\nCP plan', version: '3' }, ctx).errors, {});
  assert.equal(
    ReturnInput.read({ missing_work: 'x', version: 'three' }, ctx).errors.version?.startsWith('Version'),
    true,
  );
});

test('a suspension ends on or after its start and within 90 days', () => {
  const body = { part: 'handover_meeting', reason: 'r', impact: 'i', mitigations: 'm', starts_date: '2026-11-23' };
  assert.match(
    SuspensionInput.read({ ...body, ends_date: '2027-03-01' }, ctx).errors.ends_date ?? '',
    /within 90 days/,
  );
  assert.match(SuspensionInput.read({ ...body, ends_date: '2026-11-22' }, ctx).errors.ends_date ?? '', /on or after/);
  assert.deepEqual(SuspensionInput.read({ ...body, ends_date: '2027-02-21' }, ctx).errors, {});
  assert.equal(
    SuspensionInput.read({ ...body, part: 'send' }, ctx).errors.part,
    'Choose the part of the protocol to suspend',
  );
});

test('a transfer point: a different team, an age for an age point, a case type for a step', () => {
  const same = PointInput.read({ from_team_id: TEAM, to_team_id: TEAM, direction: 'age', at_age: '16' }, ctx);
  assert.deepEqual(same.errors, { to_team_id: 'Choose a team other than the one the case moves from' });
  const noAge = PointInput.read({ from_team_id: TEAM, to_team_id: OTHER, direction: 'age' }, ctx);
  assert.deepEqual(noAge.errors, { at_age: 'Enter the age at which the case moves, for example 16' });
  const noType = PointInput.read({ from_team_id: TEAM, to_team_id: OTHER, direction: 'step_down' }, ctx);
  assert.match(noType.errors.case_type ?? '', /whose end moves the case \(step down\)/);
  assert.equal(
    PointInput.read({ from_team_id: TEAM, to_team_id: OTHER, direction: 'age', at_age: '26' }, ctx).errors.at_age,
    'Age must be a whole number from 0 to 25',
  );
});

test('the API schema takes what the form adapter takes, and refuses fields it does not know', () => {
  const request = { involvement_id: TEAM, to_team_id: OTHER, reason: 'Turned 16' };
  assert.deepEqual(TransferRequestInput.read(request, ctx).errors, {});
  assert.ok(Value.Check(TransferRequestInput.schema, request));
  assert.ok(!Value.Check(TransferRequestInput.schema, { ...request, extra: 1 }));
  assert.ok(Value.Check(VersionInput.schema, {}));
  assert.ok(Value.Check(VersionInput.schema, { version: 4 }));
  assert.ok(!Value.Check(VersionInput.schema, { version: 'four' }));
});
