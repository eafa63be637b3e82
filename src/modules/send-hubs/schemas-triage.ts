// SEND hubs (issue 13 parts 4, 5, 6): the inputs of triage meetings, triage outcomes, the Navigator's work (support
// plan actions, contact log, support started, review) and the locality team's answer, declared once: the API
// validates and documents them with `.schema`, the pages and the API read them with `.read`/`.parse` (one message
// per field, naming it and the fix). The code lists are the words the pages show.
import type { FieldErrors } from '../../http/forms.ts';
import { type Check, f, type InputOf, input } from '../../http/schema-input.ts';

const keys = <T extends Record<string, string>>(o: T) => Object.keys(o) as (keyof T & string)[];

export const TRIAGE_OUTCOMES = {
  advice: 'Advice and signposting',
  first_support: 'First SEND Support from the hub’s services',
  further_support: 'Further SEND Support: refer to the locality team',
  ehc_assessment: 'Request an EHC needs assessment',
  more_info: 'More information needed',
  declined: 'Declined, with a reason and a suggested alternative',
} as const;

export const REVIEW_DECISIONS = {
  continue: 'Support continues: set the next review',
  further_support: 'Further SEND Support: refer to the locality team',
  ehc_assessment: 'Request an EHC needs assessment',
  closed: 'Close: needs met',
} as const;

export const LOCALITY_DECISIONS = {
  accept: 'Accept and allocate a worker',
  return: 'Return to the hub’s triage',
} as const;

export const CONTACT_WITH = {
  parent_carer: 'Parent carer',
  setting: 'The setting',
  young_person: 'The young person',
  other_agency: 'Another agency',
} as const;

export const CONTACT_METHODS = {
  phone: 'Phone',
  visit: 'Visit',
  email: 'Email',
  meeting: 'Meeting',
  video: 'Video call',
} as const;

const notFuture =
  (label: string): Check<string> =>
  (v, { today }) =>
    v <= today ? { ok: true, value: v } : { ok: false, message: `${label} must be today or in the past` };
const notPast =
  (label: string): Check<string> =>
  (v, { today }) =>
    v >= today ? { ok: true, value: v } : { ok: false, message: `${label} must be today or in the future` };

const dateOf = (label: string, o: { past?: boolean; future?: boolean } = {}) =>
  f.date(label, {
    invalid: `${label} must be a real date, for example 20 11 2026`,
    ...(o.past ? { check: notFuture(label) } : o.future ? { check: notPast(label) } : {}),
  });
const requiredDate = (label: string, o: { future?: boolean } = {}) =>
  f.date(label, {
    required: true,
    missing: `Enter the ${label.toLowerCase()}, for example 20 11 2026`,
    invalid: `${label} must be a real date, for example 20 11 2026`,
    ...(o.future ? { check: notPast(label) } : {}),
  });
const todayIfEmpty = (label: string) =>
  f.date(label, {
    invalid: `${label} must be a real date, for example 20 11 2026`,
    check: notFuture(label),
    fallback: ({ today }) => today,
  });
const needed = (label: string, max: number, missing: string) => f.text(label, max, { required: true, missing });

export const MeetingInput = input({
  meeting_date: requiredDate('Meeting date'),
  chair_user_id: f.id('Chair', { invalid: 'Choose the chair from the list, or leave it empty' }),
  attendees: f.text('Who attends', 2000, { hint: 'The services and people at the triage, for example EP, SALT' }),
});
export type MeetingInput = InputOf<typeof MeetingInput>;

/** Marking a meeting held; `next`: schedule the next one a week later on the hub's triage day. */
export const MeetingHeldInput = input({
  next: f.yesno('Schedule the next meeting', { fallback: () => true }),
});
export type MeetingHeldInput = InputOf<typeof MeetingHeldInput>;

/** What an outcome needs, by outcome: the message for each field left empty. */
const OUTCOME_NEEDS: Record<keyof typeof TRIAGE_OUTCOMES, [string, string][]> = {
  advice: [
    ['advice_given', 'Enter the advice given to the setting'],
    ['signposted_to', 'Enter where the setting was signposted, for example the Local Offer’s autism pages'],
  ],
  first_support: [
    ['hub_service_ids', 'Choose at least one hub service that will give the support'],
    ['navigator_id', 'Choose the Navigator who will coordinate the support'],
  ],
  further_support: [['further_reason', 'Enter why Further SEND Support from the locality team is needed']],
  ehc_assessment: [['coordinator_id', 'Choose the EHCP coordinator who will take the request']],
  more_info: [['info_needed', 'Enter what information the hub needs from the setting']],
  declined: [
    ['decline_reason', 'Enter the reason the hub cannot offer support'],
    ['decline_alternative', 'Enter a suggested alternative: the hub tries not to say no'],
  ],
};

