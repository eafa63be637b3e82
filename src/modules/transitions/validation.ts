// One checker per input, shared by the pages and the API: each message names the field and the fix.
import { type Body, dateInput, type FieldErrors, isRealDate, text, UUID } from '../../http/forms.ts';

function limit(errors: FieldErrors, field: string, value: string, label: string, max: number) {
  if (value.length > max) errors[field] = `${label} must be ${max} characters or fewer`;
}

const yes = (body: Body, field: string) => {
  const v = body[field];
  return v === true || v === 'yes' || v === 'true' || (Array.isArray(v) && v.includes('yes'));
};

export const OUTCOMES = {
  pathway_agreed: 'Commissioning or case management pathway understood and agreed',
  provision_in_place: 'Provision in place by 18 (or soon after)',
  risk_plan_agreed: 'Risk management plan agreed',
  barriers_unlocked: 'Barriers unlocked',
  commissioning_resolved: 'Commissioning issues resolved',
} as const;
export type OutcomeKey = keyof typeof OUTCOMES;

export function readPlanInput(body: Body) {
  const errors: FieldErrors = {};
  const whatMatters = text(body, 'what_matters');
  const hopes = text(body, 'hopes');
  const needs = text(body, 'needs');
  if (!whatMatters && !hopes && !needs)
    errors.what_matters = 'Enter what matters to the young person, in their own words';
  limit(errors, 'what_matters', whatMatters, 'What matters to me', 5000);
  limit(errors, 'hopes', hopes, 'Hopes and dreams', 5000);
  limit(errors, 'needs', needs, 'What I need', 5000);
  const stallRaw = text(body, 'stall_days');
  let stall = 28;
  if (stallRaw) {
    stall = Number(stallRaw);
    if (!Number.isInteger(stall) || stall < 1 || stall > 365)
      errors.stall_days =
        'Days without an update before an action counts as stalled must be a whole number from 1 to 365';
  }
  const outcomes = Object.fromEntries(
    (Object.keys(OUTCOMES) as OutcomeKey[]).map((k) => [
      k,
      yes(body, k) || (Array.isArray(body.outcomes) ? (body.outcomes as unknown[]).includes(k) : body.outcomes === k),
    ]),
  ) as Record<OutcomeKey, boolean>;
  return {
    input: {
      what_matters: whatMatters || null,
      hopes: hopes || null,
      needs: needs || null,
      stall_days: stall,
      ...outcomes,
    },
    errors,
  };
}

export function readGoalInput(body: Body) {
  const errors: FieldErrors = {};
  const goal = text(body, 'goal');
  const outcome = text(body, 'outcome');
  if (!goal) errors.goal = 'Enter the goal, for example Live with friends in my own flat';
  limit(errors, 'goal', goal, 'Goal', 1000);
  limit(errors, 'outcome', outcome, 'Outcome', 1000);
  return { input: { goal, outcome: outcome || null }, errors };
}

function owner(body: Body, errors: FieldErrors) {
  const ownerUser = text(body, 'owner_user_id');
  const ownerService = text(body, 'owner_service_id');
  if (ownerUser && !UUID.test(ownerUser)) errors.owner_user_id = 'Choose the named owner from the list';
  if (ownerService && !UUID.test(ownerService)) errors.owner_service_id = 'Choose the owning service from the list';
  return { owner_user_id: ownerUser || null, owner_service_id: ownerService || null };
}

function optionalDate(body: Body, field: string, label: string, errors: FieldErrors) {
  const v = dateInput(body, field).value;
  if (v && !isRealDate(v)) errors[field] = `${label} must be a real date, for example 27 3 2027`;
  return v || null;
}

export const ACTION_STATUSES = {
  not_started: 'Not started',
  in_progress: 'In progress',
  done: 'Done',
  cancelled: 'Cancelled',
} as const;

