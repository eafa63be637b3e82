// The demo council's EHC plans (issue 20 part 8): about 200 young people with a plan at every point of its life
// before the reviews' and plan changes' demos take over — drafts being written from the advice, drafts served and
// waiting for representations (some with representations made and a setting consulted), and finals issued over
// the last two years, among them the Year 6 and Year 11 children who change phase next year and a few young people
// in the academic year they turn 25. Every plan goes the statutory way through the services: the needs assessment
// requested, decided, advice asked and given, the plan drafted from that advice, needs ranked and section I named,
// the draft served, the final issued — each on the demo clock moved to the day it happened, so every protocol
// instance, clock, projection, timeline line and audit row is the one the services write.
import type { Db, Tx } from '../../db/database.ts';
import { ageOn } from '../../domain/age.ts';
import { addDays } from '../../domain/calendar.ts';
import { upnCheckLetter } from '../../domain/identifiers.ts';
import { cohortBirthDates, phaseTransferDeadline, type TransferPhase } from '../../domain/phase-transfer.ts';
import type { Body } from '../../http/forms.ts';
import type { ReadContext } from '../../http/schema-input.ts';
import type { AuthUser } from '../../http/types.ts';
import { authUserById } from '../auth/service.ts';
import { AdviceInput, AdviceRequestInput, AssessmentRequestInput, DecisionInput } from '../ehcp/schemas.ts';
import type { EhcpService } from '../ehcp/service.ts';
import { type DemoDayClock, type DemoOrganisation, demoRecordCreated } from '../kit/demo.ts';
import { FAMILY, fakeDob, fakeNhsNumber, GIVEN, int, pick, type Rng, rng, SCHOOLS, STREETS } from '../kit/fake.ts';
import {
  ConsultationInput,
  DraftPlanInput,
  FinalInput,
  NeedsInput,
  PlacementInput,
  RepresentationInput,
  ServeInput,
} from './schemas.ts';
import type { EhcPlansService } from './service.ts';

/** Where a demo plan is left: being drafted, served and waiting, or final (issued `issuedAgo` days ago). */
type Stage = { kind: 'drafting' } | { kind: 'served'; servedAgo: number; reps: boolean; consult: boolean } | Final;
type Final = { kind: 'final'; issuedAgo: number };

interface DemoPlanCase {
  dob: string;
  stage: Stage;
}

/** How many plans of each kind the demo makes: 200 in all. */
export const DEMO_PLAN_COUNTS = {
  drafting: 6,
  served: 8,
  secondaryCohort: 16,
  post16Cohort: 12,
  turning25: 2,
  finals: 156,
} as const;

/** The needs profiles the demo's advice is written from: SEN2 needs ranked, and the advice's words. */
const PROFILES = [
  {
    needs: ['SLCN', 'ASD'],
    advice: 'Difficulties understanding spoken language and with social communication; anxious at transitions.',
    provision: 'Speech and language therapy programme delivered daily by a trained assistant; visual timetable.',
  },
  {
    needs: ['ASD', 'SEMH'],
    advice: 'Autistic; finds noisy, unstructured times very hard, which leads to withdrawal and missed lessons.',
    provision: 'A quiet base to go to, a key adult, and a planned, predictable day with warnings of change.',
  },
  {
    needs: ['SPLD'],
    advice: 'A specific learning difficulty: reading and spelling well below what is expected for their age.',
    provision: 'Structured, multi-sensory literacy teaching in a small group, 30 minutes daily.',
  },
  {
    needs: ['MLD', 'SLCN'],
    advice: 'Learns more slowly than peers across the curriculum; needs new vocabulary taught and repeated.',
    provision: 'Differentiated teaching with pre-teaching of vocabulary; small-group maths and English.',
  },
  {
    needs: ['SEMH'],
    advice: 'Social, emotional and mental health needs following early trauma; struggles to regulate emotions.',
    provision: 'A trauma-informed plan shared by all staff, weekly sessions with a learning mentor.',
  },
  {
    needs: ['PD', 'OTH'],
    advice: 'Cerebral palsy affecting mobility and fine motor skills; tires quickly in the afternoon.',
    provision: 'Physiotherapy programme in school, a laptop for written work, rest breaks and a hoist.',
  },
  {
    needs: ['HI'],
    advice: 'Moderate to severe hearing loss, wears hearing aids; misses speech in noisy rooms.',
    provision: 'A radio aid, visits from the teacher of the deaf each half term, seating near the teacher.',
  },
  {
    needs: ['SLD', 'PMLD'],
    advice: 'Severe learning difficulties; communicates with a few signs and objects of reference.',
    provision: 'A specialist setting with a high staff ratio, a total communication approach and personal care.',
  },
] as const;

