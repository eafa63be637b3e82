// The EHC plan's statutory sections and the SEN2 code lists the plan's life records (pure: no I/O). Sections are
// those of the SEND Regulations 2014 reg 12 and the SEND Code of Practice 2015 para 9.62; the codes are the DfE SEN2
// return's (../shared/docs/domain-notes.md §3), kept as data so that a new collection year's list is one edit.

export const PLAN_SECTION_KEYS = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h1', 'h2', 'i', 'j', 'k'] as const;
export type PlanSectionKey = (typeof PLAN_SECTION_KEYS)[number];
/** The plan's text by section; a section not yet written is absent. */
export type PlanSections = Partial<Record<PlanSectionKey, string>>;

export interface PlanSection {
  key: PlanSectionKey;
  /** As printed on the plan: "A", "H1"… */
  letter: string;
  title: string;
}

export const PLAN_SECTIONS: readonly PlanSection[] = [
  {
    key: 'a',
    letter: 'A',
    title: 'The views, interests and aspirations of the child or young person and their parents',
  },
  { key: 'b', letter: 'B', title: 'Special educational needs' },
  { key: 'c', letter: 'C', title: 'Health needs related to their special educational needs or disability' },
  { key: 'd', letter: 'D', title: 'Social care needs related to their special educational needs or disability' },
  { key: 'e', letter: 'E', title: 'Outcomes sought, including for adult life from Year 9' },
  { key: 'f', letter: 'F', title: 'Special educational provision' },
  { key: 'g', letter: 'G', title: 'Health provision' },
  {
    key: 'h1',
    letter: 'H1',
    title: 'Social care provision under section 2 of the Chronically Sick and Disabled Persons Act 1970',
  },
  { key: 'h2', letter: 'H2', title: 'Other social care provision' },
  { key: 'i', letter: 'I', title: 'Placement: the school or other institution, and its type' },
  { key: 'j', letter: 'J', title: 'Personal budget' },
  { key: 'k', letter: 'K', title: 'Advice and information received during the assessment' },
];

export function planSection(key: PlanSectionKey): PlanSection {
  const s = PLAN_SECTIONS.find((x) => x.key === key);
  if (!s) throw new Error(`No plan section ${key}`);
  return s;
}

/** SEN2 CeaseReason: why a plan ended. */
export const CEASE_REASONS: ReadonlyArray<{ code: number; label: string }> = [
  { code: 1, label: 'Reached the maximum age (the end of the academic year in which they turned 25)' },
  { code: 2, label: 'Needs met without an EHC plan' },
  { code: 3, label: 'Moved on to higher education' },
  { code: 4, label: 'Moved on to paid employment, excluding apprenticeships' },
  { code: 5, label: 'Transferred to another local authority in England' },
  { code: 6, label: 'Young person no longer wishes to engage in education or training' },
  { code: 7, label: 'Moved outside England' },
  { code: 8, label: 'Deceased' },
  { code: 9, label: 'Other' },
];

/** SEN2 SENtype: the kinds of special educational need, ranked on a plan (5c SENneed). */
export const SEN_TYPES: ReadonlyArray<{ code: string; label: string }> = [
  { code: 'SPLD', label: 'Specific learning difficulty' },
  { code: 'MLD', label: 'Moderate learning difficulty' },
  { code: 'SLD', label: 'Severe learning difficulty' },
  { code: 'PMLD', label: 'Profound and multiple learning difficulty' },
  { code: 'SEMH', label: 'Social, emotional and mental health' },
  { code: 'SLCN', label: 'Speech, language and communication needs' },
  { code: 'HI', label: 'Hearing impairment' },
  { code: 'VI', label: 'Vision impairment' },
  { code: 'MSI', label: 'Multi-sensory impairment' },
  { code: 'PD', label: 'Physical disability' },
  { code: 'ASD', label: 'Autistic spectrum disorder' },
  { code: 'DS', label: 'Down syndrome' },
  { code: 'OTH', label: 'Other difficulty or disability' },
];

/** SEN2 SENsetting: where a young person is placed when the setting has no URN or UKPRN. */
export const SEN_SETTINGS: ReadonlyArray<{ code: string; label: string }> = [
  { code: 'OLA', label: 'Other arrangements made by the local authority' },
  { code: 'OPA', label: 'Other arrangements made by parents' },
  { code: 'EHE', label: 'Elective home education' },
  { code: 'EYP', label: 'Early years provider without a URN' },
  { code: 'OTH', label: 'Other' },
  { code: 'NEET', label: 'Not in education, employment or training' },
  { code: 'NIEC', label: 'Not in education: awaiting a placement (child)' },
  { code: 'NIEO', label: 'Not in education: other' },
];
