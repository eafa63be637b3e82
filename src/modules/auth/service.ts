import { createHash, randomBytes } from 'node:crypto';
import type { Config } from '../../config.ts';
import type { Db, Tx } from '../../db/database.ts';
import { capabilitiesOf } from '../../domain/roles.ts';
import type { AuthState, AuthUser } from '../../http/types.ts';
import { insertAudit } from '../audit/repository.ts';
import { startSecondFactor } from '../two-factor/challenge.ts';
import { verifyPassword } from './passwords.ts';
import * as repo from './repository.ts';
import { readTokenRequest } from './tokens.ts';

export const sha256 = (value: string) => createHash('sha256').update(value).digest('hex');
const newSecret = () => randomBytes(32).toString('base64url');

export type LoginResult =
  | { kind: 'ok'; sessionToken: string; userId: string }
  /** The password was right, but this account needs a second factor: a challenge, never a session (issue 17). */
  | { kind: 'second-factor'; challengeToken: string; enrolled: boolean }
  | { kind: 'invalid' }
  | { kind: 'throttled' };

function toAuthUser(u: NonNullable<Awaited<ReturnType<typeof repo.loadAuthUser>>>): AuthUser {
  return {
    id: u.id,
    authorityId: u.authority_id,
    email: u.email,
    displayName: u.display_name,
    roles: u.roles,
    caps: capabilitiesOf(u.roles),
    teamIds: u.teamIds,
  };
}

/**
 * What sign-in failures are counted against (issue 9 finding 6, docs/decisions.md): the account at this address (the
 * lock: 429 after LOGIN_FAILURES_PER_MINUTE), and, with higher limits, the address over all accounts and the account
 * over all addresses. One person's failures never lock out others behind the same proxy. Emails are hashed.
 */
/** The signed-in shape of a user by id (null when there is no such active user): for jobs and the demo. */
export async function authUserById(db: Db, userId: string): Promise<AuthUser | null> {
  const u = await repo.loadAuthUser(db, userId);
  return u ? toAuthUser(u) : null;
}

export function loginThrottleKeys(config: Config, email: string, ip: string): repo.ThrottleKey[] {
  return [
    { key: `account-address:${sha256(`${email}\n${ip}`)}`, limit: config.loginFailuresPerMinute },
    { key: `address:${sha256(ip)}`, limit: config.loginFailuresPerAddressPerMinute },
    { key: `account:${sha256(email)}`, limit: config.loginFailuresPerAccountPerMinute },
  ];
}

/**
 * Starts a signed-in session for an active user in the caller's transaction and returns its token (only the hash is
 * stored): a fresh id at every sign-in, so a session id known before sign-in is never promoted (S10). `detail` says
 * how they signed in (password, oidc, second factor…) and goes on the audit row; never a token or a code.
 */
export async function startSession(
  tx: Tx,
  user: { id: string; authority_id: string },
  at: Date,
  detail: Record<string, unknown>,
): Promise<string> {
  const sessionToken = newSecret();
  await repo.insertSession(tx, {
    id_hash: sha256(sessionToken),
    user_id: user.id,
    csrf_token: newSecret(),
    created_at: at,
    last_seen_at: at,
  });
  await insertAudit(tx, {
    authorityId: user.authority_id,
    actorId: user.id,
    action: 'login',
    entity: 'session',
    detail,
  });
  return sessionToken;
}

export class AuthService {
  constructor(
    private readonly db: Db,
    private readonly config: Config,
    private readonly now: () => Date,
  ) {}

  /**
   * Same answer for an unknown user and a wrong password (quality.md S12). Throttled per account at this address, per
   * address and per account (loginThrottleKeys): an attempt is taken atomically before the password is checked, a
   * refused one is answered without checking it and counts for nothing, and a correct password gives its attempt back.
   * An account that needs a second factor (src/domain/two-factor.ts) gets a challenge, not a session (issue 17).
   */
  async login(emailInput: string, password: string, ip: string): Promise<LoginResult> {
    const email = emailInput.trim().toLowerCase();
    const taken = await repo.takeLoginAttempt(this.db, loginThrottleKeys(this.config, email, ip), this.now(), 60_000);
    if (!taken) return { kind: 'throttled' };
    const user = await repo.findUserForLogin(this.db, email);
    const ok = await verifyPassword(user?.active ? user.password_hash : null, password);
    if (!ok || !user) return { kind: 'invalid' };
    return this.db.transaction().execute(async (tx): Promise<LoginResult> => {
      await repo.releaseLoginAttempt(tx, taken);
      const second = await startSecondFactor(tx, this.config, user.id, this.now());
      if (second) return { kind: 'second-factor', ...second };
      const sessionToken = await startSession(tx, user, this.now(), { method: 'password' });
      return { kind: 'ok', sessionToken, userId: user.id };
    });
  }

