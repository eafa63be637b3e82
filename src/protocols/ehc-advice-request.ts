// One request for advice for an EHC needs assessment (SEND Regulations 2014 reg 8), driven by the EHCP module:
// a protocol of its own per request, because each request has its own 6-week clock from the day it was asked for,
// and later its own draft accuracy check (Cumbria steps 6-7). The coordinator owns every step: an advice giver
// (often from an outside organisation) must never own a step on the case, as that would open the whole record;
// they answer on their advice request page. When a deadline passes the step moves on to an "overdue" step, and
// the module (on entering it) tells the advice giver, their line manager and the coordinator, with links to the
// pages each of them can open.
import { defineProtocol } from '../domain/protocol/definition.ts';

const coordinator = 'field:coordinator';

export const ehcAdviceRequest = defineProtocol({
  id: 'ehc-advice-request',
  version: 1,
  title: 'Advice for an EHC needs assessment',
  description:
    'An advice giver is asked for advice and has 6 weeks from the request to send it (reg 8). Once the draft plan is served they are asked to check it reflects their advice, within 5 working days.',
  source: 'SEND Regulations 2014 reg 8; Cumbria EHCP advice protocol (draft accuracy check)',
  anchors: ['request_for_advice', 'draft_check_due'],
  inputs: [
    { name: 'coordinator', label: 'EHCP coordinator', type: 'user' },
    { name: 'request_id', label: 'Advice request', type: 'text' },
  ],
  start: 'advice_due',
  steps: [
    {
      id: 'advice_due',
      title: 'Advice due from the advice giver',
      responsible: coordinator,
      guidance: 'The advice giver sends their advice on their advice request page; that closes this step.',
      deadline: { weeks: 6, from: 'request_for_advice', source: 'SEND Regulations 2014 reg 8(1)' },
      overdue: [{ action: 'move', to: 'advice_overdue', outcome: 'overdue' }],
      outcomes: [
        { id: 'received', label: 'Advice received', to: 'advice_received' },
        { id: 'overdue', label: 'The 6 weeks have passed', to: 'advice_overdue' },
      ],
    },
    {
      id: 'advice_overdue',
      title: 'Advice overdue from the advice giver',
      responsible: coordinator,
      guidance: 'The advice giver and their line manager have been reminded.',
      outcomes: [{ id: 'received', label: 'Advice received', to: 'advice_received' }],
    },
    {
      id: 'advice_received',
      title: 'Advice received',
      responsible: coordinator,
      guidance: 'When the draft plan is served, the advice giver is asked to check it.',
      outcomes: [
        { id: 'draft_sent', label: 'Draft plan sent for an accuracy check', to: 'draft_check' },
        { id: 'closed', label: 'The assessment ended before a draft', end: 'closed' },
      ],
    },
    {
      id: 'draft_check',
      title: 'Draft plan accuracy check due from the advice giver',
      responsible: coordinator,
      deadline: { on: 'draft_check_due', source: 'Cumbria EHCP advice protocol steps 6-7 (5 working days)' },
      overdue: [{ action: 'move', to: 'draft_check_overdue', outcome: 'overdue' }],
      outcomes: [
        { id: 'feedback', label: 'Feedback on the draft received', end: 'draft_checked' },
        { id: 'overdue', label: 'The 5 working days have passed', to: 'draft_check_overdue' },
      ],
    },
    {
      id: 'draft_check_overdue',
      title: 'Draft plan accuracy check overdue',
      responsible: coordinator,
      guidance: 'The advice giver has been reminded.',
      outcomes: [{ id: 'feedback', label: 'Feedback on the draft received', end: 'draft_checked' }],
    },
  ],
});
