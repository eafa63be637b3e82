// The coordinator's forms on an assessment, as data: the words and fields each page shows, the input it reads
// (schemas.ts) and the service call it makes. routes.ts serves each one at /people/:personId/ehcp/:assessmentId/<path>
// (a GET that shows it, a POST that runs it). Also how every EHCP page form is posted: run the change and redirect,
// or show the form again with what was typed and the messages.

import type { FastifyReply, FastifyRequest } from 'fastify';
import { postForm } from '../../http/form-post.ts';
import { type Body, dateInput, errorList, type FieldErrors } from '../../http/forms.ts';
import type { ReadContext } from '../../http/schema-input.ts';
import type { AuthUser } from '../../http/types.ts';
import { ADVICE_KINDS, EXCEPTION_TYPES, REQUESTERS } from './labels.ts';
import {
  AdviceRequestInput,
  AssessmentRequestInput,
  DecisionInput,
  DelayNoticeInput,
  DraftInput,
  ExceptionInput,
  FinalPlanInput,
  INBOX,
  INVITE,
  NotIssuingInput,
} from './schemas.ts';
import type { EhcpService } from './service.ts';

/** One field as the form template (views/_macros.njk) draws it. */
export interface Field {
  type: 'date' | 'radios' | 'textarea' | 'select' | 'input' | 'hidden';
  name: string;
  label: string;
  hint?: string;
  items?: { value: string; text: string }[];
}

export interface AssessmentForm {
  /** After /people/:personId/ehcp/:assessmentId/. */
  path: string;
  title: string;
  intro?: string;
  submit: string;
  /** Where on the assessment page to land afterwards (#advice…). */
  anchor?: string;
  fields: (ehcp: EhcpService, user: AuthUser) => Promise<Field[]> | Field[];
  /** Reads the posted form (throws the field messages) and makes the change. */
  run: (
    ehcp: EhcpService,
    user: AuthUser,
    at: { personId: string; assessmentId: string },
    body: Body,
  ) => Promise<unknown>;
}

/** Re-shapes a posted body for the form template: date fields back into their day/month/year parts. */
function formValues(body: Body, fields: Field[]) {
  const values: Record<string, unknown> = { ...body };
  for (const f of fields) if (f.type === 'date') values[f.name] = dateInput(body, f.name).parts;
  return values;
}

/** What the form template shows again after a refused post: what was typed, and the messages (code 400). */
export function refused(reply: FastifyReply, body: Body, fields: Field[], errors: FieldErrors) {
  reply.code(400);
  return { values: formValues(body, fields), errors, errorList: errorList(errors) };
}

/** Runs a form's change; a ValidationError (the input's or the service's) re-renders the form instead. */
export async function posted(
  request: FastifyRequest,
  reply: FastifyReply,
  run: (body: Body) => Promise<string>,
  again: (body: Body, errors: FieldErrors) => Promise<unknown>,
) {
  const body = (request.body ?? {}) as Body;
  return postForm(
    reply,
    body,
    () => run(body),
    ({ errors }) => again(body, errors),
  );
}

const items = (o: Record<string, string>) => Object.entries(o).map(([value, t]) => ({ value, text: t }));
const date = (name: string, label: string, hint?: string): Field => ({ type: 'date', name, label, hint });
const textarea = (name: string, label: string, hint?: string): Field => ({ type: 'textarea', name, label, hint });

/** A form's change: the input read from the body (today from the service's clock), then the service's function. */
function change<V>(
  input: { parse(body: Body, ctx: ReadContext): V },
  call: (ehcp: EhcpService) => (user: AuthUser, personId: string, assessmentId: string, x: V) => Promise<unknown>,
): AssessmentForm['run'] {
  return (ehcp, user, at, body) =>
    call(ehcp)(user, at.personId, at.assessmentId, input.parse(body, { today: ehcp.today() }));
}

/** The form that starts an assessment (on the record, before there is one). */
export const NEW_ASSESSMENT = {
  title: 'Record a request for an EHC needs assessment',
  submit: 'Record the request',
  input: AssessmentRequestInput,
  fields: [
    date('request_date', 'Date of the request', 'The clocks run from this date. For example, 21 12 2026'),
    { type: 'radios', name: 'requested_by', label: 'Who asked for the assessment?', items: items(REQUESTERS) },
    {
      type: 'input',
      name: 'requester_detail',
      label: 'Who asked (if someone else)',
      hint: 'For example, the health visitor',
    },
  ] satisfies Field[],
};

