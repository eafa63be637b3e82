// Row types for every table, in the Kysely style: XTable describes the columns; Selectable<XTable> is a row.
import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';
import type { EhcPlanChangeTables } from './schema-ehc-plan-changes.ts';
import type { EhcPlanTables } from './schema-ehc-plans.ts';
import type { EhcReviewTables } from './schema-ehc-reviews.ts';
import type { PartnerTables } from './schema-partners.ts';
import type { ScimTables } from './schema-scim.ts';
import type { SendHubTables } from './schema-send-hubs.ts';
import type { SsoTables } from './schema-sso.ts';
import type { SubscriptionTables } from './schema-subscriptions.ts';
import type { TwoFactorTables } from './schema-two-factor.ts';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
/** A calendar date, always read and written as 'YYYY-MM-DD' (see the type parser in database.ts). */
type DateOnly = ColumnType<string, string, string>;

export interface AuthorityTable {
  id: Generated<string>;
  code: string;
  name: string;
  created_at: Timestamp;
  /** Optimistic lock (issue 15 item 8): a save that sends a stale version is refused (409). */
  version: Generated<number>;
}
export interface ServiceTable {
  id: Generated<string>;
  authority_id: string;
  name: string;
  kind: string;
  organisation: string | null;
  external: Generated<boolean>;
  created_at: Timestamp;
  /** Optimistic lock (issue 15 item 8): a save that sends a stale version is refused (409). */
  version: Generated<number>;
}
export interface LocalityTable {
  id: Generated<string>;
  authority_id: string;
  name: string;
  /** The locality manager (SEND hubs' escalation) and the team that takes Further SEND Support (migration 2026_12_10_0100). */
  manager_user_id: Generated<string | null>;
  team_id: Generated<string | null>;
  version: Generated<number>;
}
export interface HubTable {
  id: Generated<string>;
  authority_id: string;
  locality_id: string;
  name: string;
  /** The hub in use (issue 13, migration 2026_12_10_0100): its manager, team, response-time targets, triage day. */
  manager_user_id: Generated<string | null>;
  team_id: Generated<string | null>;
  first_response_working_days: Generated<number>;
  support_start_working_days: Generated<number>;
  /** 1 Monday … 5 Friday. */
  triage_weekday: Generated<number>;
  version: Generated<number>;
}
export interface TeamTable {
  id: Generated<string>;
  authority_id: string;
  service_id: string;
  name: string;
  remit_min_age: Generated<number>;
  remit_max_age: Generated<number>;
  remit_case_types: Generated<string[]>;
  locality_id: string | null;
  hub_id: string | null;
  created_at: Timestamp;
  /** The row's id in the system it was imported from (unique per authority); null when made in Handover. */
  source_id: Generated<string | null>;
  /** Optimistic lock (issue 15 item 8): a save that sends a stale version is refused (409). */
  version: Generated<number>;
}
export interface UserTable {
  id: Generated<string>;
  authority_id: string;
  email: string;
  display_name: string;
  job_title: string | null;
  phone: string | null;
  password_hash: string | null;
  roles: Generated<string[]>;
  /** The directory's immutable id (Entra ID object id: SCIM externalId, the token's `oid`) and department (issue 17). */
  external_id: Generated<string | null>;
  department: Generated<string | null>;
  line_manager_id: string | null;
  service_id: string | null;
  active: Generated<boolean>;
  created_at: Timestamp;
  /** Optimistic lock (issue 15 item 8): a save that sends a stale version is refused (409). */
  version: Generated<number>;
}
export interface TeamMemberTable {
  /** The team's (filled from it on insert: migration 2026_12_12_0500). */
  authority_id: Generated<string>;
  team_id: string;
  user_id: string;
}
export interface SessionTable {
  id_hash: string;
  user_id: string;
  csrf_token: string;
  created_at: Timestamp;
  last_seen_at: Timestamp;
}
export interface ApiTokenTable {
  id: Generated<string>;
  user_id: string;
  token_hash: string;
  /** The token's name. */
  label: string;
  created_at: Timestamp;
  revoked_at: Date | null;
  /** Migration 2026_12_05_0130_token_lifecycle. */
  expires_at: Timestamp;
  /** Updated at most once a minute per token. */
  last_used_at: Date | null;
}
/** Sign-in throttling (migration 0140): one row per key, counted under its row lock. */
export interface LoginThrottleTable {
  key: string;
  window_start: Timestamp;
  failures: number;
}
export interface PersonTable {
  id: Generated<string>;
  authority_id: string;
  case_number: string;
  given_name: string;
  family_name: string;
  preferred_name: string | null;
  date_of_birth: DateOnly;
  gender: string | null;
  nhs_number: string | null;
  upn: string | null;
  /** Why the UPN is not known: an SEN2 UPNunknown code (src/modules/sen2/codes.ts); null when it is, or unsaid. */
  upn_unknown: Generated<string | null>;
  address: string | null;
  postcode: string | null;
  school: string | null;
  locality_id: string | null;
  version: Generated<number>;
  created_at: Timestamp;
  updated_at: Timestamp;
  /** The row's id in the system it was imported from (unique per authority); null when made in Handover. */
  source_id: Generated<string | null>;
}
export interface PersonStatusTable {
  id: Generated<string>;
  authority_id: string;
  person_id: string;
  status: string;
  start_date: DateOnly;
  end_date: DateOnly | null;
  /** The row's id in the system it was imported from (unique per authority); null when made in Handover. */
  source_id: Generated<string | null>;
  /** Why the status ended (issue 11); null while open, and for statuses ended before the reason was asked. */
  end_reason: string | null;
  created_at: Timestamp;
}
export interface ContactTable {
  id: Generated<string>;
  authority_id: string;
  person_id: string;
  name: string;
  relationship: string;
  phone: string | null;
  email: string | null;
  address: string | null;
  parental_responsibility: Generated<boolean>;
  created_at: Timestamp;
}
export interface InvolvementTable {
  id: Generated<string>;
  authority_id: string;
  person_id: string;
  team_id: string;
  worker_id: string | null;
  reason: string;
  start_date: DateOnly;
  end_date: DateOnly | null;
  /** The row's id in the system it was imported from (unique per authority); null when made in Handover. */
  source_id: Generated<string | null>;
  version: Generated<number>;
  created_at: Timestamp;
  /** Kept by a trigger (migration 0030): when the open involvement last lost (or never had) a worker. */
  unallocated_since: Generated<Date | null>;
}
export interface EventTable {
  id: Generated<string>;
  authority_id: string;
  person_id: string;
  at: Timestamp;
  kind: string;
  title: string;
  detail: string | null;
  actor_id: string | null;
}
export interface BreakGlassTable {
  id: Generated<string>;
  authority_id: string;
  user_id: string;
  person_id: string;
  reason: string;
  created_at: Timestamp;
  expires_at: Date;
}
export interface AlertTable {
  id: Generated<string>;
  authority_id: string;
  role: string;
  kind: string;
  message: string;
  link: string | null;
  created_at: Timestamp;
  acknowledged_by: string | null;
  acknowledged_at: Date | null;
}
export interface AccessLogTable {
  id: Generated<string>;
  authority_id: string;
  person_id: string;
  user_id: string;
  at: Timestamp;
  channel: 'page' | 'api' | 'export' | 'print';
  purpose: string;
  break_glass_id: string | null;
}
export interface AuditLogTable {
  seq: Generated<string>;
  at: Timestamp;
  authority_id: string | null;
  actor_id: string | null;
  action: string;
  entity: string;
  entity_id: string | null;
  person_id: string | null;
  detail: ColumnType<unknown, string | undefined, never>;
  prev_hash: Generated<string>;
  hash: Generated<string>;
}