export const OutcomeInput = input(
  {
    outcome: f.choice('Outcome', keys(TRIAGE_OUTCOMES), {
      required: true,
      missing: 'Choose the outcome of triage',
      invalid: `Choose the outcome of triage: ${keys(TRIAGE_OUTCOMES).join(', ')}`,
    }),
    meeting_id: f.id('Triage meeting', { invalid: 'Choose a triage meeting of this hub, or leave it empty' }),
    advice_given: f.text('Advice given', 5000),
    signposted_to: f.text('Signposted to', 1000),
    hub_service_ids: f.ids('Hub services', { invalid: 'Choose the hub services from the list' }),
    navigator_id: f.id('Navigator', { invalid: 'Choose the Navigator from the list' }),
    further_reason: f.text('Why Further SEND Support', 5000),
    coordinator_id: f.id('EHCP coordinator', { invalid: 'Choose the EHCP coordinator from the list' }),
    info_needed: f.text('Information needed', 5000),
    decline_reason: f.text('Reason', 5000),
    decline_alternative: f.text('Suggested alternative', 5000),
  },
  {
    check: (v): FieldErrors => {
      if (!v.outcome) return {};
      const out: FieldErrors = {};
      for (const [field, message] of OUTCOME_NEEDS[v.outcome]) {
        const value = v[field as keyof typeof v];
        if (value === null || value === undefined || (Array.isArray(value) && value.length === 0)) out[field] = message;
      }
      return out;
    },
  },
);
export type OutcomeInput = InputOf<typeof OutcomeInput>;

export const InfoReceivedInput = input({
  received_on: todayIfEmpty('Date received'),
  info_received: needed('Information received', 5000, 'Enter what information the setting sent'),
});
export type InfoReceivedInput = InputOf<typeof InfoReceivedInput>;

export const NavigatorInput = input({
  navigator_id: f.id('Navigator', {
    required: true,
    missing: 'Choose the Navigator from the list',
    invalid: 'Choose the Navigator from the list',
  }),
});
export type NavigatorInput = InputOf<typeof NavigatorInput>;

export const SupportActionInput = input({
  description: needed('Action', 1000, 'Enter the action, for example Specialist teacher observes in class'),
  owner_user_id: f.id('Owner', {
    required: true,
    missing: 'Choose who owns the action',
    invalid: 'Choose who owns the action from the list',
  }),
  due_date: requiredDate('Due date', { future: true }),
});
export type SupportActionInput = InputOf<typeof SupportActionInput>;

export const ContactInput = input({
  contact_on: todayIfEmpty('Date of contact'),
  with_whom: f.choice('With whom', keys(CONTACT_WITH), {
    required: true,
    missing: 'Choose who the contact was with',
    invalid: `Choose who the contact was with: ${keys(CONTACT_WITH).join(', ')}`,
  }),
  method: f.choice('How', keys(CONTACT_METHODS), {
    required: true,
    missing: 'Choose how the contact happened',
    invalid: `Choose how the contact happened: ${keys(CONTACT_METHODS).join(', ')}`,
  }),
  summary: needed('Summary', 5000, 'Enter a summary of the contact'),
});
export type ContactInput = InputOf<typeof ContactInput>;

export const SupportStartedInput = input({
  started_on: todayIfEmpty('Date support started'),
  review_date: dateOf('Review date', { future: true }),
});
export type SupportStartedInput = InputOf<typeof SupportStartedInput>;

export const SupportReviewInput = input(
  {
    decision: f.choice('Decision', keys(REVIEW_DECISIONS), {
      required: true,
      missing: 'Choose what the review decided',
      invalid: `Choose what the review decided: ${keys(REVIEW_DECISIONS).join(', ')}`,
    }),
    notes: needed('What the review found', 5000, 'Enter what the review found'),
    next_review: dateOf('Next review date', { future: true }),
    further_reason: f.text('Why Further SEND Support', 5000),
    coordinator_id: f.id('EHCP coordinator', { invalid: 'Choose the EHCP coordinator from the list' }),
  },
  {
    check: (v): FieldErrors => {
      if (v.decision === 'further_support' && !v.further_reason)
        return { further_reason: 'Enter why Further SEND Support from the locality team is needed' };
      if (v.decision === 'ehc_assessment' && !v.coordinator_id)
        return { coordinator_id: 'Choose the EHCP coordinator who will take the request' };
      return {};
    },
  },
);
export type SupportReviewInput = InputOf<typeof SupportReviewInput>;

export const LocalityInput = input(
  {
    decision: f.choice('Decision', keys(LOCALITY_DECISIONS), {
      required: true,
      missing: 'Choose whether the locality team accepts the referral or returns it',
      invalid: 'Choose accept or return',
    }),
    worker_id: f.id('Worker', { invalid: 'Choose the worker from the list' }),
    reason: f.text('Reason for returning it', 5000),
  },
  {
    check: (v): FieldErrors => {
      if (v.decision === 'accept' && !v.worker_id)
        return { worker_id: 'Choose the worker from the locality team who will hold the case' };
      if (v.decision === 'return' && !v.reason) return { reason: 'Enter why the referral goes back to the hub' };
      return {};
    },
  },
);
export type LocalityInput = InputOf<typeof LocalityInput>;
