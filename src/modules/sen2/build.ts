// The person-level SEN2 return of one council for one collection year, built from the record: each young person
// with their requests (module 2), the assessment under each (3), the plan it named and the setting (4a, 4b), and the
// plan active on the census date with its last review, placement and needs (5a-5c). Items the record does not hold
// are null (docs/decisions.md lists them). The 20-week figures use the EHCP module's own clocks (assessmentClocks).
import type { Executor } from '../../db/database.ts';
import { assessmentClocks } from '../ehcp/clocks.ts';
import type { CollectionYear } from './census.ts';
import { ASSESSMENT_OUTCOME, REQUEST_OUTCOME, REQUEST_SOURCE, REVIEW_OUTCOME, sexCode } from './codes.ts';
import * as repo from './repository.ts';

export interface PlanDetail {
  urn: string | null;
  ukprn: null;
  senSetting: string | null;
  senSettingOther: null;
  placementRank: number;
  senUnitIndicator: null;
  resourcedProvisionIndicator: null;
  /** The setting's name, for the page (not an SEN2 item). */
  name: string | null;
}
export interface NamedPlan {
  planId: string;
  startDate: string | null;
  planRes: null;
  planWBP: null;
  pb: null;
  oa: null;
  dp: null;
  ceaseDate: string | null;
  ceaseReason: number | null;
  detail: PlanDetail[];
}
export interface Assessment {
  outcome: string | null;
  outcomeDate: string | null;
  mediation: null;
  tribunal: null;
  /** 20-week exceptions apply: exceptions recorded on the assessment (reg 10(4), reg 13(3)). */
  week20: boolean;
  namedPlan: NamedPlan | null;
}
export interface Request {
  assessmentId: string;
  receivedDate: string;
  requestSource: string;
  rya: null;
  requestOutcomeDate: string | null;
  requestOutcome: string | null;
  requestMediation: null;
  requestTribunal: null;
  exported: null;
  assessment: Assessment | null;
}
export interface ActivePlan {
  planId: string;
  transferLA: string | null;
  reviewMeeting: string | null;
  reviewOutcome: string | null;
  reviewDraft: string | null;
  phaseTransferDueDate: string | null;
  phaseTransferFinalDate: null;
  lastReview: string | null;
  placements: (PlanDetail & { entryDate: null; leavingDate: null; attendancePattern: null })[];
  needs: { senType: string; senTypeRank: number }[];
}
export interface Person {
  personId: string;
  caseNumber: string;
  surname: string;
  forename: string;
  birthDate: string;
  sex: 'M' | 'F' | 'U';
  ethnicity: null;
  postcode: string | null;
  upn: string | null;
  uln: null;
  /** Why the UPN is not known (a UPNunknown code), written only when there is no UPN. */
  upnUnknown: string | null;
  requests: Request[];
  activePlans: ActivePlan[];
  /** Plans in the return that no request of the year names (transferred in, or made before the year). */
  otherPlans: NamedPlan[];
}
export interface Timeliness {
  /** Plans issued in the collection year after a needs assessment. */
  issued: number;
  within20: number;
  /** The same, leaving out assessments with exceptions recorded. */
  issuedExcludingExceptions: number;
  within20ExcludingExceptions: number;
}
export interface Sen2Return {
  header: {
    collection: 'SEN2';
    year: number;
    referenceDate: string;
    sourceLevel: 'L';
    lea: string;
    softwareCode: 'Handover';
    release: string;
    serialNo: number;
    dateTime: string;
  };
  authorityId: string;
  collectionYear: CollectionYear;
  persons: Person[];
  timeliness: Timeliness;
}

const inYear = (d: string | null, y: CollectionYear) => d !== null && d >= y.from && d <= y.to;

function detailOf(v: repo.VersionRow | undefined): PlanDetail[] {
  if (!v || (!v.setting_urn && !v.sen_setting && !v.setting_name)) return [];
  return [
    {
      urn: v.setting_urn,
      ukprn: null,
      senSetting: v.setting_urn ? null : v.sen_setting,
      senSettingOther: null,
      placementRank: 1,
      senUnitIndicator: null,
      resourcedProvisionIndicator: null,
      name: v.setting_name,
    },
  ];
}

function namedPlan(p: repo.PlanRow, v: repo.VersionRow | undefined, y: CollectionYear): NamedPlan {
  const ceased = p.ceased_date !== null && p.ceased_date <= y.census;
  return {
    planId: p.id,
    startDate: p.first_issued_date,
    planRes: null,
    planWBP: null,
    pb: null,
    oa: null,
    dp: null,
    ceaseDate: ceased ? p.ceased_date : null,
    ceaseReason: ceased ? p.cease_reason : null,
    detail: detailOf(v),
  };
}

function activePlan(p: repo.PlanRow, v: repo.VersionRow | undefined, reviews: repo.ReviewRow[]): ActivePlan {
  const held = reviews.filter((r) => r.meeting_held_date !== null);
  const last = held.sort((a, b) => (b.meeting_held_date as string).localeCompare(a.meeting_held_date as string))[0];
  const transfer = reviews.find((r) => r.transfer_deadline !== null && r.status === 'open') ?? null;
  return {
    planId: p.id,
    transferLA: p.transfer_date ? p.transferred_from_code : null,
    reviewMeeting: last?.meeting_held_date ?? null,
    reviewOutcome: last?.decision ? REVIEW_OUTCOME[last.decision] : null,
    reviewDraft: last?.report_sent_date ?? null,
    phaseTransferDueDate: transfer?.transfer_deadline ?? null,
    phaseTransferFinalDate: null,
    lastReview: p.last_review_date ?? last?.meeting_held_date ?? null,
    placements: detailOf(v).map((d) => ({ ...d, entryDate: null, leavingDate: null, attendancePattern: null })),
    needs: (v?.sen_needs ?? []).map((senType, i) => ({ senType, senTypeRank: i + 1 })),
  };
}

