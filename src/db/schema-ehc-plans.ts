// Row types for issue 20's EHC plan tables (migration 2026_12_12_0100_ehc_plans and the ehc-plans module's own
// migrations 2026_12_12_01xx), in the Kysely style of schema.ts.
import type { ColumnType, Generated } from 'kysely';
import type { PlanSections } from '../domain/ehc-plan.ts';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type DateOnly = ColumnType<string, string, string>;

/** One EHC plan of one young person in one council; its dates and status are written only by protocol hooks. */
export interface EhcPlanTable {
  id: Generated<string>;
  authority_id: string;
  person_id: string;
  /** The needs assessment that made it; null when transferred in from another council or imported. */
  assessment_id: string | null;
  coordinator_id: string | null;
  status: Generated<'draft' | 'final' | 'ceased' | 'transferred_out' | 'withdrawn'>;
  /** The first final plan's issue date (SEN2 4a StartDate). */
  first_issued_date: DateOnly | null;
  /** The latest final version's issue date (the first final, or an amended final). */
  last_issued_date: DateOnly | null;
  /** The latest annual review meeting held. */
  last_review_date: DateOnly | null;
  /** When the next review must be held by (CFA 2014 s.44; reg 15 for a plan transferred in). */
  review_due_date: DateOnly | null;
  ceased_date: DateOnly | null;
  /** SEN2 CeaseReason 1–9 (src/domain/ehc-plan.ts CEASE_REASONS). */
  cease_reason: number | null;
  transferred_from_plan_id: string | null;
  transferred_from_authority_id: string | null;
  transfer_date: DateOnly | null;
  /** A draft withdrawn (migration 2026_12_13_0100): the day, and why (not to issue after all; moved away). */
  withdrawn_date: DateOnly | null;
  withdrawn_reason: string | null;
  version: Generated<number>;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

/** The plan's text at one point: a draft served, a final issued or amendment proposals; frozen once issued. */
export interface EhcPlanVersionTable {
  id: Generated<string>;
  authority_id: string;
  plan_id: string;
  person_id: string;
  number: number;
  kind: 'draft' | 'final' | 'proposed_amendment';
  state: Generated<'editing' | 'issued' | 'withdrawn'>;
  sections: ColumnType<PlanSections, PlanSections | string | undefined, PlanSections | string>;
  /** Section I: the school or other institution named, its URN, or the SEN2 setting code when it has none. */
  setting_name: string | null;
  setting_urn: string | null;
  sen_setting: string | null;
  /** SEN2 5c: the special educational needs, ranked (primary first), SENtype codes. */
  sen_needs: ColumnType<string[], string[] | undefined, string[]>;
  /** The day served (draft, amendment proposals) or issued (final). */
  issued_date: DateOnly | null;
  issued_by: string | null;
  created_by: string | null;
  version: Generated<number>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface EhcPlanTables {
  ehc_plans: EhcPlanTable;
  ehc_plan_versions: EhcPlanVersionTable;
  ehc_plan_representations: EhcPlanRepresentationTable;
  ehc_setting_consultations: EhcSettingConsultationTable;
}

/** What the family said about a served draft (reg 13(1)), and the setting they asked to be named (migration 0110). */
export interface EhcPlanRepresentationTable {
  id: Generated<string>;
  authority_id: string;
  plan_id: string;
  version_id: string;
  person_id: string;
  made_by: 'parent' | 'young_person' | 'other';
  made_by_name: string | null;
  received_date: DateOnly;
  summary: string;
  requested_setting_name: string | null;
  requested_setting_urn: string | null;
  recorded_by: string | null;
  created_at: Generated<Date>;
}

/** The consultation of a requested school or college (protocol ehc-setting-consultation; migration 0110). */
export interface EhcSettingConsultationTable {
  id: Generated<string>;
  authority_id: string;
  plan_id: string;
  person_id: string;
  representation_id: string | null;
  setting_name: string;
  setting_urn: string | null;
  sent_date: DateOnly;
  response: 'agrees' | 'does_not_agree' | null;
  response_reason: string | null;
  responded_date: DateOnly | null;
  protocol_instance_id: string | null;
  created_by: string | null;
  version: Generated<number>;
  created_at: Generated<Date>;
}
