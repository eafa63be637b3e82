// The radar's lists (issue 14 part 1, mission.md §F–G): each says the rule it applies and where the rule comes from,
// as the clocks do. The facts the record does not hold are listed too, so the page says so instead of guessing.

export const LIST_KEYS = ['turning18', 'pfa', 'review_overdue', 'phase_transfer', 'age25', 'post18_owner'] as const;
export type ListKey = (typeof LIST_KEYS)[number];

export interface ListRule {
  key: ListKey;
  title: string;
  /** The rule, in words, as the list applies it. */
  rule: string;
  source: string;
  /** What the date column of a row means. */
  dateLabel: string;
}

export const LISTS: Record<ListKey, ListRule> = {
  turning18: {
    key: 'turning18',
    title: 'Turning 18 without an agreed adult pathway or with provision not in place',
    rule: 'Aged 16 or 17, known to a service now (an open involvement), turning 18 within the months chosen, and either no person-led plan, a plan whose pathway is not understood and agreed, or a plan whose provision is not in place by 18.',
    source:
      'Devon County Council, Transitions protocol for professionals (modified 21 March 2025): the outcomes “pathway understood and agreed” and “provision in place by 18”',
    dateLabel: '18th birthday',
  },
  pfa: {
    key: 'pfa',
    title: 'Year 9 and over with an EHC plan whose reviews lack preparing for adulthood',
    rule: 'A final EHC plan, the young person in Year 9 or above, and no review meeting held since 1 September of their Year 9 recording preparing for adulthood (employment, independent living, community participation and health).',
    source:
      'SEND Regulations 2014 reg 6(1) (advice from Year 9 includes preparing for adulthood) and reg 20(6) (reviews from Year 9 consider it)',
    dateLabel: 'Last review held',
  },
  review_overdue: {
    key: 'review_overdue',
    title: 'EHC plans past their annual review date',
    rule: 'A final EHC plan whose review due date (12 months after the plan was made or last reviewed, or earlier in a phase-transfer year) is before today.',
    source: 'Children and Families Act 2014 s.44(1): reviewed at least every 12 months',
    dateLabel: 'Review was due',
  },
  phase_transfer: {
    key: 'phase_transfer',
    title: 'Phase-transfer plans not yet reviewed and amended',
    rule: 'A final EHC plan of a child in this year’s phase-transfer cohort (Reception, Year 6 to 7, Year 11 to post-16) with neither a review decided to maintain or cease it nor the plan issued again since 1 September before the deadline.',
    source: 'SEND Regulations 2014 reg 18: reviewed and amended by 15 February (31 March from secondary to post-16)',
    dateLabel: 'Deadline',
  },
  age25: {
    key: 'age25',
    title: 'EHC plans ending at the end of the academic year of the 25th birthday, within 12 months',
    rule: 'A final EHC plan of a young person whose plan ends by law on 31 July of the academic year in which they turn 25, on or before 12 months from today.',
    source:
      'Children and Families Act 2014 s.46; SEND Regulations 2014 reg 46(1)(a) (the academic year ends on 31 July)',
    dateLabel: 'Plan ends',
  },
  post18_owner: {
    key: 'post18_owner',
    title: 'Exploitation cohort without a post-18 owner',
    rule: 'A joint transition plan still open (a young person at medium risk of exploitation or above) with no post-18 owner named and no recorded decision to end without one; the owner is due by 17½.',
    source:
      'Wiltshire transitional safeguarding: the exploitation-transition protocol (a named owner before and after 18; escalates without one by 17½)',
    dateLabel: 'Owner due by',
  },
};

/** Lists the issue asks for that the record cannot yet answer: shown on the page, never guessed. */
export const NOT_HELD = [
  {
    title: 'Care leavers aged 18 to 25 without a personal adviser',
    why: 'The record holds care leaver status, but not who a care leaver’s personal adviser is (Children Act 1989 s.23C(3)), so this list cannot be built without guessing from job titles.',
  },
  {
    title: 'Likely to need care and support after 18 without a Care Act transition assessment started',
    why: 'The record holds no flag for “likely to need care and support after 18” and no Care Act 2014 s.58 transition assessment outside the exploitation cohort’s joint plans, so this list cannot be built yet.',
  },
] as const;