export function readActionInput(body: Body) {
  const errors: FieldErrors = {};
  const description = text(body, 'description');
  if (!description) errors.description = 'Enter the action, for example Find supported accommodation from 18';
  limit(errors, 'description', description, 'Action', 1000);
  const goal = text(body, 'goal_id');
  if (goal && !UUID.test(goal)) errors.goal_id = 'Choose a goal from the list';
  const who = owner(body, errors);
  const due = optionalDate(body, 'due_date', 'Due date', errors);
  const status = text(body, 'status') || 'not_started';
  if (!Object.hasOwn(ACTION_STATUSES, status))
    errors.status = `Choose a status: ${Object.values(ACTION_STATUSES).join(', ')}`;
  const evidence = text(body, 'evidence');
  limit(errors, 'evidence', evidence, 'Evidence', 5000);
  const issue = text(body, 'issue_type');
  if (issue && issue !== 'gap' && issue !== 'capacity') errors.issue_type = 'Choose gap or capacity, or leave it blank';
  const issueService = text(body, 'issue_service_id');
  if (issueService && !UUID.test(issueService)) errors.issue_service_id = 'Choose the service from the list';
  const area = text(body, 'commissioning_area');
  limit(errors, 'commissioning_area', area, 'Commissioning area', 200);
  return {
    input: {
      description,
      goal_id: goal || null,
      ...who,
      due_date: due,
      status: status as keyof typeof ACTION_STATUSES,
      evidence: evidence || null,
      issue_type: (issue || null) as 'gap' | 'capacity' | null,
      issue_service_id: issueService || null,
      commissioning_area: area || null,
    },
    errors,
  };
}

export function readReviewInput(body: Body, today: string) {
  const errors: FieldErrors = {};
  let date = dateInput(body, 'review_date').value;
  if (!date) date = today;
  else if (!isRealDate(date)) errors.review_date = 'Review date must be a real date, for example 23 11 2026';
  else if (date > today) errors.review_date = 'Review date must be today or in the past';
  const attendees = text(body, 'attendees');
  if (!attendees) errors.attendees = 'Enter who took part, for example the young person, their mum and the teams';
  limit(errors, 'attendees', attendees, 'Who took part', 1000);
  const notes = text(body, 'notes');
  if (!notes) errors.notes = 'Enter what the review found';
  limit(errors, 'notes', notes, 'What the review found', 5000);
  return { input: { review_date: date, attendees, notes, issues_persist: yes(body, 'issues_persist') }, errors };
}

export const REFERRAL_STATUSES = {
  sent: 'Sent',
  accepted: 'Accepted',
  declined: 'Declined',
  successful: 'Successful',
  withdrawn: 'Withdrawn',
} as const;
export type ReferralStatus = keyof typeof REFERRAL_STATUSES;

export function readReferralInput(body: Body, today: string) {
  const errors: FieldErrors = {};
  const who = owner({ owner_user_id: body.to_user_id, owner_service_id: body.to_service_id } as Body, errors);
  if (errors.owner_user_id) errors.to_user_id = errors.owner_user_id;
  if (errors.owner_service_id) errors.to_service_id = errors.owner_service_id;
  delete errors.owner_user_id;
  delete errors.owner_service_id;
  if (!who.owner_user_id && !who.owner_service_id && !errors.to_user_id)
    errors.to_service_id = 'Choose the service or the person you are referring to';
  const action = text(body, 'action_id');
  if (action && !UUID.test(action)) errors.action_id = 'Choose the action from the plan';
  const reason = text(body, 'reason');
  if (!reason) errors.reason = 'Enter the reason for the referral';
  limit(errors, 'reason', reason, 'Reason', 5000);
  const basis = text(body, 'basis');
  if (basis !== 'consent' && basis !== 'lawful_basis')
    errors.basis = 'Choose whether the young person consented or another lawful basis applies';
  const detail = text(body, 'basis_detail');
  if (!detail)
    errors.basis_detail =
      basis === 'lawful_basis'
        ? 'Enter the lawful basis, for example UK GDPR Article 6(1)(e) public task, Children Act 1989 s17'
        : 'Enter how consent was given, for example Verbal consent from the young person on 20 November';
  limit(errors, 'basis_detail', detail, 'Consent or lawful basis', 1000);
  const due = optionalDate(body, 'response_due', 'Response due date', errors);
  if (due && due < today) errors.response_due = 'Response due date must be today or later';
  return {
    input: {
      to_user_id: who.owner_user_id,
      to_service_id: who.owner_service_id,
      action_id: action || null,
      reason,
      basis: basis as 'consent' | 'lawful_basis',
      basis_detail: detail,
      response_due: due,
    },
    errors,
  };
}

