// Two-factor sign-in (issue 17): the second step after a correct password (enrolment on first sign-in, then a code
// from the authenticator app or a recovery code), the signed-in user's own status and new recovery codes, and an
// administrator's reset. Every wrong code is throttled with the password's store, per account, and a challenge takes
// at most MAX_ATTEMPTS; every session starts through startSession, so its id is new (S10).
import { createHash } from 'node:crypto';
import type { Config } from '../../config.ts';
import type { Db, Tx } from '../../db/database.ts';
import { needsSecondFactor } from '../../domain/two-factor.ts';
import { NotFound } from '../../http/errors.ts';
import type { AuthUser } from '../../http/types.ts';
import { auditBy, insertAudit } from '../audit/repository.ts';
import * as authRepo from '../auth/repository.ts';
import { startSession } from '../auth/service.ts';
import { challengeHash } from './challenge.ts';
import {
  acceptedStep,
  groupedSecret,
  newRecoveryCodes,
  newTotpSecret,
  qrCodeSvg,
  readTotpCode,
  recoveryCodeHash,
} from './codes.ts';
import * as repo from './repository.ts';

/** Wrong codes one challenge may take before its holder must sign in again with the password. */
export const MAX_ATTEMPTS = 5;
/** Wrong codes an account may give in a day (over all challenges) before it must wait for the next day. */
export const DAILY_WRONG_CODES = 20;

export type CodeResult =
  | { kind: 'ok'; sessionToken: string }
  | { kind: 'missing' }
  | { kind: 'invalid' }
  | { kind: 'throttled' }
  /** No live challenge (expired, used, never made) or too many wrong codes on it: sign in again. */
  | { kind: 'expired' };

export type EnrolResult = Exclude<CodeResult, { kind: 'ok' }> | { kind: 'ok'; recoveryCodes: string[] };

type Challenge = NonNullable<Awaited<ReturnType<typeof repo.findChallenge>>>;

export class TwoFactorService {
  constructor(
    private readonly db: Db,
    private readonly config: Config,
    private readonly now: () => Date,
  ) {}

  /** The challenge behind a cookie, if it is live: null sends them back to sign in. */
  async challenge(token: string | undefined): Promise<Challenge | null> {
    if (!token) return null;
    return (await repo.findChallenge(this.db, challengeHash(token), this.now())) ?? null;
  }

  /** The set-up page: the secret offered to this challenge (made on the first visit, the same on a reload). */
  async setUp(challenge: Challenge): Promise<{ grouped: string; qrSvg: string }> {
    if (challenge.has_factor) throw new NotFound('Your sign-in has expired. Sign in again.');
    let secret = challenge.pending_secret;
    if (!secret) {
      await repo.setPendingSecret(this.db, challenge.token_hash, newTotpSecret());
      secret = (await repo.findChallenge(this.db, challenge.token_hash, this.now()))?.pending_secret ?? null;
      if (!secret) throw new NotFound('Your sign-in has expired. Sign in again.');
    }
    return { grouped: groupedSecret(secret), qrSvg: await qrCodeSvg(secret, challenge.email) };
  }

  /** The first code from the new app: the factor is kept and ten recovery codes are made, shown once. */
  async confirmSetUp(challenge: Challenge, codeInput: string): Promise<EnrolResult> {
    const secret = challenge.pending_secret;
    if (!secret || challenge.enrolled_at || challenge.has_factor) return { kind: 'expired' };
    return this.attempt(challenge, codeInput, readTotpCode, async (tx, code, at) => {
      const step = acceptedStep(secret, code, at, null);
      if (step === null) return null;
      if (await repo.findFactor(tx, challenge.user_id)) return null;
      await repo.insertFactor(tx, {
        user_id: challenge.user_id,
        authority_id: challenge.authority_id,
        secret,
        last_used_step: step,
        confirmed_at: at,
      });
      const recoveryCodes = await this.replaceRecoveryCodes(tx, challenge.user_id, challenge.authority_id);
      await repo.markEnrolled(tx, challenge.token_hash, at);
      await insertAudit(tx, {
        authorityId: challenge.authority_id,
        actorId: challenge.user_id,
        action: 'create',
        entity: 'two_factor',
        entityId: challenge.user_id,
        detail: { factor: 'totp', recovery_codes: recoveryCodes.length },
      });
      return { kind: 'ok' as const, recoveryCodes };
    });
  }

