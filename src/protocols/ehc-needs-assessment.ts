// The statutory route of an EHC needs assessment (Special Educational Needs and Disability Regulations 2014,
// regs 4-13), driven by the EHCP module (src/modules/ehcp): the coordinator records each decision on the
// assessment's pages and the module moves this protocol on in the same transaction. Every statutory deadline
// counts from the request (the `request` anchor), so it never moves. Exceptions under reg 10(4) (applied to the
// final plan by reg 13(3)) are evidence recorded on the instance and the timeline: they explain lateness, they
// do not move a statutory date. Advice requests (6 weeks, reg 8) run as their own protocol, one per request
// (ehc-advice-request.ts). A council may change the owners, the ladders and the wording in its own version; the
// module needs these step and outcome ids.
import { defineProtocol } from '../domain/protocol/definition.ts';

const coordinator = 'field:coordinator';

export const ehcNeedsAssessment = defineProtocol({
  id: 'ehc-needs-assessment',
  version: 1,
  title: 'EHC needs assessment (statutory route)',
  description:
    'From the request for an EHC needs assessment to the final EHC plan, on the statutory clocks: decide whether to assess within 6 weeks, gather advice, decide not to issue a plan or serve the draft within 16 weeks, allow at least 15 days for representations, and issue the final plan within 20 weeks of the request.',
  source: 'The Special Educational Needs and Disability Regulations 2014, regulations 4 to 13',
  anchors: ['request', 'draft_served'],
  inputs: [{ name: 'coordinator', label: 'EHCP coordinator', type: 'user' }],
  start: 'decide_whether_to_assess',
  steps: [
    {
      id: 'decide_whether_to_assess',
      title: 'Decide whether to carry out the EHC needs assessment',
      responsible: coordinator,
      guidance:
        'Record the decision on the assessment page. If it is not reached in 20 weeks, the SEND managers are told (the final plan date, reg 13(2)).',
      deadline: { weeks: 6, from: 'request', source: 'SEND Regulations 2014 reg 5(1)' },
      overdue: [
        { action: 'remind' },
        { after: { days: 98 }, action: 'remind' },
        { after: { days: 98 }, action: 'notify', to: 'role:send_manager' },
      ],
      outcomes: [
        { id: 'assess', label: 'Carry out the assessment', to: 'gather_advice' },
        { id: 'not_assess', label: 'Do not carry out the assessment', end: 'not_assessed' },
      ],
    },
    {
      id: 'gather_advice',
      title: 'Gather advice, then serve the draft plan or decide not to issue one',
      responsible: coordinator,
      guidance:
        'Ask for advice (each request has 6 weeks, reg 8). Then serve the draft plan, or notify a decision not to issue a plan within 16 weeks of the request (reg 10(1)). At 20 weeks the SEND managers are told.',
      deadline: { weeks: 16, from: 'request', source: 'SEND Regulations 2014 reg 10(1)' },
      overdue: [
        { action: 'remind' },
        { after: { days: 28 }, action: 'remind' },
        { after: { days: 28 }, action: 'notify', to: 'role:send_manager' },
      ],
      outcomes: [
        { id: 'draft_served', label: 'Draft plan served', to: 'representations' },
        { id: 'not_to_issue', label: 'Decided not to issue an EHC plan', end: 'not_issued' },
      ],
    },
    {
      id: 'representations',
      title: 'Representations on the draft plan',
      responsible: coordinator,
      guidance:
        'The family has at least 15 days, beginning with the day the draft was served, to make representations and ask for a school or college. The final plan cannot be issued before they have run.',
      deadline: { days: 15, beginningWith: true, from: 'draft_served', source: 'SEND Regulations 2014 reg 13(1)' },
      overdue: [{ action: 'move', to: 'issue_final_plan', outcome: 'period_ended' }],
      outcomes: [
        { id: 'period_ended', label: 'The period for representations has run', to: 'issue_final_plan' },
        { id: 'final_issued', label: 'Final EHC plan issued', end: 'final_issued' },
      ],
    },
    {
      id: 'issue_final_plan',
      title: 'Issue the final EHC plan',
      responsible: coordinator,
      deadline: { weeks: 20, from: 'request', source: 'SEND Regulations 2014 reg 13(2)' },
      overdue: [{ action: 'remind' }, { action: 'notify', to: 'role:send_manager' }],
      outcomes: [{ id: 'final_issued', label: 'Final EHC plan issued', end: 'final_issued' }],
    },
  ],
});