export interface ProtocolVersionTable {
  protocol_id: string;
  version: number;
  title: string;
  origin: string;
  definition: ColumnType<unknown, string, string>;
  checksum: string;
  loaded_at: Timestamp;
}
export interface ProtocolInstanceTable {
  id: Generated<string>;
  authority_id: string;
  person_id: string;
  involvement_id: string | null;
  protocol_id: string;
  protocol_version: number;
  status: Generated<'open' | 'ended' | 'cancelled'>;
  result: string | null;
  current_step_id: string | null;
  anchors: ColumnType<Record<string, string>, string | undefined, string>;
  data: ColumnType<Record<string, unknown>, string | undefined, string>;
  started_by: string;
  started_at: Timestamp;
  ended_at: Date | null;
  version: Generated<number>;
}
export interface ProtocolStepTable {
  id: Generated<string>;
  authority_id: string;
  instance_id: string;
  person_id: string;
  step_key: string;
  status: Generated<'open' | 'done' | 'cancelled'>;
  entered_at: Timestamp;
  entered_on: DateOnly;
  due_date: DateOnly | null;
  due_rule: string | null;
  owner_user_id: string | null;
  owner_team_id: string | null;
  owner_role: string | null;
  owner_service_id: string | null;
  owner_label: string;
  escalations: Generated<number>;
  outcome: string | null;
  decision: ColumnType<Record<string, unknown> | null, string | null | undefined, string | null>;
  decided_by: string | null;
  decided_at: Date | null;
  version: Generated<number>;
}
export interface DeadlineTable {
  id: Generated<number>;
  authority_id: string;
  subject_type: string;
  subject_id: string;
  rung: number;
  due_at: Date;
  action: ColumnType<Record<string, unknown>, string, string>;
  fired_at: Date | null;
  cancelled_at: Date | null;
}
export interface NotificationTable {
  id: Generated<string>;
  authority_id: string;
  user_id: string;
  message: string;
  link: string | null;
  created_at: Timestamp;
  read_at: Date | null;
  /** Migration 2026_12_06_0100: a reference to quote (case number first, never a name), and what it is about. */
  reference: string | null;
  subject_type: string | null;
  subject_id: string | null;
  /** Set when what it pointed at moved on (the step was decided or passed on): no longer needed. */
  resolved_at: Date | null;
}
export interface OutboxTable {
  id: Generated<string>;
  authority_id: string;
  reference: string;
  to_addresses: string[];
  cc_addresses: Generated<string[]>;
  subject: string;
  body: string;
  status: Generated<'pending' | 'sending' | 'sent' | 'failed'>;
  attempts: Generated<number>;
  next_attempt_at: Timestamp;
  claimed_until: Date | null;
  last_error: string | null;
  transport: string | null;
  provider_id: string | null;
  created_at: Timestamp;
  sent_at: Date | null;
}

// Person-led plans, referrals and panels (migration 2026_11_22_0040_plans).
export interface PlanTable {
  id: Generated<string>;
  authority_id: string;
  person_id: string;
  what_matters: string | null;
  hopes: string | null;
  needs: string | null;
  stall_days: Generated<number>;
  pathway_agreed: Generated<boolean>;
  provision_in_place: Generated<boolean>;
  risk_plan_agreed: Generated<boolean>;
  barriers_unlocked: Generated<boolean>;
  commissioning_resolved: Generated<boolean>;
  version: Generated<number>;
  created_by: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}
