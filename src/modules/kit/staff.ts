// Owner pickers that scale (issue 11 capability 13): whoever chooses an owner or a worker chooses from the staff of
// one team or one service, never the whole council, and never from roles that do no casework (the council's IT
// administrator, panel members, commissioners). A short list is shown whole (radios); a long one is searched on the
// server by name or job title, a page of matches at a time, so a 1,500-strong service is never one drop-down. The
// macro that draws it is src/views/owner-picker.njk; the engine uses this too, so it lives in the kit.
import { sql } from 'kysely';
import type { Executor } from '../../db/database.ts';
import { type Capability, ROLE_NAMES, ROLES } from '../../domain/roles.ts';

/** Roles that hold cases and own steps and actions: those with casework on records (person:edit). */
export const CASEWORKER_ROLES: readonly string[] = ROLE_NAMES.filter((r) =>
  (ROLES[r].caps as readonly Capability[]).includes('person:edit'),
);

/** Who may own a plan action or receive a referral: caseworkers, and the health and education practitioners who
 *  give advice (a multi-agency plan); still never the IT administrator, panel members or commissioners. */
export const PLAN_OWNER_ROLES: readonly string[] = [...CASEWORKER_ROLES, 'advice_giver'];

/** At most this many are shown whole; more and the picker asks for a search. */
export const SHORT_LIST = 25;
/** Matches shown for a search. */
export const MATCHES = 20;

/** Where the choice is made from: one team, one service, or — for naming a person a decision is about (an advice
 *  giver in health, say), always searched when long — the whole council. */
export type StaffScope = { teamId: string } | { serviceId: string } | { council: true };

export interface StaffOption {
  id: string;
  display_name: string;
  job_title: string | null;
}

function scoped(db: Executor, authorityId: string, scope: StaffScope, roles: readonly string[] = CASEWORKER_ROLES) {
  let q = db
    .selectFrom('users as u')
    .where('u.authority_id', '=', authorityId)
    .where('u.active', '=', true)
    .where(sql<boolean>`u.roles && ${sql.val(roles)}::text[]`);
  if ('teamId' in scope)
    q = q.where((eb) =>
      eb.exists(
        eb
          .selectFrom('team_members as m')
          .whereRef('m.user_id', '=', 'u.id')
          .where('m.team_id', '=', scope.teamId)
          .select('m.user_id'),
      ),
    );
  else if ('serviceId' in scope) q = q.where('u.service_id', '=', scope.serviceId);
  return q;
}

/** How many could be chosen in the scope. */
export async function countStaff(
  db: Executor,
  authorityId: string,
  scope: StaffScope,
  roles: readonly string[] = CASEWORKER_ROLES,
): Promise<number> {
  const row = await scoped(db, authorityId, scope, roles)
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Staff in the scope whose name or job title holds every word of `query` (all of them when `query` is empty). */
export async function searchStaff(
  db: Executor,
  authorityId: string,
  scope: StaffScope,
  query: string,
  limit: number,
  roles: readonly string[] = CASEWORKER_ROLES,
): Promise<StaffOption[]> {
  let q = scoped(db, authorityId, scope, roles);
  for (const word of query.trim().split(/\s+/).filter(Boolean).slice(0, 5)) {
    const like = `%${word.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    q = q.where((eb) => eb.or([eb('u.display_name', 'ilike', like), eb('u.job_title', 'ilike', like)]));
  }
  return q
    .orderBy('u.display_name')
    .orderBy('u.id')
    .limit(limit)
    .select(['u.id', 'u.display_name', 'u.job_title'])
    .execute();
}

/** One member of staff who may be chosen in the scope, or undefined. */
export async function staffInScope(
  db: Executor,
  authorityId: string,
  scope: StaffScope,
  userId: string,
  roles: readonly string[] = CASEWORKER_ROLES,
): Promise<StaffOption | undefined> {
  return scoped(db, authorityId, scope, roles)
    .where('u.id', '=', userId)
    .select(['u.id', 'u.display_name', 'u.job_title'])
    .executeTakeFirst();
}

/** What an owner picker shows: the whole list when short, else a search box and the matches for `query`. */
export interface Picker {
  /** Everyone, or the matches. */
  options: StaffOption[];
  /** True when the list is long and needs a search. */
  searching: boolean;
  query: string;
  total: number;
  /** More matched than are shown: search for a fuller name. */
  more: boolean;
}

/** Reads a picker for a form: `current` (the chosen or present owner) is always among the options if in scope. */
export async function picker(
  db: Executor,
  authorityId: string,
  scope: StaffScope,
  query = '',
  current: string | null = null,
  roles: readonly string[] = CASEWORKER_ROLES,
): Promise<Picker> {
  const total = await countStaff(db, authorityId, scope, roles);
  const searching = total > SHORT_LIST;
  const q = query.trim().slice(0, 100);
  if (!searching)
    return {
      options: await searchStaff(db, authorityId, scope, '', SHORT_LIST, roles),
      searching,
      query: q,
      total,
      more: false,
    };
  const found = q ? await searchStaff(db, authorityId, scope, q, MATCHES + 1, roles) : [];
  const options = found.slice(0, MATCHES);
  if (current && !options.some((o) => o.id === current)) {
    const now = await staffInScope(db, authorityId, scope, current, roles);
    if (now) options.unshift(now);
  }
  return { options, searching, query: q, total, more: found.length > MATCHES };
}
