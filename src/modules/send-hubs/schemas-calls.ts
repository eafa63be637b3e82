// SEND hubs (issue 13 parts 7 and 8): the telephone advice log's inputs (a call, the log's filters) and the hub
// dashboard's period, declared once for the pages and the API. Export names carry "Call" or "Dashboard" so they never
// clash with the other parts' schemas (schemas.ts re-exports them all).
import type { CallerType, CallTopic } from '../../db/schema-send-hubs.ts';
import { type Check, f, type InputOf, input } from '../../http/schema-input.ts';

export const CALLER_TYPES = ['senco', 'teacher', 'head', 'parent_carer', 'young_person', 'other_professional'] as const;
export const CALLER_TYPE_LABELS: Record<CallerType, string> = {
  senco: 'SENCO',
  teacher: 'Teacher',
  head: 'Head teacher',
  parent_carer: 'Parent carer',
  young_person: 'Young person',
  other_professional: 'Other professional',
};

export const CALL_TOPICS = [
  'communication_interaction',
  'cognition_learning',
  'semh',
  'sensory_physical',
  'graduated_response',
  'ehcp_process',
  'transition',
  'exclusion_attendance',
  'other',
] as const;
export const CALL_TOPIC_LABELS: Record<CallTopic, string> = {
  communication_interaction: 'Communication and interaction',
  cognition_learning: 'Cognition and learning',
  semh: 'Social, emotional and mental health',
  sensory_physical: 'Sensory and/or physical',
  graduated_response: 'The graduated response',
  ehcp_process: 'EHC needs assessment and plans',
  transition: 'Transition',
  exclusion_attendance: 'Exclusion and attendance',
  other: 'Other',
};

const notFuture =
  (label: string): Check<string> =>
  (v, { today }) =>
    v <= today ? { ok: true, value: v } : { ok: false, message: `${label} must be today or in the past` };

/** A call to the hub's advice line. The follow-up is optional, but its three parts go together; the young person
 *  is linked only when the caller may open their record (left out: the call stays anonymous). */
export const CallInput = input(
  {
    caller_type: f.choice('Who called', CALLER_TYPES, {
      required: true,
      missing: 'Choose who called, for example SENCO or parent carer',
      invalid: 'Choose who called from the list',
    }),
    setting_id: f.id('Setting', {
      hint: "One of the hub's settings; leave out (or null) when the call was not from or about a setting",
      invalid: "Choose the setting from the hub's settings, or leave it out",
    }),
    called_on: f.date('Date of the call', {
      required: true,
      missing: 'Enter the date of the call, for example 23 11 2026',
      invalid: 'Date of the call must be a real date, for example 23 11 2026',
      check: notFuture('Date of the call'),
    }),
    topic: f.choice('Topic', CALL_TOPICS, {
      required: true,
      missing: 'Choose the topic of the call',
      invalid: 'Choose the topic of the call from the list',
    }),
    advice: f.text('Advice given', 8000, {
      required: true,
      missing: 'Enter the advice given, for example Shared the graduated response tool and ideas for visual supports',
    }),
    signposted_to: f.text('Signposted to', 500, { hint: 'Services or resources the caller was pointed to' }),
    follow_up: f.text('Follow-up', 2000, { hint: 'What the hub will do next; give an owner and a due date with it' }),
    follow_up_owner_id: f.id('Owner of the follow-up', {
      hint: 'A member of staff of this hub',
      invalid: "Choose the owner of the follow-up from the hub's staff",
    }),
    follow_up_due: f.date('Follow-up due date', {
      invalid: 'Follow-up due date must be a real date, for example 30 11 2026',
    }),
    person_id: f.id('Young person', {
      hint: 'A young person whose record you may open; leave out (or null) to keep the call anonymous',
      invalid: 'Choose the young person from the list, or keep the call anonymous',
    }),
  },
  {
    check: (v) => {
      const errors: Record<string, string> = {};
      const what = Boolean(v.follow_up);
      const owner = Boolean(v.follow_up_owner_id);
      const due = Boolean(v.follow_up_due);
      if (what || owner || due) {
        if (!what) errors.follow_up = 'Enter the follow-up, or leave its owner and due date empty';
        if (!owner) errors.follow_up_owner_id = 'Choose who owns the follow-up, or leave the follow-up empty';
        if (!due)
          errors.follow_up_due = 'Enter the follow-up due date, for example 30 11 2026, or leave the follow-up empty';
      }
      if (v.follow_up_due && v.called_on && v.follow_up_due < v.called_on)
        errors.follow_up_due = 'Follow-up due date must be on or after the date of the call';
      return errors;
    },
  },
);
export type CallInput = InputOf<typeof CallInput>;

/** The advice log's filters: a month (YYYY-MM), a topic, a caller type; each optional. */
export const CallFilterInput = input({
  month: f.text('Month', 7, {
    hint: 'YYYY-MM, for example 2026-11',
    invalid: 'Month must be in the form YYYY-MM, for example 2026-11',
    check: (v) =>
      /^\d{4}-(0[1-9]|1[0-2])$/.test(v)
        ? { ok: true, value: v }
        : { ok: false, message: 'Month must be in the form YYYY-MM, for example 2026-11' },
  }),
  topic: f.choice('Topic', CALL_TOPICS, { invalid: 'Choose the topic from the list, or all topics' }),
  caller_type: f.choice('Who called', CALLER_TYPES, { invalid: 'Choose who called from the list, or everyone' }),
});
export type CallFilterInput = InputOf<typeof CallFilterInput>;

/** The periods the dashboard offers, in months back from today. */
export const DASHBOARD_PERIODS = ['1', '3', '6', '12', '24'] as const;
export const DashboardPeriodInput = input({
  months: f.choice('Period', DASHBOARD_PERIODS, {
    invalid: 'Choose the period from the list: 1, 3, 6, 12 or 24 months',
    fallback: () => '12' as const,
  }),
});
export type DashboardPeriodInput = InputOf<typeof DashboardPeriodInput>;
