// The annual review of an EHC plan (Children and Families Act 2014 s.44; SEND Regulations 2014 regs 18, 20 and 21;
// SEND Code of Practice 2015 ch. 9), driven by the ehc-reviews module (src/modules/ehc-reviews): one instance per
// review. The coordinator arranges the meeting and invites with at least 2 weeks' notice, asks for advice and
// circulates it at least 2 weeks before, holds the meeting by the review's due date, sends the report within 2 weeks
// and records the council's decision (maintain, amend or cease) within 4 weeks of the meeting. The module records
// the dates the deadlines count from: `meeting_by` (the due date, or earlier in a phase-transfer year so the
// amendment can be finalised by 15 February / 31 March, reg 18), `notice_by` (2 weeks before the meeting set),
// `meeting_held`, and `phase_decision_due` (in a transfer year, when the amendment's 8 weeks would otherwise run past
// the reg 18 date). Overdue steps remind the coordinator, then tell and finally pass to the SEND managers.
import { defineProtocol } from '../domain/protocol/definition.ts';

const coordinator = 'field:coordinator';
const ladder = [
  { action: 'remind' as const },
  { action: 'notify' as const, to: 'role:send_manager', after: { workingDays: 2 } },
  { action: 'escalate' as const, to: 'role:send_manager', after: { workingDays: 10 } },
];
const closed = { id: 'closed', label: 'The plan ceased or left the council', end: 'closed' } as const;

export const ehcAnnualReview = defineProtocol({
  id: 'ehc-annual-review',
  version: 1,
  title: 'Annual review of an EHC plan',
  description:
    'Review the plan at least every 12 months: arrange the meeting with 2 weeks’ notice, circulate the advice 2 weeks before it, hold it by the due date, send the report within 2 weeks and decide within 4 weeks of the meeting whether to maintain, amend or cease the plan. In a phase-transfer year the review leaves time to amend the plan by 15 February (31 March for secondary to post-16).',
  source:
    'Children and Families Act 2014 s.44; SEND Regulations 2014 regs 18, 20 and 21; SEND Code of Practice 2015 paras 9.166–9.185',
  anchors: ['meeting_by', 'notice_by', 'meeting_held', 'phase_decision_due'],
  inputs: [
    { name: 'coordinator', label: 'EHCP coordinator', type: 'user' },
    { name: 'plan_id', label: 'EHC plan', type: 'text' },
    { name: 'review_id', label: 'Review', type: 'text' },
  ],
  start: 'arrange_meeting',
  steps: [
    {
      id: 'arrange_meeting',
      title: 'Arrange the review meeting and send the invitations',
      responsible: coordinator,
      guidance:
        'Set the meeting date on the review page and invite the parent or young person, the setting, the SEN officer, health and social care with at least 2 weeks’ notice. The date shown is the last day to invite for a meeting on the review’s due date.',
      deadline: {
        on: 'notice_by',
        source: 'SEND Regulations 2014 reg 20(2) and (3): at least 2 weeks’ notice of the meeting; CFA 2014 s.44(1)',
      },
      overdue: ladder,
      outcomes: [{ id: 'arranged', label: 'Meeting arranged and invitations sent', to: 'circulate_advice' }, closed],
    },
    {
      id: 'circulate_advice',
      title: 'Get the advice and circulate it',
      responsible: coordinator,
      guidance:
        'Ask the people invited for advice and information (Request advice on the review page) and circulate what comes back to them all at least 2 weeks before the meeting.',
      deadline: {
        on: 'notice_by',
        source: 'SEND Regulations 2014 reg 20(4): advice circulated at least 2 weeks before the meeting',
      },
      overdue: ladder,
      outcomes: [{ id: 'circulated', label: 'Advice circulated', to: 'hold_meeting' }, closed],
    },
    {
      id: 'hold_meeting',
      title: 'Hold the review meeting',
      responsible: coordinator,
      guidance:
        'Record the meeting on the review page: the date held, who came, the views of the child or young person and the parents, and (from Year 9) preparing for adulthood.',
      deadline: {
        on: 'meeting_by',
        source:
          'Children and Families Act 2014 s.44(1): within 12 months of the plan being made or last reviewed (SEND Regulations 2014 reg 15(5) after a transfer in); reg 18(1) in a phase-transfer year',
      },
      overdue: ladder,
      outcomes: [{ id: 'held', label: 'Meeting held', to: 'send_report' }, closed],
    },
    {
      id: 'send_report',
      title: 'Send the review report',
      responsible: coordinator,
      guidance:
        'Write the report of the meeting, with its recommendations and any differences of view, and send it to everyone invited.',
      deadline: {
        weeks: 2,
        from: 'meeting_held',
        source: 'SEND Regulations 2014 reg 20(7) and (8): the report within 2 weeks of the meeting',
      },
      overdue: ladder,
      outcomes: [{ id: 'sent', label: 'Report sent', to: 'decide' }, closed],
    },
    {
      id: 'decide',
      title: 'Decide: maintain, amend or cease the plan',
      responsible: coordinator,
      guidance:
        'Record the council’s decision and its reasons and tell the parent or young person. Amend starts the amendment; cease starts the cessation.',
      deadline: {
        weeks: 4,
        from: 'meeting_held',
        dueOn: 'phase_decision_due',
        source:
          'SEND Regulations 2014 reg 20(10); SEND Code of Practice 2015 para 9.176: within 4 weeks of the meeting; reg 18(1) in a phase-transfer year',
      },
      overdue: ladder,
      outcomes: [
        { id: 'maintain', label: 'Maintain the plan as it is', end: 'maintain' },
        { id: 'amend', label: 'Amend the plan', end: 'amend' },
        { id: 'cease', label: 'Cease to maintain the plan', end: 'cease' },
        closed,
      ],
    },
  ],
});
