// The plan-changes module's inputs, declared once: the API validates and documents them with `.schema`, the pages
// read them with `.parse` (one message per field that names it and says how to fix it), the services take the typed
// input. Changes to an amendment or a cessation carry the `version` the caller read (src/http/versions.ts).
import type { FieldErrors } from '../../http/forms.ts';
import { type Check, f, type InputOf, input } from '../../http/schema-input.ts';
import { versionField } from '../../http/versions.ts';

const notFuture =
  (label: string): Check<string> =>
  (v, { today }) =>
    v <= today ? { ok: true, value: v } : { ok: false, message: `${label} must be today or in the past` };

const date = (label: string, example: string) =>
  f.date(label, {
    required: true,
    missing: `Enter the ${label.toLowerCase()}, for example ${example}`,
    invalid: `${label} must be a real date, for example ${example}`,
    check: notFuture(label),
  });

export const FROM_WHOM = ['parent', 'young_person', 'setting', 'other'] as const;
export const FROM_WHOM_LABELS: Record<(typeof FROM_WHOM)[number], string> = {
  parent: 'The parent',
  young_person: 'The young person',
  setting: 'The school or college',
  other: 'Someone else',
};

/** A change that carries nothing but the version read (prepare the amended plan, withdraw the amendment). */
export const VersionOnly = input({ version: versionField });
export type VersionOnly = InputOf<typeof VersionOnly>;

/** Start an amendment (the coordinator, from the plan page). */
export const AmendmentStart = input({
  reason: f.text('Why the plan is being amended', 2000, {
    required: true,
    missing: 'Enter why the plan is being amended, for example Needs changed after the annual review',
  }),
});
export type AmendmentStart = InputOf<typeof AmendmentStart>;

/** The proposals were sent with the notice, on this day. */
export const SendProposals = input({
  sent_date: date('Date the proposals were sent', '7 12 2026'),
  version: versionField,
});
export type SendProposals = InputOf<typeof SendProposals>;

/** A representation on the proposed amendments. */
export const RepresentationInput = input({
  received_date: date('Date received', '10 12 2026'),
  from_whom: f.choice('Who made it', FROM_WHOM, {
    required: true,
    missing:
      'Choose who made the representations: the parent, the young person, the school or college, or someone else',
    invalid:
      'Choose who made the representations: the parent, the young person, the school or college, or someone else',
  }),
  summary: f.text('What they said', 10_000, {
    required: true,
    missing: 'Enter what they said about the proposed amendments',
  }),
  setting_requested: f.text('School or college they ask to be named', 200),
  meeting_requested: f.yesno('They asked for a meeting'),
  version: versionField,
});
export type RepresentationInput = InputOf<typeof RepresentationInput>;

/** The amended final plan issued on this day. */
export const IssueAmended = input({
  issued_date: date('Date the amended plan was issued', '20 1 2027'),
  version: versionField,
});
export type IssueAmended = InputOf<typeof IssueAmended>;

/** The decision not to amend, with its reasons (reg 22(4)). */
export const NotAmend = input({
  decided_date: date('Date the family was told', '20 1 2027'),
  decision_reason: f.text('Reasons', 5000, {
    required: true,
    missing: 'Enter the reasons the plan will not be amended, as told to the family',
  }),
  version: versionField,
});
export type NotAmend = InputOf<typeof NotAmend>;

export const CEASE_CODES = ['1', '2', '3', '4', '5', '6', '7', '8', '9'] as const;
const reasonMissing = 'Choose the reason for ceasing the plan (an SEN2 reason)';
const ceaseOn = f.date('Date the plan ends', {
  hint: 'Leave it empty unless the plan is to end on a set day. Reason 1 (reached 25): 31 July at the end of the academic year in which they turn 25, filled in for you',
  invalid: 'Date the plan ends must be a real date, for example 31 7 2027',
});

