// Likely duplicates of a new record (issue 11 capability 11): the same NHS number or UPN, or the same date of birth
// with the same or a similar name (trigram similarity from pg_trgm, or first and last names that sound alike by
// fuzzystrmatch's soundex). Searched across the whole council, shown only within the viewer's access: a record the
// viewer may open is listed with a link; those they may not are only reported, all together in one line ("a record may
// already exist: ask …"), naming who holds them (the teams working with the young people): never the young person, how
// many records, nor which detail matched, so the warning cannot be used to look up a record (docs/decisions.md).
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

/** The likely duplicates outside the viewer's access, together: who to ask; never who, how many or why. */
export interface HiddenDuplicate {
  ask: string;
}

export interface Duplicates {
  visible: VisibleDuplicate[];
  hidden: HiddenDuplicate[];
  /** Every match's id, for the audit row of a record created anyway (ids only, never personal data). */
  ids: string[];
  /** The ids of the matches outside the viewer's access: each warning naming them is audited. */
  outside: string[];
}

/** A new record looks like one that exists: the page shows the warning, the API answers 409 with the matches. */
export class LikelyDuplicates extends Error {
  constructor(readonly duplicates: Duplicates) {
    super('A record may already exist for this young person: check the matches, or create a new record anyway');
  }
}

/** Who holds the records the viewer may not see: their teams (and services), or the council's records team. */
function whoToAsk(records: { teams: { team: string; service: string }[] }[]): string {
  const teams = [...new Set(records.flatMap((r) => r.teams.map((t) => `${t.team} (${t.service})`)))].sort();
  if (records.some((r) => !r.teams.length)) teams.push('the council’s case records team');
  return teams.join(' or ');
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
  const outside = rows.filter((r) => !r.related);
  const out: Duplicates = {
    visible: [],
    hidden: outside.length ? [{ ask: whoToAsk(outside) }] : [],
    ids: rows.map((r) => r.id),
    outside: outside.map((r) => r.id),
  };
  for (const r of rows) {
    if (!r.related) continue;
    const why: string[] = [];
    if (d.nhs_number && r.nhs_number === d.nhs_number) why.push('the same NHS number');
    if (d.upn && r.upn === d.upn) why.push('the same UPN');
    if (r.date_of_birth === d.date_of_birth) why.push('the same date of birth and a similar name');
    const { id, case_number, given_name, family_name, date_of_birth } = r;
    out.visible.push({ id, case_number, given_name, family_name, date_of_birth, why });
  }
  return out;
}