/** Settings named in section I for each stage of education (URNs are made up). */
const SETTINGS = {
  early: [{ name: 'Little Acorns Nursery', urn: '511001' }],
  primary: [
    { name: 'Demoton Primary School', urn: '511101' },
    { name: 'St Aidan’s CofE Primary School', urn: '511102' },
    { name: 'Brookfield Special School', urn: '511103' },
  ],
  secondary: [
    { name: 'Demoton Academy', urn: '511201' },
    { name: 'Northgate School', urn: '511202' },
    { name: 'Riverside Specialist College', urn: '511203' },
  ],
  post16: [
    { name: 'Demoshire College', urn: '511301' },
    { name: 'Riverside Specialist College', urn: '511203' },
  ],
} as const;

function settingFor(r: Rng, dob: string, today: string) {
  const age = Number(today.slice(0, 4)) - Number(dob.slice(0, 4));
  if (age < 5) return pick(r, SETTINGS.early);
  if (age < 11) return pick(r, SETTINGS.primary);
  if (age < 16) return pick(r, SETTINGS.secondary);
  return pick(r, SETTINGS.post16);
}

/** A date of birth between `from` and `to` (inclusive), spread evenly by `k` of `n`. */
function bornBetween(from: string, to: string, k: number, n: number): string {
  const span = (Date.parse(to) - Date.parse(from)) / 86_400_000;
  return addDays(from, Math.floor((span * (k + 0.5)) / n));
}

/** The cohort changing phase at the next reg 18 date for `phase`. */
function nextCohort(phase: TransferPhase, today: string) {
  const y = Number(today.slice(0, 4));
  const year = phaseTransferDeadline(phase, y) >= today ? y : y + 1;
  return cohortBirthDates(phase, year);
}

/** The demo's plan cases, in a fixed order (the seeded generator makes the same demo every time). */
export function demoPlanCases(today: string, r: Rng = rng(20261207)): DemoPlanCase[] {
  const c = DEMO_PLAN_COUNTS;
  const out: DemoPlanCase[] = [];
  const school = () => fakeDob(r, today, 3, 19);
  for (let i = 0; i < c.drafting; i++) out.push({ dob: school(), stage: { kind: 'drafting' } });
  for (let i = 0; i < c.served; i++)
    out.push({
      dob: school(),
      stage: { kind: 'served', servedAgo: 2 + i * 2, reps: i % 3 === 1, consult: i === 1 },
    });
  // The cohorts changing phase next year: plans made a year or two ago, so their review is the one that must name
  // the next setting by 15 February (31 March after Year 11).
  for (const [phase, n] of [
    ['secondary', c.secondaryCohort],
    ['post16', c.post16Cohort],
  ] as const) {
    const cohort = nextCohort(phase, today);
    for (let i = 0; i < n; i++)
      out.push({
        dob: bornBetween(cohort.from, cohort.to, i, n),
        stage: { kind: 'final', issuedAgo: 200 + int(r, 0, 500) },
      });
  }
  // Young people in the academic year they turn 25: the plan-changes job raises their cessation.
  const y = Number(today.slice(0, 4)) - (Number(today.slice(5, 7)) >= 8 ? 24 : 25);
  for (let i = 0; i < c.turning25; i++)
    out.push({
      dob: bornBetween(`${y}-09-01`, `${y + 1}-08-31`, i, c.turning25),
      stage: { kind: 'final', issuedAgo: 300 + 200 * i },
    });
  // The rest: finals issued over the last two years, for children and young people of every age from 3 to 23.
  for (let i = 0; i < c.finals; i++)
    out.push({ dob: fakeDob(r, today, 3, 23), stage: { kind: 'final', issuedAgo: 15 + int(r, 0, 700) } });
  return out;
}

/** The demo's young people with no UPN and no reason: the SEN2 return's validation report lists them to fix. */
export const DEMO_NO_UPN = [0, 1, 2] as const;

/**
 * A young person's SEN2 identifiers: a UPN made from their place in the list (year part 30, which the other demos'
 * fake UPNs never use, so it stays unique in the council; no random draw, so the rest of the demo is unchanged),
 * the reason UN1 (under school age) for the under-fours, and neither for DEMO_NO_UPN.
 */
function demoUpn(i: number, age: number): { upn: string | null; upn_unknown: string | null } {
  if ((DEMO_NO_UPN as readonly number[]).includes(i)) return { upn: null, upn_unknown: null };
  if (age < 4) return { upn: null, upn_unknown: 'UN1' };
  const body = `9998800${30 + Math.floor(i / 1000)}${String(i % 1000).padStart(3, '0')}`;
  return { upn: `${upnCheckLetter(body)}${body}`, upn_unknown: null };
}

