// Kent: team remits and transfer protocol, step up / step down (shared/seeds/002_ef5c06fd8026eae8.txt, section 5).
// The transfer module (src/modules/transfers) starts an instance when a team manager decides a transfer; the
// instance is the transfer's only status. The checklist steps move by themselves when the facts the module
// supplies hold (`when`: the summary is written, the file assured, the notices sent...), and a changed summary
// sends the transfer back to the sign-off; the team manager sends it, the receiving team accepts or returns it and
// allocates, each on the transfer page. The protocol sets no day counts ("timely", "a priority"): every deadline
// below is a local choice and says so. Overdue steps remind their owner, then go to the service manager, who is
// accountable for smooth transition (Kent 2.5). A council may change the titles, owners, deadlines and ladders in
// its own version (PROTOCOLS_DIR) but must keep the step and outcome ids the module uses.
// Version 2: version 1 (kent-team-transfer-v1.ts) with the facts; a first `when` that holds is taken, so a changed
// summary (summary_unsigned) comes first where it can happen.
import { defineProtocol } from '../domain/protocol/definition.ts';

export const KENT_TRANSFER_ID = 'kent-team-transfer';

const local = <N extends number>(n: N, what: string) => ({
  workingDays: n,
  source: `Kent transfer protocol ${what}; ${n} working days is a local choice (the protocol asks for timely transfer)`,
});
/** Remind the owner on the day, then the service manager takes it on `after` working days later. */
const ladder = (after: number) => [
  { action: 'remind' as const },
  { after: { workingDays: after }, action: 'escalate' as const, to: 'service_manager' },
];
const cancelled = { id: 'cancelled', label: 'The team manager cancels the transfer', end: 'cancelled' } as const;
const summaryChanged = {
  id: 'summary_changed',
  label: 'The summary was changed: it needs signing off again',
  to: 'sign_off',
  when: 'summary_unsigned',
} as const;

