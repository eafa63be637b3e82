// The demo's information-sharing records (issue 12 part 10), after the exploitation cohort demo: a screening's level
// shared with the police with consent (the entry records its source), a decision not to share with a housing
// provider, and a special-category share with the NHS trust under Article 9(2)(g) and DPA 2018 Schedule 1
// paragraph 18, without telling the young person and why. Recorded through the service (timeline line and audit
// row each) with the demo clock; the data protection officer's register lists all three.

import type { Db } from '../../db/database.ts';
import { addDays, londonToday } from '../../domain/calendar.ts';
import { type DemoDayClock, demoUserByEmail } from '../kit/demo.ts';
import { SharingInput } from './schemas.ts';
import type { SharingService } from './service.ts';

interface DemoShare {
  caseNumber: string;
  by: 'sam' | 'lead';
  ago: number;
  /** Records the latest screening as the entry's source. */
  fromScreening?: boolean;
  body: Record<string, unknown>;
}

/** Cohort case numbers from the safeguarding demo (HO120001-40). */
const SHARES: DemoShare[] = [
  {
    caseNumber: 'HO120015',
    by: 'sam',
    ago: 10,
    fromScreening: true,
    body: {
      decision: 'share',
      what: 'The exploitation screening level and the indicators behind it; the addresses of concern',
      recipient_organisation: 'Demoshire Police',
      recipient_role: 'Detective Constable, Exploitation Team',
      recipient_name: 'Dan Police-Officer',
      purpose: 'A disruption plan at the addresses where the young person is being exploited',
      necessity:
        'The police cannot disrupt the adults involved without knowing the addresses; only the level, indicators and addresses are shared',
      lawful_basis: 'public_task',
      special_category: 'no',
      consent: 'with_consent',
      views: 'Agreed to the police being told, as long as their family is not visited by uniformed officers',
      person_told: 'yes',
      reasoning: 'Shared with consent for the disruption plan agreed at the High Risk Exploitation Meeting',
    },
  },
  {
    caseNumber: 'HO120019',
    by: 'sam',
    ago: 6,
    body: {
      decision: 'not_share',
      what: 'The exploitation history asked for by a supported housing provider with a place to offer',
      recipient_organisation: 'Demoton Supported Housing',
      recipient_role: 'Housing officer',
      purpose: 'The provider asked for the full history before offering a place',
      necessity:
        'The provider needs to know the support required, not the history; a summary of needs is given instead',
      lawful_basis: 'public_task',
      special_category: 'no',
      consent: 'without_consent',
      views: 'Did not want the housing provider to know about the police involvement',
      person_told: 'yes',
      reasoning: 'Not necessary or proportionate: the summary of support needs meets the purpose',
    },
  },
  {
    caseNumber: 'HO120031',
    by: 'lead',
    ago: 3,
    body: {
      decision: 'share',
      what: 'Self-harm disclosed at a visit and the current safety plan',
      recipient_organisation: 'Demoshire Community Health NHS Trust',
      recipient_role: 'Mental health liaison nurse',
      purpose: 'An urgent mental health assessment and a joint safety plan',
      necessity: 'A risk of serious harm; the nurse needs the disclosure and the plan to assess the same day',
      lawful_basis: 'public_task',
      special_category: 'yes',
      art9_condition: 'substantial_public_interest',
      schedule1_condition: 'para_18',
      consent: 'without_consent',
      views: 'Asked for nobody to be told',
      person_told: 'no',
      not_told_reason: 'Telling them before the assessment would put them at greater risk; they will be told after it',
      decided_by_name: 'Ayesha Exploitation-Lead, Transitional Safeguarding Lead',
      reasoning: 'Safeguarding an individual at risk outweighs the wish that nobody is told; the minimum is shared',
    },
  },
];

/** Seeds the records; does nothing if the council already has any (the demo runs once, but be safe). */
export async function seedSharingDemo(
  db: Db,
  svc: SharingService,
  clock: DemoDayClock,
  authorityId: string,
): Promise<number> {
  const sam = await demoUserByEmail(db, authorityId, 'social.worker');
  const lead = await demoUserByEmail(db, authorityId, 'exploitation.lead');
  const already = await db
    .selectFrom('sharing_records')
    .where('authority_id', '=', authorityId)
    .select('id')
    .executeTakeFirst();
  if (!sam || !lead || already) return 0;
  const today = londonToday(clock.now());
  const by = { sam, lead };
  let made = 0;
  try {
    for (const s of SHARES) {
      const p = await db
        .selectFrom('people')
        .where('authority_id', '=', authorityId)
        .where('case_number', '=', s.caseNumber)
        .select('id')
        .executeTakeFirst();
      if (!p) continue;
      const screening = s.fromScreening
        ? await db
            .selectFrom('screenings')
            .where('person_id', '=', p.id)
            .orderBy('screened_on', 'desc')
            .select('id')
            .executeTakeFirst()
        : undefined;
      const day = addDays(today, -s.ago);
      clock.on(day);
      const body = {
        ...s.body,
        decided_on: day,
        ...(screening ? { source_kind: 'screening', source_id: screening.id } : {}),
      };
      await svc.add(by[s.by], p.id, SharingInput.parse(body, { today: day }));
      made++;
    }
  } finally {
    clock.reset();
  }
  return made;
}
