// The demo's Creative Solutions Board (issue 12 part 5), after the exploitation cohort demo: a case referred by the
// social worker with what was tried, considered by the board (the exploitation lead) with a solution tested, reviewed
// as partly working with its learning and a second solution under test; a case whose solution worked and closed; and a
// fresh referral waiting for the board. Driven through the service with the demo clock (so the protocol steps,
// deadlines, timeline and audit are the real ones); the register shows the two results. Imports no demo module.

import type { Db } from '../../db/database.ts';
import { addDays, londonToday } from '../../domain/calendar.ts';
import { type DemoDayClock, demoUserByEmail } from '../kit/demo.ts';
import { ConsiderInput, ReferInput, ReviewInput } from './schemas.ts';
import type { SolutionsService } from './service.ts';

async function personByCase(db: Db, authorityId: string, caseNumber: string) {
  const p = await db
    .selectFrom('people')
    .where('authority_id', '=', authorityId)
    .where('case_number', '=', caseNumber)
    .select('id')
    .executeTakeFirst();
  return p?.id ?? null;
}

interface DemoCase {
  caseNumber: string;
  referrer: 'sam' | 'lead';
  referredAgo: number;
  problem: string;
  tried: [what: string, when: string, result: string][];
  whyStuck: string;
  board?: {
    ago: number;
    category: string;
    problem: string;
    solution: string;
    owner: 'sam' | 'lead';
    reviewAgo: number;
    review?: {
      result: 'worked' | 'partly' | 'did_not_work';
      learning: string;
      next: { solution: string; reviewIn: number } | { closingNote: string };
    };
  };
}

/** The three cases: cohort case numbers from the safeguarding demo (HO120001-40). */
const CASES: DemoCase[] = [
  {
    caseNumber: 'HO120016',
    referrer: 'sam',
    referredAgo: 70,
    problem: 'Goes missing at weekends and is found in another town with older males; owes money to them',
    tried: [
      ['Return home interviews after each missing episode', 'Since June 2026', 'Attends but says nothing'],
      ['Referral to the youth offending team', 'August 2026', 'Did not engage after the first visit'],
    ],
    whyStuck: 'Does not trust services; the usual offers are appointments in offices they will not go to',
    board: {
      ago: 63,
      category: 'criminal_exploitation',
      problem: 'Pulled away by a peer group with no trusted adult at weekends, when services are closed',
      solution: 'A detached youth worker meets the young person at the skate park on Saturday afternoons',
      owner: 'sam',
      reviewAgo: 21,
      review: {
        result: 'partly',
        learning:
          'Weekend contact worked where office appointments had not; missing episodes fell but the debt still pulls them back',
        next: {
          solution: 'A debt-clearance plan agreed with the police disruption team, alongside the weekend youth worker',
          reviewIn: 35,
        },
      },
    },
  },
  {
    caseNumber: 'HO120027',
    referrer: 'lead',
    referredAgo: 90,
    problem: 'Aged over 18, sofa-surfing at addresses linked to a county line; turned down by adult services',
    tried: [['Homeless application', 'May 2026', 'Placed in a hostel where the exploiters visited']],
    whyStuck: 'No housing option away from the people exploiting them; below the adult services threshold',
    board: {
      ago: 84,
      category: 'housing',
      problem: 'Every housing offer so far has been inside the area the exploiters control',
      solution: 'Supported lodgings in a neighbouring council, with one named housing officer as the contact',
      owner: 'lead',
      reviewAgo: 28,
      review: {
        result: 'worked',
        learning:
          'A move out of area with one named contact broke the link; a reciprocal housing agreement made it possible',
        next: { closingNote: 'Settled in the lodgings for three months with no missing episodes; risk reduced' },
      },
    },
  },
  {
    caseNumber: 'HO120005',
    referrer: 'sam',
    referredAgo: 4,
    problem: 'Excluded from school and spending school days with older teenagers near the station',
    tried: [['Managed move to another school', 'September 2026', 'Attended for two weeks, then stopped']],
    whyStuck: 'No education place that will take them; the family cannot keep them at home during the day',
  },
];

/** Seeds the board's cases; does nothing if the council already has any (the demo runs once, but be safe). */
export async function seedSolutionsDemo(
  db: Db,
  svc: SolutionsService,
  clock: DemoDayClock,
  authorityId: string,
): Promise<number> {
  const sam = await demoUserByEmail(db, authorityId, 'social.worker');
  const lead = await demoUserByEmail(db, authorityId, 'exploitation.lead');
  const already = await db
    .selectFrom('solution_cases')
    .where('authority_id', '=', authorityId)
    .select('id')
    .executeTakeFirst();
  if (!sam || !lead || already) return 0;
  const today = londonToday(clock.now());
  const who = { sam, lead };
  const version = async (id: string) =>
    (await db.selectFrom('solution_cases').where('id', '=', id).select('version').executeTakeFirstOrThrow()).version;
  let made = 0;
  try {
    for (const c of CASES) {
      const personId = await personByCase(db, authorityId, c.caseNumber);
      if (!personId) continue;
      const referredOn = addDays(today, -c.referredAgo);
      clock.on(referredOn);
      const body: Record<string, unknown> = { problem: c.problem, why_stuck: c.whyStuck };
      for (const [n, [what, when, result]] of c.tried.entries()) {
        body[`tried_${n + 1}_what`] = what;
        body[`tried_${n + 1}_when`] = when;
        body[`tried_${n + 1}_result`] = result;
      }
      const caseId = await svc.refer(who[c.referrer], personId, ReferInput.parse(body, { today: referredOn }));
      made++;
      const b = c.board;
      if (!b) continue;
      const meetingDate = addDays(today, -b.ago);
      clock.on(meetingDate);
      await svc.consider(
        lead,
        personId,
        caseId,
        ConsiderInput.parse(
          {
            decision: 'test',
            meeting_date: meetingDate,
            category: b.category,
            board_problem: b.problem,
            solution: b.solution,
            owner_user_id: who[b.owner].id,
            review_date: addDays(today, -b.reviewAgo),
            version: await version(caseId),
          },
          { today: meetingDate },
        ),
      );
      if (!b.review) continue;
      const reviewOn = addDays(today, -b.reviewAgo);
      clock.on(reviewOn);
      const next = b.review.next;
      await svc.review(
        lead,
        personId,
        caseId,
        ReviewInput.parse(
          {
            result: b.review.result,
            learning: b.review.learning,
            ...('solution' in next
              ? {
                  next: 'test_another',
                  solution: next.solution,
                  owner_user_id: who[b.owner].id,
                  review_date: addDays(today, next.reviewIn),
                }
              : { next: 'closed', closing_note: next.closingNote }),
            version: await version(caseId),
          },
          { today: reviewOn },
        ),
      );
    }
  } finally {
    clock.reset();
  }
  return made;
}
