// The transitions module's inputs, declared once: the API validates and documents them with `.schema`, the pages
// and the API read them with `.parse(body, { today })`, and the services take the typed input. Messages name the
// field and the fix (GOV.UK error messages). Plans, actions and reviews; referrals and their responses; the forum
// referral form, a protocol started from an unowned action; panels, meetings, decisions, minutes; the summary
// written for a pseudonymised panel.
import { type TArray, type TString, Type } from '@sinclair/typebox';
import { type Finding, findingKey } from '../../domain/identifier-detector.ts';
import type { FieldErrors } from '../../http/forms.ts';
import { type Check, type Field, f, type InputOf, input } from '../../http/schema-input.ts';

export const OUTCOMES = {
  pathway_agreed: 'Commissioning or case management pathway understood and agreed',
  provision_in_place: 'Provision in place by 18 (or soon after)',
  risk_plan_agreed: 'Risk management plan agreed',
  barriers_unlocked: 'Barriers unlocked',
  commissioning_resolved: 'Commissioning issues resolved',
} as const;
export type OutcomeKey = keyof typeof OUTCOMES;
export const OUTCOME_KEYS = Object.keys(OUTCOMES) as OutcomeKey[];

export const ACTION_STATUSES = {
  not_started: 'Not started',
  in_progress: 'In progress',
  done: 'Done',
  cancelled: 'Cancelled',
} as const;
export type ActionStatus = keyof typeof ACTION_STATUSES;

export const REFERRAL_STATUSES = {
  sent: 'Sent',
  accepted: 'Accepted',
  declined: 'Declined',
  successful: 'Successful',
  withdrawn: 'Withdrawn',
} as const;

export const PANEL_AREAS = {
  childrens: "Children's services",
  adult: 'Adult services',
  education: 'Education',
  health: 'Health',
  commissioning: 'Commissioners',
  specialist: 'Specialist areas',
  provider: 'Providers',
} as const;

/** The words the pages show for the module's choices. */
export const LABELS = { actionStatuses: ACTION_STATUSES, referralStatuses: REFERRAL_STATUSES, panelAreas: PANEL_AREAS };

/** Needs, as categories: the panel learns what kind of help is missing without anyone's words about the child. */
export const NEEDS_CATEGORIES = {
  accommodation: 'Accommodation or supported living',
  education: 'Education or training',
  employment: 'Employment',
  physical_health: 'Physical health',
  mental_health: 'Mental health',
  learning_disability: 'Learning disability or autism',
  social_care: 'Social care and support',
  independence: 'Independent living skills',
  finance: 'Money and benefits',
  transport: 'Transport',
  safety: 'Safety and risk',
} as const satisfies Record<string, string>;
export type NeedsCategory = keyof typeof NEEDS_CATEGORIES;

/** The longest summary a pseudonymised panel is sent. */
export const SUMMARY_MAX = 2000;

const keys = <O extends Record<string, string>>(o: O) => Object.keys(o) as (keyof O & string)[];
const notBefore =
  (message: string): Check<string> =>
  (v, { today }) =>
    v >= today ? { ok: true, value: v } : { ok: false, message };
const notAfter =
  (message: string): Check<string> =>
  (v, { today }) =>
    v <= today ? { ok: true, value: v } : { ok: false, message };

/** Text that must be filled in, with the message that says what to enter. */
const needed = (label: string, max: number, missing: string) => f.text(label, max, { required: true, missing });

/** A rule across fields: `message` on `field` when `broken`. */
const rule = (broken: boolean, field: string, message: string): FieldErrors => (broken ? { [field]: message } : {});

/** The version the editor read (optimistic concurrency): required on a change, optional where a record may be new. */
const version = <const R extends boolean>(required: R, message = 'version is required: send the version you read') =>
  f.integer('Version', 1, 2_147_483_647, { required, missing: message, invalid: message });

/** An owner: a named member of staff, or a service with nobody named yet. */
const owner = {
  owner_user_id: f.id('Named owner', { invalid: 'Choose the named owner from the list' }),
  owner_service_id: f.id('Owning service', { invalid: 'Choose the owning service from the list' }),
};
const dueDate = f.date('Due date', { invalid: 'Due date must be a real date, for example 27 3 2027' });

/** The person-led plan, in the young person's words; the outcomes met; when an action counts as stalled. */
export const PlanInput = input(
  {
    what_matters: f.text('What matters to me', 5000),
    hopes: f.text('Hopes and dreams', 5000),
    needs: f.text('What I need', 5000),
    stall_days: f.integer('Days without an update before an action counts as stalled', 1, 365, {
      fallback: () => 28,
    }),
    pathway_agreed: f.yesno(OUTCOMES.pathway_agreed, { fallback: () => false }),
    provision_in_place: f.yesno(OUTCOMES.provision_in_place, { fallback: () => false }),
    risk_plan_agreed: f.yesno(OUTCOMES.risk_plan_agreed, { fallback: () => false }),
    barriers_unlocked: f.yesno(OUTCOMES.barriers_unlocked, { fallback: () => false }),
    commissioning_resolved: f.yesno(OUTCOMES.commissioning_resolved, { fallback: () => false }),
    version: version(false, 'version is required: send the version of the plan you read'),
  },
  {
    check: (v) =>
      rule(
        v.what_matters === null && v.hopes === null && v.needs === null,
        'what_matters',
        'Enter what matters to the young person, in their own words',
      ),
  },
);
export type PlanInput = InputOf<typeof PlanInput>;

