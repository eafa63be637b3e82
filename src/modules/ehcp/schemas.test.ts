// The EHCP inputs read a page form or an API body into typed input, with one message per field naming it and the fix.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  AdviceRequestInput,
  AssessmentRequestInput,
  DecisionInput,
  ExceptionInput,
  InviteAcceptInput,
} from './schemas.ts';

const ctx = { today: '2026-11-23' };
const uuid = '0b8c8f1e-3c1a-4c55-9a51-2f3e8d9b1a00';

test('a request: GOV.UK date boxes or an ISO date, not in the future; who asked from the list, and who when someone else', () => {
  assert.deepEqual(
    AssessmentRequestInput.read(
      { 'request_date-day': '7', 'request_date-month': '9', 'request_date-year': '2026', requested_by: 'parent' },
      ctx,
    ),
    { input: { request_date: '2026-09-07', requested_by: 'parent', requester_detail: null }, errors: {} },
  );
  assert.deepEqual(AssessmentRequestInput.read({ request_date: '2026-02-30', requested_by: 'aunt' }, ctx).errors, {
    request_date: 'The date of the request must be a real date, for example 21 12 2026',
    requested_by: 'Choose who asked for the assessment',
  });
  assert.deepEqual(AssessmentRequestInput.read({ request_date: '2026-11-24', requested_by: 'other' }, ctx).errors, {
    request_date: 'The date of the request must be today or in the past',
    requester_detail: 'Enter who asked',
  });
});

test('a decision: the version is a whole number if sent, and is not checked when left out', () => {
  const x = DecisionInput.parse({ decision: 'assess', decision_date: '2026-11-23', version: '3' }, ctx);
  assert.equal(x.version, 3);
  assert.equal(DecisionInput.parse({ decision: 'not_assess', decision_date: '2026-11-23' }, ctx).version, null);
  assert.deepEqual(DecisionInput.read({ decision_date: '2026-11-23', version: 'x' }, ctx).errors, {
    decision: 'Choose whether to carry out the assessment',
    version: 'Send the version of the assessment you read, a whole number',
  });
});

test('an exception ends on or after it began, and needs its evidence', () => {
  assert.deepEqual(
    ExceptionInput.read({ type: 'school_closure', start_date: '2026-11-10', end_date: '2026-11-01' }, ctx).errors,
    {
      end_date: 'The date the exception ended must be on or after the date it began',
      reason: 'Enter the evidence and reason',
    },
  );
});

test('advice is asked of someone on the list, or of someone invited with an address, a name and an organisation', () => {
  const base = { kind: 'health', question: 'Health needs?' };
  const staff = AdviceRequestInput.parse({ ...base, giver_user_id: uuid.toUpperCase() }, ctx);
  assert.equal(staff.giver_user_id, uuid, 'ids are lower-cased');
  assert.equal(staff.requested_date, '2026-11-23', 'left out: today');
  assert.deepEqual(AdviceRequestInput.read({ ...base, giver_user_id: 'invite', invite_email: 'x' }, ctx).errors, {
    invite_email: 'Enter the advice giver’s email address, like name@nhs.net',
    invite_name: 'Enter the advice giver’s full name (100 characters or fewer)',
    invite_service_id: 'Choose the organisation the advice giver works for',
  });
  assert.deepEqual(AdviceRequestInput.read({ ...base, giver_user_id: 'Fiona' }, ctx).errors, {
    giver_user_id: 'Choose who to ask for advice from the list',
  });
  const invited = AdviceRequestInput.parse(
    { ...base, giver_user_id: 'invite', invite_email: 'Nia@EP.example', invite_name: 'Nia', invite_service_id: uuid },
    ctx,
  );
  assert.equal(invited.invite_email, 'nia@ep.example');
});

test('an invitation is taken up with the address it was sent to and the same password twice, never trimmed', () => {
  const good = { email: ' a@ep.example ', password: ' correct horse battery ', confirm: ' correct horse battery ' };
  assert.deepEqual(InviteAcceptInput.read(good, ctx), {
    input: { email: 'a@ep.example', password: ' correct horse battery ', confirm: ' correct horse battery ' },
    errors: {},
  });
  assert.deepEqual(InviteAcceptInput.read({ ...good, confirm: 'correct horse battery' }, ctx).errors, {
    confirm: 'Enter the same password twice',
  });
  assert.match(InviteAcceptInput.read({ email: 'nope' }, ctx).errors.password ?? '', /at least 12 characters/);
  assert.equal(
    InviteAcceptInput.read({ email: 'nope' }, ctx).errors.email,
    'Enter the email address this invitation was sent to',
  );
});
