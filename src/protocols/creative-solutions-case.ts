// A case before the Creative Solutions Board (issue 12 part 5, Wiltshire): a professional refers a complex case
// with what has been tried and why it is stuck; the board (chaired by the exploitation lead) considers it at a
// meeting and chooses a new solution to test, with an owner and a review date; at the review the board records the
// result and the learning, then tests another solution or closes the case. The solutions module drives it
// (src/modules/solutions/flow.ts); a council can change owners, deadlines and ladders in its own version but must
// keep these step and outcome ids.
import { defineProtocol, type OutcomeIdOf, type StepIdOf } from '../domain/protocol/definition.ts';

export const creativeSolutionsCase = defineProtocol({
  id: 'creative-solutions-case',
  version: 1,
  title: 'Creative Solutions Board case',
  description:
    'A complex case referred to the Creative Solutions Board. The board considers it within 20 working days, chooses a new solution to test with an owner and a review date, and at the review records the result and the learning before testing another solution or closing the case.',
  source: 'Wiltshire Council, transitional safeguarding: the Creative Solutions Board (issue 12 part 5)',
  inputs: [{ name: 'owner_user_id', label: 'Owner of the solution being tested', type: 'user' }],
  anchors: ['review'],
  start: 'consider',
  steps: [
    {
      id: 'consider',
      title: 'Consider the case at the Creative Solutions Board',
      responsible: 'role:exploitation_lead',
      guidance:
        'Put the case to the board: record the problem as the board sees it and the new solution to test, with its owner and review date, on the board case page.',
      deadline: { workingDays: 20, from: 'started', source: 'Local practice: the board meets at least monthly' },
      overdue: [{ action: 'remind' }, { after: { workingDays: 5 }, action: 'notify', to: 'service_manager' }],
      outcomes: [
        { id: 'solution_chosen', label: 'A solution to test was chosen', to: 'test_solution' },
        { id: 'declined', label: 'Not a case for the board', end: 'declined' },
      ],
    },
    {
      id: 'test_solution',
      title: 'Test the solution the board chose',
      responsible: 'field:owner_user_id',
      guidance:
        'Try the solution until the review date; the board then records the result and the learning on the board case page.',
      deadline: { on: 'review', source: 'The review date the board set' },
      overdue: [{ action: 'remind' }, { after: { workingDays: 5 }, action: 'notify', to: 'role:exploitation_lead' }],
      outcomes: [
        { id: 'test_another', label: 'Reviewed: test another solution', to: 'test_solution' },
        { id: 'closed', label: 'Reviewed: case closed', end: 'closed' },
      ],
    },
  ],
});

export type SolutionsStep = StepIdOf<typeof creativeSolutionsCase>;
export type SolutionsOutcome = OutcomeIdOf<typeof creativeSolutionsCase>;