  /** "I have saved my recovery codes": the session starts, and the challenge is spent. */
  async finishSetUp(challenge: Challenge): Promise<CodeResult> {
    if (!challenge.enrolled_at) return { kind: 'expired' };
    return this.db.transaction().execute(async (tx) => {
      if (!(await repo.deleteChallenge(tx, challenge.token_hash))) return { kind: 'expired' };
      const sessionToken = await startSession(
        tx,
        { id: challenge.user_id, authority_id: challenge.authority_id },
        this.now(),
        {
          method: 'password',
          second_factor: 'totp',
          enrolled: true,
        },
      );
      return { kind: 'ok', sessionToken };
    });
  }

  /** A code from the authenticator app: good once, one step either side of now. */
  async verifyCode(challenge: Challenge, codeInput: string): Promise<CodeResult> {
    if (challenge.enrolled_at) return { kind: 'expired' };
    return this.attempt(challenge, codeInput, readTotpCode, async (tx, code, at) => {
      const factor = await repo.findFactor(tx, challenge.user_id);
      const step = factor ? acceptedStep(factor.secret, code, at, factor.last_used_step) : null;
      if (step === null || !(await repo.useStep(tx, challenge.user_id, step))) return null;
      return this.session(tx, challenge, { second_factor: 'totp' });
    });
  }

  /** A recovery code instead of the app: each works once. */
  async verifyRecoveryCode(challenge: Challenge, input: string): Promise<CodeResult> {
    if (challenge.enrolled_at) return { kind: 'expired' };
    return this.attempt(challenge, input, recoveryCodeHash, async (tx, hash, at) => {
      if (!(await repo.findFactor(tx, challenge.user_id))) return null;
      if (!(await repo.spendRecoveryCode(tx, challenge.user_id, hash, at))) return null;
      const left = await repo.countRecoveryCodesLeft(tx, challenge.user_id);
      return this.session(tx, challenge, { second_factor: 'recovery_code', recovery_codes_left: left });
    });
  }

  /** Whether a signed-in user has a factor, since when, and how many recovery codes are left. */
  async status(userId: string) {
    const factor = await repo.findFactor(this.db, userId);
    return {
      enrolled: Boolean(factor),
      confirmedAt: factor?.confirmed_at ?? null,
      recoveryCodesLeft: factor ? await repo.countRecoveryCodesLeft(this.db, userId) : 0,
    };
  }

  /** The signed-in user's own status, with whether their account needs a second factor. */
  async ownStatus(user: AuthUser) {
    const subject = await repo.findSignInSubject(this.db, user.id);
    const required =
      this.config.twoFactor === 'required' &&
      Boolean(subject && needsSecondFactor({ roles: subject.roles, serviceExternal: subject.external }));
    return { ...(await this.status(user.id)), required };
  }

  /** New recovery codes for the signed-in user (the old ones stop working): needs a current code from their app. */
  async renewRecoveryCodes(user: AuthUser, codeInput: string): Promise<EnrolResult> {
    const code = readTotpCode(codeInput);
    if (!code) return { kind: 'missing' };
    const taken = await this.takeCodeAttempt({ id: user.id, authority_id: user.authorityId });
    if (!taken) return { kind: 'throttled' };
    return this.db.transaction().execute(async (tx): Promise<EnrolResult> => {
      const at = this.now();
      const factor = await repo.findFactor(tx, user.id);
      const step = factor ? acceptedStep(factor.secret, code, at, factor.last_used_step) : null;
      if (step === null || !(await repo.useStep(tx, user.id, step))) return { kind: 'invalid' };
      await authRepo.releaseLoginAttempt(tx, taken);
      const recoveryCodes = await this.replaceRecoveryCodes(tx, user.id, user.authorityId);
      await auditBy(tx, user, {
        action: 'renew_recovery_codes',
        entity: 'two_factor',
        entityId: user.id,
        detail: { recovery_codes: recoveryCodes.length },
      });
      return { kind: 'ok', recoveryCodes };
    });
  }

  /** For an administrator: a user of their council, whether they need a second factor and their status. */
  async adminView(actor: AuthUser, userId: string) {
    const u = await repo.findUserOfAuthority(this.db, actor.authorityId, userId);
    if (!u) throw new NotFound('No user with that id in your council.');
    const required =
      this.config.twoFactor === 'required' &&
      u.password_hash !== null &&
      needsSecondFactor({ roles: u.roles, serviceExternal: u.external });
    return {
      account: { id: u.id, displayName: u.display_name, email: u.email },
      required,
      ...(await this.status(u.id)),
    };
  }

