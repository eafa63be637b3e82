// Kent 2.5: when the receiving team cannot allocate a transferred case, the capacity block goes to the service
// manager, who is accountable for smooth transition. The transfer module (src/modules/transfers/capacity.ts) starts
// an instance when the receiving team manager escalates, naming the service manager (the receiving team's service
// first) as its input; the instance ends by itself when a worker is allocated. The five working days and the
// ladder (the owner reminded, then the IFS manager and the assistant director told) are local choices: a council
// can change them, or the owner, in its own version (PROTOCOLS_DIR).
import { defineProtocol } from '../domain/protocol/definition.ts';

export const KENT_CAPACITY_ID = 'kent-capacity-escalation';

export const kentCapacityEscalation = defineProtocol({
  id: KENT_CAPACITY_ID,
  version: 1,
  title: 'Capacity escalation (Kent)',
  description:
    'The receiving team cannot allocate a transferred case: the service manager owns the block until a worker is allocated, and senior managers are told if it is still blocked when it falls due. Meanwhile the current worker keeps the case.',
  source: 'Kent County Council, Team Remits and Transfer Protocol (Step Up Step Down), section 2.5',
  startedBy: ['team_manager', 'service_manager'],
  inputs: [
    { name: 'service_manager_id', label: 'Service manager (or their service, when nobody is named)', type: 'user' },
    { name: 'transfer_id', label: 'Transfer', type: 'text' },
  ],
  facts: ['worker_allocated'],
  start: 'resolve',
  steps: [
    {
      id: 'resolve',
      title: 'Service manager resolves the capacity block',
      responsible: 'field:service_manager_id',
      guidance:
        'Find the capacity for the receiving team to allocate a worker; until then the current worker keeps the case (Kent 2.5).',
      deadline: {
        workingDays: 5,
        source:
          'Kent transfer protocol 2.5 (the service manager is accountable for smooth transition); 5 working days is a local choice',
      },
      overdue: [
        { action: 'remind' },
        { action: 'notify', to: 'role:ifs_manager' },
        { action: 'notify', to: 'role:assistant_director' },
      ],
      outcomes: [
        {
          id: 'allocated',
          label: 'A worker is allocated: the block is resolved',
          end: 'resolved',
          when: 'worker_allocated',
        },
      ],
    },
  ],
});
