// The authorisation matrix (quality.md S1): for every route, what a caller needs. Written by hand, apart from
// the route code, so a route whose policy drifts from this file fails the matrix test.
//   capability: the capability a role must grant (null = any signed-in user; 'public' = no sign-in)
//   person: the route is about one young person, so a relationship (or break-glass) is needed too
//   relationship: 'none-needed' for break-glass, which exists to open a record without one

import type { Capability, Role } from '../../src/domain/roles.ts';
import { CASELOAD_MATRIX } from './matrix-caseload.ts';
import { CONSULTATIONS_MATRIX } from './matrix-consultations.ts';
import { CONTEXTUAL_MATRIX } from './matrix-contextual.ts';
import { DASHBOARDS_MATRIX } from './matrix-dashboards.ts';
import { DOCUMENTS_MATRIX } from './matrix-documents.ts';
import { EHC_PLAN_CHANGES_MATRIX } from './matrix-ehc-plan-changes.ts';
import { EHC_PLANS_MATRIX } from './matrix-ehc-plans.ts';
import { EHC_REVIEWS_MATRIX } from './matrix-ehc-reviews.ts';
import { EHCP_MATRIX } from './matrix-ehcp.ts';
import { EXPLOITATION_MEETINGS_MATRIX } from './matrix-exploitation-meetings.ts';
import { HOME_MATRIX } from './matrix-home.ts';
import { MENTORING_MATRIX } from './matrix-mentoring.ts';
import { NOTES_MATRIX } from './matrix-notes.ts';
import { PARTNERS_MATRIX } from './matrix-partners.ts';
import { POST18_MATRIX } from './matrix-post18.ts';
import { RADAR_MATRIX } from './matrix-radar.ts';
import { RETENTION_MATRIX } from './matrix-retention.ts';
import { RISK_MATRIX } from './matrix-risk.ts';
import { SAFEGUARDING_MATRIX } from './matrix-safeguarding.ts';
import { SCIM_MATRIX } from './matrix-scim.ts';
import { SEN2_MATRIX } from './matrix-sen2.ts';
import { SEND_HUBS_CALLS_MATRIX } from './matrix-send-hubs-calls.ts';
import { SEND_HUBS_REQUESTS_MATRIX } from './matrix-send-hubs-requests.ts';
import { SEND_HUBS_SETUP_MATRIX } from './matrix-send-hubs-setup.ts';
import { SEND_HUBS_TRIAGE_MATRIX } from './matrix-send-hubs-triage.ts';
import { SHARING_MATRIX } from './matrix-sharing.ts';
import { SOLUTIONS_MATRIX } from './matrix-solutions.ts';
import { SSO_MATRIX } from './matrix-sso.ts';
import { SUBJECT_ACCESS_MATRIX } from './matrix-subject-access.ts';
import { SUBSCRIPTIONS_MATRIX } from './matrix-subscriptions.ts';
import { TOKEN_MATRIX } from './matrix-tokens.ts';
import { TRANSFER_MATRIX } from './matrix-transfers.ts';
import { TRANSITIONS_MATRIX } from './matrix-transitions.ts';
import { TWO_FACTOR_MATRIX } from './matrix-two-factor.ts';

export interface MatrixEntry {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  url: string;
  capability: Capability | null | 'public' | 'provisioning';
  person?: boolean;
  /** Break-glass: the person must be in the caller's authority, but no relationship is needed. */
  relationshipNotNeeded?: boolean;
  /** EHCP advice request routes: open to whom the request is addressed, and no one else (no record access). */
  adviceRequest?: boolean;
  /** SEND support request routes: open to the accounts of the request's setting, and no one else (no record access). */
  settingRequest?: boolean;
  /** For a lead of an outside organisation only (issue 17, src/modules/partners): no role makes one, so all refused. */
  organisationLead?: boolean;
  /** A body that passes schema parsing but changes nothing (fails validation), so allowed calls are side-effect free. */
  body?: Record<string, unknown>;
}

export const RELATIONSHIPS = [
  'allocated',
  'same_team',
  'line_manager',
  'break_glass',
  'other_team',
  'no_relationship',
  'other_authority',
  // A member of the 16-17 forum with the person open on its agenda (src/modules/transitions).
  'panel_member',
  // The owner of an open protocol step on someone else's case.
  'step_owner',
  // An EHCP advice request about the person addressed to the caller, and nothing else: it opens the request only.
  'advice_request',
] as const;
export type Relationship = (typeof RELATIONSHIPS)[number];
/** Relationships that open a record (design.md §7). */
export const OPENS_RECORD: readonly Relationship[] = [
  'allocated',
  'same_team',
  'line_manager',
  'break_glass',
  'panel_member',
  'step_owner',
];
/**
 * Roles that reach only the advice requests addressed to them (issue 9 finding 5): no relationship opens a record
 * for them (break-glass aside, which their role cannot ask for).
 */
