// The demo's exploitation cohort (issue 12 part 2), Wiltshire-like: about 40 young people aged 11 to 25, screened
// through the module's own functions (so the protocol steps, deadlines, timeline and audit are real) at every
// level and stage: awaiting confirmation, confirmed low, medium and high, a review overdue, a missing episode
// awaiting a re-screen, a significant incident. 11-15s in the district team and 16-17s in the Young People's Team
// with Sam Social-Worker (one aged 17 and a half, high, stays with the Young People's Team); 18-25s in the
// Exploitation Hub with the exploitation lead. Other parts' demos pick people from this cohort.
import type { Db } from '../../db/database.ts';
import { addDays } from '../../domain/calendar.ts';
import type { AuthUser } from '../../http/types.ts';
import { childExploitation } from '../../screening/child-exploitation.ts';
import { authUserById } from '../auth/service.ts';
import { type DemoOrganisation, demoRecordCreated } from '../kit/demo.ts';
import { FAMILY, fakeNhsNumber, GIVEN, int, pick, rng } from '../kit/fake.ts';
import { confirmScreeningLevel } from './confirm.ts';
import { recordRiskEvent } from './events.ts';
import { addMonths } from './rules.ts';
import { answerFields } from './schemas.ts';
import { checkScreening, createScreening } from './screen.ts';
import type { SafeguardingService } from './service.ts';

interface Clock {
  on(day: string): void;
  reset(): void;
}

type Stage = 'unconfirmed' | 'confirmed' | 'overdue' | 'missing' | 'incident';
interface DemoCase {
  ageMonths: number;
  team: 'dct-north' | 'ypt' | 'exploitation-hub';
  yes: string[];
  stage: Stage;
  send?: boolean;
}

const LOW = ['late_home'];
const MEDIUM = ['older_associates', 'unexplained_items'];
const HIGH = ['missing_repeat', 'owes_debt'];

/** Who, how old (months) and where: about 40, spread over the levels and stages. */
function cases(): DemoCase[] {
  const out: DemoCase[] = [];
  const stages: Stage[] = ['confirmed', 'unconfirmed', 'confirmed', 'overdue', 'confirmed', 'missing'];
  const levels = [LOW, MEDIUM, HIGH, MEDIUM];
  for (let i = 0; i < 12; i++)
    out.push({
      ageMonths: 11 * 12 + 6 + ((i * 5) % 48),
      team: 'dct-north',
      yes: levels[i % 4] as string[],
      stage: stages[i % 6] as Stage,
      send: i === 3,
    });
  // 16-17: one aged 17 years 6-7 months at high, whose case stays with the Young People's Team.
  out.push({ ageMonths: 17 * 12 + 6, team: 'ypt', yes: HIGH, stage: 'confirmed' });
  for (let i = 0; i < 9; i++)
    out.push({
      ageMonths: 16 * 12 + i * 2,
      team: 'ypt',
      yes: levels[(i + 1) % 4] as string[],
      stage: stages[i % 6] as Stage,
    });
  out.push({ ageMonths: 16 * 12 + 9, team: 'ypt', yes: ['trap_house'], stage: 'incident' });
  for (let i = 0; i < 17; i++)
    out.push({
      ageMonths: 18 * 12 + ((i * 7) % 90),
      team: 'exploitation-hub',
      yes: levels[(i + 2) % 4] as string[],
      stage: stages[(i + 1) % 6] as Stage,
    });
  return out;
}

/** Every indicator answered no, except `yes` (with evidence, in the last 3 months). */
function answersWith(yes: string[]) {
  const a: Record<string, { answer: 'yes' | 'no'; evidence?: string; basis?: 'evidence'; when?: 'last_3_months' }> = {};
  for (const d of childExploitation.domains)
    for (const i of d.indicators)
      a[i.id] = yes.includes(i.id)
        ? {
            answer: 'yes',
            evidence: 'Seen and recorded by the worker (demo)',
            basis: 'evidence',
            when: 'last_3_months',
          }
        : { answer: 'no' };
  return answerFields(a);
}

const dobFor = (today: string, months: number) => addDays(addMonths(today, -months), -10);

