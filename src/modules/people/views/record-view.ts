// What the record page (`/people/:id`) is rendered from: the object its Nunjucks template was given, typed by what the
// page reads and nothing more, so where the data comes from (PeopleService.record, or one statement per page) can
// change without touching the renderer (record.ts).

export interface RecordPerson {
  id: string;
  case_number: string;
  given_name: string;
  family_name: string;
  preferred_name: string | null;
  date_of_birth: string;
  gender: string | null;
  nhs_number: string | null;
  upn: string | null;
  /** Why the UPN is not known (an SEN2 UPNunknown code), when there is none. */
  upn_unknown?: string | null;
  address: string | null;
  postcode: string | null;
  school: string | null;
  locality_name?: string | null;
}

export interface RecordStatus {
  id: string;
  status: string;
  start_date: string;
  end_date: string | null;
  end_reason: string | null;
}

export interface RecordInvolvement {
  id: string;
  team_id: string;
  team_name: string;
  service_name: string;
  worker_name: string | null;
  reason: string;
  start_date: string;
  end_date: string | null;
}

export interface RecordContact {
  name: string;
  relationship: string;
  parental_responsibility: boolean;
  phone: string | null;
  email: string | null;
}

export interface RecordEvent {
  at: Date | string | null;
  title: string | null;
  detail: string | null;
  actor_name: string | null;
}

/** PeopleService.record's result, as far as the page reads it. */
export interface RecordData {
  person: RecordPerson;
  age: number;
  schoolYearLabel: string;
  currentStatuses: readonly { status: string }[];
  statuses: readonly RecordStatus[];
  involvements: readonly RecordInvolvement[];
  contacts: readonly RecordContact[];
  events: readonly RecordEvent[];
  breakGlass: boolean;
  timeline: { page: number; pages: number; total: number } | null;
}

export interface RecordProtocol {
  id: string;
  title: string;
  status: string;
  result: string | null;
  started_at: Date | string;
}

/** A document as DocumentsService.forRecordPage gives it. */
export interface RecordDocument {
  id: string;
  title: string;
  type_label: string;
  size_label: string;
  about: string;
  aboutHref: string | null;
  target_kind: string;
  uploaded_by_name: string | null;
  uploaded_at: Date | string;
  scan_result: string | null;
}

export interface RecordView {
  r: RecordData;
  statusItems: readonly { value: string; text: string }[];
  /** Absent when the page is shown again with an error (the add-status form): the panels then say there are none. */
  protocols?: readonly RecordProtocol[] | null;
  documents?: readonly RecordDocument[] | null;
  savedText?: string | null;
  errors?: Record<string, string> | null;
  errorList?: { text: string; href: string }[] | null;
  /** The viewer: what they may do, and their teams. */
  user: { caps: ReadonlySet<string>; teamIds: readonly string[] };
  csrfToken: string;
}
