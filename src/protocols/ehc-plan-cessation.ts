// Ceasing to maintain an EHC plan (Children and Families Act 2014 s.45; SEND Regulations 2014 regs 29–31), driven
// by the plan-changes module (src/modules/ehc-plan-changes): the council tells the parent or young person it is
// considering ceasing the plan and consults them and the setting named in it (reg 31(1)); if it decides to cease,
// it notifies them with their right of appeal to the First-tier Tribunal (SEND) and its time limit (reg 31(2)–(3));
// the plan is maintained while an appeal may be brought or is pending (CFA 2014 s.45(4)); then it ceases. The plan
// of a young person reaching the end of the academic year in which they turn 25 (s.46) is started by a daily job
// ahead of that date, which the module records as the `cease_on` anchor. A council may change owners, ladders and
// wording in its own version; the module needs these step and outcome ids.
import { defineProtocol } from '../domain/protocol/definition.ts';

const coordinator = 'field:coordinator';
// Taken by the module when the plan moves to another council before it ceased (the cessation is then recorded as
// not having ceased the plan).
const closed = { id: 'closed', label: 'The plan left the council before it ceased', end: 'closed' } as const;

export const ehcPlanCessation = defineProtocol({
  id: 'ehc-plan-cessation',
  version: 1,
  title: 'Cease to maintain an EHC plan',
  description:
    'Consult the parent or young person and the setting, decide, send the notice with the right of appeal and its time limit, keep the plan while an appeal may be brought or is pending, then cease it.',
  source:
    'Children and Families Act 2014 ss.45–46; The Special Educational Needs and Disability Regulations 2014, regulations 29 to 31',
  anchors: ['appeal_by', 'cease_on'],
  inputs: [{ name: 'coordinator', label: 'EHCP coordinator', type: 'user' }],
  start: 'consult',
  steps: [
    {
      id: 'consult',
      title: 'Consult the parent or young person and the setting, then decide',
      responsible: coordinator,
      guidance:
        'Tell the parent or young person that ceasing the plan is being considered, consult them and the head teacher or principal of the setting named in the plan (reg 31(1)), then record the decision. Ceasing sends the notice with the right of appeal.',
      deadline: {
        weeks: 4,
        from: 'started',
        source:
          'Handover default: SEND Regulations 2014 reg 31(1) sets no period for the consultation; a council may set its own',
      },
      overdue: [{ action: 'remind' }, { action: 'notify', to: 'role:send_manager', after: { workingDays: 5 } }],
      outcomes: [
        { id: 'cease', label: 'Decided to cease: notice sent with the right of appeal', to: 'appeal_window' },
        { id: 'maintain', label: 'Decided to keep the plan', end: 'maintained' },
        closed,
      ],
    },
    {
      id: 'appeal_window',
      title: 'Keep the plan while an appeal may be brought',
      responsible: coordinator,
      guidance:
        'The parent or young person may appeal to the First-tier Tribunal (SEND) within 2 months of the notice (or 1 month from a mediation certificate, if later). The plan is maintained until that time has passed. Record an appeal if one is made.',
      deadline: {
        on: 'appeal_by',
        source:
          'Tribunal Procedure (First-tier Tribunal) (Health, Education and Social Care Chamber) Rules 2008 rule 20(1): 2 months from the notice; CFA 2014 s.45(4): the plan is maintained meanwhile',
      },
      overdue: [{ action: 'move', to: 'cease_plan', outcome: 'no_appeal' }],
      outcomes: [
        { id: 'no_appeal', label: 'No appeal was brought in time', to: 'cease_plan' },
        { id: 'appeal_lodged', label: 'An appeal has been lodged', to: 'appeal_pending' },
        closed,
      ],
    },
    {
      id: 'appeal_pending',
      title: 'An appeal is pending: keep the plan',
      responsible: coordinator,
      guidance: 'The plan is maintained until the appeal is decided or withdrawn (CFA 2014 s.45(4)).',
      outcomes: [
        { id: 'appeal_dismissed', label: 'The appeal was dismissed or withdrawn', to: 'cease_plan' },
        { id: 'appeal_upheld', label: 'The Tribunal ordered the plan to be maintained', end: 'maintained' },
        closed,
      ],
    },
    {
      id: 'cease_plan',
      title: 'Cease the plan',
      responsible: coordinator,
      guidance:
        'Record the date the plan ceases. A plan ending at the end of the academic year of the 25th birthday ceases on that date (CFA 2014 s.46).',
      deadline: {
        workingDays: 5,
        dueOn: 'cease_on',
        source:
          'Handover default (the appeal period has run); CFA 2014 s.46 and SEND Regulations 2014 reg 46(1) for the end of the academic year of the 25th birthday',
      },
      overdue: [{ action: 'remind' }, { action: 'notify', to: 'role:send_manager', after: { workingDays: 5 } }],
      outcomes: [{ id: 'ceased', label: 'The plan has ceased', end: 'ceased' }, closed],
    },
  ],
});
