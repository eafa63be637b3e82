// The SEN2 code lists Handover writes, as data. CeaseReason, SENtype and SENsetting are the DfE's (kept in
// src/domain/ehc-plan.ts, where the plan pages use them). The letter codes below were not found in public material
// (domain-notes §3): they are Handover's own until the DfE guide for the year is checked, and each is one line to
// change here.
import type { EhcpAssessmentTable } from '../../db/schema.ts';

/** RequestSource: who asked for the needs assessment (ehcp_assessments.requested_by). */
export const REQUEST_SOURCE: Record<EhcpAssessmentTable['requested_by'], string> = {
  parent: 'PA',
  young_person: 'YP',
  school: 'ED',
  other: 'OT',
};

/** RequestOutcome: the decision whether to assess. */
export const REQUEST_OUTCOME = { assess: 'A', not_assess: 'N' } as const;

/** AssessmentOutcome: a plan issued, or a decision not to issue one ("S", a plan after another LA's assessment,
 *  is not written: Handover's assessments are its own council's). */
export const ASSESSMENT_OUTCOME = { issued: 'Y', not_issued: 'N' } as const;

/** ReviewOutcome: the annual review's decision (maintain / amend / cease). */
export const REVIEW_OUTCOME = { maintain: 'M', amend: 'A', cease: 'C' } as const;

/** Sex from the record's free-text gender: M, F, or U where it says neither. */
export function sexCode(gender: string | null): 'M' | 'F' | 'U' {
  const g = (gender ?? '').trim().toLowerCase();
  if (['m', 'male', 'boy', 'man'].includes(g)) return 'M';
  if (['f', 'female', 'girl', 'woman'].includes(g)) return 'F';
  return 'U';
}

/** The modules of the return, in order, as COLLECT names them (and each CSV is named). */
export const MODULES = [
  'Person',
  'Requests',
  'Assessment',
  'NamedPlan',
  'PlanDetail',
  'ActivePlans',
  'PlacementDetail',
  'SENneed',
] as const;
export type Sen2Module = (typeof MODULES)[number];