export interface PlanGoalTable {
  id: Generated<string>;
  authority_id: string;
  plan_id: string;
  person_id: string;
  goal: string;
  outcome: string | null;
  created_at: Timestamp;
}
export interface PlanActionTable {
  id: Generated<string>;
  authority_id: string;
  plan_id: string;
  person_id: string;
  goal_id: string | null;
  description: string;
  owner_user_id: string | null;
  owner_service_id: string | null;
  due_date: DateOnly | null;
  status: Generated<'not_started' | 'in_progress' | 'done' | 'cancelled'>;
  evidence: string | null;
  issue_type: 'gap' | 'capacity' | null;
  issue_service_id: string | null;
  commissioning_area: string | null;
  resources_date: DateOnly | null;
  contingency: string | null;
  source: Generated<string>;
  protocol_instance_id: string | null;
  /** The plan-action-chase instance chasing it while it is open with a named owner (migration 0160). */
  chase_instance_id: string | null;
  version: Generated<number>;
  created_at: Timestamp;
  updated_at: Timestamp;
}
export interface PlanReviewTable {
  id: Generated<string>;
  authority_id: string;
  plan_id: string;
  person_id: string;
  review_date: DateOnly;
  attendees: string;
  notes: string;
  issues_persist: Generated<boolean>;
  created_by: string;
  created_at: Timestamp;
}
export interface ReferralTable {
  id: Generated<string>;
  authority_id: string;
  person_id: string;
  action_id: string | null;
  to_service_id: string | null;
  to_user_id: string | null;
  reason: string;
  basis: 'consent' | 'lawful_basis';
  basis_detail: string;
  /** Its referral-chase instance: the status, due date and chase live there (migration 0160). */
  protocol_instance_id: string;
  decline_reason: string | null;
  referred_by: string;
  sent_at: Timestamp;
  responded_at: Date | null;
  version: Generated<number>;
}
export interface PanelTable {
  id: Generated<string>;
  authority_id: string;
  kind: 'forum' | 'governance' | 'send_board' | 'hrem' | 'exploitation_hub';
  name: string;
  pseudonymised: boolean;
  created_at: Timestamp;
}
export interface PanelMemberTable {
  /** The panel's (filled from it on insert: migration 2026_12_12_0500). */
  authority_id: Generated<string>;
  panel_id: string;
  user_id: string;
  area: string;
  chair: Generated<boolean>;
}
export interface PanelMeetingTable {
  id: Generated<string>;
  authority_id: string;
  panel_id: string;
  meeting_date: DateOnly;
  status: Generated<'planned' | 'held'>;
  minutes: string | null;
  version: Generated<number>;
  created_at: Timestamp;
}
export interface PanelItemTable {
  id: Generated<string>;
  authority_id: string;
  panel_id: string;
  meeting_id: string | null;
  person_id: string;
  protocol_step_id: string | null;
  source: 'referral_form' | 'protocol' | 'screening' | 'review';
  question: string;
  issue_type: 'gap' | 'capacity' | 'unclear' | null;
  needs: string | null;
  blocked_by: string | null;
  routes_tried: string | null;
  summary: string | null;
  status: Generated<'open' | 'closed'>;
  referred_by: string | null;
  needs_categories: Generated<string[]>;
  screening_id: Generated<string | null>;
  level_status: Generated<'confirmed' | 'awaiting_confirmation' | null>;
  created_at: Timestamp;
}
// Summaries written for a pseudonymised panel (migration 2026_12_05_0120_audience_summaries).
export interface AudienceSummaryTable {
  id: Generated<string>;
  authority_id: string;
  person_id: string;
  audience: 'governance' | 'send_board';
  summary: string;
  needs_categories: Generated<string[]>;
  confirmed: ColumnType<{ key: string; kind: string }[], string | undefined, string>;
  written_by: string;
  version: Generated<number>;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}
export interface PanelDecisionTable {
  id: Generated<string>;
  authority_id: string;
  item_id: string;
  meeting_id: string | null;
  decision: string;
  action_id: string | null;
  decided_by: string;
  created_at: Timestamp;
}