export async function seedSafeguardingDemo(
  db: Db,
  service: SafeguardingService,
  clock: Clock,
  org: DemoOrganisation,
  today: string,
): Promise<string[]> {
  const ctx = service.ctx;
  const userOf = async (role: string) => {
    const u = org.users.find((x) => x.role === role);
    return u ? ((await authUserById(db, u.id)) as AuthUser) : null;
  };
  const sam = await userOf('social_worker');
  const tm = await userOf('team_manager');
  const lead = await userOf('exploitation_lead');
  if (!sam || !tm || !lead) return [];
  const r = rng(20261209);
  const ids: string[] = [];
  // Fake NHS numbers from the never-issued 999 range, distinct from the other demos' people.
  const taken = new Set(
    (await db.selectFrom('people').where('nhs_number', 'is not', null).select('nhs_number').execute()).map(
      (p) => p.nhs_number,
    ),
  );
  const nextNhs = (): string => {
    let n = fakeNhsNumber(r);
    while (taken.has(n)) n = fakeNhsNumber(r);
    taken.add(n);
    return n;
  };
  for (const [i, c] of cases().entries()) {
    const hub = c.team === 'exploitation-hub';
    const screener = hub ? lead : sam;
    const confirmer = hub ? lead : tm;
    const personId = await db.transaction().execute(async (tx) => {
      const p = await tx
        .insertInto('people')
        .values({
          authority_id: org.authorityId,
          case_number: `HO${120001 + i}`,
          given_name: pick(r, GIVEN),
          family_name: pick(r, FAMILY),
          date_of_birth: dobFor(today, c.ageMonths),
          gender: i % 2 ? 'Male' : 'Female',
          nhs_number: nextNhs(),
          address: `${int(r, 2, 90)} Market Street, Trowford`,
          postcode: `ZZ${40 + (i % 50)} 2CD`,
          locality_id: org.localityIds[i % Math.max(1, org.localityIds.length)] ?? null,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      if (c.send)
        await tx
          .insertInto('person_statuses')
          .values({
            authority_id: org.authorityId,
            person_id: p.id,
            status: 'sen_support',
            start_date: addDays(today, -400),
          })
          .execute();
      await tx
        .insertInto('involvements')
        .values({
          authority_id: org.authorityId,
          person_id: p.id,
          team_id: org.teams[c.team] as string,
          worker_id: screener.id,
          reason: hub
            ? 'Exploitation Hub: adult at risk of exploitation'
            : 'Assessment and support: exploitation concern',
          start_date: addDays(today, -300),
        })
        .execute();
      await demoRecordCreated(tx, org.authorityId, p.id);
      return p.id;
    });
    ids.push(personId);
    const back = c.stage === 'overdue' ? 125 : c.stage === 'unconfirmed' ? 2 : 30 + (i % 20);
    const screenedOn = addDays(today, -back);
    clock.on(screenedOn);
    const body = {
      instrument_id: childExploitation.id,
      reason: 'first',
      send_or_learning_disability: c.send ? 'yes' : '',
      ...answersWith(c.yes),
    };
    const sid = await db.transaction().execute(async (tx) => {
      const checked = await checkScreening(tx, ctx, screener, personId, body);
      return createScreening(tx, ctx, screener, personId, checked);
    });
    if (c.stage !== 'unconfirmed' && c.stage !== 'incident') {
      clock.on(addDays(screenedOn, 2));
      await db.transaction().execute(async (tx) => {
        const s = await tx
          .selectFrom('screenings')
          .where('id', '=', sid)
          .select('proposed_level')
          .executeTakeFirstOrThrow();
        await confirmScreeningLevel(tx, ctx, confirmer, sid, { level: s.proposed_level });
      });
    }
    if (c.stage === 'missing') {
      clock.reset();
      await db.transaction().execute((tx) =>
        recordRiskEvent(tx, ctx, screener, personId, {
          kind: 'missing_episode',
          occurred_on: addDays(today, -3),
          returned_on: addDays(today, -2),
          return_interview: 'offered_accepted',
          details: 'Missing overnight; found by police in another town with a second phone (demo)',
        }),
      );
    }
    clock.reset();
  }
  return ids;
}
