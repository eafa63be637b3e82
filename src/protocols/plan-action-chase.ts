// Chasing an overdue plan action (Devon 16-17 transitions protocol: every action has an owner and a date). The
// transitions module starts one instance while an open action has a named owner, keeps its due date and owner in
// step (a change re-plans the ladder), and ends it when the action is done, cancelled or loses its named owner.
// A council can change the ladder in its own version; it must keep these ids.
import { defineProtocol, type OutcomeIdOf } from '../domain/protocol/definition.ts';

export const planActionChase = defineProtocol({
  id: 'plan-action-chase',
  version: 1,
  title: 'Chase an overdue plan action',
  description:
    'An action in a person-led plan is due on the date the plan gives it. When it is overdue its owner is reminded; 5 working days later their line manager is told, and 10 working days later the service manager.',
  source: 'Devon County Council, Transitions protocol for professionals (modified 21 March 2025), steps 2 and 8',
  inputs: [{ name: 'owner_user_id', label: 'Owner of the action', type: 'user' }],
  anchors: ['due'],
  start: 'complete_action',
  steps: [
    {
      id: 'complete_action',
      title: 'Complete the plan action',
      responsible: 'field:owner_user_id',
      guidance: 'Do the action by its due date, or agree a new date and change it on the plan.',
      deadline: { on: 'due' },
      overdue: [
        { action: 'remind' },
        { after: { workingDays: 5 }, action: 'notify', to: 'line_manager_of:owner_user_id' },
        { after: { workingDays: 10 }, action: 'notify', to: 'service_manager' },
      ],
      outcomes: [
        { id: 'done', label: 'Done', end: 'done' },
        { id: 'cancelled', label: 'Cancelled', end: 'cancelled' },
        { id: 'released', label: 'No named owner any more: nothing to chase', end: 'not_chased' },
      ],
    },
  ],
});

export type ActionChaseOutcome = OutcomeIdOf<typeof planActionChase>;
