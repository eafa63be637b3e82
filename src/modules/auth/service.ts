import { createHash, randomBytes } from 'node:crypto';
import type { Config } from '../../config.ts';
import type { Db } from '../../db/database.ts';
import { capabilitiesOf } from '../../domain/roles.ts';
import type { AuthState, AuthUser } from '../../http/types.ts';
import { insertAudit } from '../audit/repository.ts';
import { verifyPassword } from './passwords.ts';
import * as repo from './repository.ts';
import { readTokenRequest } from './tokens.ts';

export const sha256 = (value: string) => createHash('sha256').update(value).digest('hex');
const newSecret = () => randomBytes(32).toString('base64url');

export type LoginResult =
  | { kind: 'ok'; sessionToken: string; userId: string }
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

export class AuthService {
  constructor(
    private readonly db: Db,
    private readonly config: Config,
    private readonly now: () => Date,
  ) {}

  /** Same answer for an unknown user and a wrong password (quality.md S12). */
  async login(emailInput: string, password: string, ip: string): Promise<LoginResult> {
    const email = emailInput.trim().toLowerCase();
    const subjects = [`acct:${sha256(email)}`, `ip:${ip}`];
    const since = new Date(this.now().getTime() - 60_000);
    const counts = await repo.countRecentFailures(this.db, subjects, since);
    if (subjects.some((s) => (counts.get(s) ?? 0) >= this.config.loginFailuresPerMinute)) {
      await repo.insertFailures(this.db, subjects, this.now());
      return { kind: 'throttled' };
    }
    const user = await repo.findUserForLogin(this.db, email);
    const ok = await verifyPassword(user?.active ? user.password_hash : null, password);
    if (!ok || !user) {
      await repo.insertFailures(this.db, subjects, this.now());
      return { kind: 'invalid' };
    }
    // A fresh id at every sign-in: a session id known before login is never promoted (S10).
    const sessionToken = newSecret();
    await this.db.transaction().execute(async (tx) => {
      const at = this.now();
      await repo.insertSession(tx, {
        id_hash: sha256(sessionToken),
        user_id: user.id,
        csrf_token: newSecret(),
        created_at: at,
        last_seen_at: at,
      });
      await insertAudit(tx, { authorityId: user.authority_id, actorId: user.id, action: 'login', entity: 'session' });
    });
    return { kind: 'ok', sessionToken, userId: user.id };
  }

  async resolveSession(sessionToken: string): Promise<AuthState | null> {
    const idHash = sha256(sessionToken);
    const s = await repo.findSessionWithUser(this.db, idHash);
    if (!s) return null;
    const now = this.now();
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
