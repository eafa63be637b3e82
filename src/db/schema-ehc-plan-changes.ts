// Row types for issue 20's ehc-plan-changes module (migration 2026_12_12_0300_ehc_plan_changes), in the Kysely
// style of schema.ts. Outcome and date columns are projections written by the module's protocol hooks.
import type { ColumnType, Generated } from 'kysely';

type DateOnly = ColumnType<string, string, string>;

/** One amendment of a plan (SEND Regulations 2014 reg 22), on an ehc-plan-amendment instance. */
export interface EhcPlanAmendmentTable {
  id: Generated<string>;
  authority_id: string;
  plan_id: string;
  person_id: string;
  protocol_instance_id: string | null;
  started_how: 'review' | 'coordinator';
  /** The annual review whose decision started it (the reviews module's id), if any. */
  review_id: string | null;
  /** Why the plan is being amended, in the coordinator's words (no personal detail needed). */
  reason: string | null;
  proposed_version_id: string | null;
  final_version_id: string | null;
  proposals_sent_date: DateOnly | null;
  /** The reg 18 date, when the child transfers phase and it is earlier than 8 weeks after the proposals. */
  phase_transfer_due: DateOnly | null;
  outcome: 'amended' | 'not_amended' | 'withdrawn' | null;
  decided_date: DateOnly | null;
  /** The reasons given with a decision not to amend (reg 22(4)). */
  decision_reason: string | null;
  version: Generated<number>;
  created_by: string | null;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export interface EhcPlanAmendmentRepresentationTable {
  id: Generated<string>;
  authority_id: string;
  amendment_id: string;
  person_id: string;
  received_date: DateOnly;
  from_whom: 'parent' | 'young_person' | 'setting' | 'other';
  summary: string;
  setting_requested: string | null;
  meeting_requested: Generated<boolean>;
  recorded_by: string | null;
  created_at: Generated<Date>;
}

/** Ceasing a plan (CFA 2014 s.45, SEND Regulations 2014 regs 29–31), on an ehc-plan-cessation instance. */
export interface EhcPlanCessationTable {
  id: Generated<string>;
  authority_id: string;
  plan_id: string;
  person_id: string;
  protocol_instance_id: string | null;
  started_how: 'review' | 'coordinator' | 'age_25';
  review_id: string | null;
  /** SEN2 CeaseReason 1–9 (src/domain/ehc-plan.ts). */
  reason: number;
  reason_detail: string | null;
  /** The date the plan is to end when fixed by law (the end of the academic year of the 25th birthday). */
  cease_on: DateOnly | null;
  parent_consulted_date: DateOnly | null;
  setting_consulted_date: DateOnly | null;
  views: string | null;
  notice_date: DateOnly | null;
  appeal_by: DateOnly | null;
  appeal_lodged_date: DateOnly | null;
  ceased_date: DateOnly | null;
  outcome: 'ceased' | 'maintained' | null;
  version: Generated<number>;
  created_by: string | null;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

/** A plan received from another council on this installation (reg 15), on an ehc-plan-transfer-in instance. */
export interface EhcPlanTransferInTable {
  id: Generated<string>;
  authority_id: string;
  plan_id: string;
  person_id: string;
  from_plan_id: string | null;
  from_authority_id: string;
  transfer_id: string | null;
  transfer_date: DateOnly;
  protocol_instance_id: string | null;
  told_date: DateOnly | null;
  reassess: boolean | null;
  review_proposed_date: DateOnly | null;
  version: Generated<number>;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export interface EhcPlanChangeTables {
  ehc_plan_amendments: EhcPlanAmendmentTable;
  ehc_plan_amendment_representations: EhcPlanAmendmentRepresentationTable;
  ehc_plan_cessations: EhcPlanCessationTable;
  ehc_plan_transfers_in: EhcPlanTransferInTable;
}
