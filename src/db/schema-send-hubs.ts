// Row types for the SEND Support Hubs (issue 13, migration 2026_12_10_0100_send_hubs), kept apart from schema.ts,
// which the Database interface there extends with these tables.
import type { ColumnType, Generated } from 'kysely';

type DateOnly = ColumnType<string, string, string>;
type Created = Generated<Date>;

export type HubServiceKind =
  | 'educational_psychology'
  | 'specialist_teacher'
  | 'speech_language'
  | 'camhs_link'
  | 'occupational_therapy'
  | 'early_years'
  | 'sensory'
  | 'other';
export interface HubServiceTable {
  id: Generated<string>;
  authority_id: string;
  hub_id: string;
  name: string;
  kind: HubServiceKind;
  active: Generated<boolean>;
  created_at: Created;
}

export type SettingKind = 'early_years' | 'school' | 'special_school' | 'further_education';
export interface SettingTable {
  id: Generated<string>;
  authority_id: string;
  hub_id: string;
  name: string;
  kind: SettingKind;
  /** The DfE unique reference number, when the setting has one. */
  urn: string | null;
  /** The setting's team inbox: notices go there too, so a request never depends on one person's account. */
  inbox_email: string | null;
  active: Generated<boolean>;
  version: Generated<number>;
  created_at: Created;
}

export type SettingPosition = 'senco' | 'head' | 'other';
export interface SettingMemberTable {
  /** The setting's (filled from it on insert: migration 2026_12_12_0500). */
  authority_id: Generated<string>;
  setting_id: string;
  user_id: string;
  position: SettingPosition;
  created_at: Created;
}

export interface TriageMeetingTable {
  id: Generated<string>;
  authority_id: string;
  hub_id: string;
  meeting_date: DateOnly;
  chair_user_id: string | null;
  attendees: string | null;
  held: Generated<boolean>;
  version: Generated<number>;
  created_at: Created;
}

/** Where a request is: a projection of its send-support-request instance, written only by the engine's hooks. */
export type SupportRequestStatus =
  | 'held'
  | 'waiting'
  | 'more_info'
  | 'starting'
  | 'in_support'
  | 'with_locality'
  | 'closed';
/** The triage outcome recorded (the latest one). */
export type TriageOutcome =
  | 'advice'
  | 'first_support'
  | 'further_support'
  | 'ehc_assessment'
  | 'more_info'
  | 'declined'
  | 'withdrawn';
export type AreaOfNeed = 'communication_interaction' | 'cognition_learning' | 'semh' | 'sensory_physical';
/** One assess-plan-do-review cycle of the graduated response, as the setting describes it. */
export interface ApdrCycle {
  assess: string;
  plan: string;
  do: string;
  review: string;
  /** From and to (YYYY-MM-DD). */
  from: string;
  to: string;
}
export type Consent = 'given' | 'not_yet' | 'refused';
export interface SupportRequestTable {
  id: Generated<string>;
  authority_id: string;
  /** SR-1001…: what emails and the setting quote; never a name. */
  reference: Generated<string>;
  hub_id: string;
  setting_id: string;
  person_id: string;
  received_on: DateOnly;
  received_via: 'online' | 'phone' | 'email';
  submitted_by: string;
  /** The child's name as the setting gave it (migration 2026_12_10_0300): what the setting's pages show. */
  child_name: ColumnType<string | null, string | null | undefined, string | null>;
  /** Who to contact at the setting about it (the SENCO, usually). */
  contact_name: string | null;
  year_group: string | null;
  areas_of_need: AreaOfNeed[];
  apdr_cycles: ColumnType<ApdrCycle[], string, string>;
  sen_support_since: DateOnly | null;
  plan_review_date: DateOnly | null;
  current_plan: string | null;
  asking_for: string;
  parent_views: string | null;
  consent: Consent;
  consent_on: DateOnly | null;
  status: Generated<SupportRequestStatus>;
  outcome: TriageOutcome | null;
  /** The instance's end result once closed (advice, declined, further_support, ehc_assessment, closed, withdrawn). */
  result: string | null;
  outcome_notes: string | null;
  decline_reason: string | null;
  decline_alternative: string | null;
  hub_service_ids: Generated<string[]>;
  triage_meeting_id: string | null;
  first_response_on: DateOnly | null;
  navigator_user_id: string | null;
  support_started_on: DateOnly | null;
  locality_team_id: string | null;
  ehcp_assessment_id: string | null;
  closed_on: DateOnly | null;
  protocol_instance_id: string | null;
  version: Generated<number>;
  created_at: Created;
}

export interface SupportRequestContactTable {
  id: Generated<string>;
  authority_id: string;
  request_id: string;
  person_id: string;
  contact_on: DateOnly;
  with_whom: 'parent_carer' | 'setting' | 'young_person' | 'other_agency';
  method: 'phone' | 'visit' | 'email' | 'meeting' | 'video';
  summary: string;
  recorded_by: string;
  created_at: Created;
}

export type CallerType = 'senco' | 'teacher' | 'head' | 'parent_carer' | 'young_person' | 'other_professional';
export type CallTopic =
  | 'communication_interaction'
  | 'cognition_learning'
  | 'semh'
  | 'sensory_physical'
  | 'graduated_response'
  | 'ehcp_process'
  | 'transition'
  | 'exclusion_attendance'
  | 'other';
export interface AdviceCallTable {
  id: Generated<string>;
  authority_id: string;
  hub_id: string;
  called_on: DateOnly;
  caller_type: CallerType;
  setting_id: string | null;
  topic: CallTopic;
  advice: string;
  signposted_to: string | null;
  follow_up: string | null;
  follow_up_owner_id: string | null;
  follow_up_due: DateOnly | null;
  follow_up_done_on: DateOnly | null;
  /** Linked to a young person's record, or null: the call stays anonymous. */
  person_id: string | null;
  recorded_by: string;
  created_at: Created;
}

export interface SendHubTables {
  hub_services: HubServiceTable;
  settings: SettingTable;
  setting_members: SettingMemberTable;
  triage_meetings: TriageMeetingTable;
  support_requests: SupportRequestTable;
  support_request_contacts: SupportRequestContactTable;
  advice_calls: AdviceCallTable;
}
