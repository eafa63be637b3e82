// The transfers module's inputs, declared once: the API validates and documents them with `.schema`, the pages
// and the API read them with `.parse(body, { today })`, and the services take the typed input. Messages name the
// field and the fix (GOV.UK error messages). Each step of a transfer carries the version the user read: a stale
// one is refused (409) by the service, which also checks what needs the database (the team, the worker).
import { addDays } from '../../domain/calendar.ts';
import type { Body, FieldErrors } from '../../http/forms.ts';
import { type Check, f, type InputOf, input, type ReadContext } from '../../http/schema-input.ts';
import { versionField } from '../../http/versions.ts';
import { CASE_TYPES, SUSPENDABLE_PARTS } from './rules.ts';

const MAX_TEXT = 5000;
/** Free text the user must write (up to 5,000 characters). */
const long = (label: string, missing: string) => f.text(label, MAX_TEXT, { required: true, missing });
/** An id chosen from a list, with one message for empty and for not one of the list. */
const chosen = (label: string, message: string) => f.id(label, { required: true, missing: message, invalid: message });

/** The transfer's version as the user read it: optional (pages send it); a stale one is refused (409). */
const version = f.integer('Version', 0, 2_147_483_647, {
  hint: 'The version you read; a stale version is refused (409)',
  invalid: 'Version must be the whole number you read with the transfer: reload the page and try again',
});

/** The typed input a service takes: what was read, without the version (a separate argument). */
export type Typed<I extends { parse(body: Body, ctx: ReadContext): unknown }> = Omit<InputOf<I>, 'version'>;

/** A step with nothing to enter but the version (sign-off, notices, send, cancel, accept). */
export const VersionInput = input({ version });

/** The team manager's decision to transfer (Kent 5.1). */
export const TransferRequestInput = input({
  involvement_id: chosen('Involvement', 'Choose the involvement that is transferring'),
  to_team_id: chosen('Receiving team', 'Choose the receiving team'),
  reason: long('Reason', 'Enter why the case is transferring'),
  outside_remit: f.choice('Outside the receiving team’s remit', ['yes'], {
    hint: '"yes" when the young person’s age is outside the receiving team’s age range and the transfer goes ahead anyway',
    invalid: 'Confirm the transfer is outside the receiving team’s remit with "yes", or leave it out',
  }),
});
/** The confirmation is only needed when the case is outside the receiving team's ages: callers may leave it out. */
export type TransferRequest = Omit<InputOf<typeof TransferRequestInput>, 'outside_remit'> & {
  outside_remit?: 'yes' | null;
};

/** The transfer summary: needed when the latest assessment is over one month old. */
export const SummaryInput = input({
  summary_updated_information: long('Updated case information', 'Enter the updated case information'),
  summary_important_dates: long('Important dates', 'Enter the important dates'),
  summary_urgent_actions: long('Urgent actions', 'Enter the urgent actions to follow up, or "None"'),
  version,
});
export type Summary = Typed<typeof SummaryInput>;

const CONFIRM = 'Confirm that the records are up to date and the case meets the practice standards';
/** The supervising manager's quality assurance of the file. */
export const QualityInput = input({
  qa_notes: long('What you checked', 'Enter what you checked in the file'),
  qa_confirm: f.choice('Confirmation', ['yes'], { required: true, missing: CONFIRM, invalid: CONFIRM }),
  version,
});
export type Quality = Typed<typeof QualityInput>;