export const kentTeamTransfer = defineProtocol({
  id: KENT_TRANSFER_ID,
  version: 2,
  title: 'Team transfer (Kent)',
  description:
    'A case moving between teams, or to another authority: the team manager decides and records it, the originating team completes the transfer standards (summary signed off by the team manager, file quality-assured, everyone told in writing, handover meeting), the receiving team accepts or returns it with the missing work, and the case completes only when a receiving worker is allocated — a child is never left unallocated.',
  source: 'Kent County Council, Team Remits and Transfer Protocol (Step Up Step Down), sections 2 and 5',
  startedBy: ['team_manager', 'service_manager'],
  inputs: [
    { name: 'receiving_team_id', label: 'Receiving team', type: 'team' },
    { name: 'transfer_id', label: 'Transfer', type: 'text' },
  ],
  facts: [
    'summary_written',
    'summary_not_needed',
    'summary_signed_off',
    'summary_unsigned',
    'file_assured',
    'assurance_suspended',
    'notices_sent',
    'meeting_recorded',
    'meeting_suspended',
    'missing_work_done',
  ],
  start: 'request',
  steps: [
    {
      id: 'request',
      title: 'Team manager decides and records the transfer',
      responsible: 'team_manager',
      guidance:
        'The decision to transfer a case is taken by the team manager and recorded on the child’s record (Kent 5.1).',
      outcomes: [{ id: 'decided', label: 'Transfer decided and recorded', to: 'summary' }, cancelled],
    },
    {
      id: 'summary',
      title: 'Write the transfer summary',
      responsible: 'allocated_worker',
      guidance:
        'Needed when the latest assessment is over one month old: updated case information, important dates and urgent actions to follow up.',
      deadline: local(10, '5.1 (transfer summary)'),
      overdue: ladder(3),
      outcomes: [
        { id: 'written', label: 'Summary written', to: 'sign_off', when: 'summary_written' },
        {
          id: 'not_needed',
          label: 'Not needed: the latest assessment is less than one month old',
          to: 'quality_assurance',
          when: 'summary_not_needed',
        },
        cancelled,
      ],
    },
    {
      id: 'sign_off',
      title: 'Team manager signs off the summary',
      responsible: 'team_manager',
      deadline: local(2, '5.1 (summaries signed off by the team manager)'),
      overdue: ladder(2),
      outcomes: [
        { id: 'signed_off', label: 'Summary signed off', to: 'quality_assurance', when: 'summary_signed_off' },
        {
          id: 'not_needed',
          label: 'No summary is needed any more',
          to: 'quality_assurance',
          when: 'summary_not_needed',
        },
        cancelled,
      ],
    },
    {
      id: 'quality_assurance',
      title: 'Supervising manager quality-assures the file',
      responsible: 'line_manager',
      guidance: 'Records up to date and the case meets the practice standards (Kent 5.1).',
      deadline: local(5, '5.1 (quality assurance before transfer)'),
      overdue: ladder(2),
      outcomes: [
        summaryChanged,
        { id: 'assured', label: 'File quality-assured', to: 'notices', when: 'file_assured' },
        {
          id: 'not_needed',
          label: 'Suspended under an approved contingency plan',
          to: 'notices',
          when: 'assurance_suspended',
        },
        cancelled,
      ],
    },
    {
      id: 'notices',
      title: 'Tell everyone involved in writing',
      responsible: 'allocated_worker',
      guidance:
        'The originating team notifies every actively involved agency, professional and family member in writing of the new team and its contact details.',
      deadline: local(5, '5.1 (written notice of the transfer)'),
      overdue: ladder(2),
      outcomes: [
        summaryChanged,
        { id: 'sent', label: 'Written notices sent', to: 'handover_meeting', when: 'notices_sent' },
        cancelled,
      ],
    },
    {
      id: 'handover_meeting',
      title: 'Handover meeting with the child and carer',
      responsible: 'allocated_worker',
      guidance: 'Wherever possible (Kent 2.3); otherwise record why not.',
      deadline: local(10, '2.3 (handover meeting)'),
      overdue: ladder(3),
      outcomes: [
        summaryChanged,
        {
          id: 'recorded',
          label: 'Meeting held or arranged, or why not recorded',
          to: 'send',
          when: 'meeting_recorded',
        },
        {
          id: 'not_needed',
          label: 'Suspended under an approved contingency plan',
          to: 'send',
          when: 'meeting_suspended',
        },
        cancelled,
      ],
    },
    {
      id: 'send',
      title: 'Team manager sends the transfer to the receiving team',
      responsible: 'team_manager',
      deadline: local(2, '2.4 (transfers are a priority)'),
      overdue: ladder(2),
      outcomes: [
        summaryChanged,
        { id: 'sent', label: 'Sent to the receiving team', to: 'receiving_decision' },
        cancelled,
      ],
    },
    {
      id: 'receiving_decision',
      title: 'Receiving team accepts the transfer or returns it with the missing work',
      responsible: 'receiving_team_manager',
      guidance:
        'Should the receiving team identify missing exemplars, assessments or other work, the originating team must do it (Kent 5.1).',
      deadline: local(5, '2.4 and 5.1 (receiving team decision)'),
      overdue: ladder(2),
      outcomes: [
        { id: 'accepted', label: 'Accepted', to: 'allocation' },
        { id: 'returned', label: 'Returned with the missing work listed', to: 'remedial_work' },
      ],
    },
    {
      id: 'remedial_work',
      title: 'Originating team does the missing work',
      responsible: 'allocated_worker',
      deadline: local(5, '5.1 (remedial work by the originating team)'),
      overdue: ladder(2),
      outcomes: [
        { id: 'done', label: 'The missing work is done', to: 'summary', when: 'missing_work_done' },
        cancelled,
      ],
    },
    {
      id: 'allocation',
      title: 'Receiving team allocates a worker',
      responsible: 'receiving_team_manager',
      guidance:
        'The current worker keeps the case until the receiving worker is allocated: a child on a child protection plan or in care is never unallocated. Capacity problems go to the service manager (Kent 2.5).',
      deadline: local(10, '2.5 (never unallocated; capacity escalated to the service manager)'),
      overdue: ladder(2),
      outcomes: [{ id: 'allocated', label: 'Worker allocated: transfer complete', end: 'transferred' }],
    },
  ],
});