  async resolveSession(sessionToken: string): Promise<AuthState | null> {
    const idHash = sha256(sessionToken);
    return this.settleSession(idHash, await repo.findSessionWithUser(this.db, idHash), this.now());
  }

  /**
   * For a route that reads the session inside its own statement (src/http/session.ts, deferAccess): the instant it is
   * judged at, the earliest last-seen and sign-in times still live then (the idle and absolute limits, for the
   * statement's own check), and `settle` to judge the row the statement read exactly as resolveSession would.
   */
  deferSession(sessionToken: string) {
    const idHash = sha256(sessionToken);
    const now = this.now();
    return {
      idHash,
      now,
      idleSince: new Date(now.getTime() - this.config.sessionIdleMinutes * 60_000),
      createdSince: new Date(now.getTime() - this.config.sessionAbsoluteHours * 3_600_000),
      settle: (row: repo.SessionWithUser | undefined) => this.settleSession(idHash, row, now),
    };
  }

  /**
   * What a session row read at `now` means: null when there is none or it is past its idle or absolute limit (then it
   * is deleted); else the signed-in state, the session touched at most once a minute.
   */
  async settleSession(idHash: string, s: repo.SessionWithUser | undefined, now: Date): Promise<AuthState | null> {
    if (!s) return null;
    const idleLimit = s.last_seen_at.getTime() + this.config.sessionIdleMinutes * 60_000;
    const absoluteLimit = s.created_at.getTime() + this.config.sessionAbsoluteHours * 3_600_000;
    if (now.getTime() >= idleLimit || now.getTime() >= absoluteLimit) {
      await repo.deleteSession(this.db, idHash);
      return null;
    }
    // Touch at most once a minute: idle time is measured in minutes, and this keeps reads cheap.
    if (now.getTime() - s.last_seen_at.getTime() > 60_000) await repo.touchSession(this.db, idHash, now);
    const user = toAuthUser({
      id: s.user_id,
      authority_id: s.authority_id as string,
      email: s.email,
      display_name: s.display_name,
      roles: s.roles,
      teamIds: s.team_ids,
    });
    return { user, via: 'session', session: { idHash, csrfToken: s.csrf_token }, unreadNotifications: s.unread };
  }

  async logout(state: AuthState): Promise<void> {
    if (!state.session) return;
    await this.db.transaction().execute(async (tx) => {
      await repo.deleteSession(tx, state.session!.idHash);
      await insertAudit(tx, {
        authorityId: state.user.authorityId,
        actorId: state.user.id,
        action: 'logout',
        entity: 'session',
      });
    });
  }

  /** Revoked, expired or unknown: null, so the request gets a 401 (issue 9, finding 9). */
  async resolveToken(token: string): Promise<AuthState | null> {
    const t = await repo.findToken(this.db, sha256(token));
    const now = this.now();
    if (!t || t.expires_at.getTime() <= now.getTime()) return null;
    // Last used: at most one write a minute per token, not one per request.
    if (!t.last_used_at || now.getTime() - t.last_used_at.getTime() >= 60_000)
      await repo.touchToken(this.db, t.id, now);
    const user = await repo.loadAuthUser(this.db, t.user_id);
    return user ? { user: toAuthUser(user), via: 'token' } : null;
  }

  /**
   * Returns the token once; only its hash is stored. It lasts `days` (API_TOKEN_DAYS unless given, at most
   * API_TOKEN_MAX_DAYS); a bad name or number of days is a ValidationError naming the field.
   */
  async createApiToken(
    email: string,
    name: string,
    days?: number | string,
  ): Promise<{ token: string; expiresAt: Date } | null> {
    const input = readTokenRequest({ name, days }, this.config);
    const user = await repo.findUserForLogin(this.db, email.trim().toLowerCase());
    if (!user?.active) return null;
    const token = `hov_${newSecret()}`;
    const createdAt = this.now();
    const expiresAt = new Date(createdAt.getTime() + input.days * 86_400_000);
    await this.db.transaction().execute(async (tx) => {
      const row = await repo.insertToken(tx, {
        user_id: user.id,
        token_hash: sha256(token),
        label: input.name,
        created_at: createdAt,
        expires_at: expiresAt,
      });
      await insertAudit(tx, {
        authorityId: user.authority_id,
        actorId: null,
        action: 'create',
        entity: 'api_token',
        entityId: row.id,
        detail: { user_id: user.id, expires_at: expiresAt.toISOString() },
      });
    });
    return { token, expiresAt };
  }
}