/** The demo people: a record each, a parent, the SEND statutory team with the coordinator allocated. */
async function insertPeople(
  tx: Tx,
  org: DemoOrganisation,
  coordinatorId: string,
  cases: DemoPlanCase[],
  today: string,
  r: Rng,
) {
  const ids: string[] = [];
  for (const [i, c] of cases.entries()) {
    const family = pick(r, FAMILY);
    const age = Number(today.slice(0, 4)) - Number(c.dob.slice(0, 4));
    const person = await tx
      .insertInto('people')
      .values({
        authority_id: org.authorityId,
        case_number: `HO${110001 + i}`,
        given_name: pick(r, GIVEN),
        family_name: family,
        date_of_birth: c.dob,
        gender: pick(r, ['Female', 'Male', 'Male', 'Female', 'Non-binary']),
        nhs_number: fakeNhsNumber(r),
        ...demoUpn(i, age),
        address: `${int(r, 1, 199)} ${pick(r, STREETS)}, Demoton`,
        postcode: `ZZ${int(r, 1, 99)} ${int(r, 1, 9)}${pick(r, ['AA', 'AB', 'BD', 'XY'])}`,
        school: age >= 4 && age <= 18 ? pick(r, SCHOOLS) : null,
        locality_id: pick(r, org.localityIds),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await tx
      .insertInto('person_statuses')
      .values({ authority_id: org.authorityId, person_id: person.id, status: 'ehcp', start_date: c.dob })
      .execute();
    await tx
      .insertInto('contacts')
      .values({
        authority_id: org.authorityId,
        person_id: person.id,
        name: `${pick(r, ['Kim', 'Lee', 'Chris', 'Pat', 'Robin', 'Sam'])} ${family}`,
        relationship: pick(r, ['Mother', 'Father', 'Grandparent', 'Foster carer']),
        phone: '01632 960 789',
        parental_responsibility: true,
      })
      .execute();
    await tx
      .insertInto('involvements')
      .values({
        authority_id: org.authorityId,
        person_id: person.id,
        team_id: org.teams['send-statutory'] as string,
        worker_id: coordinatorId,
        reason: 'EHC needs assessment and plan',
        start_date: '2024-09-02',
      })
      .execute();
    await demoRecordCreated(tx, org.authorityId, person.id);
    ids.push(person.id);
  }
  return ids;
}

/** What the plans demo runs with. */
export interface PlansDemoRun {
  db: Db;
  ehcp: EhcpService;
  plans: EhcPlansService;
  clock: DemoDayClock;
  org: DemoOrganisation;
  today: string;
}

/** One plan's whole story, through the services, from the request for an assessment to where `c.stage` leaves it. */
async function makePlan(
  run: PlansDemoRun,
  who: { jo: AuthUser; fiona: AuthUser },
  personId: string,
  c: DemoPlanCase,
  k: number,
  r: Rng,
) {
  const { db, ehcp, plans, clock, today } = run;
  const { jo, fiona } = who;
  // Forms are read as on the day they were sent (a date "today or in the past" is checked against that day).
  let day = today;
  const read = <V>(input: { parse(body: Body, ctx: ReadContext): V }, body: Body) => input.parse(body, { today: day });
  const st = c.stage;
  // The day the final is (or would be) issued: the assessment ran the 20 weeks before it.
  const issued =
    st.kind === 'final' ? addDays(today, -st.issuedAgo) : addDays(today, st.kind === 'served' ? 30 - st.servedAgo : 40);
  const served = st.kind === 'served' ? addDays(today, -st.servedAgo) : addDays(issued, -28);
  const requested = addDays(issued, -136);
  const decided = addDays(requested, 40);
  const adviceAsked = addDays(decided, 1);
  const adviceGiven = st.kind === 'drafting' ? addDays(today, -3 - k) : addDays(adviceAsked, 35);
  const on = (d: string) => {
    day = d;
    clock.on(d);
  };
  const profile = PROFILES[k % PROFILES.length] as (typeof PROFILES)[number];

  on(requested);
  const assessmentId = await ehcp.create(
    jo,
    personId,
    read(AssessmentRequestInput, { request_date: requested, requested_by: k % 4 === 0 ? 'school' : 'parent' }),
  );
  on(decided);
  await ehcp.decideToAssess(
    jo,
    personId,
    assessmentId,
    read(DecisionInput, { decision: 'assess', decision_date: decided }),
  );
  on(adviceAsked);
  const requestId = await ehcp.requestAdvice(
    jo,
    personId,
    assessmentId,
    read(AdviceRequestInput, {
      kind: 'educational_psychology',
      giver_user_id: fiona.id,
      question: 'Please describe the special educational needs, the outcomes sought and the provision to meet them.',
      requested_date: adviceAsked,
    }),
  );
  // From Year 9 the advice must include preparing for adulthood (reg 6(3)): asked of anyone 13 or over by the serve.
  const pfaId =
    ageOn(c.dob, served) >= 13
      ? await ehcp.requestAdvice(
          jo,
          personId,
          assessmentId,
          read(AdviceRequestInput, {
            kind: 'preparing_for_adulthood',
            giver_user_id: fiona.id,
            question: 'Please advise on preparing for adulthood: employment, independent living, community, health.',
            requested_date: adviceAsked,
          }),
        )
      : null;
  on(adviceGiven);
  await ehcp.submitAdvice(
    fiona,
    { requestId, personId },
    read(AdviceInput, {
      advice: `${profile.advice}\n\nRecommended provision: ${profile.provision}`,
      summary_needs: profile.advice,
      summary_provision: profile.provision,
    }),
  );
  if (pfaId)
    await ehcp.submitAdvice(
      fiona,
      { requestId: pfaId, personId },
      read(AdviceInput, {
        advice: 'Wants to work with animals; travel training and a supported internship would help towards it.',
        summary_outcomes: 'Travels to college independently by the end of Year 12.',
      }),
    );
  const { planId, versionId } = await plans.draftFromAdvice(jo, read(DraftPlanInput, { assessment_id: assessmentId }));
  const version = async (id: string) =>
    String(
      (await db.selectFrom('ehc_plan_versions').where('id', '=', id).select('version').executeTakeFirstOrThrow())
        .version,
    );
  const planVersion = async () =>
    String(
      (await db.selectFrom('ehc_plans').where('id', '=', planId).select('version').executeTakeFirstOrThrow()).version,
    );
  const [primary, secondary] = profile.needs;
  await plans.editNeeds(
    jo,
    planId,
    versionId,
    read(NeedsInput, { primary_need: primary, secondary_need: secondary ?? '', version: await version(versionId) }),
  );
  const setting = settingFor(r, c.dob, today);
  await plans.editPlacement(
    jo,
    planId,
    versionId,
    read(PlacementInput, {
      setting_name: setting.name,
      setting_urn: setting.urn,
      version: await version(versionId),
    }),
  );
  if (st.kind === 'drafting') return;

  on(served);
  await plans.serveDraft(
    jo,
    planId,
    versionId,
    read(ServeInput, { served_date: served, version: await version(versionId) }),
  );
  if (st.kind === 'served') {
    if (st.reps) {
      const made = addDays(served, Math.min(st.servedAgo, 3));
      on(made);
      const rep = await plans.addRepresentation(
        jo,
        planId,
        read(RepresentationInput, {
          made_by: 'parent',
          received_date: made,
          summary: 'Agree with the needs described; ask for more detail on how often therapy will be given.',
          version: await planVersion(),
          ...(st.consult
            ? { requested_setting_name: 'Brookfield Special School', requested_setting_urn: '511103' }
            : {}),
        }),
      );
      if (st.consult) {
        await plans.consult(
          jo,
          planId,
          read(ConsultationInput, {
            setting_name: 'Brookfield Special School',
            setting_urn: '511103',
            sent_date: made,
            representation_id: typeof rep === 'string' ? rep : ((rep as { id?: string })?.id ?? ''),
            version: await planVersion(),
          }),
        );
      }
    }
    return;
  }
  on(addDays(issued, -5));
  const finalId = await plans.prepareFinal(jo, planId);
  on(issued);
  await plans.issueFinal(
    jo,
    planId,
    finalId,
    read(FinalInput, { final_date: issued, version: await version(finalId) }),
  );
}

/** Makes the demo's EHC plans (about 200). Returns the plan cases made, in order, with their young people. */
export async function seedEhcPlansDemo(run: PlansDemoRun): Promise<{ personId: string; stage: Stage['kind'] }[]> {
  const { db, org, clock, today } = run;
  const idOf = (role: string) => org.users.find((u) => u.role === role)?.id;
  const joId = idOf('ehcp_coordinator');
  const fionaId = idOf('advice_giver');
  if (!joId || !fionaId) throw new Error('the plans demo needs the demo EHCP coordinator and advice giver');
  const jo = await authUserById(db, joId);
  const fiona = await authUserById(db, fionaId);
  if (!jo || !fiona) throw new Error('the plans demo could not sign in its coordinator and advice giver');
  const r = rng(20261207);
  const cases = demoPlanCases(today, r);
  const people = await db.transaction().execute((tx) => insertPeople(tx, org, joId, cases, today, r));
  try {
    for (const [k, c] of cases.entries()) await makePlan(run, { jo, fiona }, people[k] as string, c, k, r);
  } finally {
    clock.reset();
  }
  return cases.map((c, k) => ({ personId: people[k] as string, stage: c.stage.kind }));
}
