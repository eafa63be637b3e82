// The demo's contextual safeguarding and system blocks (issue 12 parts 3, 11 and 13): two places of concern and a
// peer group, linked to young people of the exploitation cohort (case numbers HO120001 to HO120040, made by the
// safeguarding demo) and to a person of concern; and two system blocks (housing for 18 to 25 year olds, the adult
// services threshold) linked to the cases where they occurred. Everything goes through the modules' services, so
// the timeline lines and audit rows are real. Does nothing when the cohort or the exploitation lead is missing.
import type { Db } from '../../db/database.ts';
import type { AuthUser } from '../../http/types.ts';
import { authUserById } from '../auth/service.ts';
import type { CohortService } from '../cohort/service.ts';
import type { DemoOrganisation } from '../kit/demo.ts';
import type { ContextualService } from './service.ts';

/** Who is linked where, by the cohort's case numbers (index 12 is the 17½-year-old; 23 and over are 18 to 25). */
const PLACES = [
  {
    name: 'Trowford bus station',
    area: 'Trowford town centre',
    kind: 'transport' as const,
    description: 'Older males seen approaching young people after school; reports of phones and cash handed over.',
    people: ['HO120002', 'HO120003', 'HO120015', 'HO120025'],
  },
  {
    name: 'Riverside skate park',
    area: 'Trowford, Riverside',
    kind: 'public_space' as const,
    description: 'Young people gathering late in the evening; cannabis use and a car that waits by the gate.',
    people: ['HO120005', 'HO120013', 'HO120016'],
  },
];
const GROUP = {
  name: 'The Mill Street group',
  area: 'Trowford',
  description: 'A group of young people aged 14 to 19 seen together in town; some go missing together overnight.',
  people: ['HO120003', 'HO120013', 'HO120015', 'HO120016'],
};
const BLOCKS = [
  {
    kind: 'housing_18_25' as const,
    description: 'No supported accommodation for 18 to 25 year olds at risk of exploitation: waiting list of months.',
    cases: ['HO120025', 'HO120028'],
  },
  {
    kind: 'adult_services_threshold' as const,
    description: 'Adult social care threshold not met although exploitation risk stays high after 18.',
    cases: ['HO120013', 'HO120030'],
  },
];

export interface ContextualDemo {
  places: string[];
  groups: string[];
  concerns: string[];
  blocks: string[];
}

export async function seedContextualDemo(
  db: Db,
  services: { contextual: ContextualService; cohort: CohortService },
  org: DemoOrganisation,
): Promise<ContextualDemo> {
  const made: ContextualDemo = { places: [], groups: [], concerns: [], blocks: [] };
  const leadId = org.users.find((u) => u.role === 'exploitation_lead')?.id;
  const lead = leadId ? ((await authUserById(db, leadId)) as AuthUser | null) : null;
  if (!lead) return made;
  const people = await db
    .selectFrom('people')
    .where('authority_id', '=', org.authorityId)
    .where('case_number', 'like', 'HO1200%')
    .select(['id', 'case_number'])
    .execute();
  const byCase = new Map(people.map((p) => [p.case_number, p.id]));
  if (!byCase.size) return made;
  const { contextual, cohort } = services;

  const concern = await contextual.addConcern(lead, {
    name: 'Known as “Kaz”',
    aliases: 'K, Karl',
    description: 'Police intelligence: an adult believed to recruit young people to run drugs on a county line.',
  });
  made.concerns.push(concern);
  const link = async (area: 'places' | 'peer_groups', id: string, cases: string[], note: string) => {
    for (const c of cases) {
      const personId = byCase.get(c);
      if (personId)
        await contextual.linkPerson(lead, personId, {
          target: area === 'places' ? 'place' : 'peer_group',
          target_id: id,
          note,
        });
    }
  };
  for (const p of PLACES) {
    const id = await contextual.add(lead, 'places', {
      name: p.name,
      area: p.area,
      kind: p.kind,
      description: p.description,
    });
    made.places.push(id);
    await link('places', id, p.people, 'Seen there by police or reported by school (demo)');
  }
  const group = await contextual.add(lead, 'peer_groups', {
    name: GROUP.name,
    area: GROUP.area,
    description: GROUP.description,
  });
  made.groups.push(group);
  await link('peer_groups', group, GROUP.people, 'Named by police as part of the group (demo)');
  await contextual.linkConcern(lead, 'places', made.places[0] as string, {
    person_of_concern_id: concern,
    note: 'Seen at the station most evenings',
  });
  await contextual.linkConcern(lead, 'peer_groups', group, {
    person_of_concern_id: concern,
    note: 'Gives the group lifts and money',
  });

  for (const b of BLOCKS) {
    const id = await cohort.raise(lead, { kind: b.kind, description: b.description });
    made.blocks.push(id);
    for (const c of b.cases) {
      const personId = byCase.get(c);
      if (personId)
        await cohort.linkCase(lead, personId, { block_id: id, note: 'Raised at the High Risk Exploitation Meeting' });
    }
  }
  return made;
}
