// Cumbria advice-query protocol, version 2 (shared/seeds/003_6bf63b2a3758ad37.txt). Version 1 stays as it was:
// instances started on it keep running on it.
//
// What changed, and why: in version 1 the advice giver (and, when they are away, their line manager) owned the
// "return the updated advice" step. Owning an open step on a case opens the whole record (modules/access), but an
// advice giver from an outside organisation needs only the one advice request they were asked about. So in
// version 2 the coordinator owns the tracking steps (Cumbria step 5: the coordinator closes the follow-up), and the
// advice giver answers on their advice request page (/advice/:requestId), which shows only that request. The
// EHCP module sends the follow-up email (subject URGENT STATUTORY ADVICE CLARIFICATION REQUIRED, to the giver and
// their manager) when the follow-up is logged, hands the request to the line manager on 'giver_away', and closes
// the step itself when updated advice is submitted (src/modules/ehcp/follow-ups.ts drives it).
//
// Written out in full (the same content as before) so its step and outcome ids are types the module checks.
import { defineProtocol } from '../domain/protocol/definition.ts';
import { cumbriaAdviceQueryV1 as v1 } from './cumbria-advice-query.ts';

const [review, discuss, contact] = [v1.steps[0], v1.steps[1], v1.steps[2]];

export const cumbriaAdviceQueryV2 = defineProtocol({
  id: 'cumbria-advice-query',
  version: 2,
  title: v1.title,
  description:
    'When advice for an EHC needs assessment is unclear or incomplete: discuss with the line manager, then clarify a small point directly (Option 1) or log a follow-up emailed to the advice giver and their manager with a 5 working day response date (Option 2). The advice giver answers on their advice request page and sees only that request.',
  source: v1.source,
  startedBy: v1.startedBy,
  start: 'review_advice',
  steps: [
    review,
    discuss,
    contact,
    {
      id: 'log_follow_up',
      title: 'Log the follow-up email to the advice giver and their manager',
      responsible: 'starter',
      guidance:
        'Handover emails the advice giver and their line manager (and anyone else you add) with the subject URGENT STATUTORY ADVICE CLARIFICATION REQUIRED, the case reference and a sign-in link, when you choose "Follow-up sent". Say what is needed from the advice; do not write the child’s name. The response is required 5 working days from the date of the email.',
      fields: [
        { name: 'advice_giver', label: 'Advice giver', type: 'user', required: true },
        { name: 'what_is_needed', label: 'What is needed from the advice', type: 'textarea', required: true },
        {
          name: 'extra_recipients',
          label: 'More recipients (optional)',
          type: 'text',
          hint: 'Email addresses, separated by commas',
        },
        { name: 'email_date', label: 'Date of the email', type: 'date', required: true, setsAnchor: 'follow_up_email' },
      ],
      deadline: { workingDays: 1 },
      overdue: [{ action: 'remind' }],
      outcomes: [{ id: 'sent', label: 'Follow-up sent', to: 'await_updated_advice' }],
    },
    {
      id: 'await_updated_advice',
      title: 'Updated advice due from the advice giver',
      responsible: 'starter',
      guidance:
        'The advice giver returns the updated advice on their advice request page within 5 working days of the email; their manager makes sure it is done. Submitting updated advice closes this step by itself. If the advice giver is not at work, choose "The advice giver is away": their line manager becomes responsible.',
      deadline: { workingDays: 5, from: 'follow_up_email', source: 'Cumbria advice query protocol step 3, Option 2' },
      overdue: [{ action: 'remind' }, { after: { workingDays: 2 }, action: 'notify', to: 'role:send_manager' }],
      outcomes: [
        { id: 'received', label: 'Updated advice received: close the follow-up', end: 'follow_up_closed' },
        {
          id: 'giver_away',
          label: 'The advice giver is away: their line manager takes it on',
          to: 'line_manager_completes',
        },
      ],
    },
    {
      id: 'line_manager_completes',
      title: 'Updated advice due from the advice giver’s line manager',
      responsible: 'starter',
      guidance:
        'The advice giver is away, so their line manager is responsible for returning the updated advice within the same 5 working days. The advice request has passed to them.',
      deadline: { workingDays: 5, from: 'follow_up_email', source: 'Cumbria advice query protocol step 4' },
      overdue: [{ action: 'remind' }, { action: 'notify', to: 'role:send_manager' }],
      outcomes: [{ id: 'received', label: 'Updated advice received: close the follow-up', end: 'follow_up_closed' }],
    },
  ],
});
