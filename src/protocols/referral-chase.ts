// Chasing the response to a referral (Devon 16-17 transitions protocol, step 4: "make a referral … chase and
// escalate"). The transitions module starts one instance per referral and records each response as an outcome;
// the referral's status on the pages and API is where its instance is. A council can change the response time,
// the ladder or the wording in its own version (docs/examples/referral-chase.yaml); it must keep these ids.
import { defineProtocol, type OutcomeIdOf, type StepIdOf } from '../domain/protocol/definition.ts';

/** Working days the receiving service has to respond, unless the referrer sets a date. */
export const REFERRAL_RESPONSE_WORKING_DAYS = 10;

const responseDue = {
  workingDays: REFERRAL_RESPONSE_WORKING_DAYS,
  from: 'referral',
  dueOn: 'response_due',
  source: 'Local referral standard: a response within 10 working days of the referral',
} as const;

const chase = [
  { action: 'remind' },
  { after: { workingDays: 3 }, action: 'notify', to: 'starter_line_manager' },
] as const;

export const referralChase = defineProtocol({
  id: 'referral-chase',
  version: 1,
  title: 'Chase a referral response',
  description:
    'When a worker refers a young person to a service or a person, make sure an answer comes back: the response is due 10 working days after the referral (or on the date the referrer sets); when it is overdue the referrer is reminded, and 3 working days later their line manager is told.',
  source: 'Devon County Council, Transitions protocol for professionals (modified 21 March 2025), step 4',
  inputs: [
    { name: 'to_user_id', label: 'Person referred to', type: 'user' },
    { name: 'to_service_id', label: 'Service referred to', type: 'service' },
  ],
  anchors: ['referral', 'response_due'],
  start: 'await_response',
  steps: [
    {
      id: 'await_response',
      title: 'Get a response to the referral',
      responsible: 'starter',
      guidance: 'Chase the service or person referred to. Record their answer on the plan (Referrals).',
      deadline: responseDue,
      overdue: chase,
      outcomes: [
        { id: 'accepted', label: 'Accepted', to: 'accepted' },
        { id: 'declined', label: 'Declined', end: 'declined' },
        { id: 'successful', label: 'Successful', end: 'successful' },
        { id: 'withdrawn', label: 'Withdrawn', end: 'withdrawn' },
      ],
    },
    {
      id: 'accepted',
      title: 'Accepted: find out whether the referral worked',
      responsible: 'starter',
      guidance: 'Record on the plan (Referrals) whether the referral was successful, declined or withdrawn.',
      deadline: responseDue,
      overdue: chase,
      outcomes: [
        { id: 'declined', label: 'Declined', end: 'declined' },
        { id: 'successful', label: 'Successful', end: 'successful' },
        { id: 'withdrawn', label: 'Withdrawn', end: 'withdrawn' },
      ],
    },
  ],
});

export type ReferralStep = StepIdOf<typeof referralChase>;
export type ReferralResponse = OutcomeIdOf<typeof referralChase>;
