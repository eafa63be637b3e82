// The SQL of the mentoring scheme, and nothing else.
import { sql } from 'kysely';
import type { Executor } from '../../db/database.ts';
import type { GoalProgress, MentorCheckType, MentoringOutcomeCode, MentorKind } from '../../db/schema.ts';

export { personHeader } from '../kit/person-header.ts';

const MENTOR_COLUMNS = [
  'm.id',
  'm.kind',
  'm.user_id',
  'm.name',
  'm.contact',
  'm.organisation',
  'm.capacity',
  'm.areas',
  'm.interests',
  'm.active',
  'm.version',
] as const;

/** Mentors with how many young people each mentors now. */
function mentorsQuery(db: Executor, authorityId: string) {
  return db
    .selectFrom('mentors as m')
    .where('m.authority_id', '=', authorityId)
    .select([...MENTOR_COLUMNS])
    .select((eb) =>
      eb
        .selectFrom('mentoring_referrals as r')
        .whereRef('r.mentor_id', '=', 'm.id')
        .where('r.status', '=', 'active')
        .select(eb.fn.countAll<string>().as('n'))
        .as('active_matches'),
    );
}

export async function listMentors(db: Executor, authorityId: string) {
  const rows = await mentorsQuery(db, authorityId).orderBy('m.name').execute();
  return rows.map((r) => ({ ...r, active_matches: Number(r.active_matches ?? 0) }));
}

export async function findMentor(db: Executor, authorityId: string, mentorId: string, lock = false) {
  if (lock) await db.selectFrom('mentors').where('id', '=', mentorId).select('id').forUpdate().execute();
  const r = await mentorsQuery(db, authorityId).where('m.id', '=', mentorId).executeTakeFirst();
  return r ? { ...r, active_matches: Number(r.active_matches ?? 0) } : undefined;
}

export function checksOf(db: Executor, mentorIds: readonly string[]) {
  if (!mentorIds.length) return Promise.resolve([]);
  return db
    .selectFrom('mentor_checks')
    .where('mentor_id', 'in', mentorIds)
    .select(['id', 'mentor_id', 'check_type', 'checked_on', 'expires_on', 'reference', 'created_at'])
    .orderBy('checked_on', 'desc')
    .execute();
}

export function userByEmail(db: Executor, authorityId: string, email: string) {
  return db
    .selectFrom('users')
    .where('authority_id', '=', authorityId)
    .where(sql<string>`lower(email)`, '=', email.toLowerCase())
    .select(['id', 'display_name'])
    .executeTakeFirst();
}

export function mentorByUser(db: Executor, userId: string) {
  return db.selectFrom('mentors').where('user_id', '=', userId).select(['id']).executeTakeFirst();
}

export async function insertMentor(
  db: Executor,
  m: {
    authority_id: string;
    kind: MentorKind;
    user_id: string | null;
    name: string;
    contact: string | null;
    organisation: string | null;
    capacity: number;
    areas: string | null;
    interests: string | null;
  },
): Promise<string> {
  return (await db.insertInto('mentors').values(m).returning('id').executeTakeFirstOrThrow()).id;
}

export async function insertCheck(
  db: Executor,
  c: {
    authority_id: string;
    mentor_id: string;
    check_type: MentorCheckType;
    checked_on: string;
    expires_on: string;
    reference: string | null;
    recorded_by: string;
  },
): Promise<string> {
  return (await db.insertInto('mentor_checks').values(c).returning('id').executeTakeFirstOrThrow()).id;
}

const REFERRAL_COLUMNS = [
  'r.id',
  'r.person_id',
  'r.referred_on',
  'r.reason',
  'r.hopes',
  'r.status',
  'r.mentor_id',
  'r.matched_on',
  'r.ended_on',
  'r.outcome',
  'r.outcome_notes',
  'r.declined_reason',
  'r.protocol_instance_id',
  'r.version',
  'r.created_at',
] as const;

function referrals(db: Executor, authorityId: string) {
  return db
    .selectFrom('mentoring_referrals as r')
    .leftJoin('mentors as m', 'm.id', 'r.mentor_id')
    .innerJoin('users as u', 'u.id', 'r.referred_by')
    .where('r.authority_id', '=', authorityId)
    .select([
      ...REFERRAL_COLUMNS,
      'm.name as mentor_name',
      'm.user_id as mentor_user_id',
      'u.display_name as referrer',
    ]);
}

