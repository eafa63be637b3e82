// Row types for issue 20's ehc-reviews module (migration 2026_12_12_0200_ehc_reviews), in the Kysely style of schema.ts.
import type { ColumnType, Generated } from 'kysely';

type DateOnly = ColumnType<string, string, string>;

export type ReviewDecision = 'maintain' | 'amend' | 'cease';
export type ReviewDueBasis = 'first' | 'annual' | 'transfer_in';

/** One annual review of one EHC plan; where it is (step, owner, due dates) is its ehc-annual-review instance. */
export interface EhcReviewTable {
  id: Generated<string>;
  authority_id: string;
  plan_id: string;
  person_id: string;
  protocol_instance_id: string | null;
  /** Held by this date (CFA 2014 s.44; reg 15(5) for a plan transferred in). */
  due_date: DateOnly;
  due_basis: ReviewDueBasis;
  /** In a phase-transfer year: the transfer and its reg 18 date. */
  transfer_phase: 'reception' | 'secondary' | 'post16' | null;
  transfer_deadline: DateOnly | null;
  /** Projection of the instance: open while it runs, decided or closed (plan ceased / transferred) when it ends. */
  status: Generated<'open' | 'decided' | 'closed'>;
  meeting_date: DateOnly | null;
  invites_sent_date: DateOnly | null;
  advice_circulated_date: DateOnly | null;
  meeting_held_date: DateOnly | null;
  attendees: string | null;
  child_views: string | null;
  parent_views: string | null;
  /** Preparing for adulthood (reg 20(6)): required from Year 9. */
  pfa: string | null;
  report: string | null;
  report_sent_date: DateOnly | null;
  decision: ReviewDecision | null;
  decision_reasons: string | null;
  decision_date: DateOnly | null;
  version: Generated<number>;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

/** A request for advice and information for a review meeting (reg 20(4)), addressed to one advice giver. */
export interface EhcReviewAdviceRequestTable {
  id: Generated<string>;
  authority_id: string;
  review_id: string;
  person_id: string;
  giver_user_id: string;
  requested_by: string | null;
  question: string;
  requested_date: DateOnly;
  due_date: DateOnly;
  status: Generated<'requested' | 'received' | 'cancelled'>;
  answer: string | null;
  answered_date: DateOnly | null;
  version: Generated<number>;
  created_at: Generated<Date>;
}

export interface EhcReviewTables {
  ehc_reviews: EhcReviewTable;
  ehc_review_advice_requests: EhcReviewAdviceRequestTable;
}
