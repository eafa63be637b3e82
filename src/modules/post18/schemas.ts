// The joint transition plan's inputs, declared once: the pages and the API read them (one message per field, naming
// it and the fix); the API documents them with `.schema`.
import { f, type InputOf, input } from '../../http/schema-input.ts';

/** Where the post-18 owner sits (the council's teams for adults, the hub, and 18-25 prevention). */
export const SETTINGS = {
  adult_social_care: 'Adult Social Care',
  exploitation_hub: 'The Exploitation Hub',
  prevention_wellbeing: 'The Prevention and Wellbeing Team (18 to 25)',
} as const;

const keys = <T extends Record<string, string>>(o: T) => Object.keys(o) as (keyof T & string)[];
const version = f.integer('Version', 1, 2_000_000_000, {
  required: true,
  missing: 'Reload the page: the form has no version',
});

export const PlanInput = input({
  pre18_owner_id: f.id('Owner before 18', {
    required: true,
    missing: 'Choose who holds the plan before 18',
    invalid: 'Choose who holds the plan before 18 from the list',
  }),
  at_eighteen: f.text('What will happen at 18', 4000, {
    required: true,
    missing: 'Enter what will happen at 18: who the young person will see, where, and what support carries on',
  }),
  views: f.text('The young person’s views', 4000, {
    required: true,
    missing: 'Enter the young person’s views about turning 18, in their words where you can',
  }),
  version,
});
export type PlanInput = InputOf<typeof PlanInput>;

export const OwnerInput = input({
  post18_setting: f.choice('Where the post-18 owner sits', keys(SETTINGS), {
    required: true,
    missing: 'Choose where the post-18 owner sits: Adult Social Care, the Exploitation Hub or Prevention and Wellbeing',
    invalid: 'Choose where the post-18 owner sits: Adult Social Care, the Exploitation Hub or Prevention and Wellbeing',
  }),
  post18_owner_id: f.id('Post-18 owner', {
    required: true,
    missing: 'Choose who will hold the case after 18',
    invalid: 'Choose who will hold the case after 18 from the list',
  }),
  version,
});
export type OwnerInput = InputOf<typeof OwnerInput>;

const yes = (label: string, missing: string) => f.yesno(label, { required: true, missing });
const evidence = (label: string, missing: string) => f.text(label, 4000, { required: true, missing });

/** The Care Act 2014 eligibility test (Care and Support (Eligibility Criteria) Regulations 2015), in three parts. */
export const CareActInput = input({
  impairment: yes(
    'Needs arise from a physical or mental impairment or illness',
    'Choose yes or no: do the needs arise from a physical or mental impairment or illness',
  ),
  impairment_evidence: evidence(
    'Evidence for the first part',
    'Enter the evidence for the first part: the impairment or illness, or why there is none',
  ),
  outcomes_unable: yes(
    'Unable to achieve two or more of the specified outcomes',
    'Choose yes or no: as a result, is the young person unable to achieve two or more of the specified outcomes',
  ),
  outcomes_evidence: evidence(
    'Evidence for the second part',
    'Enter the evidence for the second part: which outcomes, and why they cannot be achieved',
  ),
  wellbeing_impact: yes(
    'Significant impact on wellbeing',
    'Choose yes or no: as a consequence, is there a significant impact on wellbeing',
  ),
  wellbeing_evidence: evidence(
    'Evidence for the third part',
    'Enter the evidence for the third part: the impact on wellbeing',
  ),
  care_act_conclusion: f.text('Conclusion', 4000, {
    required: true,
    missing: 'Enter the conclusion: eligible for care and support or not, and what follows',
  }),
  version,
});
export type CareActInput = InputOf<typeof CareActInput>;

export const DecisionInput = input({
  no_owner_decision: f.text('Why the children’s involvement can end with no post-18 owner', 4000, {
    required: true,
    missing: 'Enter why the children’s involvement can end before anyone holds the case after 18',
  }),
  version,
});
export type DecisionInput = InputOf<typeof DecisionInput>;

/** Whether the three parts are all met (the conclusion is the worker's; this is what the answers say). */
export const meetsAllThree = (v: {
  impairment: boolean | null;
  outcomes_unable: boolean | null;
  wellbeing_impact: boolean | null;
}) => v.impairment === true && v.outcomes_unable === true && v.wellbeing_impact === true;
