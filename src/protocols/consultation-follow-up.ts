// A follow-up agreed at a consultation forum (issue 12 part 6, Wiltshire): it has an owner and a due date and is
// chased like any step. The consultations module starts one instance per follow-up on a consultation that names
// a young person (an instance belongs to a record), keeps its owner and date in step, and ends it when the owner
// marks it done. A council can change the ladder in its own version; it must keep these ids.
import { defineProtocol, type OutcomeIdOf } from '../domain/protocol/definition.ts';

export const consultationFollowUp = defineProtocol({
  id: 'consultation-follow-up',
  version: 1,
  title: 'Consultation follow-up',
  description:
    'A follow-up agreed at a consultation forum is due on the date the forum gave it. When it is overdue its owner is reminded; 5 working days later the exploitation lead is told.',
  source: 'Wiltshire Council, transitional safeguarding: consultation forums (issue 12 part 6)',
  inputs: [{ name: 'owner_user_id', label: 'Owner of the follow-up', type: 'user' }],
  anchors: ['due'],
  start: 'follow_up',
  steps: [
    {
      id: 'follow_up',
      title: 'Do the consultation follow-up',
      responsible: 'field:owner_user_id',
      guidance: 'Do the follow-up by its due date and mark it done on the consultation page.',
      deadline: { on: 'due', source: 'The due date the forum gave' },
      overdue: [{ action: 'remind' }, { after: { workingDays: 5 }, action: 'notify', to: 'role:exploitation_lead' }],
      outcomes: [{ id: 'done', label: 'Done', end: 'done' }],
    },
  ],
});

export type FollowUpOutcome = OutcomeIdOf<typeof consultationFollowUp>;