  /**
   * Lost phone: the factor and recovery codes go, every session of theirs ends, and they enrol again at their next
   * sign-in (their password is unchanged). Audited; the secret never is.
   */
  async reset(actor: AuthUser, userId: string): Promise<{ hadFactor: boolean }> {
    return this.db.transaction().execute(async (tx) => {
      const u = await repo.findUserOfAuthority(tx, actor.authorityId, userId);
      if (!u) throw new NotFound('No user with that id in your council.');
      const hadFactor = await repo.deleteEverything(tx, userId);
      await authRepo.deleteSessionsOfUser(tx, userId);
      await auditBy(tx, actor, {
        action: 'reset',
        entity: 'two_factor',
        entityId: userId,
        detail: { user_id: userId, had_factor: hadFactor, sessions_ended: true },
      });
      return { hadFactor };
    });
  }

  /**
   * Takes one try at a code from the account's two throttles: LOGIN_FAILURES_PER_MINUTE a minute, and at most
   * DAILY_WRONG_CODES wrong codes a day, so a holder of the password cannot guess codes slowly for weeks (the first
   * refusal of the day is audited, for the administrator to see). Null when refused; a right code gives both back.
   */
  private async takeCodeAttempt(user: { id: string; authority_id: string }): Promise<Map<string, Date> | null> {
    const key = createHash('sha256').update(user.id).digest('hex');
    const now = this.now();
    const minute = await authRepo.takeLoginAttempt(
      this.db,
      [{ key: `two-factor:${key}`, limit: this.config.loginFailuresPerMinute }],
      now,
      60_000,
    );
    if (!minute) return null;
    const day = await authRepo.takeLoginAttempt(
      this.db,
      [{ key: `two-factor-day:${key}`, limit: DAILY_WRONG_CODES }],
      now,
      86_400_000,
    );
    if (day) return new Map([...minute, ...day]);
    await authRepo.releaseLoginAttempt(this.db, minute);
    await insertAudit(this.db, {
      authorityId: user.authority_id,
      actorId: user.id,
      action: 'second_factor_refused',
      entity: 'two_factor',
      entityId: user.id,
      detail: { reason: 'daily_limit', limit: DAILY_WRONG_CODES },
    });
    return null;
  }

  /**
   * One try at a code: read it (a malformed one costs nothing), take an attempt from the account's throttle, check
   * it in one transaction, and on success give the attempt back; a wrong one counts against the challenge too.
   */
  private async attempt<T, R extends { kind: 'ok' }>(
    challenge: Challenge,
    input: string,
    read: (input: string) => T | null,
    check: (tx: Tx, value: T, at: Date) => Promise<R | null>,
  ): Promise<R | Exclude<CodeResult, { kind: 'ok' }>> {
    const value = read(input);
    if (value === null) return { kind: 'missing' };
    const taken = await this.takeCodeAttempt({ id: challenge.user_id, authority_id: challenge.authority_id });
    if (!taken) return { kind: 'throttled' };
    const ok = await this.db.transaction().execute(async (tx) => {
      const result = await check(tx, value, this.now());
      if (result) await authRepo.releaseLoginAttempt(tx, taken);
      return result;
    });
    if (ok) return ok;
    const attempts = await repo.countChallengeAttempt(this.db, challenge.token_hash);
    if (attempts >= MAX_ATTEMPTS) {
      await repo.deleteChallenge(this.db, challenge.token_hash);
      return { kind: 'expired' };
    }
    return { kind: 'invalid' };
  }

  private async session(tx: Tx, challenge: Challenge, detail: Record<string, unknown>) {
    if (!(await repo.deleteChallenge(tx, challenge.token_hash))) return null;
    const sessionToken = await startSession(
      tx,
      { id: challenge.user_id, authority_id: challenge.authority_id },
      this.now(),
      { method: 'password', ...detail },
    );
    return { kind: 'ok' as const, sessionToken };
  }

  private async replaceRecoveryCodes(tx: Tx, userId: string, authorityId: string) {
    const codes = newRecoveryCodes();
    await repo.replaceRecoveryCodes(
      tx,
      { id: userId, authority_id: authorityId },
      codes.map((c) => recoveryCodeHash(c) as string),
    );
    return codes;
  }
}