export const GoalInput = input({
  goal: needed('Goal', 1000, 'Enter the goal, for example Live with friends in my own flat'),
  outcome: f.text('Outcome', 1000),
});
export type GoalInput = InputOf<typeof GoalInput>;

const ActionFields = {
  description: needed('Action', 1000, 'Enter the action, for example Find supported accommodation from 18'),
  goal_id: f.id('Goal', { invalid: 'Choose a goal from the list' }),
  ...owner,
  due_date: dueDate,
  status: f.choice('Status', keys(ACTION_STATUSES), {
    fallback: () => 'not_started' as const,
    invalid: `Choose a status: ${Object.values(ACTION_STATUSES).join(', ')}`,
  }),
  evidence: f.text('Evidence', 5000),
  issue_type: f.choice('What is blocking it', ['gap', 'capacity'], {
    invalid: 'Choose gap or capacity, or leave it blank',
  }),
  issue_service_id: f.id('Service with the gap or capacity problem', {
    invalid: 'Choose the service from the list',
  }),
  commissioning_area: f.text('Commissioning area', 200),
};
/** A new action on the plan: an owner (a named person, or a service with nobody named yet), a due date, a status. */
export const ActionInput = input(ActionFields);
export type ActionInput = InputOf<typeof ActionInput>;
/** A change to an action, with the version the editor read. */
export const ActionUpdateInput = input({ ...ActionFields, version: version(true) });
export type ActionUpdateInput = InputOf<typeof ActionUpdateInput>;

export const ReviewInput = input({
  review_date: f.date('Review date', {
    invalid: 'Review date must be a real date, for example 23 11 2026',
    check: notAfter('Review date must be today or in the past'),
    fallback: ({ today }) => today,
  }),
  attendees: needed(
    'Who took part',
    1000,
    'Enter who took part, for example the young person, their mum and the teams',
  ),
  notes: needed('What the review found', 5000, 'Enter what the review found'),
  issues_persist: f.yesno('Issues persist', { fallback: () => false }),
});
export type ReviewInput = InputOf<typeof ReviewInput>;

/** Starting the Devon protocol from an action with no owner, once the usual routes are exhausted. */
export const EscalationInput = input({
  routes_tried: needed(
    'Routes already tried',
    2000,
    'Enter the usual escalation routes you have already tried: the protocol is for when they are exhausted',
  ),
  involvement_id: f.id('Involvement', { invalid: 'Choose the involvement this is about' }),
});
export type EscalationInput = InputOf<typeof EscalationInput>;

export const ReferralInput = input(
  {
    to_service_id: f.id('Service referred to', { invalid: 'Choose the service referred to from the list' }),
    to_user_id: f.id('Person referred to', { invalid: 'Choose the person referred to from the list' }),
    action_id: f.id('Action', { invalid: 'Choose the action from the plan' }),
    reason: needed('Reason', 5000, 'Enter the reason for the referral'),
    basis: f.choice('Consent or lawful basis', ['consent', 'lawful_basis'], {
      required: true,
      missing: 'Choose whether the young person consented or another lawful basis applies',
      invalid: 'Choose whether the young person consented or another lawful basis applies',
    }),
    basis_detail: needed(
      'Consent or lawful basis',
      1000,
      'Enter how consent was given (for example Verbal consent from the young person on 20 November) or the lawful basis (for example UK GDPR Article 6(1)(e) public task)',
    ),
    response_due: f.date('Response due date', {
      hint: 'YYYY-MM-DD; left out, the referral-chase protocol in force sets it',
      invalid: 'Response due date must be a real date, for example 27 3 2027',
      check: notBefore('Response due date must be today or later'),
    }),
  },
  {
    check: (v) =>
      rule(
        v.to_user_id === null && v.to_service_id === null,
        'to_service_id',
        'Choose the service or the person you are referring to',
      ),
  },
);
export type ReferralInput = InputOf<typeof ReferralInput>;

export const RESPONSES = ['accepted', 'declined', 'successful', 'withdrawn'] as const;
/** The response to a referral, with the version the responder read. */
export const ResponseInput = input(
  {
    status: f.choice('Response', RESPONSES, {
      required: true,
      missing: 'Choose the response: accepted, declined, successful or withdrawn',
      invalid: 'Choose the response: accepted, declined, successful or withdrawn',
    }),
    decline_reason: f.text('Reason', 2000),
    version: version(true),
  },
  {
    check: (v) =>
      rule(
        v.status === 'declined' && v.decline_reason === null,
        'decline_reason',
        'Enter why the referral was declined',
      ),
  },
);
export type ResponseInput = InputOf<typeof ResponseInput>;

