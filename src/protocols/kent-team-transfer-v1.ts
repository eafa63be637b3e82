// Kent team transfer, version 1 (kept: instances recorded on it before version 2 are carried over to version 2 by
// migration 2026_12_05_0150, and its recorded content must not change). New transfers run on version 2
// (kent-team-transfer.ts), which adds the facts the transfer module supplies so the checklist steps move by themselves.
// Kent: team remits and transfer protocol, step up / step down (shared/seeds/002_ef5c06fd8026eae8.txt, section 5).
// The transfer module (src/modules/transfers) starts an instance when a team manager decides a transfer and moves it
// on in the same transaction as each change to the transfer: the checklist steps advance when the facts on the case
// say the task is done, so nobody decides these steps on the protocol page. The protocol sets no day counts ("timely",
// "a priority"): every deadline below is a local choice and says so. Overdue steps remind their owner, then go to
// the service manager, who is accountable for smooth transition (Kent 2.5).
import type { ProtocolDefinition } from '../domain/protocol/definition.ts';
import { KENT_TRANSFER_ID } from './kent-team-transfer.ts';

const local = (n: number, what: string) => ({
  workingDays: n,
  source: `Kent transfer protocol ${what}; ${n} working days is a local choice (the protocol asks for timely transfer)`,
});
/** Remind the owner on the day, then the service manager takes it on `after` working days later. */
const ladder = (after: number) => [
  { action: 'remind' as const },
  { after: { workingDays: after }, action: 'escalate' as const, to: 'service_manager' },
];
const cancelled = { id: 'cancelled', label: 'The team manager cancels the transfer', end: 'cancelled' };
const summaryChanged = {
  id: 'summary_changed',
  label: 'The summary was changed: it needs signing off again',
  to: 'sign_off',
};

export const kentTeamTransferV1: ProtocolDefinition = {
  id: KENT_TRANSFER_ID,
  version: 1,
  title: 'Team transfer (Kent)',
  description:
    'A case moving between teams, or to another authority: the team manager decides and records it, the originating team completes the transfer standards (summary signed off by the team manager, file quality-assured, everyone told in writing, handover meeting), the receiving team accepts or returns it with the missing work, and the case completes only when a receiving worker is allocated — a child is never left unallocated.',
  source: 'Kent County Council, Team Remits and Transfer Protocol (Step Up Step Down), sections 2 and 5',
  startedBy: ['team_manager', 'service_manager'],
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
        { id: 'written', label: 'Summary written', to: 'sign_off' },
        {
          id: 'not_needed',
          label: 'Not needed: the latest assessment is less than one month old',
          to: 'quality_assurance',
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
        { id: 'signed_off', label: 'Summary signed off', to: 'quality_assurance' },
        { id: 'not_needed', label: 'No summary is needed any more', to: 'quality_assurance' },
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
        { id: 'assured', label: 'File quality-assured', to: 'notices' },
        { id: 'not_needed', label: 'Suspended under an approved contingency plan', to: 'notices' },
        summaryChanged,
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
      outcomes: [{ id: 'sent', label: 'Written notices sent', to: 'handover_meeting' }, summaryChanged, cancelled],
    },
    {
      id: 'handover_meeting',
      title: 'Handover meeting with the child and carer',
      responsible: 'allocated_worker',
      guidance: 'Wherever possible (Kent 2.3); otherwise record why not.',
      deadline: local(10, '2.3 (handover meeting)'),
      overdue: ladder(3),
      outcomes: [
        { id: 'recorded', label: 'Meeting held or arranged, or why not recorded', to: 'send' },
        { id: 'not_needed', label: 'Suspended under an approved contingency plan', to: 'send' },
        summaryChanged,
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
        { id: 'sent', label: 'Sent to the receiving team', to: 'receiving_decision' },
        summaryChanged,
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
      outcomes: [{ id: 'done', label: 'The missing work is done', to: 'summary' }, cancelled],
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
};
