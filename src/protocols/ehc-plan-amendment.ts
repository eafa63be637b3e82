// Amending an EHC plan (SEND Regulations 2014 reg 22), driven by the plan-changes module
// (src/modules/ehc-plan-changes): the coordinator prepares the proposed amendments (a `proposed_amendment` version
// of the plan) and sends them with the notice; the parent or young person has at least 15 days, beginning with the
// day the proposals were sent, to make representations; the amended final plan, or the decision not to amend, is due
// within 8 weeks of the proposals being sent. A child within 12 months of a transfer between phases must have the
// amended plan by 15 February (31 March for secondary to post-16) of the year of transfer (reg 18(1)): when that date
// is earlier than the 8 weeks the module records it as the `phase_transfer_due` anchor and the last step is due then.
// A council may change owners, ladders and wording in its own version; the module needs these step and outcome ids.
import { defineProtocol } from '../domain/protocol/definition.ts';

const coordinator = 'field:coordinator';
// Taken by the module when the plan ceases or moves to another council while an amendment is open.
const closed = { id: 'closed', label: 'The plan ceased or left the council', end: 'withdrawn' } as const;

export const ehcPlanAmendment = defineProtocol({
  id: 'ehc-plan-amendment',
  version: 1,
  title: 'Amend an EHC plan',
  description:
    'Prepare and send the proposed amendments with the notice, allow at least 15 days for representations, and issue the amended final plan (or notify the decision not to amend) within 8 weeks of the proposals, or by the phase-transfer date when that is earlier.',
  source: 'The Special Educational Needs and Disability Regulations 2014, regulation 22 (and regulation 18)',
  anchors: ['proposals_sent', 'phase_transfer_due'],
  inputs: [{ name: 'coordinator', label: 'EHCP coordinator', type: 'user' }],
  start: 'prepare_proposals',
  steps: [
    {
      id: 'prepare_proposals',
      title: 'Prepare the proposed amendments and send them with the notice',
      responsible: coordinator,
      guidance:
        'Edit the proposed amendments on the plan, then send them to the parent or young person with the notice of their rights (reg 22(2)). The 15 days and the 8 weeks count from the day they are sent.',
      deadline: {
        weeks: 2,
        from: 'started',
        source:
          'Handover default: the proposals go with the decision to amend (R (L, M and P) v Devon CC [2022] EWHC 493 (Admin), reading SEND Regulations 2014 regs 20 and 22 together)',
      },
      overdue: [{ action: 'remind' }, { action: 'notify', to: 'role:send_manager', after: { workingDays: 5 } }],
      outcomes: [
        { id: 'proposals_sent', label: 'Proposed amendments sent with the notice', to: 'representations' },
        { id: 'withdrawn', label: 'No amendments proposed after all', end: 'withdrawn' },
        closed,
      ],
    },
    {
      id: 'representations',
      title: 'Representations on the proposed amendments',
      responsible: coordinator,
      guidance:
        'The parent or young person has at least 15 days, beginning with the day the proposals were sent, to make representations, ask for a school or college to be named and ask for a meeting. Record what they say.',
      deadline: { days: 15, beginningWith: true, from: 'proposals_sent', source: 'SEND Regulations 2014 reg 22(2)(c)' },
      overdue: [{ action: 'move', to: 'finalise', outcome: 'period_ended' }],
      outcomes: [
        { id: 'period_ended', label: 'The period for representations has run', to: 'finalise' },
        { id: 'representations_made', label: 'The family has made its representations', to: 'finalise' },
        closed,
      ],
    },
    {
      id: 'finalise',
      title: 'Issue the amended plan, or notify the decision not to amend',
      responsible: coordinator,
      guidance:
        'Issue the amended final plan to the family, the setting and the health body, or tell the family the plan will not be amended and why. For a child in the year of a phase transfer it is due by 15 February (31 March for secondary to post-16) when that is earlier than 8 weeks.',
      deadline: {
        weeks: 8,
        from: 'proposals_sent',
        dueOn: 'phase_transfer_due',
        source:
          'SEND Regulations 2014 reg 22(3) and (4): within 8 weeks of the proposals; reg 18(1): by 15 February (31 March for secondary to post-16) of the year of a phase transfer, when earlier',
      },
      overdue: [
        { action: 'remind' },
        { action: 'notify', to: 'role:send_manager' },
        { action: 'escalate', to: 'line_manager_of:coordinator', after: { workingDays: 5 } },
      ],
      outcomes: [
        { id: 'amended', label: 'Amended final plan issued', end: 'amended' },
        { id: 'not_amended', label: 'Decided not to amend the plan', end: 'not_amended' },
        closed,
      ],
    },
  ],
});
