// The EHCP module's shared words: the labels of advice kinds,
// requesters and reg 10(4) exceptions, case references for messages, and where an assessment has got to.
export const FOLLOW_UP_SUBJECT = 'URGENT STATUTORY ADVICE CLARIFICATION REQUIRED';

const adviceKinds = {
  educational_psychology: 'Educational psychology',
  health: 'Health',
  social_care: 'Social care',
  education_setting: 'The education setting',
  parent_young_person: 'The parent or young person',
  preparing_for_adulthood: 'Preparing for adulthood (Year 9 and above)',
  other: 'Other',
} as const;
const requesters = {
  parent: 'A parent',
  young_person: 'The young person',
  school: 'The school or setting',
  other: 'Someone else',
} as const;
const exceptionTypes = {
  school_closure: 'The school or setting was closed for 4 weeks or more (reg 10(4)(a))',
  personal_circumstances: 'Exceptional personal circumstances of the child, parent or young person (reg 10(4)(b))',
  absent_from_area: 'The child, parent or young person was away from the area for 4 weeks or more (reg 10(4)(c))',
} as const;

/** The words for each value, looked up by whatever a row holds. */
export const ADVICE_KINDS: Record<string, string> = adviceKinds;
export const REQUESTERS: Record<string, string> = requesters;
export const EXCEPTION_TYPES: Record<string, string> = exceptionTypes;
/** The values an input may choose (schemas.ts). */
export const ADVICE_KIND_VALUES = Object.keys(adviceKinds) as (keyof typeof adviceKinds)[];
export const REQUESTER_VALUES = Object.keys(requesters) as (keyof typeof requesters)[];
export const EXCEPTION_TYPE_VALUES = Object.keys(exceptionTypes) as (keyof typeof exceptionTypes)[];

/** A reference for messages: the case number and the request, never the child's name (quality.md S14). */
export const adviceRef = (caseNumber: string, requestId: string) => `${caseNumber}/advice-${requestId.slice(0, 8)}`;
export const assessmentRef = (caseNumber: string, assessmentId: string) =>
  `${caseNumber}/EHC-${assessmentId.slice(0, 8)}`;

/** Removes a child's names from free text written by staff before it goes into an email (quality.md S14). */
export function redactNames(textIn: string, names: (string | null | undefined)[]): string {
  let out = textIn;
  for (const n of names) {
    if (!n || n.trim().length < 2) continue;
    const escaped = n.trim().replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    out = out.replace(new RegExp(`\\b${escaped}\\b`, 'gi'), '[name removed]');
  }
  return out;
}

/** Where an assessment has got to, for lists and the task list. */
export function stageOf(a: {
  decision_to_assess: string | null;
  draft_served_date: string | null;
  final_issued_date: string | null;
  not_issue_date: string | null;
}) {
  if (a.final_issued_date) return 'Final plan issued';
  if (a.not_issue_date) return 'Decided not to issue a plan';
  if (a.decision_to_assess === 'not_assess') return 'Decided not to assess';
  if (a.draft_served_date) return 'Draft plan served';
  if (a.decision_to_assess === 'assess') return 'Gathering advice';
  return 'Deciding whether to assess';
}