const HELD = 'Say whether a handover meeting with the child and carer is taking place';
/** The handover meeting with the child and carer: its date, or why there is none (Kent 2.3). */
export const MeetingInput = input(
  {
    meeting_held: f.choice('Handover meeting', ['yes', 'no'], { required: true, missing: HELD, invalid: HELD }),
    meeting_date: f.date('Date of the handover meeting', {
      invalid: 'The date of the handover meeting must be a real date',
      // The meeting is recorded once it has happened: a date to come is not a meeting held (issue 11 defect 5).
      check: (v, { today }) =>
        v <= today
          ? { ok: true, value: v }
          : {
              ok: false,
              message:
                'The date of the handover meeting must be today or in the past: record the meeting once it has been held',
            },
    }),
    meeting_not_possible_reason: f.text('Why a meeting is not possible', MAX_TEXT),
    version,
  },
  {
    check: (v): FieldErrors => {
      if (v.meeting_held === 'yes' && v.meeting_date === null)
        return { meeting_date: 'Enter the date of the handover meeting' };
      if (v.meeting_held === 'no' && v.meeting_not_possible_reason === null)
        return { meeting_not_possible_reason: 'Enter why a handover meeting is not possible' };
      return {};
    },
  },
);
export type Meeting = Typed<typeof MeetingInput>;

/** The lines of the missing work, one item each. */
export const missingItems = (text: string) =>
  text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean);

const MISSING = 'Enter the missing work, one item a line';
const atMost30: Check<string> = (v) => {
  const n = missingItems(v).length;
  if (n === 0) return { ok: false, message: MISSING };
  return n > 30 ? { ok: false, message: 'List at most 30 items of missing work' } : { ok: true, value: v };
};
/** The receiving team returns the transfer with the missing work, one item a line (each an owned action). */
export const ReturnInput = input({
  missing_work: f.text('Missing work', MAX_TEXT, { required: true, missing: MISSING, check: atMost30 }),
  version,
});
export type Return = Typed<typeof ReturnInput>;

/** The receiving team allocates its worker. */
export const AllocateInput = input({
  worker_id: chosen('Worker', 'Choose the worker to allocate'),
  version,
});
export type Allocate = Typed<typeof AllocateInput>;

/** The receiving team cannot allocate: why, for the service manager. */
export const EscalateInput = input({
  reason: long('Reason', 'Enter why the team cannot allocate'),
  version,
});
export type Escalate = Typed<typeof EscalateInput>;

/** Sharing the transfer pack with another organisation: with whom, why, on what lawful basis. */
export const ShareInput = input({
  with_whom: long('Shared with', 'Enter who receives the pack'),
  purpose: long('Purpose', 'Enter why it is shared'),
  lawful_basis: long(
    'Lawful basis',
    'Enter the lawful basis, for example Children Act 1989 s.17 and UK GDPR Article 6(1)(e)',
  ),
});
export type Share = InputOf<typeof ShareInput>;

const COMPLETED = 'The date the assessment was completed';
/** An assessment completed on an involvement (its date decides whether a transfer summary is needed). */
export const AssessmentInput = input({
  involvement_id: chosen('Involvement', 'Choose the involvement the assessment belongs to'),
  kind: f.text('Kind of assessment', 200, {
    required: true,
    missing: 'Enter the kind of assessment, for example Child and family assessment',
  }),
  completed_date: f.date(COMPLETED, {
    required: true,
    missing: 'Enter the date the assessment was completed',
    invalid: `${COMPLETED} must be a real date`,
    check: (v, { today }) =>
      v <= today ? { ok: true, value: v } : { ok: false, message: `${COMPLETED} must be today or in the past` },
  }),
});
export type Assessment = InputOf<typeof AssessmentInput>;

