// The EHCP module's inputs, declared once: the API validates and documents them with `.schema`, the pages and the
// API read them with `.parse(body, { today })`, and the services (assessments.ts, advice.ts, draft.ts…) take the
// typed input. Messages name the field and say how to fix it (GOV.UK error messages). Rules that need the
// assessment (a date on or after its request, the draft served first) stay with the services, on the same fields.
import { EMAIL, type FieldErrors, UUID } from '../../http/forms.ts';
import { type Check, f, type InputOf, input } from '../../http/schema-input.ts';
import { MAX_PASSWORD_LENGTH, passwordProblem } from '../auth/passwords.ts';
import { ADVICE_KIND_VALUES, EXCEPTION_TYPE_VALUES, REQUESTER_VALUES } from './labels.ts';

const upper = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** A date the form names as "the <what>": entered, real, and (`past`) not after today. */
function dateOf(what: string, past: boolean) {
  const notFuture: Check<string> = (v, { today }) =>
    !past || v <= today ? { ok: true, value: v } : { ok: false, message: `The ${what} must be today or in the past` };
  return f.date(upper(what), {
    required: true,
    missing: `Enter the ${what}`,
    invalid: `The ${what} must be a real date, for example 21 12 2026`,
    check: notFuture,
  });
}

/** Text someone must write: "Enter <what>" when empty, "<What> must be <max> characters or fewer" when too long. */
const written = (what: string, max: number) => f.text(upper(what), max, { required: true, missing: `Enter ${what}` });

/** The assessment's version the form was opened on: a change since then is refused (409). Left out: not checked. */
const version = f.integer('Version', 0, 2_147_483_647, {
  hint: 'The assessment’s version you read; if someone has changed it since, the change is refused (409)',
  invalid: 'Send the version of the assessment you read, a whole number',
});

const choose = (message: string) => ({ required: true, missing: message, invalid: message }) as const;

/** A request for an EHC needs assessment: when, and who asked. */
export const AssessmentRequestInput = input(
  {
    request_date: dateOf('date of the request', true),
    requested_by: f.choice('Who asked', REQUESTER_VALUES, choose('Choose who asked for the assessment')),
    requester_detail: f.text('Who asked', 200, { hint: 'Who asked, when it was someone else' }),
  },
  {
    check: (v): FieldErrors =>
      v.requested_by === 'other' && !v.requester_detail ? { requester_detail: 'Enter who asked' } : {},
  },
);
export type AssessmentRequestInput = InputOf<typeof AssessmentRequestInput>;

/** The decision whether to carry out the assessment (reg 5). */
export const DecisionInput = input({
  decision: f.choice(
    'Decision',
    ['assess', 'not_assess'] as const,
    choose('Choose whether to carry out the assessment'),
  ),
  decision_date: dateOf('date of the decision', true),
  version,
});
export type DecisionInput = InputOf<typeof DecisionInput>;

/** A reg 10(4) exception: evidence for lateness, never a moved statutory date. */
export const ExceptionInput = input(
  {
    type: f.choice('Exception', EXCEPTION_TYPE_VALUES, choose('Choose which exception in reg 10(4) applies')),
    start_date: dateOf('date the exception began', false),
    end_date: dateOf('date the exception ended (or is expected to end)', false),
    reason: written('the evidence and reason', 2000),
    version,
  },
  {
    check: (v): FieldErrors =>
      v.start_date && v.end_date && v.end_date < v.start_date
        ? { end_date: 'The date the exception ended must be on or after the date it began' }
        : {},
  },
);
export type ExceptionInput = InputOf<typeof ExceptionInput>;

/** The final plan issued (reg 13(2)). */
export const FinalPlanInput = input({ final_date: dateOf('date the final plan was issued', true), version });
export type FinalPlanInput = InputOf<typeof FinalPlanInput>;

/** A decision not to issue a plan (reg 10(1)). */
export const NotIssuingInput = input({
  not_issue_date: dateOf('date of the decision not to issue a plan', true),
  version,
});
export type NotIssuingInput = InputOf<typeof NotIssuingInput>;

/** The draft plan served (reg 13(1)), with what advice givers check it against. */
export const DraftInput = input({
  served_date: dateOf('date the draft was served', true),
  draft_text: written('the needs and provision in the draft plan', 50000),
  version,
});
export type DraftInput = InputOf<typeof DraftInput>;

/** A notice to the parents that the plan will miss 20 weeks. */
export const DelayNoticeInput = input({ reason: written('why the plan is delayed', 2000), version });
export type DelayNoticeInput = InputOf<typeof DelayNoticeInput>;

/** `giver_user_id` of an advice request asked of someone without an account, invited by email. */
export const INVITE = 'invite';
/** `giver_user_id` of an advice request addressed to an organisation's team inbox (src/modules/partners). */
export const INBOX = 'inbox';
const INBOX_SERVICE = 'Choose the organisation whose team inbox to ask';
const ASKED_WHO = 'Choose who to ask for advice from the list';
const INVITE_EMAIL = 'Enter the advice giver’s email address, like name@nhs.net';
const INVITE_NAME = 'Enter the advice giver’s full name (100 characters or fewer)';
const INVITE_SERVICE = 'Choose the organisation the advice giver works for';

