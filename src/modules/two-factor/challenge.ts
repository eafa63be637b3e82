// The hand-over from a correct password to the second factor (issue 17): the password step calls this, and for an
// account that needs a second factor gets a challenge instead of a session. Imports nothing from auth, which
// imports it.
import { createHash, randomBytes } from 'node:crypto';
import type { Config } from '../../config.ts';
import type { Executor } from '../../db/database.ts';
import { needsSecondFactor } from '../../domain/two-factor.ts';
import * as repo from './repository.ts';

/** Ten minutes to find the phone and type a code (or enrol); then sign in again. */
export const CHALLENGE_MINUTES = 10;

export const challengeHash = (token: string) =>
  createHash('sha256').update(`two-factor-challenge\n${token}`).digest('hex');

/** The challenge's cookie: HttpOnly, SameSite=Lax, host-only, gone with the browser or after ten minutes. */
export function challengeCookie(config: Config) {
  return {
    name: `${config.cookieSecure ? '__Host-' : ''}handover-two-factor`,
    options: {
      path: '/',
      httpOnly: true,
      secure: config.cookieSecure,
      sameSite: 'lax' as const,
      maxAge: CHALLENGE_MINUTES * 60,
    },
  };
}

export type SecondFactorStep = { challengeToken: string; enrolled: boolean } | null;

/**
 * Null when this user signs in with their password alone (TWO_FACTOR=off, or council staff who are not
 * administrators); otherwise a new challenge (only its token's hash is stored) and whether they have enrolled yet.
 */
export async function startSecondFactor(
  tx: Executor,
  config: Config,
  userId: string,
  now: Date,
): Promise<SecondFactorStep> {
  if (config.twoFactor !== 'required') return null;
  const subject = await repo.findSignInSubject(tx, userId);
  if (!subject || !needsSecondFactor({ roles: subject.roles, serviceExternal: subject.external })) return null;
  await repo.deleteExpiredChallenges(tx, now);
  const challengeToken = randomBytes(32).toString('base64url');
  await repo.insertChallenge(tx, {
    token_hash: challengeHash(challengeToken),
    authority_id: subject.authority_id,
    user_id: subject.id,
    expires_at: new Date(now.getTime() + CHALLENGE_MINUTES * 60_000),
  });
  const factor = await repo.findFactor(tx, userId);
  return { challengeToken, enrolled: Boolean(factor) };
}