export function readForumReferral(body: Body) {
  const errors: FieldErrors = {};
  const question = text(body, 'question');
  if (!question) errors.question = 'Enter what you are asking the forum to resolve';
  limit(errors, 'question', question, 'Question for the forum', 2000);
  const needs = text(body, 'needs');
  limit(errors, 'needs', needs, 'Needs', 5000);
  const blocked = text(body, 'blocked_by');
  if (!blocked) errors.blocked_by = 'Enter what is blocking progress';
  limit(errors, 'blocked_by', blocked, 'What is blocking progress', 5000);
  const routes = text(body, 'routes_tried');
  if (!routes) errors.routes_tried = 'Enter the usual escalation routes you have already tried';
  limit(errors, 'routes_tried', routes, 'Routes already tried', 2000);
  const issue = text(body, 'issue_type');
  if (!['gap', 'capacity', 'unclear'].includes(issue))
    errors.issue_type = 'Choose whether it is a gap in services, a capacity problem, or responsibility is unclear';
  return {
    input: {
      question,
      needs: needs || null,
      blocked_by: blocked,
      routes_tried: routes,
      issue_type: issue as 'gap' | 'capacity' | 'unclear',
    },
    errors,
  };
}

export function readDecisionInput(body: Body) {
  const errors: FieldErrors = {};
  const decision = text(body, 'decision');
  if (!decision) errors.decision = 'Enter what the panel decided';
  limit(errors, 'decision', decision, 'Decision', 5000);
  const action = text(body, 'action_description');
  limit(errors, 'action_description', action, 'Action', 1000);
  const who = owner(body, errors);
  const due = optionalDate(body, 'due_date', 'Due date', errors);
  if (action && !who.owner_user_id && !who.owner_service_id)
    errors.owner_user_id = 'Choose who owns the action: a named person or a service';
  if (action && !due) errors.due_date = 'Enter when the action is due, for example 15 1 2027';
  return {
    input: { decision, action_description: action || null, ...who, due_date: due, close: yes(body, 'close_item') },
    errors,
  };
}

export function readMeetingInput(body: Body, today: string) {
  const errors: FieldErrors = {};
  const date = dateInput(body, 'meeting_date').value;
  if (!date) errors.meeting_date = 'Enter the date of the meeting, for example 10 12 2026';
  else if (!isRealDate(date)) errors.meeting_date = 'Date of the meeting must be a real date, for example 10 12 2026';
  else if (date < today) errors.meeting_date = 'Date of the meeting must be today or later';
  return { input: { meeting_date: date }, errors };
}

export const PANEL_AREAS = {
  childrens: "Children's services",
  adult: 'Adult services',
  education: 'Education',
  health: 'Health',
  commissioning: 'Commissioners',
  specialist: 'Specialist areas',
  provider: 'Providers',
} as const;

export function readMemberInput(body: Body) {
  const errors: FieldErrors = {};
  const userId = text(body, 'user_id');
  if (!UUID.test(userId)) errors.user_id = 'Choose the member of staff to add';
  const area = text(body, 'area');
  if (!Object.hasOwn(PANEL_AREAS, area))
    errors.area = `Choose the area they represent: ${Object.values(PANEL_AREAS).join(', ')}`;
  return { input: { user_id: userId, area, chair: yes(body, 'chair') }, errors };
}