/** A request for advice (reg 6), from a member of staff or from someone invited by email. */
export const AdviceRequestInput = input(
  {
    kind: f.choice('Kind of advice', ADVICE_KIND_VALUES, choose('Choose the kind of advice')),
    giver_user_id: f.text('Who to ask', 36, {
      required: true,
      missing: 'Choose who to ask for advice, or invite someone by email',
      invalid: ASKED_WHO,
      hint: 'The id of an active member of staff, "invite" with invite_email, invite_name and invite_service_id, or "inbox" with inbox_service_id (an organisation with a team inbox)',
      check: (v) =>
        v === INVITE || v === INBOX || UUID.test(v)
          ? { ok: true, value: v.toLowerCase() }
          : { ok: false, message: ASKED_WHO },
    }),
    invite_email: f.text('Their email address', 254, {
      invalid: INVITE_EMAIL,
      check: (v) => (EMAIL.test(v) ? { ok: true, value: v.toLowerCase() } : { ok: false, message: INVITE_EMAIL }),
    }),
    invite_name: f.text('Their full name', 100, { invalid: INVITE_NAME }),
    invite_service_id: f.id('Their organisation', { invalid: INVITE_SERVICE }),
    inbox_service_id: f.id('The organisation whose team inbox to ask', { invalid: INBOX_SERVICE }),
    question: written('what advice you need', 5000),
    requested_date: f.date('Date of the request for advice', {
      hint: 'YYYY-MM-DD; left out, today',
      invalid: 'The date of the request for advice must be a real date, for example 21 12 2026',
      check: (v, { today }) =>
        v <= today
          ? { ok: true, value: v }
          : { ok: false, message: 'The date of the request for advice must be today or in the past' },
      fallback: ({ today }) => today,
    }),
    version,
  },
  {
    check: (v) => {
      if (v.giver_user_id === INBOX) return v.inbox_service_id ? {} : { inbox_service_id: INBOX_SERVICE };
      if (v.giver_user_id !== INVITE) return {};
      const missing: FieldErrors = {};
      if (!v.invite_email) missing.invite_email = INVITE_EMAIL;
      if (!v.invite_name) missing.invite_name = INVITE_NAME;
      if (!v.invite_service_id) missing.invite_service_id = INVITE_SERVICE;
      return missing;
    },
  },
);
export type AdviceRequestInput = InputOf<typeof AdviceRequestInput>;

/** The coordinator finds advice unclear or incomplete (Cumbria step 2). */
export const AdviceQueryInput = input({ query_note: written('what is unclear or missing', 2000) });
export type AdviceQueryInput = InputOf<typeof AdviceQueryInput>;

/**
 * Advice (or updated advice) from the advice giver, with an optional summary of each part. The advice may instead
 * come as a document sent with it (the page form's file): then the typed advice is optional, and without a document
 * the service asks for it (docs/decisions.md).
 */
export const AdviceInput = input({
  advice: f.text('Your advice', 50000, { hint: 'Needed unless you attach your advice as a document' }),
  summary_needs: f.text('The needs summary', 5000),
  summary_outcomes: f.text('The outcomes summary', 5000),
  summary_provision: f.text('The provision summary', 5000),
});
export type AdviceInput = InputOf<typeof AdviceInput>;

/** The advice giver's feedback on the draft plan (the accuracy check). */
export const DraftFeedbackInput = input({ feedback: written('your feedback on the draft', 20000) });
export type DraftFeedbackInput = InputOf<typeof DraftFeedbackInput>;

const SENT_TO = 'Enter the email address this invitation was sent to';

/** Taking up an invitation: the address it was sent to, and a password typed twice (never trimmed). */
export const InviteAcceptInput = input(
  {
    email: f.text('Email address', 320, {
      required: true,
      missing: SENT_TO,
      invalid: SENT_TO,
      check: (v) => (EMAIL.test(v) ? { ok: true, value: v } : { ok: false, message: SENT_TO }),
    }),
    password: f.text('Password', MAX_PASSWORD_LENGTH, {
      required: true,
      trim: false,
      missing: passwordProblem('') ?? '',
      check: (v) => {
        const problem = passwordProblem(v);
        return problem ? { ok: false, message: problem } : { ok: true, value: v };
      },
    }),
    confirm: f.text('Password again', MAX_PASSWORD_LENGTH, { trim: false }),
  },
  {
    check: (v): FieldErrors =>
      v.password !== undefined && v.password !== v.confirm ? { confirm: 'Enter the same password twice' } : {},
  },
);
export type InviteAcceptInput = InputOf<typeof InviteAcceptInput>;