// Kent team remits and transfer protocol (migration 2026_11_22_0030_transfers).
export interface TransferPointTable {
  id: Generated<string>;
  authority_id: string;
  from_team_id: string;
  to_team_id: string;
  at_age: number | null;
  case_type: string | null;
  direction: 'age' | 'step_up' | 'step_down';
  note: string | null;
  /** Optimistic lock (issue 15 item 8): a save that sends a stale version is refused (409). */
  version: Generated<number>;
}
export interface AssessmentTable {
  id: Generated<string>;
  authority_id: string;
  person_id: string;
  involvement_id: string;
  kind: string;
  completed_on: DateOnly;
  summary: string | null;
  recorded_by: string | null;
  created_at: Timestamp;
}
export interface TransferTable {
  id: Generated<string>;
  authority_id: string;
  person_id: string;
  from_involvement_id: string;
  from_team_id: string;
  to_team_id: string | null;
  to_authority_name: string | null;
  to_involvement_id: string | null;
  /** Where its kent-team-transfer instance is: written only by the flow's hooks (transfers/flow.ts). */
  status: Generated<'requested' | 'sent' | 'returned' | 'accepted' | 'completed' | 'cancelled'>;
  reason: string;
  proposed_by_remit: Generated<boolean>;
  requested_by: string;
  requested_at: Timestamp;
  summary_updated_information: string | null;
  summary_important_dates: string | null;
  summary_urgent_actions: string | null;
  /** Migration 2026_12_06_0400: who last wrote the summary (they may not quality-assure the file). */
  summary_written_by: string | null;
  summary_signed_off_by: string | null;
  summary_signed_off_at: Date | null;
  qa_by: string | null;
  qa_at: Date | null;
  qa_notes: string | null;
  notices_sent_at: Date | null;
  meeting_date: DateOnly | null;
  meeting_not_possible_reason: string | null;
  sent_at: Date | null;
  returned_at: Date | null;
  returns: Generated<number>;
  accepted_by: string | null;
  accepted_at: Date | null;
  allocated_worker_id: string | null;
  completed_at: Date | null;
  version: Generated<number>;
  /** Migration 0045: the protocol instance tracking the transfer's steps. */
  protocol_instance_id: string | null;
  /** Migration 0045: another authority on this installation, and its copy of the record once completed. */
  to_authority_id: string | null;
  to_person_id: string | null;
}
export interface GeneratedDocumentTable {
  id: Generated<string>;
  authority_id: string;
  person_id: string;
  transfer_id: string | null;
  kind: 'letter' | 'transfer_pack';
  recipient: string;
  title: string;
  body: string;
  created_by: string | null;
  created_at: Timestamp;
}
export interface TransferNoticeTable {
  id: Generated<string>;
  authority_id: string;
  transfer_id: string;
  recipient_kind: 'family' | 'professional' | 'agency';
  recipient_name: string;
  channel: 'letter' | 'email';
  outbox_id: string | null;
  document_id: string | null;
  created_at: Timestamp;
}
export interface CaseTaskTable {
  id: Generated<string>;
  authority_id: string;
  person_id: string;
  involvement_id: string | null;
  transfer_id: string | null;
  kind: 'remedial' | 'visit' | 'review' | 'oversight';
  description: string;
  owner_user_id: string | null;
  owner_team_id: string | null;
  due_date: DateOnly;
  done_at: Date | null;
  done_by: string | null;
  created_at: Timestamp;
}
export interface CapacityEscalationTable {
  id: Generated<string>;
  authority_id: string;
  person_id: string;
  transfer_id: string | null;
  team_id: string;
  reason: string;
  raised_by: string;
  raised_at: Timestamp;
  /** Migration 0150: the kent-capacity-escalation instance that holds its owner, deadline, ladder and end. */
  protocol_instance_id: string | null;
  /** Escalations raised before migration 0150 only (no instance): who owned it, when due, resolved, chased. */
  owner_user_id: string | null;
  owner_label: string | null;
  due_date: DateOnly | null;
  due_rule: string | null;
  resolved_at: Date | null;
  chased: Generated<number>;
}
export interface InformationSharingTable {
  id: Generated<string>;
  authority_id: string;
  person_id: string;
  what: string;
  with_whom: string;
  purpose: string;
  lawful_basis: string;
  shared_by: string;
  shared_at: Timestamp;
  document_id: string | null;
}
export interface ProtocolSuspensionTable {
  id: Generated<string>;
  authority_id: string;
  team_id: string | null;
  part: string;
  reason: string;
  impact: string;
  mitigations: string;
  starts_on: DateOnly;
  ends_on: DateOnly;
  status: Generated<'requested' | 'approved' | 'refused'>;
  requested_by: string;
  requested_at: Timestamp;
  decided_by: string | null;
  decided_at: Date | null;
  decision_note: string | null;
  version: Generated<number>;
}

// EHC needs assessments (migration 2026_11_22_0020_ehcp).
export interface EhcpAssessmentTable {
  id: Generated<string>;
  authority_id: string;
  person_id: string;
  request_date: DateOnly;
  requested_by: 'parent' | 'young_person' | 'school' | 'other';
  requester_detail: string | null;
  coordinator_id: string | null;
  decision_to_assess: 'assess' | 'not_assess' | null;
  decision_date: DateOnly | null;
  not_issue_date: DateOnly | null;
  draft_served_date: DateOnly | null;
  draft_text: string | null;
  final_issued_date: DateOnly | null;
  /** Its ehc-needs-assessment protocol instance, which says whether it is open (migration 2026_12_05_0170_ehcp_flow). */
  protocol_instance_id: string | null;
  version: Generated<number>;
  created_at: Timestamp;
  updated_at: Timestamp;
}
export interface EhcpExceptionTable {
  id: Generated<string>;
  authority_id: string;
  assessment_id: string;
  person_id: string;
  type: 'school_closure' | 'personal_circumstances' | 'absent_from_area';
  start_date: DateOnly;
  end_date: DateOnly;
  reason: string;
  reportable: Generated<boolean>;
  recorded_by: string | null;
  created_at: Timestamp;
}
export interface EhcpAdviceRequestTable {
  id: Generated<string>;
  authority_id: string;
  assessment_id: string;
  person_id: string;
  kind: string;
  giver_user_id: string;
  responsible_user_id: string;
  service_id: string | null;
  team_id: string | null;
  question: string;
  requested_date: DateOnly;
  due_date: DateOnly;
  due_rule: string;
  status: Generated<'requested' | 'received' | 'cancelled'>;
  received_date: DateOnly | null;
  follow_up_instance_id: string | null;
  follow_up_sent_on: DateOnly | null;
  follow_up_due: DateOnly | null;
  follow_up_closed_on: DateOnly | null;
  draft_check_due: DateOnly | null;
  draft_feedback_on: DateOnly | null;
  /** Its ehc-advice-request protocol instance (migration 2026_12_05_0170_ehcp_flow). */
  protocol_instance_id: string | null;
  version: Generated<number>;
  created_at: Timestamp;
}
export interface EhcpAdviceSubmissionTable {
  id: Generated<string>;
  authority_id: string;
  request_id: string;
  person_id: string;
  kind: 'advice' | 'updated_advice' | 'draft_feedback';
  body: string;
  summary: ColumnType<Record<string, string> | null, string | null | undefined, string | null>;
  /** The advice as a document, when the giver attached one (migration 2026_12_07_0100_advice_documents). */
  document_id: ColumnType<string | null, string | null | undefined, never>;
  submitted_by: string;
  submitted_at: Timestamp;
}
export interface EhcpDelayNoticeTable {
  id: Generated<string>;
  authority_id: string;
  assessment_id: string;
  person_id: string;
  contact_id: string | null;
  contact_name: string;
  channel: 'email' | 'letter';
  statutory_date: DateOnly;
  new_date: DateOnly;
  reason: string;
  body: string;
  outbox_id: string | null;
  sent_by: string | null;
  created_at: Timestamp;
}
export interface UserInviteTable {
  id: Generated<string>;
  authority_id: string;
  user_id: string;
  token_hash: string;
  expires_at: Date;
  used_at: Date | null;
  created_by: string | null;
  created_at: Timestamp;
}
export interface EhcpWeeklyReportRunTable {
  authority_id: string;
  week_start: DateOnly;
  sent_at: Timestamp;
}

