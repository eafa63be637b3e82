// A request for SEND support to a Devon SEND Support Hub (issue 13): a setting asks after using its own resources
// through the graduated response. Without the parent carer's consent it is held (not lost) and the setting is told
// what is missing; with it, the hub triages it at its weekly multi-agency triage within its first-response target.
// Triage ends in advice and signposting, First SEND Support from the hub's services (a Navigator starts it within
// the support-start target, then reviews it), Further SEND Support from the locality team, a request for an EHC
// needs assessment (the statutory route starts), more information, or a decline with a reason and an alternative.
// Late steps escalate Navigator → hub manager → locality manager. The send-hubs module drives it (flow.ts) and keeps
// the request's status column as a projection. A council may change deadlines, owners and ladders in its own
// version; it must keep these step and outcome ids, inputs and the fact.
import { defineProtocol, type OutcomeIdOf, type StepIdOf } from '../domain/protocol/definition.ts';

/** The default targets (a hub may set its own: the module records the due dates as anchors). */
export const FIRST_RESPONSE_WORKING_DAYS = 10;
export const SUPPORT_START_WORKING_DAYS = 10;
/** Weeks between reviews of First SEND Support, unless the Navigator sets the next review date. */
export const SUPPORT_REVIEW_WEEKS = 6;

const toManagers = [
  { action: 'remind' },
  { after: { workingDays: 2 }, action: 'escalate', to: 'field:hub_manager_id' },
  { after: { workingDays: 5 }, action: 'escalate', to: 'field:locality_manager_id' },
] as const;