/** The 16-17 transitions forum referral form. */
export const ForumReferralInput = input({
  question: needed('Question for the forum', 2000, 'Enter what you are asking the forum to resolve'),
  needs: f.text('Needs', 5000),
  blocked_by: needed('What is blocking progress', 5000, 'Enter what is blocking progress'),
  routes_tried: needed('Routes already tried', 2000, 'Enter the usual escalation routes you have already tried'),
  issue_type: f.choice('Kind of issue', ['gap', 'capacity', 'unclear'], {
    required: true,
    hint: 'gap, capacity or unclear',
    missing: 'Choose whether it is a gap in services, a capacity problem, or responsibility is unclear',
    invalid: 'Choose whether it is a gap in services, a capacity problem, or responsibility is unclear',
  }),
});
export type ForumReferralInput = InputOf<typeof ForumReferralInput>;

export const MeetingInput = input({
  meeting_date: f.date('Date of the meeting', {
    required: true,
    missing: 'Enter the date of the meeting, for example 10 12 2026',
    invalid: 'Date of the meeting must be a real date, for example 10 12 2026',
    check: notBefore('Date of the meeting must be today or later'),
  }),
});
export type MeetingInput = InputOf<typeof MeetingInput>;

/** A panel's decision on an agenda item; on the forum it can add an owned action, due on a date, to the plan. */
export const DecisionInput = input(
  {
    decision: needed('Decision', 5000, 'Enter what the panel decided'),
    action_description: f.text('Action', 1000),
    ...owner,
    due_date: dueDate,
    close_item: f.yesno('Close this item', { fallback: () => false }),
  },
  {
    // An action for the plan needs an owner and a due date.
    check: (v) => ({
      ...rule(
        Boolean(v.action_description) && v.owner_user_id === null && v.owner_service_id === null,
        'owner_user_id',
        'Choose who owns the action: a named person or a service',
      ),
      ...rule(
        Boolean(v.action_description) && v.due_date === null,
        'due_date',
        'Enter when the action is due, for example 15 1 2027',
      ),
    }),
  },
);
export type DecisionInput = InputOf<typeof DecisionInput>;

export const MinutesInput = input({
  minutes: needed('Minutes', 20000, 'Enter the minutes of the meeting'),
  version: version(true),
});
export type MinutesInput = InputOf<typeof MinutesInput>;

export const MemberInput = input({
  user_id: f.id('Member of staff', {
    required: true,
    missing: 'Choose the member of staff to add',
    invalid: 'Choose the member of staff to add',
  }),
  area: f.choice('Area they represent', keys(PANEL_AREAS), {
    required: true,
    missing: `Choose the area they represent: ${Object.values(PANEL_AREAS).join(', ')}`,
    invalid: `Choose the area they represent: ${Object.values(PANEL_AREAS).join(', ')}`,
  }),
  chair: f.yesno('Chairs the panel', { fallback: () => false }),
});
export type MemberInput = InputOf<typeof MemberInput>;

/** "name:Zeph" → the finding it confirms, as the detector keys it (the text after the kind is normalised). */
function confirmKey(k: string): string {
  const at = k.indexOf(':');
  return findingKey({
    kind: (at > 0 ? k.slice(0, at) : '') as Finding['kind'],
    excerpt: at > 0 ? k.slice(at + 1) : k,
  });
}

/** The detector findings the writer confirms do not identify anyone: any number of keys, each once. */
const confirmations: Field<TArray<TString>, true> = {
  schema: Type.Array(Type.String({ maxLength: 500 }), {
    title: 'Findings confirmed',
    description: 'the confirm value of each detector finding that does not identify anyone',
  }),
  required: false,
  nonNull: true,
  label: 'Findings confirmed',
  kind: 'choices',
  trim: true,
  invalid: 'Each confirmation must be the confirm value of a finding, 500 characters or fewer',
  check: (v) => ({ ok: true, value: [...new Set(v.map(confirmKey))] }),
  fallback: () => [],
};

/** The summary written for the Governance Group or the SEND board, with the version the writer read (if any). */
export const AudienceSummaryInput = input({
  summary: needed(
    'Summary',
    SUMMARY_MAX,
    'Enter the summary for the panel: what it needs to decide, without personal details',
  ),
  needs_categories: f.choices('Needs categories', keys(NEEDS_CATEGORIES), {
    invalid: `Needs categories must be from the list: ${keys(NEEDS_CATEGORIES).join(', ')}`,
    fallback: () => [],
  }),
  confirm: confirmations,
  version: f.integer('Version', 1, 2_147_483_647, { invalid: 'version must be the whole number you read' }),
});
/** The version is left out by a writer who has not read one (the demo writes new summaries). */
export type AudienceSummaryInput = Omit<InputOf<typeof AudienceSummaryInput>, 'version'> & {
  version?: number | null;
};