// Case notes and their versions (migration 2026_12_05_0190_case_notes): a version is never changed once written.
export type CaseNoteType = 'visit' | 'phone_call' | 'meeting' | 'observation' | 'direct_work';
export interface CaseNoteTable {
  id: Generated<string>;
  authority_id: string;
  person_id: string;
  version: Generated<number>;
  created_by: string;
  created_at: Generated<Date>;
}
/** A case note's draft, as typed (migration 2026_12_06_0600_case_note_drafts). */
export interface CaseNoteDraftTable {
  authority_id: string;
  person_id: string;
  user_id: string;
  fields: Record<string, string>;
  saved_at: Generated<Date>;
}
export interface CaseNoteVersionTable {
  id: Generated<string>;
  authority_id: string;
  note_id: string;
  person_id: string;
  version: number;
  note_type: CaseNoteType;
  contact_date: DateOnly;
  /** London time of the contact, read back as 'HH:MM:SS'. */
  contact_time: string;
  present: string | null;
  what_happened: string;
  voice: string | null;
  significant: boolean;
  summary: string | null;
  correction_reason: string | null;
  written_by: string;
  written_at: Timestamp;
}
export interface Database
  extends SendHubTables,
    SsoTables,
    SubscriptionTables,
    ScimTables,
    TwoFactorTables,
    PartnerTables,
    EhcPlanTables,
    EhcReviewTables,
    EhcPlanChangeTables {
  authorities: AuthorityTable;
  services: ServiceTable;
  localities: LocalityTable;
  hubs: HubTable;
  teams: TeamTable;
  users: UserTable;
  team_members: TeamMemberTable;
  sessions: SessionTable;
  api_tokens: ApiTokenTable;
  login_throttle: LoginThrottleTable;
  people: PersonTable;
  person_statuses: PersonStatusTable;
  contacts: ContactTable;
  involvements: InvolvementTable;
  events: EventTable;
  break_glass: BreakGlassTable;
  alerts: AlertTable;
  access_log: AccessLogTable;
  audit_log: AuditLogTable;
  protocol_versions: ProtocolVersionTable;
  protocol_instances: ProtocolInstanceTable;
  protocol_steps: ProtocolStepTable;
  deadlines: DeadlineTable;
  notifications: NotificationTable;
  outbox: OutboxTable;
  plans: PlanTable;
  plan_goals: PlanGoalTable;
  plan_actions: PlanActionTable;
  plan_reviews: PlanReviewTable;
  referrals: ReferralTable;
  panels: PanelTable;
  panel_members: PanelMemberTable;
  panel_meetings: PanelMeetingTable;
  panel_items: PanelItemTable;
  audience_summaries: AudienceSummaryTable;
  panel_decisions: PanelDecisionTable;
  transfer_points: TransferPointTable;
  assessments: AssessmentTable;
  transfers: TransferTable;
  generated_documents: GeneratedDocumentTable;
  transfer_notices: TransferNoticeTable;
  case_tasks: CaseTaskTable;
  capacity_escalations: CapacityEscalationTable;
  information_sharing: InformationSharingTable;
  protocol_suspensions: ProtocolSuspensionTable;
  ehcp_assessments: EhcpAssessmentTable;
  ehcp_exceptions: EhcpExceptionTable;
  ehcp_advice_requests: EhcpAdviceRequestTable;
  ehcp_advice_submissions: EhcpAdviceSubmissionTable;
  ehcp_delay_notices: EhcpDelayNoticeTable;
  user_invites: UserInviteTable;
  ehcp_weekly_report_runs: EhcpWeeklyReportRunTable;
  case_notes: CaseNoteTable;
  case_note_versions: CaseNoteVersionTable;
  case_note_drafts: CaseNoteDraftTable;
  documents: DocumentTable;
  document_contents: DocumentContentTable;
  retention_schedules: RetentionScheduleTable;
  retention_settings: RetentionSettingsTable;
  legal_holds: LegalHoldTable;
  subject_access_requests: SubjectAccessRequestTable;
  subject_access_reviews: SubjectAccessReviewTable;
  subject_access_exports: SubjectAccessExportTable;
  sharing_records: SharingRecordTable;
  screenings: ScreeningTable;
  risk_events: RiskEventTable;
  places: PlaceTable;
  peer_groups: PeerGroupTable;
  persons_of_concern: PersonOfConcernTable;
  place_people: PlacePersonTable;
  peer_group_people: PeerGroupPersonTable;
  concern_links: ConcernLinkTable;
  risk_partner_entries: RiskPartnerEntryTable;
  transition_plans: TransitionPlanTable;
  solution_cases: SolutionCaseTable;
  solution_tests: SolutionTestTable;
  consultations: ConsultationTable;
  consultation_follow_ups: ConsultationFollowUpTable;
  exploitation_cases: ExploitationCaseTable;
  exploitation_updates: ExploitationUpdateTable;
  exploitation_decisions: ExploitationDecisionTable;
  exploitation_actions: ExploitationActionTable;
  mentors: MentorTable;
  mentor_checks: MentorCheckTable;
  mentoring_referrals: MentoringReferralTable;
  mentoring_goals: MentoringGoalTable;
  mentoring_sessions: MentoringSessionTable;
  system_blocks: SystemBlockTable;
  system_block_cases: SystemBlockCaseTable;
}