function personOf(p: repo.PersonRow): Person {
  return {
    personId: p.id,
    caseNumber: p.case_number,
    surname: p.family_name,
    forename: p.given_name,
    birthDate: p.date_of_birth,
    sex: sexCode(p.gender),
    ethnicity: null,
    postcode: p.postcode,
    upn: p.upn,
    uln: null,
    upnUnknown: p.upn ? null : p.upn_unknown,
    requests: [],
    activePlans: [],
    otherPlans: [],
  };
}

/** Counts a plan issued in the year against its 20-week date, as the EHCP module's clocks read it. */
function countTimeliness(t: Timeliness, r: repo.RequestRow, clocks: ReturnType<typeof assessmentClocks>) {
  const within = (r.final_issued_date as string) <= clocks.statutoryFinal;
  t.issued++;
  if (within) t.within20++;
  if (clocks.exceptionDays === 0) {
    t.issuedExcludingExceptions++;
    if (within) t.within20ExcludingExceptions++;
  }
}

interface Loaded {
  exceptions: Awaited<ReturnType<typeof repo.exceptionsOf>>;
  plans: repo.PlanRow[];
  latest: Map<string, repo.VersionRow>;
  reviews: repo.ReviewRow[];
}

/** One request (module 2) with its assessment (3) and the plan it named (4a, 4b); `named` collects the plans. */
function requestOf(r: repo.RequestRow, l: Loaded, y: CollectionYear, t: Timeliness, named: Set<string>): Request {
  const clocks = assessmentClocks(
    r,
    l.exceptions.filter((e) => e.assessment_id === r.id),
    [],
    y.to,
  );
  let assessment: Assessment | null = null;
  if (r.decision_to_assess === 'assess') {
    const plan = l.plans.find((p) => p.assessment_id === r.id && p.first_issued_date !== null);
    if (plan) named.add(plan.id);
    assessment = {
      outcome: r.final_issued_date
        ? ASSESSMENT_OUTCOME.issued
        : r.not_issue_date
          ? ASSESSMENT_OUTCOME.not_issued
          : null,
      outcomeDate: r.final_issued_date ?? r.not_issue_date,
      mediation: null,
      tribunal: null,
      week20: clocks.exceptionDays > 0,
      namedPlan: plan ? namedPlan(plan, l.latest.get(plan.id), y) : null,
    };
    if (inYear(r.final_issued_date, y)) countTimeliness(t, r, clocks);
  }
  return {
    assessmentId: r.id,
    receivedDate: r.request_date,
    requestSource: REQUEST_SOURCE[r.requested_by],
    rya: null,
    requestOutcomeDate: r.decision_date,
    requestOutcome: r.decision_to_assess ? REQUEST_OUTCOME[r.decision_to_assess] : null,
    requestMediation: null,
    requestTribunal: null,
    exported: null,
    assessment,
  };
}

const activeOn = (p: repo.PlanRow, census: string) => {
  const started = p.first_issued_date ?? p.transfer_date;
  return (
    (p.status === 'final' || p.status === 'ceased') &&
    started !== null &&
    started <= census &&
    (p.ceased_date === null || p.ceased_date > census)
  );
};

export async function buildReturn(
  db: Executor,
  authorityId: string,
  y: CollectionYear,
  o: { release: string; at: Date },
): Promise<Sen2Return> {
  const authority = await repo.authorityOf(db, authorityId);
  const requests = await repo.requestsOfYear(db, authorityId, y);
  const ids = requests.map((r) => r.id);
  const [exceptions, plans] = await Promise.all([
    repo.exceptionsOf(db, ids),
    repo.plansOfYear(db, authorityId, y, ids),
  ]);
  const planIds = plans.map((p) => p.id);
  const [versions, reviews] = await Promise.all([
    repo.finalVersionsOf(db, planIds, y.census),
    repo.reviewsOf(db, planIds, y.census),
  ]);
  const latest = new Map<string, repo.VersionRow>();
  for (const v of versions) if (!latest.has(v.plan_id)) latest.set(v.plan_id, v);
  const loaded: Loaded = { exceptions, plans, latest, reviews };
  const personIds = [...new Set([...requests.map((r) => r.person_id), ...plans.map((p) => p.person_id)])];
  const byPerson = new Map((await repo.peopleOf(db, authorityId, personIds)).map((p) => [p.id, personOf(p)]));

  const timeliness: Timeliness = {
    issued: 0,
    within20: 0,
    issuedExcludingExceptions: 0,
    within20ExcludingExceptions: 0,
  };
  const named = new Set<string>();
  for (const r of requests) byPerson.get(r.person_id)?.requests.push(requestOf(r, loaded, y, timeliness, named));
  for (const p of plans) {
    const person = byPerson.get(p.person_id);
    if (!person) continue;
    if (activeOn(p, y.census))
      person.activePlans.push(
        activePlan(
          p,
          latest.get(p.id),
          reviews.filter((r) => r.plan_id === p.id),
        ),
      );
    else if (!named.has(p.id) && p.first_issued_date !== null)
      person.otherPlans.push(namedPlan(p, latest.get(p.id), y));
  }
  return {
    header: {
      collection: 'SEN2',
      year: y.year,
      referenceDate: y.census,
      sourceLevel: 'L',
      lea: authority.code,
      softwareCode: 'Handover',
      release: o.release,
      serialNo: 1,
      dateTime: o.at.toISOString().slice(0, 19),
    },
    authorityId,
    collectionYear: y,
    persons: [...byPerson.values()].filter((p) => p.requests.length || p.activePlans.length || p.otherPlans.length),
    timeliness,
  };
}
