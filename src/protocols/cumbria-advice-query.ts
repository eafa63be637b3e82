// Cumbria: escalation protocol for EHC needs assessment advice queries (shared/seeds/003_6bf63b2a3758ad37.txt).
// Steps 1-5 of the document; the draft accuracy check, delay notice and weekly report belong to the EHCP module.
import { asDefinition, defineProtocol, type ProtocolDefinition } from '../domain/protocol/definition.ts';

/** Version 1, with its ids as types (version 2 and the EHCP module read them). */
export const cumbriaAdviceQueryV1 = defineProtocol({
  id: 'cumbria-advice-query',
  version: 1,
  title: 'EHCP advice query escalation (Cumbria)',
  description:
    'When advice for an EHC needs assessment is unclear or incomplete: discuss with the line manager, then clarify a small point directly (Option 1) or log a follow-up to the advice giver and their manager with a 5 working day response date (Option 2).',
  source: 'Cumbria County Council, Escalation Process/Protocol: Advice Queries',
  startedBy: ['ehcp_coordinator', 'send_manager'],
  start: 'review_advice',
  steps: [
    {
      id: 'review_advice',
      title: 'Check the advice received',
      responsible: 'starter',
      guidance: 'Advice for the EHC needs assessment has arrived. Is it clear and complete enough to write the plan?',
      outcomes: [
        { id: 'clear', label: 'The advice is clear and complete', end: 'advice_accepted' },
        { id: 'unclear', label: 'The advice is unclear or incomplete', to: 'discuss_with_line_manager' },
      ],
    },
    {
      id: 'discuss_with_line_manager',
      title: 'Discuss the advice with your line manager',
      responsible: 'starter_line_manager',
      guidance:
        'Discuss as soon as possible. The SEND manager supports the coordinator to use the initial advice as far as possible. Option 1: a small point of clarity — the coordinator contacts the advice giver. Option 2: further or extended input is needed — log a follow-up.',
      fields: [{ name: 'notes', label: 'What was agreed', type: 'textarea', required: true }],
      deadline: {
        workingDays: 2,
        source: 'Cumbria advice query protocol step 2 ("as soon as possible"; 2 working days chosen locally)',
      },
      overdue: [{ action: 'remind' }, { after: { workingDays: 1 }, action: 'escalate', to: 'role:send_manager' }],
      outcomes: [
        { id: 'use_initial', label: 'Use the initial advice as it is', end: 'initial_advice_used' },
        { id: 'option_1', label: 'Option 1: contact the advice giver about a small point', to: 'contact_advice_giver' },
        {
          id: 'option_2',
          label: 'Option 2: log a follow-up to the advice giver and their manager',
          to: 'log_follow_up',
        },
      ],
    },
    {
      id: 'contact_advice_giver',
      title: 'Contact the advice giver about the small point',
      responsible: 'starter',
      fields: [
        { name: 'contact_date', label: 'Date of contact', type: 'date', required: true },
        {
          name: 'contact_method',
          label: 'How you contacted them',
          type: 'choice',
          options: ['Phone', 'Email', 'Meeting', 'Teams call'],
          required: true,
        },
        { name: 'summary', label: 'What was clarified', type: 'textarea', required: true },
      ],
      deadline: { workingDays: 5 },
      overdue: [{ action: 'remind' }],
      outcomes: [
        { id: 'clarified', label: 'The point is clarified', end: 'clarified_by_contact' },
        { id: 'needs_follow_up', label: 'It needs a logged follow-up after all', to: 'log_follow_up' },
      ],
    },
    {
      id: 'log_follow_up',
      title: 'Log the follow-up email to the advice giver and their manager',
      responsible: 'starter',
      guidance:
        'Subject for all requests: URGENT STATUTORY ADVICE CLARIFICATION REQUIRED. Say what is needed from the advice. The response is required 5 working days from the date of the email.',
      fields: [
        { name: 'advice_giver', label: 'Advice giver', type: 'user', required: true },
        { name: 'what_is_needed', label: 'What is needed from the advice', type: 'textarea', required: true },
        { name: 'email_date', label: 'Date of the email', type: 'date', required: true, setsAnchor: 'follow_up_email' },
      ],
      deadline: { workingDays: 1 },
      overdue: [{ action: 'remind' }],
      outcomes: [{ id: 'sent', label: 'Follow-up sent', to: 'await_updated_advice' }],
    },
    {
      id: 'await_updated_advice',
      title: 'Return the updated advice',
      responsible: 'field:advice_giver',
      guidance:
        'The advice giver returns the updated advice within 5 working days of the email. Their manager makes sure it is done; if the advice giver is not at work, the line manager is responsible.',
      deadline: { workingDays: 5, from: 'follow_up_email', source: 'Cumbria advice query protocol step 3, Option 2' },
      overdue: [
        { action: 'remind' },
        { action: 'escalate', to: 'line_manager_of:advice_giver' },
        { after: { workingDays: 2 }, action: 'notify', to: 'role:send_manager' },
      ],
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
      title: 'Make sure the updated advice is returned',
      responsible: 'line_manager_of:advice_giver',
      deadline: { workingDays: 5, from: 'follow_up_email', source: 'Cumbria advice query protocol step 4' },
      overdue: [{ action: 'remind' }, { action: 'notify', to: 'role:send_manager' }],
      outcomes: [{ id: 'received', label: 'Updated advice received: close the follow-up', end: 'follow_up_closed' }],
    },
  ],
});

/** Version 1 as the engine and the tools read it. */
export const cumbriaAdviceQuery: ProtocolDefinition = asDefinition(cumbriaAdviceQueryV1);
