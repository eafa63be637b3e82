// How a draft EHC plan is first filled in from the advice the assessment gathered (pure: no I/O). Each kind of
// advice fills the sections it speaks to (docs: decisions, "Drafting the plan from the advice"): educational
// psychology and the education setting → B (needs) and F (provision); health → C and G; social care → D and H2
// (H1, the CSDPA 1970 s.2 provision, is the social care team's own decision, so it starts empty); the parent's or
// young person's own contribution → A; preparing for adulthood → E (outcomes, from Year 9). Section K is the list
// of every piece of advice received (who, what kind, the day it came), kept by Handover, never typed.
import { PLAN_SECTIONS, type PlanSectionKey, type PlanSections } from '../../domain/ehc-plan.ts';
import { ADVICE_KINDS } from '../ehcp/labels.ts';

export const ADVICE_SECTIONS: Record<string, readonly PlanSectionKey[]> = {
  educational_psychology: ['b', 'f'],
  education_setting: ['b', 'f'],
  health: ['c', 'g'],
  social_care: ['d', 'h2'],
  parent_young_person: ['a'],
  preparing_for_adulthood: ['e'],
  other: [],
};

export interface AdviceForPlan {
  kind: string;
  received_date: string | null;
  giver_name: string;
  service_name: string | null;
  body: string | null;
}

const kindLabel = (kind: string) => ADVICE_KINDS[kind] ?? kind;

/** Section K: one line per piece of advice received, oldest first. */
export function sectionK(advice: readonly AdviceForPlan[]): string {
  if (!advice.length) return 'No advice has been received yet.';
  return advice
    .map(
      (a) =>
        `${kindLabel(a.kind)} advice from ${a.giver_name}${a.service_name ? ` (${a.service_name})` : ''}, received ${a.received_date ?? 'date not recorded'}`,
    )
    .join('\n');
}

/** The draft's first text: each section from the advice that speaks to it, and section K. */
export function prefill(advice: readonly AdviceForPlan[]): PlanSections {
  const out: PlanSections = {};
  for (const a of advice) {
    if (!a.body) continue;
    for (const key of ADVICE_SECTIONS[a.kind] ?? []) {
      const para = `From the ${kindLabel(a.kind).toLowerCase()} advice (${a.giver_name}, received ${a.received_date ?? 'date not recorded'}):\n${a.body.trim()}`;
      out[key] = out[key] ? `${out[key]}\n\n${para}` : para;
    }
  }
  out.k = sectionK(advice);
  return out;
}

/** The plan as one text, section by section (the assessment's record of the draft served). */
export function planText(sections: PlanSections): string {
  return PLAN_SECTIONS.map((s) => `Section ${s.letter}: ${s.title}\n${sections[s.key]?.trim() || 'Not written.'}`).join(
    '\n\n',
  );
}
