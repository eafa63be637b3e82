// Likely duplicates of a new record (issue 11 capability 11): the same NHS number or UPN, or the same date of birth
// with the same or a similar name (trigram similarity from pg_trgm, or first and last names that sound alike by
// fuzzystrmatch's soundex). Searched across the whole council, shown only within the viewer's access: a record the
// viewer may open is listed with a link; one they may not is only reported ("a record may already exist: ask …"),
// naming who holds it (the teams working with the young person), never the young person.
import { sql } from 'kysely';
import type { Executor } from '../../db/database.ts';
import { relationshipConditions, type Viewer } from '../access/repository.ts';

/** How alike two full names must be (pg_trgm similarity, 0 to 1) to be worth a warning with the same date of birth. */
export const SIMILAR_NAME = 0.3;

export interface NewDetails {
  given_name: string;
  family_name: string;
  date_of_birth: string;
  nhs_number: string | null;
  upn: string | null;
}

/** A likely duplicate the viewer may open: shown, with why it matched. */
export interface VisibleDuplicate {
  id: string;
  case_number: string;
  given_name: string;
  family_name: string;
  date_of_birth: string;
  why: string[];
}

/** A likely duplicate outside the viewer's access: who to ask, and why it matched; never who it is. */
export interface HiddenDuplicate {
  ask: string;
  why: string[];
}

export interface Duplicates {
  visible: VisibleDuplicate[];
  hidden: HiddenDuplicate[];
  /** Every match's id, for the audit row of a record created anyway (ids only, never personal data). */
  ids: string[];
}

/** A new record looks like one that exists: the page shows the warning, the API answers 409 with the matches. */
export class LikelyDuplicates extends Error {
  constructor(readonly duplicates: Duplicates) {
    super('A record may already exist for this young person: check the matches, or create a new record anyway');
  }
}

/** Who holds a record the viewer may not see: its teams (and their services), or the council's records team. */
function whoToAsk(teams: { team: string; service: string }[]): string {
  if (!teams.length) return 'the council’s case records team (nobody is working with this young person now)';
  return teams.map((t) => `${t.team} (${t.service})`).join(' or ');
}

export async function likelyDuplicates(db: Executor, user: Viewer, d: NewDetails): Promise<Duplicates> {
  const full = `${d.given_name} ${d.family_name}`.toLowerCase();
  const rows = await db
    .selectFrom('people as p')
    .where('p.authority_id', '=', user.authorityId)
    .where((eb) =>
      eb.or([
        ...(d.nhs_number ? [eb('p.nhs_number', '=', d.nhs_number)] : []),
        ...(d.upn ? [eb('p.upn', '=', d.upn)] : []),
        eb.and([
          eb('p.date_of_birth', '=', d.date_of_birth),
          eb.or([
            sql<boolean>`similarity(lower(p.given_name || ' ' || p.family_name), ${full}) >= ${SIMILAR_NAME}`,
            sql<boolean>`(soundex(p.given_name) = soundex(${d.given_name}) AND soundex(p.family_name) = soundex(${d.family_name}))`,
          ]),
        ]),
      ]),
    )
    .select((eb) => [
      'p.id',
      'p.case_number',
      'p.given_name',
      'p.family_name',
      'p.date_of_birth',
      'p.nhs_number',
      'p.upn',
      eb.or(relationshipConditions(eb, user)).as('related'),
      sql<{ team: string; service: string }[]>`(SELECT coalesce(jsonb_agg(DISTINCT jsonb_build_object(
          'team', t.name, 'service', s.name)), '[]') FROM involvements i JOIN teams t ON t.id = i.team_id
          JOIN services s ON s.id = t.service_id WHERE i.person_id = p.id AND i.end_date IS NULL)`.as('teams'),
    ])
    .orderBy('p.family_name')
    .orderBy('p.given_name')
    .limit(20)
    .execute();
  const out: Duplicates = { visible: [], hidden: [], ids: rows.map((r) => r.id) };
  for (const r of rows) {
    const why: string[] = [];
    if (d.nhs_number && r.nhs_number === d.nhs_number) why.push('the same NHS number');
    if (d.upn && r.upn === d.upn) why.push('the same UPN');
    if (r.date_of_birth === d.date_of_birth) why.push('the same date of birth and a similar name');
    if (r.related) {
      const { id, case_number, given_name, family_name, date_of_birth } = r;
      out.visible.push({ id, case_number, given_name, family_name, date_of_birth, why });
    } else {
      out.hidden.push({ ask: whoToAsk(r.teams), why });
    }
  }
  return out;
}
