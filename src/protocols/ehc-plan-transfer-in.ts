// A plan transferred in from another council (SEND Regulations 2014 reg 15), driven by the plan-changes module
// (src/modules/ehc-plan-changes): from the date of the transfer the receiving council maintains the plan as if it had
// made it, and within 6 weeks must tell the parent or young person that the plan has transferred, whether it proposes
// to make an EHC needs assessment and when it will review the plan (reg 15(4)). The review date itself is the reviews
// module's (reg 15(5)). A council may change owners, ladders and wording in its own version; the module needs these
// step and outcome ids.
import { defineProtocol } from '../domain/protocol/definition.ts';

export const ehcPlanTransferIn = defineProtocol({
  id: 'ehc-plan-transfer-in',
  version: 1,
  title: 'EHC plan transferred in from another council',
  description:
    'Within 6 weeks of the transfer, tell the parent or young person that the plan has transferred, whether the council proposes to make an EHC needs assessment, and when it will review the plan.',
  source: 'The Special Educational Needs and Disability Regulations 2014, regulation 15',
  anchors: ['transferred'],
  start: 'tell_family',
  steps: [
    {
      id: 'tell_family',
      title: 'Tell the family the plan has transferred and whether you will reassess',
      responsible: 'role:send_manager',
      guidance:
        'Write to the parent or young person: the plan has transferred, whether the council proposes to make an EHC needs assessment, and when it will review the plan (reg 15(4)). Record it on the plan.',
      deadline: { weeks: 6, from: 'transferred', source: 'SEND Regulations 2014 reg 15(4)' },
      overdue: [{ action: 'remind' }, { action: 'notify', to: 'role:send_manager', after: { workingDays: 2 } }],
      outcomes: [{ id: 'told', label: 'The family has been told', end: 'told' }],
    },
  ],
});
