// The demo's mentoring scheme (issue 12 part 7), after the exploitation cohort demo: a staff mentor (the demo social
// worker) and two vetted volunteers with their checks (one volunteer's references expire within 30 days, the other's
// DBS check has expired, so the scheme cannot match them); referrals from the cohort matched, one declined and one
// waiting; sessions attended and missed, goals with progress, a 3-monthly review, and one mentoring ended with its
// outcome. Driven through the service with the demo clock, so the protocol steps, timeline and audit are real.

import type { Db } from '../../db/database.ts';
import { addDays, londonToday } from '../../domain/calendar.ts';
import { type DemoDayClock, demoUserByEmail } from '../kit/demo.ts';
import {
  CheckInput,
  DeclineInput,
  EndInput,
  GoalInput,
  MatchInput,
  MentorInput,
  ReferralInput,
  SessionInput,
} from './schemas.ts';
import type { MentoringService } from './service.ts';

type Mentor = 'staff' | 'jordan' | 'casey';
type Check = [type: 'enhanced_dbs' | 'references' | 'safeguarding_training', checkedAgo: number, expiresIn: number];

const MENTORS: { key: Mentor; body: Record<string, unknown>; checks: Check[] }[] = [
  {
    key: 'staff',
    body: {
      kind: 'staff',
      user_email: 'social.worker@demoshire.example',
      name: 'Sam Social-Worker',
      contact: '01632 960 000',
      capacity: 2,
      areas: 'North and East',
      interests: 'Football, cooking',
    },
    checks: [
      ['enhanced_dbs', 200, 895],
      ['references', 200, 530],
      ['safeguarding_training', 100, 265],
    ],
  },
  {
    key: 'jordan',
    body: {
      kind: 'volunteer',
      name: 'Jordan Volunteer-Mentor',
      contact: 'jordan.mentor@example.org',
      organisation: 'Demoshire Mentoring Trust',
      capacity: 2,
      areas: 'All areas',
      interests: 'Music production, boxing',
    },
    // References expire within 30 days: a warning on the scheme's page.
    checks: [
      ['enhanced_dbs', 500, 595],
      ['references', 400, 20],
      ['safeguarding_training', 300, 430],
    ],
  },
  {
    key: 'casey',
    body: {
      kind: 'volunteer',
      name: 'Casey Volunteer-Mentor',
      contact: 'casey.mentor@example.org',
      organisation: 'Demoshire Mentoring Trust',
      capacity: 1,
      areas: 'South',
      interests: 'Art, gaming',
    },
    // The DBS check expired: the scheme cannot match Casey until a new one is recorded.
    checks: [
      ['enhanced_dbs', 1105, -10],
      ['references', 300, 400],
      ['safeguarding_training', 200, 165],
    ],
  },
];

interface DemoReferral {
  caseNumber: string;
  by: 'sam' | 'lead';
  referredAgo: number;
  reason: string;
  goals: string[];
  declinedAgo?: number;
  match?: { mentor: Mentor; ago: number };
  /** Days ago, and whether the young person came. */
  sessions?: [ago: number, attended: boolean][];
  progress?: ('some' | 'good' | 'met')[];
  reviewedAgo?: number;
  endedAgo?: number;
}

/** Cohort case numbers from the safeguarding demo (HO120001-40). */
const REFERRALS: DemoReferral[] = [
  {
    caseNumber: 'HO120014',
    by: 'sam',
    referredAgo: 100,
    reason: 'Going missing with older peers; needs a trusted adult outside services',
    goals: ['Go to college 3 days a week', 'Find a weekend activity away from the town centre'],
    match: { mentor: 'jordan', ago: 95 },
    sessions: [
      [88, true],
      [81, false],
      [74, true],
      [60, true],
    ],
    progress: ['some', 'good'],
    reviewedAgo: 8,
  },
  {
    caseNumber: 'HO120008',
    by: 'sam',
    referredAgo: 45,
    reason: 'Excluded from school; spends the days with older teenagers near the station',
    goals: ['Back in education with a place agreed', 'Say who they can go to when they feel unsafe'],
    match: { mentor: 'staff', ago: 40 },
    sessions: [
      [33, true],
      [26, true],
      [12, false],
    ],
    progress: ['some'],
  },
  {
    caseNumber: 'HO120030',
    by: 'lead',
    referredAgo: 160,
    reason: 'Leaving an exploitative relationship; isolated since moving out',
    goals: ['Register with a GP', 'Join a course or a job club'],
    match: { mentor: 'jordan', ago: 150 },
    sessions: [
      [140, true],
      [126, true],
      [112, false],
      [98, true],
    ],
    progress: ['met', 'met'],
    endedAgo: 20,
  },
  {
    caseNumber: 'HO120033',
    by: 'lead',
    referredAgo: 30,
    reason: 'Wants someone to talk to about money and debt',
    goals: ['A budget they can keep to'],
    declinedAgo: 25,
  },
  {
    caseNumber: 'HO120010',
    by: 'sam',
    referredAgo: 3,
    reason: 'Lonely after a placement move; at risk of being drawn back to the old area',
    goals: ['Make one friend in the new area'],
  },
];