/** Propose to cease the plan, with an SEN2 reason. */
export const CessationStart = input(
  {
    reason: f.choice('Reason', CEASE_CODES, { required: true, missing: reasonMissing, invalid: reasonMissing }),
    reason_detail: f.text('More about the reason', 2000),
    cease_on: ceaseOn,
  },
  {
    check: (v): FieldErrors =>
      v.reason === '9' && !v.reason_detail ? { reason_detail: 'Enter the reason, as the reason is Other' } : {},
  },
);
/** `cease_on` may be left out by callers in code (the demo, the review's decision): no set day. */
type CeaseOnOptional<T extends { cease_on: string | null }> = Omit<T, 'cease_on'> & { cease_on?: string | null };
export type CessationStart = CeaseOnOptional<InputOf<typeof CessationStart>>;

/** The consultation (reg 31(1)) and the decision; ceasing sends the notice on `notice_date`. */
export const CessationDecision = input(
  {
    reason: f.choice('Reason', CEASE_CODES, {
      hint: 'Change the SEN2 reason if the one proposed is no longer right',
      invalid: reasonMissing,
    }),
    decision: f.choice('Decision', ['cease', 'maintain'] as const, {
      required: true,
      missing: 'Choose whether to cease the plan or keep it',
      invalid: 'Choose whether to cease the plan or keep it',
    }),
    parent_consulted_date: date('Date the parent or young person was consulted', '1 12 2026'),
    setting_consulted_date: f.date('Date the school or college was consulted', {
      invalid: 'Date the school or college was consulted must be a real date, for example 1 12 2026',
      check: notFuture('Date the school or college was consulted'),
    }),
    views: f.text('What they said', 10_000, {
      required: true,
      missing: 'Enter what the parent or young person (and the setting) said',
    }),
    notice_date: f.date('Date the notice was sent', {
      invalid: 'Date the notice was sent must be a real date, for example 7 12 2026',
      check: notFuture('Date the notice was sent'),
    }),
    cease_on: ceaseOn,
    version: versionField,
  },
  {
    check: (v): FieldErrors =>
      v.decision === 'cease' && !v.notice_date
        ? { notice_date: 'Enter the date the notice of the decision to cease was sent, for example 7 12 2026' }
        : {},
  },
);
export type CessationDecision = CeaseOnOptional<InputOf<typeof CessationDecision>>;

/** An appeal lodged with the First-tier Tribunal (SEND). */
export const AppealLodged = input({
  appeal_lodged_date: date('Date the appeal was lodged', '15 1 2027'),
  version: versionField,
});
export type AppealLodged = InputOf<typeof AppealLodged>;

export const AppealDecided = input({
  appeal_outcome: f.choice('Outcome of the appeal', ['dismissed', 'upheld'] as const, {
    required: true,
    missing: 'Choose the outcome of the appeal: dismissed or withdrawn, or upheld',
    invalid: 'Choose the outcome of the appeal: dismissed or withdrawn, or upheld',
  }),
  version: versionField,
});
export type AppealDecided = InputOf<typeof AppealDecided>;

/** The plan ceased on this day. */
export const CeasePlan = input({
  ceased_date: f.date('Date the plan ceased', {
    required: true,
    missing: 'Enter the date the plan ceased, for example 31 7 2027',
    invalid: 'Date the plan ceased must be a real date, for example 31 7 2027',
  }),
  version: versionField,
});
export type CeasePlan = InputOf<typeof CeasePlan>;

/** A plan transferred in: what the family was told (reg 15(4)). */
export const TransferTold = input({
  told_date: date('Date the family was told', '7 12 2026'),
  reassess: f.yesno('The council proposes to make an EHC needs assessment', {
    required: true,
    missing: 'Choose yes if the council proposes to make an EHC needs assessment, or no',
  }),
  review_proposed_date: f.date('When the plan will be reviewed', {
    required: true,
    missing: 'Enter when the council will review the plan, for example 1 3 2027',
    invalid: 'When the plan will be reviewed must be a real date, for example 1 3 2027',
  }),
  version: versionField,
});
export type TransferTold = InputOf<typeof TransferTold>;