const PART = 'Choose the part of the protocol to suspend';
const STARTS = 'Enter the date the suspension starts, for example 1 12 2026';
const ENDS = 'Enter the date the suspension ends, for example 31 12 2026';
/** A request to suspend part of the transfer protocol for up to 90 days (contingency planning). */
export const SuspensionInput = input(
  {
    part: f.choice('Part of the protocol', Object.keys(SUSPENDABLE_PARTS) as (keyof typeof SUSPENDABLE_PARTS)[], {
      required: true,
      missing: PART,
      invalid: PART,
    }),
    team_id: f.id('Team', { invalid: 'Choose a team from the list' }),
    reason: long('Local pressure', 'Enter the local pressure behind the request'),
    impact: long('Impact', 'Enter how it will affect the transfer protocol'),
    mitigations: long('Mitigations', 'Enter the actions in place to reduce the risk'),
    starts_date: f.date('Start date', { required: true, missing: STARTS, invalid: STARTS }),
    ends_date: f.date('End date', { required: true, missing: ENDS, invalid: ENDS }),
  },
  {
    check: ({ starts_date: starts, ends_date: ends }): FieldErrors =>
      starts && ends && (ends < starts || ends > addDays(starts, 90))
        ? { ends_date: 'The suspension must end on or after its start, and within 90 days of it' }
        : {},
  },
);
export type Suspension = InputOf<typeof SuspensionInput>;

const DECIDE = 'Choose whether to approve or refuse the suspension';
/** The IFS manager's decision on a suspension request. */
export const SuspensionDecisionInput = input({
  decision: f.choice('Decision', ['approved', 'refused'], { required: true, missing: DECIDE, invalid: DECIDE }),
  decision_note: long('Reason for the decision', 'Enter the reason for your decision'),
});
export type SuspensionDecision = InputOf<typeof SuspensionDecisionInput>;

export const DIRECTIONS = {
  age: 'At an age',
  step_up: 'Step up: when a case type starts',
  step_down: 'Step down: when a case type ends',
} as const;
export type Direction = keyof typeof DIRECTIONS;
export const MIN_AGE = 0;
export const MAX_AGE = 25;

const DIRECTION = 'Choose when the case moves: at an age, a step up or a step down';
const team = (way: 'from' | 'to') =>
  f.id(`Team the case moves ${way}`, {
    required: true,
    missing: `Choose the team the case moves ${way}`,
    invalid: `Choose the team the case moves ${way} from the list`,
    hint: way === 'to' ? 'A different team of your council' : undefined,
  });
/** A transfer point (Kent remits, step up and step down): from a team to another at an age or a case type. */
const pointFields = {
  from_team_id: team('from'),
  to_team_id: team('to'),
  direction: f.choice('Direction', Object.keys(DIRECTIONS) as Direction[], {
    required: true,
    missing: DIRECTION,
    invalid: DIRECTION,
    hint: 'age: at an age; step_up: when a case type starts; step_down: when a case type ends',
  }),
  at_age: f.integer('Age', MIN_AGE, MAX_AGE, {
    hint: 'Needed for direction age; for a step, the youngest age it applies to',
  }),
  case_type: f.choice('Case type', CASE_TYPES, {
    invalid: 'Choose a case type from the list',
    hint: 'Needed for a step up or down; for an age point, only cases of this type',
  }),
  note: f.text('Note', 500),
};
const pointCheck = {
  check: (
    v: Partial<{
      from_team_id: string;
      to_team_id: string;
      direction: Direction;
      at_age: number | null;
      case_type: string | null;
    }>,
  ) => {
    const e: FieldErrors = {};
    if (v.from_team_id && v.to_team_id === v.from_team_id)
      e.to_team_id = 'Choose a team other than the one the case moves from';
    if (v.direction === 'age' && v.at_age === null) e.at_age = 'Enter the age at which the case moves, for example 16';
    if (v.direction !== 'age' && v.direction && v.case_type === null)
      e.case_type = `Choose the case type whose ${v.direction === 'step_up' ? 'start' : 'end'} moves the case (step ${v.direction === 'step_up' ? 'up' : 'down'})`;
    return e;
  },
};
export const PointInput = input(pointFields, pointCheck);
export type PointInput = InputOf<typeof PointInput>;
/** A change to a transfer point, with the version the administrator read (issue 15 item 8). */
export const PointUpdateInput = input({ ...pointFields, version: versionField }, pointCheck);
export type PointUpdateInput = InputOf<typeof PointUpdateInput>;
