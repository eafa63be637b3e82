// The transitions module's inputs: the rules across fields (an owner or a due date only with an action, a reason
// only when declined, someone to refer to), the defaults a form leaves to them, and the confirmations of detector
// findings read as the detector keys them. Each message names its field.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Value } from '@sinclair/typebox/value';
import {
  ActionUpdateInput,
  AudienceSummaryInput,
  DecisionInput,
  MeetingInput,
  PlanInput,
  ReferralInput,
  ResponseInput,
  ReviewInput,
} from './schemas.ts';

const ctx = { today: '2026-12-05' };

test('a plan needs the young person’s words somewhere; its outcomes and stall days default from the form', () => {
  assert.deepEqual(PlanInput.read({ what_matters: '  ' }, ctx).errors, {
    what_matters: 'Enter what matters to the young person, in their own words',
  });
  const { input, errors } = PlanInput.read({ hopes: 'A flat with friends', risk_plan_agreed: 'yes' }, ctx);
  assert.deepEqual(errors, {});
  assert.equal(input.stall_days, 28);
  assert.deepEqual([input.risk_plan_agreed, input.pathway_agreed, input.what_matters], [true, false, null]);
  assert.deepEqual(PlanInput.read({ needs: 'x', stall_days: '400' }, ctx).errors, {
    stall_days: 'Days without an update before an action counts as stalled must be a whole number from 1 to 365',
  });
});

test('a panel decision with an action for the plan needs its owner and due date; without one it needs neither', () => {
  assert.deepEqual(DecisionInput.read({ decision: 'Noted' }, ctx).errors, {});
  assert.deepEqual(DecisionInput.read({ decision: 'Agreed', action_description: 'Find a provider' }, ctx).errors, {
    owner_user_id: 'Choose who owns the action: a named person or a service',
    due_date: 'Enter when the action is due, for example 15 1 2027',
  });
  const owned = DecisionInput.read(
    {
      decision: 'Agreed',
      action_description: 'Find a provider',
      owner_service_id: '00000000-0000-4000-8000-000000000001',
      'due_date-day': '15',
      'due_date-month': '1',
      'due_date-year': '2027',
      close_item: 'yes',
    },
    ctx,
  );
  assert.deepEqual(owned.errors, {});
  assert.deepEqual([owned.input.due_date, owned.input.close_item], ['2027-01-15', true]);
});

test('a referral names a service or a person; its response date is not in the past', () => {
  const base = { reason: 'Assessment', basis: 'consent', basis_detail: 'Agreed at the plan meeting' };
  assert.deepEqual(ReferralInput.read(base, ctx).errors, {
    to_service_id: 'Choose the service or the person you are referring to',
  });
  // A person chosen badly is that field's problem only.
  assert.deepEqual(ReferralInput.read({ ...base, to_user_id: 'someone' }, ctx).errors, {
    to_user_id: 'Choose the person referred to from the list',
  });
  const to = { to_service_id: '00000000-0000-4000-8000-000000000001' };
  assert.deepEqual(ReferralInput.read({ ...base, ...to, response_due: '2026-12-04' }, ctx).errors, {
    response_due: 'Response due date must be today or later',
  });
  assert.deepEqual(ReferralInput.read({ ...base, ...to, basis: 'hunch' }, ctx).errors, {
    basis: 'Choose whether the young person consented or another lawful basis applies',
  });
});

test('a declined referral needs the reason; every response needs the version read', () => {
  assert.deepEqual(ResponseInput.read({ status: 'declined', version: '2' }, ctx).errors, {
    decline_reason: 'Enter why the referral was declined',
  });
  assert.deepEqual(ResponseInput.read({ status: 'accepted' }, ctx).errors, {
    version: 'version is required: send the version you read',
  });
  assert.deepEqual(ResponseInput.read({ status: 'accepted', version: 2 }, ctx).input, {
    status: 'accepted',
    decline_reason: null,
    version: 2,
  });
  assert.deepEqual(ActionUpdateInput.read({ description: 'x', status: 'stuck', version: 1 }, ctx).errors, {
    status: 'Choose a status: Not started, In progress, Done, Cancelled',
  });
});

test('dates: a review is today or earlier (today when left out); a meeting is today or later', () => {
  const review = { attendees: 'The young person and the teams', notes: 'Going well' };
  assert.equal(ReviewInput.read(review, ctx).input.review_date, ctx.today);
  assert.deepEqual(ReviewInput.read({ ...review, review_date: '2026-12-06' }, ctx).errors, {
    review_date: 'Review date must be today or in the past',
  });
  assert.deepEqual(MeetingInput.read({ meeting_date: '2026-12-04' }, ctx).errors, {
    meeting_date: 'Date of the meeting must be today or later',
  });
  assert.deepEqual(MeetingInput.read({ 'meeting_date-day': '31', 'meeting_date-month': '2' }, ctx).errors, {
    meeting_date: 'Date of the meeting must be a real date, for example 10 12 2026',
  });
});

test('a panel summary: categories from the list, confirmations read as the detector keys them, once each', () => {
  const { input, errors } = AudienceSummaryInput.read(
    {
      summary: 'Needs supported living',
      needs_categories: ['accommodation', 'accommodation'],
      confirm: ['name:Zeph', 'name:  ZEPH '],
    },
    ctx,
  );
  assert.deepEqual(errors, {});
  assert.deepEqual([input.needs_categories, input.confirm, input.version], [['accommodation'], ['name:zeph'], null]);
  assert.match(
    AudienceSummaryInput.read({ summary: 'x', needs_categories: 'pets' }, ctx).errors.needs_categories ?? '',
    /^Needs categories must be from the list: accommodation/,
  );
  // The API schema takes the same body, and nothing else.
  assert.ok(Value.Check(AudienceSummaryInput.schema, { summary: 'x', confirm: ['name:zeph'], version: 2 }));
  assert.ok(!Value.Check(AudienceSummaryInput.schema, { summary: 'x', extra: true }));
});
