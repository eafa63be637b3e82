// Devon: transitions protocol for professionals, young people aged 16-17 (shared/seeds/000_62c04115495efcf9.md).
// All twelve steps and their branches. Each step has a responsible role and a deadline; overdue steps remind
// their owner and then escalate. The deadlines are local choices (the document sets none) and say so.
// Steps at the forum, Governance Group and SEND board put the case on that panel's agenda (PANEL_STAGES).
import { defineProtocol, type OutcomeIdOf, type StepIdOf } from '../domain/protocol/definition.ts';

const local = (n: number) => ({ workingDays: n });

export const DEVON_TRANSITIONS_ID = 'devon-transitions-16-17';

/** The steps whose cases go on a panel's agenda, and which panel. */
export const PANEL_STAGES: Readonly<Partial<Record<DevonStep, 'forum' | 'governance' | 'send_board'>>> = {
  forum_review: 'forum',
  clarify_responsibility: 'forum',
  forum_action_plan: 'forum',
  forum_options: 'forum',
  governance_group: 'governance',
  send_board: 'send_board',
};

export const devonTransitions = defineProtocol({
  id: DEVON_TRANSITIONS_ID,
  version: 1,
  title: 'Transitions protocol for 16-17 year olds (Devon)',
  description:
    'For exceptional cases where the usual escalation routes have not worked: every action in the person-led plan gets an owner, through the service already involved, a referral, the service lead, the 16-17 transitions forum and, without personal details, the Transitions Governance Group and the SEND board.',
  source: 'Devon County Council, Transitions protocol for professionals (modified 21 March 2025)',
  startedBy: ['service_manager', 'service_lead'],
  start: 'person_led_plan',
  steps: [
    {
      id: 'person_led_plan',
      title: '1. Person-led plan: needs and goals',
      responsible: 'starter',
      guidance: 'Use Path or another person-led tool to outline the young person’s needs and goals in the plan.',
      deadline: local(10),
      overdue: [{ action: 'remind' }, { after: { workingDays: 5 }, action: 'notify', to: 'starter_line_manager' }],
      outcomes: [{ id: 'plan_written', label: 'The plan sets out the needs and goals', to: 'assign_owners' }],
    },
    {
      id: 'assign_owners',
      title: '2. Does every action have an owner?',
      responsible: 'starter',
      guidance: 'Each action in the plan needs a designated person responsible for it.',
      deadline: local(5),
      overdue: [{ action: 'remind' }, { after: { workingDays: 3 }, action: 'notify', to: 'starter_line_manager' }],
      outcomes: [
        { id: 'all_owned', label: 'Every action has an owner: proceed with the plan', end: 'plan_proceeds' },
        { id: 'unowned', label: 'An action has no owner: find who should take it on', to: 'check_involved_service' },
      ],
    },
    {
      id: 'check_involved_service',
      title: '3. Does the action sit with a service already involved?',
      responsible: 'starter',
      deadline: local(5),
      overdue: [{ action: 'remind' }, { after: { workingDays: 3 }, action: 'notify', to: 'starter_line_manager' }],
      outcomes: [
        { id: 'involved', label: 'Yes: speak to that service’s line manager', to: 'speak_to_line_manager' },
        { id: 'not_involved', label: 'No: identify the right service or person', to: 'identify_contact' },
      ],
    },
    {
      id: 'speak_to_line_manager',
      title: '3. Speak to the line manager of the involved service',
      responsible: 'line_manager',
      fields: [
        { name: 'discussion', label: 'What was agreed with the line manager', type: 'textarea', required: true },
      ],
      deadline: local(5),
      overdue: [{ action: 'remind' }, { after: { workingDays: 3 }, action: 'escalate', to: 'service_manager' }],
      outcomes: [
        { id: 'owner_agreed', label: 'The service takes the action on: update the plan', to: 'update_plan' },
        {
          id: 'not_agreed',
          label: 'Not resolved: decide who escalates to the service lead',
          to: 'decide_who_escalates',
        },
      ],
    },
    {
      id: 'identify_contact',
      title: '4. Is it clear who should own the action?',
      responsible: 'starter',
      deadline: local(5),
      overdue: [{ action: 'remind' }, { after: { workingDays: 3 }, action: 'notify', to: 'starter_line_manager' }],
      outcomes: [
        { id: 'clear', label: 'Yes: make a referral to that service or person', to: 'make_referral' },
        { id: 'unclear', label: 'No: refer to the 16-17 transitions forum', to: 'forum_referral' },
      ],
    },
    {
      id: 'make_referral',
      title: '4. Make the referral',
      responsible: 'starter',
      guidance:
        'Record the referral on the plan (Referrals): the reason, consent or lawful basis, and the response date.',
      deadline: local(3),
      overdue: [{ action: 'remind' }, { after: { workingDays: 2 }, action: 'notify', to: 'starter_line_manager' }],
      outcomes: [{ id: 'referred', label: 'Referral made', to: 'await_referral' }],
    },
    {
      id: 'await_referral',
      title: '5. Was the referral successful?',
      responsible: 'starter',
      guidance: 'The referral has its own response date, chased and escalated. Record here whether it worked.',
      deadline: local(15),
      overdue: [{ action: 'remind' }, { after: { workingDays: 3 }, action: 'notify', to: 'starter_line_manager' }],
      outcomes: [
        { id: 'successful', label: 'Successful: update the plan', to: 'update_plan' },
        { id: 'failed', label: 'Not successful: decide who escalates to the service lead', to: 'decide_who_escalates' },
      ],
    },
    {
      id: 'decide_who_escalates',
      title: '5. Decide who will escalate to the service lead',
      responsible: 'starter',
      fields: [{ name: 'escalation_worker', label: 'Escalation worker', type: 'user', required: true }],
      deadline: local(2),
      overdue: [{ action: 'remind' }, { after: { workingDays: 2 }, action: 'notify', to: 'starter_line_manager' }],
      outcomes: [{ id: 'decided', label: 'Escalation worker chosen', to: 'escalate_service_lead' }],
    },
    {
      id: 'escalate_service_lead',
      title: '6. Escalate to the service lead',
      responsible: 'field:escalation_worker',
      fields: [{ name: 'escalation_summary', label: 'What was escalated', type: 'textarea', required: true }],
      deadline: local(3),
      overdue: [{ action: 'remind' }, { after: { workingDays: 2 }, action: 'escalate', to: 'starter' }],
      outcomes: [{ id: 'escalated', label: 'Escalated to the service lead', to: 'identify_issue_type' }],
    },
    {
      id: 'identify_issue_type',
      title: '7. Is it a gap in services or a capacity problem?',
      responsible: 'service_lead',
      deadline: local(10),
      overdue: [{ action: 'remind' }, { after: { workingDays: 5 }, action: 'escalate', to: 'service_manager' }],
      outcomes: [
        { id: 'gap', label: 'A gap in services: refer to the 16-17 transitions forum', to: 'forum_referral' },
        { id: 'capacity', label: 'Capacity: agree when resources will be available', to: 'capacity_contingency' },
      ],
    },
    {
      id: 'capacity_contingency',
      title: '7-8. Agree when resources will be available and a contingency plan',
      responsible: 'service_lead',
      fields: [
        { name: 'resources_available', label: 'Date resources will be available', type: 'date' },
        { name: 'contingency_plan', label: 'Contingency plan until then', type: 'textarea' },
      ],
      deadline: local(10),
      overdue: [{ action: 'remind' }, { after: { workingDays: 5 }, action: 'escalate', to: 'service_manager' }],
      outcomes: [
        {
          id: 'agreed',
          label: 'Agreed: update the plan',
          to: 'update_plan',
          requires: ['resources_available', 'contingency_plan'],
        },
        { id: 'not_agreed', label: 'No agreement: escalate to the next level (the forum)', to: 'forum_referral' },
      ],
    },
    {
      id: 'update_plan',
      title: '8. Update the person-led plan',
      responsible: 'starter',
      guidance: 'Record the owner, the date and any contingency on the action in the plan.',
      deadline: local(5),
      overdue: [{ action: 'remind' }, { after: { workingDays: 3 }, action: 'notify', to: 'starter_line_manager' }],
      outcomes: [{ id: 'updated', label: 'The plan is updated', to: 'review_plan' }],
    },
    {
      id: 'review_plan',
      title: '9 and 12. Review the plan with the young person, family and teams',
      responsible: 'allocated_worker',
      guidance: 'Review regularly whether the plan is working. If issues persist, go to the 16-17 transitions forum.',
      deadline: { weeks: 6 },
      overdue: [{ action: 'remind' }, { after: { workingDays: 5 }, action: 'notify', to: 'line_manager' }],
      outcomes: [
        { id: 'resolved', label: 'The plan is working: close the escalation', end: 'resolved' },
        { id: 'review_again', label: 'Keep reviewing', to: 'review_plan' },
        { id: 'issues_persist', label: 'Issues persist: refer to the 16-17 transitions forum', to: 'forum_referral' },
      ],
    },
    {
      id: 'forum_referral',
      title: '4, 7 and 9. Complete the 16-17 transitions forum referral form',
      responsible: 'starter',
      guidance:
        'Use “Refer to the 16-17 forum” on the plan: the question, what has been tried, and whether it is a gap or capacity.',
      deadline: local(5),
      overdue: [{ action: 'remind' }, { after: { workingDays: 3 }, action: 'notify', to: 'starter_line_manager' }],
      outcomes: [{ id: 'referred', label: 'Referral form sent to the forum', to: 'forum_review' }],
    },
    {
      id: 'forum_review',
      title: '10. 16-17 transitions forum reviews the case',
      responsible: 'forum_chair',
      deadline: local(20),
      overdue: [{ action: 'remind' }, { after: { workingDays: 5 }, action: 'notify', to: 'service_manager' }],
      outcomes: [
        { id: 'options_found', label: 'Options identified: discuss them with the young person', to: 'discuss_options' },
        {
          id: 'no_options',
          label: 'No options: the forum chair clarifies responsibilities',
          to: 'clarify_responsibility',
        },
      ],
    },
    {
      id: 'clarify_responsibility',
      title: '11. Forum chair: who is responsible?',
      responsible: 'forum_chair',
      deadline: local(10),
      overdue: [{ action: 'remind' }, { after: { workingDays: 5 }, action: 'notify', to: 'service_manager' }],
      outcomes: [
        { id: 'clear', label: 'Clear: the forum makes an action plan', to: 'forum_action_plan' },
        {
          id: 'unclear',
          label: 'Unclear: to the Transitions Governance Group, without personal details',
          to: 'governance_group',
        },
      ],
    },
    {
      id: 'forum_action_plan',
      title: '11. Forum action plan: the service representative finds and presents options',
      responsible: 'forum_chair',
      deadline: local(20),
      overdue: [{ action: 'remind' }, { after: { workingDays: 5 }, action: 'notify', to: 'service_manager' }],
      outcomes: [{ id: 'options_presented', label: 'Options presented', to: 'discuss_options' }],
    },
    {
      id: 'governance_group',
      title: '11. Transitions Governance Group: which service is responsible? (no personal details)',
      responsible: 'forum_chair',
      guidance: 'The Governance Group sees a pseudonymised summary only. The forum chair records its answer.',
      deadline: local(30),
      overdue: [{ action: 'remind' }, { after: { workingDays: 5 }, action: 'notify', to: 'service_manager' }],
      outcomes: [
        { id: 'responsible_found', label: 'Responsible service found: back to the forum', to: 'forum_options' },
        { id: 'to_send_board', label: 'Needs the SEND board', to: 'send_board' },
      ],
    },
    {
      id: 'send_board',
      title: '11. SEND board: which service is responsible? (no personal details)',
      responsible: 'forum_chair',
      deadline: local(30),
      overdue: [{ action: 'remind' }, { after: { workingDays: 5 }, action: 'notify', to: 'service_manager' }],
      outcomes: [
        { id: 'responsible_found', label: 'Responsible service found: back to the forum', to: 'forum_options' },
      ],
    },
    {
      id: 'forum_options',
      title: '11. Back at the forum: the service representative finds and presents options',
      responsible: 'forum_chair',
      deadline: local(20),
      overdue: [{ action: 'remind' }, { after: { workingDays: 5 }, action: 'notify', to: 'service_manager' }],
      outcomes: [{ id: 'options_presented', label: 'Options presented', to: 'discuss_options' }],
    },
    {
      id: 'discuss_options',
      title: '10-11. Escalation worker discusses the options with the young person; update the plan',
      responsible: 'field:escalation_worker',
      fields: [
        {
          name: 'options_discussed',
          label: 'What the young person and those involved decided',
          type: 'textarea',
          required: true,
        },
      ],
      deadline: local(10),
      overdue: [{ action: 'remind' }, { after: { workingDays: 5 }, action: 'escalate', to: 'starter' }],
      outcomes: [{ id: 'plan_updated', label: 'Decision made and the plan updated', to: 'review_plan' }],
    },
  ],
});

/** A step of the Devon protocol, and an outcome: a typo in the module fails the typecheck. */
export type DevonStep = StepIdOf<typeof devonTransitions>;
export type DevonOutcome = OutcomeIdOf<typeof devonTransitions>;