export type Person = Selectable<PersonTable>;

// Retention and legal hold (migration 2026_12_08_0500_retention, quality.md R8).
export type RetentionRecordType = 'person' | 'notification';
export interface RetentionScheduleTable {
  authority_id: string;
  record_type: RetentionRecordType;
  years: number;
  minimum_age: number | null;
  version: Generated<number>;
  updated_by: string;
  updated_at: Generated<Date>;
}
export interface RetentionSettingsTable {
  authority_id: string;
  automatic_purge: Generated<boolean>;
  version: Generated<number>;
  updated_by: string;
  updated_at: Generated<Date>;
}
export interface LegalHoldTable {
  id: Generated<string>;
  authority_id: string;
  person_id: string;
  reason: string;
  set_by: string;
  set_at: Generated<Date>;
  released_at: Date | null;
  released_by: string | null;
  release_reason: string | null;
}
export type NewPerson = Insertable<PersonTable>;
export type PersonUpdate = Updateable<PersonTable>;
export type User = Selectable<UserTable>;
export type Team = Selectable<TeamTable>;
export type Involvement = Selectable<InvolvementTable>;

// Uploaded documents (migration 2026_12_06_0200_documents): never changed once stored.
export type DocumentTargetKind = 'person' | 'advice_request' | 'transfer' | 'referral' | 'meeting';
export interface DocumentTable {
  id: Generated<string>;
  authority_id: string;
  person_id: string;
  target_kind: DocumentTargetKind;
  target_id: string | null;
  title: string;
  media_type: string;
  extension: string;
  size_bytes: number;
  sha256: string;
  storage: 'database' | 'directory';
  scan_result: 'clean' | 'not_scanned';
  scanned_with: string | null;
  uploaded_by: string;
  uploaded_at: Generated<Date>;
}
export interface DocumentContentTable {
  /** The document's (filled from it on insert: migration 2026_12_12_0500). */
  authority_id: Generated<string>;
  document_id: string;
  bytes: Buffer;
}

// Subject access requests (migration 2026_12_08_0600_subject_access, quality.md R9).
export type RequesterRelationship = 'self' | 'parent' | 'representative';
export type ReviewTable = 'case_notes' | 'documents' | 'contacts';
export type ReviewDecision = 'include' | 'redact' | 'withhold';
export interface SubjectAccessRequestTable {
  id: Generated<string>;
  authority_id: string;
  person_id: string;
  requester_name: string;
  requester_relationship: RequesterRelationship;
  received_on: string;
  extension_months: Generated<number>;
  extension_reason: string | null;
  logged_by: string;
  logged_at: Generated<Date>;
  released_by: string | null;
  released_at: Date | null;
  version: Generated<number>;
}
export interface SubjectAccessReviewTable {
  /** The request's (filled from it on insert: migration 2026_12_12_0500). */
  authority_id: Generated<string>;
  request_id: string;
  item_table: ReviewTable;
  item_id: string;
  decision: ReviewDecision;
  reason: string | null;
  decided_by: string;
  decided_at: Generated<Date>;
}
export interface SubjectAccessExportTable {
  /** The request's (filled from it on insert: migration 2026_12_12_0500). */
  authority_id: Generated<string>;
  request_id: string;
  bytes: Buffer;
  sha256: string;
  size_bytes: number;
  created_at: Generated<Date>;
}

// Issue 12 part 10: information-sharing decisions (src/modules/sharing), append-only.
export type SharingDecision = 'share' | 'not_share' | 'share_in_part';
export type LawfulBasis = 'public_task' | 'legal_obligation' | 'vital_interests' | 'consent' | 'legitimate_interests';
export interface SharingRecordTable {
  id: Generated<string>;
  authority_id: string;
  person_id: string;
  corrects_id: string | null;
  decision: SharingDecision;
  what: string;
  recipient_organisation: string;
  recipient_role: string | null;
  recipient_name: string | null;
  decided_on: string;
  purpose: string;
  necessity: string;
  lawful_basis: LawfulBasis;
  special_category: boolean;
  art9_condition: string | null;
  schedule1_condition: string | null;
  consent: 'with_consent' | 'without_consent';
  views: string | null;
  person_told: boolean;
  not_told_reason: string | null;
  decided_by_name: string | null;
  reasoning: string;
  recorded_by: string;
  recorded_at: Generated<Date>;
  source_kind: Generated<'screening' | 'meeting' | null>;
  source_id: Generated<string | null>;
  correction_reason: Generated<string | null>;
}

