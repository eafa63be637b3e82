// The validation report: every record in the return that COLLECT would refuse or query, each with the page where it
// is put right. (A UPN held twice cannot happen: people_upn_idx keeps a UPN unique in a council.) Case references only (the report is shown on a page and printed by the CLI).
import type { NamedPlan, Person, Sen2Return } from './build.ts';

export interface Problem {
  /** The young person the problem names (never shown: their reads are logged by it). */
  personId: string;
  caseNumber: string;
  module: string;
  item: string;
  message: string;
  /** The page where it is fixed. */
  href: string;
}

/** The record's edit page, at its UPN field (the reason why it is not known is the next field). */
const personHref = (p: Person) => `/people/${p.personId}/edit#upn`;
const requestHref = (p: Person, assessmentId: string) => `/people/${p.personId}/ehcp/${assessmentId}`;
const planHref = (planId: string) => `/ehc-plans/${planId}`;

function planProblems(p: Person, plan: NamedPlan, out: Problem[]) {
  const at = (item: string, message: string, href = planHref(plan.planId)) =>
    out.push({ personId: p.personId, caseNumber: p.caseNumber, module: 'NamedPlan', item, message, href });
  if (!plan.startDate) at('StartDate', 'The plan has no date it was first issued');
  if (plan.ceaseDate && !plan.ceaseReason)
    at('CeaseReason', 'The plan ceased without a reason', `/ehc-plans/${plan.planId}/changes`);
  if (!plan.detail.length)
    at('PlanDetail', 'The plan names no setting (section I): add the school, its URN or an SEN2 setting code');
}

export function validateReturn(r: Sen2Return): Problem[] {
  const out: Problem[] = [];
  for (const p of r.persons) {
    const push = (module: string, item: string, message: string, href: string) =>
      out.push({ personId: p.personId, caseNumber: p.caseNumber, module, item, message, href });
    if (!p.upn && !p.upnUnknown)
      push('Person', 'UPN', 'No unique pupil number (UPN) and no reason why it is not known', personHref(p));
    const received = new Map<string, number>();
    for (const q of p.requests) {
      received.set(q.receivedDate, (received.get(q.receivedDate) ?? 0) + 1);
      if (q.requestOutcome && !q.requestOutcomeDate)
        push(
          'Requests',
          'RequestOutcomeDate',
          'The decision whether to assess has no date',
          requestHref(p, q.assessmentId),
        );
      const a = q.assessment;
      if (a?.outcome && !a.outcomeDate)
        push(
          'Assessment',
          'AssessmentOutcomeDate',
          'The assessment outcome has no date',
          requestHref(p, q.assessmentId),
        );
      if (a?.namedPlan) planProblems(p, a.namedPlan, out);
    }
    for (const [date, n] of received)
      if (n > 1)
        for (const q of p.requests.filter((x) => x.receivedDate === date))
          push(
            'Requests',
            'ReceivedDate',
            `${n} requests received on ${date} for the same young person: one of them is a duplicate`,
            requestHref(p, q.assessmentId),
          );
    for (const o of p.otherPlans) planProblems(p, o, out);
    for (const a of p.activePlans) {
      if (!a.placements.length)
        push('PlacementDetail', 'SENsetting', 'The active plan names no setting (section I)', planHref(a.planId));
      if (!a.needs.length)
        push('SENneed', 'SENtype', 'The active plan ranks no special educational needs', planHref(a.planId));
    }
  }
  return out.sort((a, b) => a.caseNumber.localeCompare(b.caseNumber) || a.module.localeCompare(b.module));
}
