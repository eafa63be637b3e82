// SQL for two-factor sign-in (issue 17): factors, recovery codes (hashes only), challenges (token hashes only).
import { sql } from 'kysely';
import type { Executor } from '../../db/database.ts';

/** What the sign-in rule needs about a user: roles, whether their service is an outside organisation's. */
export async function findSignInSubject(db: Executor, userId: string) {
  return db
    .selectFrom('users as u')
    .leftJoin('services as s', 's.id', 'u.service_id')
    .where('u.id', '=', userId)
    .select(['u.id', 'u.authority_id', 'u.email', 'u.roles', sql<boolean>`coalesce(s.external, false)`.as('external')])
    .executeTakeFirst();
}

export async function findFactor(db: Executor, userId: string) {
  return db
    .selectFrom('two_factor_factors')
    .where('user_id', '=', userId)
    .select(['user_id', 'secret', 'last_used_step', 'confirmed_at'])
    .executeTakeFirst();
}

export async function insertFactor(
  db: Executor,
  row: { user_id: string; authority_id: string; secret: string; last_used_step: number; confirmed_at: Date },
) {
  await db.insertInto('two_factor_factors').values(row).execute();
}

/** Moves the newest used step on, only forwards: of two requests with the same code, one wins. */
export async function useStep(db: Executor, userId: string, step: number): Promise<boolean> {
  const res = await db
    .updateTable('two_factor_factors')
    .set({ last_used_step: step })
    .where('user_id', '=', userId)
    .where((eb) => eb.or([eb('last_used_step', 'is', null), eb('last_used_step', '<', step)]))
    .executeTakeFirst();
  return Number(res.numUpdatedRows) > 0;
}

export async function replaceRecoveryCodes(db: Executor, user: { id: string; authority_id: string }, hashes: string[]) {
  await db.deleteFrom('two_factor_recovery_codes').where('user_id', '=', user.id).execute();
  await db
    .insertInto('two_factor_recovery_codes')
    .values(hashes.map((h) => ({ user_id: user.id, authority_id: user.authority_id, code_hash: h })))
    .execute();
}

/** Marks one unused code of this user used; false if it was never theirs or is spent. */
export async function spendRecoveryCode(db: Executor, userId: string, hash: string, at: Date): Promise<boolean> {
  const res = await db
    .updateTable('two_factor_recovery_codes')
    .set({ used_at: at })
    .where('user_id', '=', userId)
    .where('code_hash', '=', hash)
    .where('used_at', 'is', null)
    .executeTakeFirst();
  return Number(res.numUpdatedRows) > 0;
}

export async function countRecoveryCodesLeft(db: Executor, userId: string): Promise<number> {
  const r = await db
    .selectFrom('two_factor_recovery_codes')
    .where('user_id', '=', userId)
    .where('used_at', 'is', null)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

export async function insertChallenge(
  db: Executor,
  row: { token_hash: string; authority_id: string; user_id: string; expires_at: Date },
) {
  await db.insertInto('two_factor_challenges').values(row).execute();
}

/** A live challenge and its user (still active), or undefined. */
export async function findChallenge(db: Executor, tokenHash: string, now: Date) {
  return db
    .selectFrom('two_factor_challenges as c')
    .innerJoin('users as u', 'u.id', 'c.user_id')
    .where('c.token_hash', '=', tokenHash)
    .where('c.expires_at', '>', now)
    .where('u.active', '=', true)
    .select([
      'c.token_hash',
      'c.user_id',
      'c.authority_id',
      'c.pending_secret',
      'c.enrolled_at',
      'c.attempts',
      'u.email',
      sql<boolean>`exists (select 1 from two_factor_factors f where f.user_id = c.user_id)`.as('has_factor'),
    ])
    .executeTakeFirst();
}

export async function setPendingSecret(db: Executor, tokenHash: string, secret: string) {
  await db
    .updateTable('two_factor_challenges')
    .set({ pending_secret: secret })
    .where('token_hash', '=', tokenHash)
    .where('pending_secret', 'is', null)
    .execute();
}

/** Counts one wrong code on the challenge; returns the attempts so far. */
export async function countChallengeAttempt(db: Executor, tokenHash: string): Promise<number> {
  const r = await db
    .updateTable('two_factor_challenges')
    .set((eb) => ({ attempts: eb('attempts', '+', 1) }))
    .where('token_hash', '=', tokenHash)
    .returning('attempts')
    .executeTakeFirst();
  return r?.attempts ?? Number.POSITIVE_INFINITY;
}

export async function markEnrolled(db: Executor, tokenHash: string, at: Date) {
  await db
    .updateTable('two_factor_challenges')
    .set({ enrolled_at: at, pending_secret: null })
    .where('token_hash', '=', tokenHash)
    .execute();
}

/** Deletes the challenge; false when it was already gone (used by a parallel request). */
export async function deleteChallenge(db: Executor, tokenHash: string): Promise<boolean> {
  const res = await db.deleteFrom('two_factor_challenges').where('token_hash', '=', tokenHash).executeTakeFirst();
  return Number(res.numDeletedRows) > 0;
}

/** Challenges past their time are of no use to anyone: cleared as new ones are made. */
export async function deleteExpiredChallenges(db: Executor, now: Date) {
  await db.deleteFrom('two_factor_challenges').where('expires_at', '<=', now).execute();
}

/** An admin's reset: the factor, the recovery codes and any challenge in flight. */
export async function deleteEverything(db: Executor, userId: string) {
  const f = await db.deleteFrom('two_factor_factors').where('user_id', '=', userId).executeTakeFirst();
  await db.deleteFrom('two_factor_recovery_codes').where('user_id', '=', userId).execute();
  await db.deleteFrom('two_factor_challenges').where('user_id', '=', userId).execute();
  return Number(f.numDeletedRows) > 0;
}

/** A user of this council (for the admin's pages), or undefined. */
export async function findUserOfAuthority(db: Executor, authorityId: string, userId: string) {
  return db
    .selectFrom('users as u')
    .leftJoin('services as s', 's.id', 'u.service_id')
    .where('u.id', '=', userId)
    .where('u.authority_id', '=', authorityId)
    .select([
      'u.id',
      'u.authority_id',
      'u.display_name',
      'u.email',
      'u.roles',
      'u.password_hash',
      sql<boolean>`coalesce(s.external, false)`.as('external'),
    ])
    .executeTakeFirst();
}