// Issue 12 parts 2-3: exploitation screenings, re-screen events and contextual safeguarding (migration
// 2026_12_09_0100_safeguarding_core). A screening's route (level confirmed, review, re-screen) is its protocol instance.
export type ScreeningReason = 'first' | 'review' | 'missing_episode' | 'placement_move' | 'new_intelligence' | 'other';
export type RiskEventKind = 'missing_episode' | 'placement_move' | 'new_intelligence';
export interface ScreeningTable {
  id: Generated<string>;
  authority_id: string;
  person_id: string;
  instrument_id: string;
  instrument_version: number;
  screened_on: DateOnly;
  age_at_screening: number;
  send_or_learning_disability: boolean;
  /** { indicatorId: { answer, evidence?, basis?, when? } } (src/domain/screening/rules.ts `Answers`). */
  answers: ColumnType<Record<string, unknown>, string, string>;
  suggested_level: string;
  suggested_reasons: ColumnType<string[], string | undefined, string>;
  significant_incidents: ColumnType<{ domain: string; indicator: string; text: string }[], string | undefined, string>;
  proposed_level: string;
  proposed_rank: number;
  proposed_reason: string | null;
  proposed_by: string;
  confirmed_level: string | null;
  confirmed_rank: number | null;
  confirmed_reason: string | null;
  confirmed_by: string | null;
  confirmed_at: Date | null;
  confirmed_meeting_id: string | null;
  review_due: DateOnly;
  reason: Generated<ScreeningReason>;
  risk_event_id: string | null;
  summary: string | null;
  protocol_instance_id: string | null;
  version: Generated<number>;
  created_at: Timestamp;
}
export interface RiskEventTable {
  id: Generated<string>;
  authority_id: string;
  person_id: string;
  kind: RiskEventKind;
  occurred_on: DateOnly;
  returned_on: DateOnly | null;
  return_interview: 'offered_accepted' | 'offered_declined' | 'not_offered' | null;
  details: string;
  recorded_by: string;
  created_at: Timestamp;
}
export type PlaceKind =
  | 'public_space'
  | 'shop_or_takeaway'
  | 'transport'
  | 'address'
  | 'school_or_college'
  | 'leisure'
  | 'online'
  | 'other';
export interface PlaceTable {
  id: Generated<string>;
  authority_id: string;
  name: string;
  area: string;
  kind: PlaceKind;
  description: string | null;
  closed_on: DateOnly | null;
  created_by: string;
  version: Generated<number>;
  created_at: Timestamp;
  updated_at: Timestamp;
}
export interface PeerGroupTable {
  id: Generated<string>;
  authority_id: string;
  name: string;
  area: string;
  description: string | null;
  closed_on: DateOnly | null;
  created_by: string;
  version: Generated<number>;
  created_at: Timestamp;
  updated_at: Timestamp;
}
export interface PersonOfConcernTable {
  id: Generated<string>;
  authority_id: string;
  name: string;
  aliases: string | null;
  description: string;
  created_by: string;
  version: Generated<number>;
  created_at: Timestamp;
  updated_at: Timestamp;
}
export interface PlacePersonTable {
  id: Generated<string>;
  authority_id: string;
  place_id: string;
  person_id: string;
  screening_id: string | null;
  note: string | null;
  linked_by: string;
  linked_at: Timestamp;
  unlinked_at: Date | null;
}
export interface PeerGroupPersonTable {
  id: Generated<string>;
  authority_id: string;
  peer_group_id: string;
  person_id: string;
  screening_id: string | null;
  note: string | null;
  linked_by: string;
  linked_at: Timestamp;
  unlinked_at: Date | null;
}
export interface ConcernLinkTable {
  id: Generated<string>;
  authority_id: string;
  person_of_concern_id: string;
  person_id: string | null;
  screening_id: string | null;
  place_id: string | null;
  peer_group_id: string | null;
  note: string | null;
  linked_by: string;
  linked_at: Timestamp;
}