export const sendSupportRequest = defineProtocol({
  id: 'send-support-request',
  version: 1,
  title: 'Request for SEND support (SEND Support Hub)',
  description:
    "A setting's request for SEND support after the graduated response. Held until the parent carer consents; triaged at the hub's weekly multi-agency triage within the hub's first-response target (10 working days by default); First SEND Support started by a Navigator within the support-start target (10 working days of triage by default) and reviewed; Further SEND Support from the locality team; or an EHC needs assessment requested. Late steps escalate to the hub manager, then the locality manager.",
  source: 'Devon County Council, SEND transformation: SEND Support Hubs and Locality Teams (issue 13)',
  anchors: ['received', 'complete', 'triaged', 'first_response_due', 'support_start_due', 'review_due'],
  inputs: [
    { name: 'hub_team_id', label: 'Hub team', type: 'team' },
    { name: 'hub_manager_id', label: 'Hub manager', type: 'user' },
    { name: 'navigator_id', label: 'Navigator', type: 'user' },
    { name: 'locality_team_id', label: 'Locality team', type: 'team' },
    { name: 'locality_manager_id', label: 'Locality manager', type: 'user' },
  ],
  facts: ['consent_given'],
  start: 'consent',
  steps: [
    {
      id: 'consent',
      title: "Get the parent carer's consent",
      responsible: 'field:hub_team_id',
      guidance:
        'The request is held, not lost: the setting has been told consent is missing. When the setting or the hub records consent, the request goes to triage by itself.',
      deadline: {
        workingDays: 10,
        from: 'received',
        source: 'Local practice: a held request is chased within 2 weeks',
      },
      overdue: [{ action: 'remind' }, { after: { workingDays: 5 }, action: 'notify', to: 'field:hub_manager_id' }],
      outcomes: [
        { id: 'consent_given', label: 'Consent recorded', to: 'triage', when: 'consent_given' },
        { id: 'withdrawn', label: 'Withdrawn by the setting', end: 'withdrawn' },
      ],
    },
    {
      id: 'triage',
      title: 'Triage the request at the hub’s triage meeting',
      responsible: 'field:hub_team_id',
      guidance:
        "Bring it to the hub's next multi-agency triage and record the outcome on the hub's triage page. The hub tries not to say no: a decline needs a reason and a suggested alternative.",
      deadline: {
        workingDays: FIRST_RESPONSE_WORKING_DAYS,
        from: 'complete',
        dueOn: 'first_response_due',
        source: "Devon SEND Support Hubs: agreed timeframes for a quick response (the hub's first-response target)",
      },
      overdue: toManagers,
      outcomes: [
        { id: 'advice', label: 'Advice and signposting', end: 'advice' },
        { id: 'first_support', label: 'First SEND Support from the hub', to: 'support' },
        { id: 'further_support', label: 'Further SEND Support: referred to the locality team', to: 'locality' },
        { id: 'ehc_assessment', label: 'Request for an EHC needs assessment', end: 'ehc_assessment' },
        { id: 'more_info', label: 'More information needed', to: 'more_info' },
        { id: 'declined', label: 'Declined, with a reason and an alternative', end: 'declined' },
      ],
    },
    {
      id: 'more_info',
      title: 'Get the information triage asked for',
      responsible: 'field:hub_team_id',
      guidance: 'When the setting sends it, record it on the request: it goes back to triage.',
      deadline: { workingDays: 10, source: 'Local practice: information asked for within 2 weeks' },
      overdue: [{ action: 'remind' }, { after: { workingDays: 5 }, action: 'notify', to: 'field:hub_manager_id' }],
      outcomes: [
        { id: 'info_received', label: 'Information received', to: 'triage' },
        { id: 'withdrawn', label: 'Withdrawn by the setting', end: 'withdrawn' },
      ],
    },
    {
      id: 'support',
      title: 'Start First SEND Support',
      responsible: 'field:navigator_id',
      guidance:
        "As Navigator, agree the support plan with the setting and family and record the date support started on the request's page.",
      deadline: {
        workingDays: SUPPORT_START_WORKING_DAYS,
        from: 'triaged',
        dueOn: 'support_start_due',
        source: "Devon SEND Support Hubs: agreed timeframes for service provision (the hub's support-start target)",
      },
      overdue: toManagers,
      outcomes: [{ id: 'started', label: 'Support started', to: 'review' }],
    },
    {
      id: 'review',
      title: 'Review the First SEND Support',
      responsible: 'field:navigator_id',
      guidance:
        'Review the support plan with the setting and family: continue, close, refer to the locality team, or request an EHC needs assessment.',
      deadline: {
        weeks: SUPPORT_REVIEW_WEEKS,
        dueOn: 'review_due',
        source: 'Local practice: First SEND Support is reviewed every 6 weeks',
      },
      overdue: [{ action: 'remind' }, { after: { workingDays: 5 }, action: 'notify', to: 'field:hub_manager_id' }],
      outcomes: [
        { id: 'continue', label: 'Reviewed: support continues', to: 'review' },
        { id: 'further_support', label: 'Further SEND Support: referred to the locality team', to: 'locality' },
        { id: 'ehc_assessment', label: 'Request for an EHC needs assessment', end: 'ehc_assessment' },
        { id: 'closed', label: 'Closed: needs met', end: 'closed' },
      ],
    },
    {
      id: 'locality',
      title: 'Take on Further SEND Support',
      responsible: 'field:locality_team_id',
      guidance:
        "The locality team accepts the referral and allocates a worker on the young person's record, or returns it to the hub's triage with a reason.",
      deadline: { workingDays: 10, source: 'Devon Locality Teams: a quick response to the hubs' },
      overdue: [
        { action: 'remind' },
        { after: { workingDays: 2 }, action: 'escalate', to: 'field:locality_manager_id' },
      ],
      outcomes: [
        { id: 'accepted', label: 'Accepted by the locality team', end: 'further_support' },
        { id: 'returned', label: 'Returned to the hub’s triage', to: 'triage' },
      ],
    },
  ],
});

export type SupportRequestStep = StepIdOf<typeof sendSupportRequest>;
export type SupportRequestOutcome = OutcomeIdOf<typeof sendSupportRequest>;