/** Seeds the scheme; does nothing if the council already has mentors (the demo runs once, but be safe). */
export async function seedMentoringDemo(
  db: Db,
  svc: MentoringService,
  clock: DemoDayClock,
  authorityId: string,
): Promise<number> {
  const sam = await demoUserByEmail(db, authorityId, 'social.worker');
  const lead = await demoUserByEmail(db, authorityId, 'exploitation.lead');
  const already = await db
    .selectFrom('mentors')
    .where('authority_id', '=', authorityId)
    .select('id')
    .executeTakeFirst();
  if (!sam || !lead || already) return 0;
  const today = londonToday(clock.now());
  const mentorIds = {} as Record<Mentor, string>;
  for (const m of MENTORS) {
    const id = await svc.addMentor(lead, MentorInput.parse(m.body, { today }));
    mentorIds[m.key] = id;
    for (const [type, ago, expires] of m.checks)
      await svc.addCheck(
        lead,
        id,
        CheckInput.parse(
          {
            check_type: type,
            checked_date: addDays(today, -ago),
            expiry_date: addDays(today, expires),
            reference: type === 'enhanced_dbs' ? '001234567890' : null,
          },
          { today },
        ),
      );
  }
  const referrer = { sam, lead };
  const version = async (id: string) =>
    (await db.selectFrom('mentoring_referrals').where('id', '=', id).select('version').executeTakeFirstOrThrow())
      .version;
  let made = 0;
  try {
    for (const r of REFERRALS) {
      const p = await db
        .selectFrom('people')
        .where('authority_id', '=', authorityId)
        .where('case_number', '=', r.caseNumber)
        .select('id')
        .executeTakeFirst();
      if (!p) continue;
      const on = (ago: number) => {
        const day = addDays(today, -ago);
        clock.on(day);
        return { day, ctx: { today: day } };
      };
      let at = on(r.referredAgo);
      const by = referrer[r.by];
      const id = await svc.referrals.refer(
        by,
        p.id,
        ReferralInput.parse(
          {
            reason: r.reason,
            hopes: 'Someone to talk to who is not a social worker, and something to do at weekends',
            goals: r.goals.join('\n'),
          },
          at.ctx,
        ),
      );
      made++;
      if (r.declinedAgo !== undefined) {
        at = on(r.declinedAgo);
        await svc.referrals.decline(
          lead,
          p.id,
          id,
          DeclineInput.parse(
            {
              reason: 'No mentor with experience of debt advice; referred to the money advice service instead',
              version: await version(id),
            },
            at.ctx,
          ),
        );
      }
      if (!r.match) continue;
      at = on(r.match.ago);
      await svc.referrals.match(
        lead,
        p.id,
        id,
        MatchInput.parse(
          { mentor_id: mentorIds[r.match.mentor], match_date: at.day, version: await version(id) },
          at.ctx,
        ),
      );
      // The staff mentor records their own sessions; the scheme records the volunteers'.
      const recorder = r.match.mentor === 'staff' ? sam : lead;
      for (const [ago, attended] of r.sessions ?? []) {
        at = on(ago);
        await svc.referrals.addSession(
          recorder,
          p.id,
          id,
          SessionInput.parse(
            {
              session_date: at.day,
              attended,
              not_attended_reason: attended ? null : 'Did not answer the phone on the day; rearranged',
              notes: attended ? 'Met at the youth centre; talked about college and weekends' : null,
            },
            at.ctx,
          ),
        );
      }
      const goals = await db
        .selectFrom('mentoring_goals')
        .where('referral_id', '=', id)
        .orderBy('created_at')
        .orderBy('goal')
        .select(['id', 'version'])
        .execute();
      for (const [n, progress] of (r.progress ?? []).entries()) {
        const g = goals[n];
        if (!g) continue;
        await svc.referrals.updateGoal(
          recorder,
          p.id,
          id,
          g.id,
          GoalInput.parse(
            { progress, progress_note: 'Agreed with the young person at a session', version: g.version },
            at.ctx,
          ),
        );
      }
      if (r.reviewedAgo !== undefined) {
        on(r.reviewedAgo);
        await svc.referrals.review(lead, p.id, id, await version(id));
      }
      if (r.endedAgo !== undefined) {
        at = on(r.endedAgo);
        await svc.referrals.end(
          lead,
          p.id,
          id,
          EndInput.parse(
            {
              outcome: 'goals_met',
              end_date: at.day,
              notes: 'Both goals met; registered with a GP and started a job club. Ended by agreement.',
              version: await version(id),
            },
            at.ctx,
          ),
        );
      }
    }
  } finally {
    clock.reset();
  }
  return made;
}
