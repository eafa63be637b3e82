// Row types for every table, in the Kysely style: XTable describes the columns; Selectable<XTable> is a row.
import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
/** A calendar date, always read and written as 'YYYY-MM-DD' (see the type parser in database.ts). */
type DateOnly = ColumnType<string, string, string>;

export interface AuthorityTable {
  id: Generated<string>;
  code: string;
  name: string;
  created_at: Timestamp;
}
export interface ServiceTable {
  id: Generated<string>;
  authority_id: string;
  name: string;
  kind: string;
  organisation: string | null;
  external: Generated<boolean>;
  created_at: Timestamp;
}
export interface LocalityTable {
  id: Generated<string>;
  authority_id: string;
  name: string;
}
export interface HubTable {
  id: Generated<string>;
  authority_id: string;
  locality_id: string;
  name: string;
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
  line_manager_id: string | null;
  service_id: string | null;
  active: Generated<boolean>;
  created_at: Timestamp;
}
export interface TeamMemberTable {
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
  label: string;
  created_at: Timestamp;
  revoked_at: Date | null;
}
export interface LoginFailureTable {
  id: Generated<string>;
  subject: string;
  at: Timestamp;
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
  address: string | null;
  postcode: string | null;
  school: string | null;
  locality_id: string | null;
  version: Generated<number>;
  created_at: Timestamp;
  updated_at: Timestamp;
}
export interface PersonStatusTable {
  id: Generated<string>;
  authority_id: string;
  person_id: string;
  status: string;
  start_date: DateOnly;
  end_date: DateOnly | null;
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
  version: Generated<number>;
  created_at: Timestamp;
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

export interface Database {
  authorities: AuthorityTable;
  services: ServiceTable;
  localities: LocalityTable;
  hubs: HubTable;
  teams: TeamTable;
  users: UserTable;
  team_members: TeamMemberTable;
  sessions: SessionTable;
  api_tokens: ApiTokenTable;
  login_failures: LoginFailureTable;
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
}

export type Person = Selectable<PersonTable>;
export type NewPerson = Insertable<PersonTable>;
export type PersonUpdate = Updateable<PersonTable>;
export type User = Selectable<UserTable>;
export type Team = Selectable<TeamTable>;
export type Involvement = Selectable<InvolvementTable>;