export const ASSESSMENT_FORMS: AssessmentForm[] = [
  {
    path: 'decision',
    title: 'Decide whether to carry out the assessment',
    intro: 'The decision is due 6 weeks from the request (SEND Regulations 2014 reg 5(1)).',
    submit: 'Record the decision',
    fields: () => [
      {
        type: 'radios',
        name: 'decision',
        label: 'Decision',
        items: [
          { value: 'assess', text: 'Carry out the EHC needs assessment' },
          { value: 'not_assess', text: 'Do not carry out an assessment' },
        ],
      },
      date('decision_date', 'Date of the decision'),
    ],
    run: change(DecisionInput, (e) => e.decideToAssess),
  },
  {
    path: 'advice/new',
    title: 'Request advice',
    intro:
      'Advice is due 6 weeks from the request for advice (SEND Regulations 2014 reg 8(1)). The advice giver sees only this request: the child’s name, date of birth, school and your question.',
    submit: 'Send the request',
    anchor: '#advice',
    fields: adviceRequestFields,
    run: change(AdviceRequestInput, (e) => e.requestAdvice),
  },
  {
    path: 'exceptions/new',
    title: 'Record an exception to the time limits',
    intro:
      'An exception is evidence for why the 16 or 20 week date may be missed (SEND Regulations 2014 reg 10(4), reg 13(3)). It is flagged for statutory reporting. It does not move the statutory dates: Handover shows them unchanged, and a projected date beside them.',
    submit: 'Record the exception',
    anchor: '#exceptions',
    fields: () => [
      { type: 'radios', name: 'type', label: 'Which exception applies?', items: items(EXCEPTION_TYPES) },
      date('start_date', 'Date it began'),
      date('end_date', 'Date it ended, or is expected to end'),
      textarea(
        'reason',
        'Evidence and reason',
        'For example, the school’s closure dates and the letter confirming them',
      ),
    ],
    run: change(ExceptionInput, (e) => e.recordException),
  },
  {
    path: 'draft',
    title: 'Serve the draft plan',
    intro:
      'The family has at least 15 days, beginning with the day the draft is served, to make representations (SEND Regulations 2014 reg 13(1)). Each advice giver is asked to check the draft reflects the needs they described, with feedback due in 5 working days.',
    submit: 'Serve the draft',
    fields: () => [
      date('served_date', 'Date the draft was served'),
      textarea(
        'draft_text',
        'Needs and provision in the draft plan',
        'Advice givers see this to check it reflects their advice',
      ),
    ],
    run: change(DraftInput, (e) => e.serveDraft),
  },
  {
    path: 'final',
    title: 'Record the final plan',
    intro: 'The final plan is due 20 weeks from the request (SEND Regulations 2014 reg 13(2)).',
    submit: 'Record the final plan',
    fields: () => [date('final_date', 'Date the final plan was issued')],
    run: change(FinalPlanInput, (e) => e.issueFinal),
  },
  {
    path: 'not-issuing',
    title: 'Record a decision not to issue a plan',
    intro: 'The decision is due 16 weeks from the request (SEND Regulations 2014 reg 10(1)).',
    submit: 'Record the decision',
    fields: () => [date('not_issue_date', 'Date of the decision')],
    run: change(NotIssuingInput, (e) => e.decideNotToIssue),
  },
  {
    path: 'delay-notice',
    title: 'Tell the parents about the delay',
    intro:
      'Each contact with parental responsibility gets a notice of the delay and the new timescale: by email where we have an address, otherwise as a letter to print and post. Each one is recorded.',
    submit: 'Send the delay notice',
    anchor: '#delay',
    fields: () => [
      textarea('reason', 'Why the plan is delayed', 'This goes into the notice. Do not write the child’s name.'),
    ],
    run: change(DelayNoticeInput, (e) => e.sendDelayNotice),
  },
];

/** Who may be asked (staff, advice givers first) or invited, and the organisations an invitee may work for. */
async function adviceRequestFields(ehcp: EhcpService, user: AuthUser): Promise<Field[]> {
  const [givers, services, inboxes] = await Promise.all([
    ehcp.adviceGiverOptions(user),
    ehcp.externalServices(user),
    ehcp.inboxOptions(user),
  ]);
  return [
    { type: 'radios', name: 'kind', label: 'Kind of advice', items: items(ADVICE_KINDS) },
    {
      type: 'select',
      name: 'giver_user_id',
      label: 'Who to ask',
      items: [
        { value: '', text: 'Choose a person' },
        ...givers.map((g) => ({
          value: g.id,
          text: `${g.display_name}${g.job_title ? `, ${g.job_title}` : ''}${g.service_name ? ` (${g.service_name})` : ''}`,
        })),
        ...(inboxes.length ? [{ value: INBOX, text: 'An organisation’s team inbox (choose it below)' }] : []),
        { value: INVITE, text: 'Someone without an account: invite them by email' },
      ],
    },
    ...(inboxes.length
      ? [
          {
            type: 'select' as const,
            name: 'inbox_service_id',
            label: 'The organisation’s team inbox (only if asking an inbox)',
            items: [
              { value: '', text: 'Choose an organisation' },
              ...inboxes.map((s) => ({ value: s.id, text: s.name })),
            ],
          },
        ]
      : []),
    { type: 'input', name: 'invite_email', label: 'Their email address (only if inviting)' },
    { type: 'input', name: 'invite_name', label: 'Their full name (only if inviting)' },
    {
      type: 'select',
      name: 'invite_service_id',
      label: 'Their organisation (only if inviting)',
      items: [{ value: '', text: 'Choose an organisation' }, ...services.map((s) => ({ value: s.id, text: s.name }))],
    },
    textarea('question', 'What advice do you need?', 'This is shown to the advice giver.'),
    date('requested_date', 'Date of the request for advice (optional)', 'Leave blank for today'),
  ];
}