// The joint transition plan (migration 2026_12_09_1600, issue 12 part 8); where it is lives in its protocol instance.
export type Post18Setting = 'adult_social_care' | 'exploitation_hub' | 'prevention_wellbeing';
export interface TransitionPlanTable {
  id: Generated<string>;
  authority_id: string;
  person_id: string;
  protocol_instance_id: string;
  started_by: string;
  started_how: 'scheduled' | 'early';
  pre18_owner_id: string | null;
  post18_owner_id: string | null;
  post18_setting: Post18Setting | null;
  at_eighteen: string | null;
  views: string | null;
  impairment: boolean | null;
  impairment_evidence: string | null;
  outcomes_unable: boolean | null;
  outcomes_evidence: string | null;
  wellbeing_impact: boolean | null;
  wellbeing_evidence: string | null;
  care_act_conclusion: string | null;
  care_act_recorded_by: string | null;
  care_act_recorded_at: Date | null;
  no_owner_decision: string | null;
  no_owner_decided_by: string | null;
  no_owner_decided_at: Date | null;
  version: Generated<number>;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

// Partners' entries on the single view of risk (migration 2026_12_09_1700, issue 12 part 9); append-only.
export interface RiskPartnerEntryTable {
  id: Generated<string>;
  authority_id: string;
  person_id: string;
  agency: string;
  occurred_on: DateOnly;
  what: string;
  source: 'evidence' | 'intelligence';
  recorded_by: string;
  recorded_at: Generated<Date>;
}

// The Creative Solutions Board and consultation forums (migration 2026_12_09_1400, issue 12 parts 5-6).
export type SolutionCaseStatus = 'referred' | 'testing' | 'closed' | 'declined';
export type SolutionResult = 'worked' | 'partly' | 'did_not_work';
export interface SolutionCaseTable {
  id: Generated<string>;
  authority_id: string;
  person_id: string;
  protocol_instance_id: string | null;
  referred_by: string;
  referred_at: Generated<Date>;
  problem: string;
  tried: ColumnType<unknown, string, string>;
  why_stuck: string;
  category: string | null;
  board_problem: string | null;
  meeting_date: DateOnly | null;
  status: Generated<SolutionCaseStatus>;
  closing_note: string | null;
  version: Generated<number>;
}
export interface SolutionTestTable {
  id: Generated<string>;
  authority_id: string;
  person_id: string;
  case_id: string;
  register_text: string;
  owner_user_id: string;
  started_on: DateOnly;
  review_date: DateOnly;
  result: SolutionResult | null;
  learning: string | null;
  reviewed_on: DateOnly | null;
  recorded_by: string;
  created_at: Generated<Date>;
}
export interface ConsultationTable {
  id: Generated<string>;
  authority_id: string;
  person_id: string | null;
  booked_by: string;
  booked_at: Generated<Date>;
  forum: string;
  forum_date: DateOnly;
  question: string;
  advice: string | null;
  advised_by: string | null;
  advised_at: Date | null;
  version: Generated<number>;
}
export interface ConsultationFollowUpTable {
  id: Generated<string>;
  authority_id: string;
  person_id: string | null;
  consultation_id: string;
  action: string;
  owner_user_id: string;
  due_on: DateOnly;
  done_on: DateOnly | null;
  protocol_instance_id: string | null;
  recorded_by: string;
  created_at: Generated<Date>;
}

// High Risk Exploitation Meetings and the Exploitation Hub (migration 2026_12_09_1300, issue 12 part 4).
export interface ExploitationCaseTable {
  person_id: string;
  authority_id: string;
  next_meeting_on: DateOnly | null;
  updated_at: Timestamp;
}
export interface ExploitationUpdateTable {
  id: Generated<string>;
  authority_id: string;
  item_id: string;
  person_id: string;
  agency: string;
  body: string;
  author_id: string;
  created_at: Timestamp;
}
export interface ExploitationDecisionTable {
  id: Generated<string>;
  authority_id: string;
  item_id: string;
  meeting_id: string;
  person_id: string;
  screening_id: string | null;
  level: string | null;
  level_reason: string | null;
  next_meeting_on: DateOnly | null;
  decision: string;
  share: boolean;
  decided_by: string;
  created_at: Timestamp;
}
export type ExploitationActionStatus = 'open' | 'done' | 'not_possible' | 'not_done';
export interface ExploitationActionTable {
  id: Generated<string>;
  authority_id: string;
  decision_id: string;
  meeting_id: string;
  person_id: string;
  description: string;
  owner_user_id: string | null;
  owner_team_id: string | null;
  due_date: DateOnly;
  protocol_instance_id: string | null;
  status: Generated<ExploitationActionStatus>;
  outcome_reason: string | null;
  outcome_by: string | null;
  outcome_at: Date | null;
  created_at: Timestamp;
}

// The mentoring scheme (migration 2026_12_09_1500_mentoring, issue 12 part 7).
export type MentorKind = 'staff' | 'volunteer';
export interface MentorTable {
  id: Generated<string>;
  authority_id: string;
  kind: MentorKind;
  user_id: string | null;
  name: string;
  contact: string | null;
  organisation: string | null;
  capacity: number;
  areas: string | null;
  interests: string | null;
  active: Generated<boolean>;
  version: Generated<number>;
  created_at: Generated<Date>;
}
export type MentorCheckType = 'enhanced_dbs' | 'references' | 'safeguarding_training';
export interface MentorCheckTable {
  id: Generated<string>;
  authority_id: string;
  mentor_id: string;
  check_type: MentorCheckType;
  checked_on: DateOnly;
  expires_on: DateOnly;
  reference: string | null;
  recorded_by: string;
  created_at: Generated<Date>;
}
export type MentoringStatus = 'waiting' | 'active' | 'ended' | 'declined';
export type MentoringOutcomeCode = 'goals_met' | 'partly_met' | 'disengaged' | 'moved_away' | 'other';
export interface MentoringReferralTable {
  id: Generated<string>;
  authority_id: string;
  person_id: string;
  referred_by: string;
  referred_on: DateOnly;
  reason: string;
  hopes: string;
  status: Generated<MentoringStatus>;
  mentor_id: string | null;
  matched_on: DateOnly | null;
  ended_on: DateOnly | null;
  outcome: MentoringOutcomeCode | null;
  outcome_notes: string | null;
  declined_reason: string | null;
  protocol_instance_id: string | null;
  version: Generated<number>;
  created_at: Generated<Date>;
}
export type GoalProgress = 'not_started' | 'some' | 'good' | 'met';
export interface MentoringGoalTable {
  id: Generated<string>;
  authority_id: string;
  person_id: string;
  referral_id: string;
  goal: string;
  progress: Generated<GoalProgress>;
  progress_note: string | null;
  version: Generated<number>;
  created_at: Generated<Date>;
}
export interface MentoringSessionTable {
  id: Generated<string>;
  authority_id: string;
  person_id: string;
  referral_id: string;
  held_on: DateOnly;
  attended: boolean;
  not_attended_reason: string | null;
  notes: string | null;
  recorded_by: string;
  created_at: Generated<Date>;
}

// System blocks (migration 2026_12_09_1200, issue 12 part 11): what stood in the way, linked to the cases.
export type SystemBlockKind =
  | 'housing_18_25'
  | 'adult_services_threshold'
  | 'no_provider'
  | 'mental_health'
  | 'education_training'
  | 'benefits_income'
  | 'information_sharing'
  | 'other';
export interface SystemBlockTable {
  id: Generated<string>;
  authority_id: string;
  kind: SystemBlockKind;
  description: string;
  raised_by: string;
  raised_on: DateOnly;
  status: Generated<'open' | 'resolved'>;
  what_changed: string | null;
  resolved_on: DateOnly | null;
  version: Generated<number>;
  created_at: Timestamp;
  updated_at: Timestamp;
}
export interface SystemBlockCaseTable {
  id: Generated<string>;
  authority_id: string;
  block_id: string;
  person_id: string;
  note: string | null;
  linked_by: string;
  linked_at: Timestamp;
}