export function referralsForPerson(db: Executor, authorityId: string, personId: string) {
  return referrals(db, authorityId).where('r.person_id', '=', personId).orderBy('r.created_at', 'desc').execute();
}

export function findReferral(db: Executor, authorityId: string, personId: string, referralId: string, lock = false) {
  const q = referrals(db, authorityId).where('r.person_id', '=', personId).where('r.id', '=', referralId);
  return (lock ? q.forUpdate('r') : q).executeTakeFirst();
}

/** The scheme's work list: referrals waiting or being mentored, with who they are about. */
export function openReferrals(db: Executor, authorityId: string) {
  return referrals(db, authorityId)
    .innerJoin('people as p', 'p.id', 'r.person_id')
    .where('r.status', 'in', ['waiting', 'active'])
    .select(['p.given_name', 'p.family_name'])
    .orderBy('r.referred_on')
    .execute();
}

export async function insertReferral(
  db: Executor,
  r: {
    authority_id: string;
    person_id: string;
    referred_by: string;
    referred_on: string;
    reason: string;
    hopes: string;
  },
): Promise<string> {
  return (await db.insertInto('mentoring_referrals').values(r).returning('id').executeTakeFirstOrThrow()).id;
}

/** Changes a referral if it is still at `version`; false when someone changed it since. */
export async function updateReferral(
  db: Executor,
  id: string,
  version: number,
  set: Partial<{
    mentor_id: string;
    matched_on: string;
    ended_on: string;
    outcome: MentoringOutcomeCode;
    outcome_notes: string;
    declined_reason: string;
    protocol_instance_id: string;
  }>,
): Promise<boolean> {
  const r = await db
    .updateTable('mentoring_referrals')
    .set((eb) => ({ ...set, version: eb('version', '+', 1) }))
    .where('id', '=', id)
    .where('version', '=', version)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function setStatus(db: Executor, id: string, status: 'waiting' | 'active' | 'ended' | 'declined') {
  await db.updateTable('mentoring_referrals').set({ status }).where('id', '=', id).execute();
}

export async function insertGoals(
  db: Executor,
  g: { authority_id: string; person_id: string; referral_id: string },
  goals: readonly string[],
) {
  if (goals.length)
    await db
      .insertInto('mentoring_goals')
      .values(goals.map((goal) => ({ ...g, goal })))
      .execute();
}

export function goalsOf(db: Executor, referralIds: readonly string[]) {
  if (!referralIds.length) return Promise.resolve([]);
  return db
    .selectFrom('mentoring_goals')
    .where('referral_id', 'in', referralIds)
    .select(['id', 'referral_id', 'goal', 'progress', 'progress_note', 'version'])
    .orderBy('created_at')
    .orderBy('goal')
    .execute();
}

export async function updateGoal(
  db: Executor,
  referralId: string,
  goalId: string,
  version: number,
  set: { progress: GoalProgress; progress_note: string | null },
): Promise<'ok' | 'missing' | 'stale'> {
  const r = await db
    .updateTable('mentoring_goals')
    .set((eb) => ({ ...set, version: eb('version', '+', 1) }))
    .where('id', '=', goalId)
    .where('referral_id', '=', referralId)
    .where('version', '=', version)
    .executeTakeFirst();
  if (Number(r.numUpdatedRows) === 1) return 'ok';
  const found = await db.selectFrom('mentoring_goals').where('id', '=', goalId).where('referral_id', '=', referralId);
  return (await found.select('id').executeTakeFirst()) ? 'stale' : 'missing';
}

export async function insertSession(
  db: Executor,
  s: {
    authority_id: string;
    person_id: string;
    referral_id: string;
    held_on: string;
    attended: boolean;
    not_attended_reason: string | null;
    notes: string | null;
    recorded_by: string;
  },
): Promise<string> {
  return (await db.insertInto('mentoring_sessions').values(s).returning('id').executeTakeFirstOrThrow()).id;
}

export function sessionsOf(db: Executor, referralIds: readonly string[]) {
  if (!referralIds.length) return Promise.resolve([]);
  return db
    .selectFrom('mentoring_sessions as s')
    .innerJoin('users as u', 'u.id', 's.recorded_by')
    .where('s.referral_id', 'in', referralIds)
    .select([
      's.id',
      's.referral_id',
      's.held_on',
      's.attended',
      's.not_attended_reason',
      's.notes',
      'u.display_name as recorded_by',
    ])
    .orderBy('s.held_on', 'desc')
    .orderBy('s.created_at', 'desc')
    .execute();
}
