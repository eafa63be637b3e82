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

/**
 * UPNunknown: why a young person's UPN is not known (common basic data set item N00135, shared with the CIN census).
 * Written in the Person module only when the record holds no UPN. The codes and words below are from memory of the
 * DfE's SEN2 guide, not confirmed from a public source when this was written (the CLA list UN1-UN5 is confirmed and
 * has the same meaning for UN1-UN3 and UN5): check them against the year's SEN2 guide, "UPNunknown", and change
 * them here (the people pages and API offer exactly this list).
 */
export const UPN_UNKNOWN = {
  UN1: 'Child is aged under 6 years old and is not yet attending school',
  UN2: 'Child has never attended a state-funded school in England',
  UN3: 'Child is educated outside England or at home',
  UN5: 'Sources collating UPNs show a difference in the name or date of birth, so the UPN cannot be matched',
  UN8: 'New to the local authority and the UPN is not yet known',
  UN9: 'Young person has never attended a state-funded school in England (for example, post-16 from abroad)',
  UN10: 'The request for assessment ended with no further action before the UPN was known',
} as const;
export type UpnUnknown = keyof typeof UPN_UNKNOWN;
export const UPN_UNKNOWN_CODES = Object.keys(UPN_UNKNOWN) as UpnUnknown[];

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