export const ADVICE_REQUEST_ONLY: readonly Role[] = ['advice_giver'];

export function opensRecord(role: Role, rel: Relationship): boolean {
  if (rel === 'break_glass') return true;
  return OPENS_RECORD.includes(rel) && !ADVICE_REQUEST_ONLY.includes(role);
}

// Each capability module keeps its own entries in test/access/matrix-<area>.ts; they are added at the end.
export const MATRIX: MatrixEntry[] = [
  { method: 'GET', url: '/health', capability: 'public' },
  { method: 'GET', url: '/login', capability: 'public' },
  { method: 'POST', url: '/login', capability: 'public' },
  { method: 'POST', url: '/logout', capability: null },
  { method: 'GET', url: '/', capability: null },
  { method: 'POST', url: '/alerts/:id/acknowledge', capability: 'alert:read' },

  { method: 'GET', url: '/people', capability: 'person:read' },
  { method: 'POST', url: '/people/search', capability: 'person:read', body: {} },
  { method: 'GET', url: '/people/new', capability: 'person:create' },
  { method: 'POST', url: '/people', capability: 'person:create', body: {} },
  { method: 'GET', url: '/people/:personId', capability: 'person:read', person: true },
  { method: 'GET', url: '/people/:personId/access-log', capability: 'person:read', person: true },
  { method: 'GET', url: '/people/:personId/edit', capability: 'person:edit', person: true },
  { method: 'POST', url: '/people/:personId/edit', capability: 'person:edit', person: true, body: {} },
  {
    method: 'POST',
    url: '/people/:personId/statuses',
    capability: 'person:edit',
    person: true,
    body: { status: 'not-a-status' },
  },
  { method: 'GET', url: '/people/:personId/statuses/:childId/end', capability: 'person:edit', person: true },
  { method: 'POST', url: '/people/:personId/statuses/:childId/end', capability: 'person:edit', person: true },
  { method: 'GET', url: '/people/:personId/contacts/new', capability: 'person:edit', person: true },
  { method: 'POST', url: '/people/:personId/contacts', capability: 'person:edit', person: true, body: {} },
  { method: 'GET', url: '/people/:personId/involvements/new', capability: 'involvement:manage', person: true },
  { method: 'POST', url: '/people/:personId/involvements', capability: 'involvement:manage', person: true, body: {} },
  {
    method: 'GET',
    url: '/people/:personId/involvements/:childId/allocate',
    capability: 'involvement:manage',
    person: true,
  },
  {
    method: 'POST',
    url: '/people/:personId/involvements/:childId/allocate',
    capability: 'involvement:manage',
    person: true,
    body: {},
  },
  {
    method: 'POST',
    url: '/people/:personId/involvements/:childId/end',
    capability: 'involvement:manage',
    person: true,
  },
  {
    method: 'GET',
    url: '/people/:personId/break-glass',
    capability: 'breakglass:use',
    person: true,
    relationshipNotNeeded: true,
  },
  {
    method: 'POST',
    url: '/people/:personId/break-glass',
    capability: 'breakglass:use',
    person: true,
    relationshipNotNeeded: true,
    body: { reason: 'short' },
  },
  { method: 'GET', url: '/admin', capability: 'org:admin' },

  { method: 'GET', url: '/notifications', capability: null },
  { method: 'POST', url: '/notifications/read', capability: null },
  { method: 'GET', url: '/admin/outbox', capability: 'org:admin' },
  { method: 'POST', url: '/admin/outbox/:id/retry', capability: 'org:admin' },
  // Registered only in demo mode (as in the tests), for administrators only: development mail.
  { method: 'GET', url: '/dev/mail', capability: 'org:admin' },
  { method: 'GET', url: '/dev/mail/:id', capability: 'org:admin' },

  { method: 'GET', url: '/api/v1/people', capability: 'person:read' },
  { method: 'POST', url: '/api/v1/people/search', capability: 'person:read', body: {} },
  {
    method: 'POST',
    url: '/api/v1/people',
    capability: 'person:create',
    body: { given_name: '', family_name: '', date_of_birth: 'x', team_id: '00000000-0000-4000-8000-000000000000' },
  },
  { method: 'GET', url: '/api/v1/people/:personId', capability: 'person:read', person: true },
  { method: 'GET', url: '/api/v1/people/:personId/timeline', capability: 'person:read', person: true },
  {
    method: 'PUT',
    url: '/api/v1/people/:personId',
    capability: 'person:edit',
    person: true,
    body: { given_name: '', family_name: '', date_of_birth: 'x', version: 1 },
  },
  {
    method: 'POST',
    url: '/api/v1/people/:personId/statuses',
    capability: 'person:edit',
    person: true,
    body: { status: 'not-a-status' },
  },
  {
    method: 'POST',
    url: '/api/v1/people/:personId/statuses/:statusId/end',
    capability: 'person:edit',
    person: true,
    body: { reason: '' },
  },
  {
    method: 'POST',
    url: '/api/v1/people/:personId/contacts',
    capability: 'person:edit',
    person: true,
    body: { name: '', relationship: '' },
  },
  { method: 'GET', url: '/api/v1/people/:personId/involvements', capability: 'person:read', person: true },
  {
    method: 'POST',
    url: '/api/v1/people/:personId/involvements',
    capability: 'involvement:manage',
    person: true,
    body: { team_id: '00000000-0000-4000-8000-000000000000', reason: '' },
  },
  {
    method: 'POST',
    url: '/api/v1/people/:personId/involvements/:involvementId/allocation',
    capability: 'involvement:manage',
    person: true,
    body: { worker_id: null, version: -1 },
  },
  { method: 'GET', url: '/api/v1/people/:personId/access-log', capability: 'person:read', person: true },

  { method: 'GET', url: '/protocols', capability: null },
  { method: 'GET', url: '/protocols/team', capability: null },
  { method: 'GET', url: '/protocols/:protocolKey', capability: null },
  { method: 'GET', url: '/protocols/:protocolKey/diagram.svg', capability: null },
  { method: 'GET', url: '/people/:personId/protocols/new', capability: 'person:read', person: true },
  {
    method: 'POST',
    url: '/people/:personId/protocols',
    capability: 'person:read',
    person: true,
    body: { protocol_id: 'no-such-protocol' },
  },
  { method: 'GET', url: '/people/:personId/protocols/:instanceId', capability: 'person:read', person: true },
  {
    method: 'POST',
    url: '/people/:personId/protocols/:instanceId/steps/:stepId/decide',
    capability: 'person:read',
    person: true,
    body: {},
  },
  {
    method: 'POST',
    url: '/people/:personId/protocols/:instanceId/steps/:stepId/reassign',
    capability: 'person:read',
    person: true,
    body: {},
  },
  { method: 'GET', url: '/api/v1/protocols', capability: null },
  { method: 'GET', url: '/api/v1/protocols/:protocolKey', capability: null },
  {
    method: 'POST',
    url: '/api/v1/people/:personId/protocols',
    capability: 'person:read',
    person: true,
    body: { protocol_id: 'no-such-protocol' },
  },
  { method: 'GET', url: '/api/v1/people/:personId/protocols/:instanceId', capability: 'person:read', person: true },
  {
    method: 'POST',
    url: '/api/v1/people/:personId/protocols/:instanceId/steps/:stepId/decision',
    capability: 'person:read',
    person: true,
    body: { outcome: 'x', version: 1 },
  },
  {
    method: 'POST',
    url: '/api/v1/people/:personId/protocols/:instanceId/steps/:stepId/reassignment',
    capability: 'person:read',
    person: true,
    body: { owner_user_id: '00000000-0000-4000-8000-000000000000', version: 1 },
  },

  // Council set-up (src/modules/organisations).
  { method: 'GET', url: '/admin/authority', capability: 'org:admin' },
  { method: 'POST', url: '/admin/authority', capability: 'org:admin', body: {} },
  { method: 'GET', url: '/admin/services', capability: 'org:admin' },
  { method: 'GET', url: '/admin/services/new', capability: 'org:admin' },
  { method: 'POST', url: '/admin/services', capability: 'org:admin', body: {} },
  { method: 'GET', url: '/admin/services/:serviceId/edit', capability: 'org:admin' },
  { method: 'POST', url: '/admin/services/:serviceId/edit', capability: 'org:admin', body: {} },
  { method: 'GET', url: '/admin/localities', capability: 'org:admin' },
  { method: 'GET', url: '/admin/localities/new', capability: 'org:admin' },
  { method: 'POST', url: '/admin/localities', capability: 'org:admin', body: {} },
  { method: 'GET', url: '/admin/localities/:localityId/hubs/new', capability: 'org:admin' },
  { method: 'POST', url: '/admin/localities/:localityId/hubs', capability: 'org:admin', body: {} },
  { method: 'GET', url: '/admin/teams', capability: 'org:admin' },
  { method: 'GET', url: '/admin/teams/new', capability: 'org:admin' },
  { method: 'POST', url: '/admin/teams', capability: 'org:admin', body: {} },
  { method: 'GET', url: '/admin/teams/:teamId', capability: 'org:admin' },
  { method: 'GET', url: '/admin/teams/:teamId/edit', capability: 'org:admin' },
  { method: 'POST', url: '/admin/teams/:teamId/edit', capability: 'org:admin', body: {} },
  { method: 'GET', url: '/admin/users', capability: 'user:admin' },
  { method: 'GET', url: '/admin/users/new', capability: 'user:admin' },
  { method: 'POST', url: '/admin/users', capability: 'user:admin', body: {} },
  { method: 'GET', url: '/admin/users/:userId', capability: 'user:admin' },
  { method: 'GET', url: '/admin/users/:userId/edit', capability: 'user:admin' },
  { method: 'POST', url: '/admin/users/:userId/edit', capability: 'user:admin', body: {} },
  { method: 'POST', url: '/admin/users/:userId/deactivate', capability: 'user:admin' },
  { method: 'POST', url: '/admin/users/:userId/reactivate', capability: 'user:admin' },
  { method: 'GET', url: '/api/v1/authority', capability: null },
  { method: 'PATCH', url: '/api/v1/authority', capability: 'org:admin', body: {} },
  { method: 'GET', url: '/api/v1/services', capability: null },
  { method: 'POST', url: '/api/v1/services', capability: 'org:admin', body: {} },
  { method: 'GET', url: '/api/v1/services/:serviceId', capability: null },
  { method: 'PUT', url: '/api/v1/services/:serviceId', capability: 'org:admin', body: {} },
  { method: 'GET', url: '/api/v1/localities', capability: null },
  { method: 'POST', url: '/api/v1/localities', capability: 'org:admin', body: {} },
  { method: 'GET', url: '/api/v1/hubs', capability: null },
  { method: 'POST', url: '/api/v1/hubs', capability: 'org:admin', body: {} },
  { method: 'GET', url: '/api/v1/teams', capability: null },
  { method: 'GET', url: '/api/v1/teams/:teamId', capability: null },
  { method: 'POST', url: '/api/v1/teams', capability: 'org:admin', body: {} },
  { method: 'PUT', url: '/api/v1/teams/:teamId', capability: 'org:admin', body: {} },
  { method: 'GET', url: '/api/v1/users', capability: 'user:admin' },
  { method: 'GET', url: '/api/v1/users/:userId', capability: 'user:admin' },
  { method: 'POST', url: '/api/v1/users', capability: 'user:admin', body: {} },
  { method: 'PATCH', url: '/api/v1/users/:userId', capability: 'user:admin', body: {} },
  ...TRANSFER_MATRIX,
  ...EHCP_MATRIX,
  ...EHC_PLAN_CHANGES_MATRIX,
  ...EHC_PLANS_MATRIX,
  ...TRANSITIONS_MATRIX,
  ...TOKEN_MATRIX,
  ...TWO_FACTOR_MATRIX,
  ...NOTES_MATRIX,
  ...DOCUMENTS_MATRIX,
  ...HOME_MATRIX,
  ...CASELOAD_MATRIX,
  ...RETENTION_MATRIX,
  ...SUBJECT_ACCESS_MATRIX,
  ...SHARING_MATRIX,
  ...POST18_MATRIX,
  ...EXPLOITATION_MEETINGS_MATRIX,
  ...SOLUTIONS_MATRIX,
  ...SAFEGUARDING_MATRIX,
  ...RISK_MATRIX,
  ...CONTEXTUAL_MATRIX,
  ...MENTORING_MATRIX,
  ...SEND_HUBS_SETUP_MATRIX,
  ...SEND_HUBS_REQUESTS_MATRIX,
  ...SEND_HUBS_TRIAGE_MATRIX,
  ...SEND_HUBS_CALLS_MATRIX,
  ...CONSULTATIONS_MATRIX,
  ...SCIM_MATRIX,
  ...PARTNERS_MATRIX,
  ...SEN2_MATRIX,
  ...SSO_MATRIX,
  ...EHC_REVIEWS_MATRIX,
  ...RADAR_MATRIX,
  ...SUBSCRIPTIONS_MATRIX,
  ...DASHBOARDS_MATRIX,
];
