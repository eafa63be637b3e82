import { sql } from 'kysely';
import type { Db, Executor } from '../../db/database.ts';

export async function findUserForLogin(db: Executor, email: string) {
  return db
    .selectFrom('users')
    .where('email', '=', email)
    .select(['id', 'authority_id', 'password_hash', 'active'])
    .executeTakeFirst();
}

export async function loadAuthUser(db: Executor, userId: string) {
  const user = await db
    .selectFrom('users')
    .where('id', '=', userId)
    .where('active', '=', true)
    .select(['id', 'authority_id', 'email', 'display_name', 'roles'])
    .executeTakeFirst();
  if (!user) return null;
  const teams = await db.selectFrom('team_members').where('user_id', '=', userId).select('team_id').execute();
  return { ...user, teamIds: teams.map((t) => t.team_id) };
}

/** A session with its active user, their teams and their unread-notification count (findSessionWithUser). */
export interface SessionWithUser {
  user_id: string;
  csrf_token: string;
  created_at: Date;
  last_seen_at: Date;
  authority_id: string | null;
  email: string;
  display_name: string;
  roles: string[];
  team_ids: string[];
  unread: number;
}

/**
 * The query of findSessionWithUser, for statements that resolve the session as one part of a larger read (the record
 * page's one statement): the session's columns are SessionWithUser's.
 */
export function sessionWithUserQuery(idHash: unknown) {
  return sql<SessionWithUser>`
    SELECT s.user_id, s.csrf_token, s.created_at, s.last_seen_at,
           u.authority_id, u.email, u.display_name, u.roles,
           coalesce((SELECT array_agg(m.team_id) FROM team_members m WHERE m.user_id = u.id), '{}') AS team_ids,
           (SELECT count(*)::int FROM (SELECT 1 FROM notifications n WHERE n.user_id = u.id AND n.read_at IS NULL LIMIT 100) x) AS unread
    FROM sessions s JOIN users u ON u.id = s.user_id AND u.active
    WHERE s.id_hash = ${idHash}`;
}

/**
 * A session with its active user, their teams and their unread-notification count (capped at 100), in one
 * query: this runs on every signed-in request.
 */
export async function findSessionWithUser(db: Executor, idHash: string): Promise<SessionWithUser | undefined> {
  const res = await sessionWithUserQuery(idHash).execute(db);
  return res.rows[0];
}

export async function findSession(db: Executor, idHash: string) {
  return db
    .selectFrom('sessions')
    .where('id_hash', '=', idHash)
    .select(['user_id', 'csrf_token', 'created_at', 'last_seen_at'])
    .executeTakeFirst();
}

export async function insertSession(
  db: Executor,
  row: { id_hash: string; user_id: string; csrf_token: string; created_at: Date; last_seen_at: Date },
) {
  await db.insertInto('sessions').values(row).execute();
}

export async function touchSession(db: Executor, idHash: string, at: Date) {
  await db.updateTable('sessions').set({ last_seen_at: at }).where('id_hash', '=', idHash).execute();
}

export async function deleteSession(db: Executor, idHash: string) {
  await db.deleteFrom('sessions').where('id_hash', '=', idHash).execute();
}

export async function deleteSessionsOfUser(db: Executor, userId: string) {
  await db.deleteFrom('sessions').where('user_id', '=', userId).execute();
}

export async function findToken(db: Executor, tokenHash: string) {
  return db
    .selectFrom('api_tokens')
    .where('token_hash', '=', tokenHash)
    .where('revoked_at', 'is', null)
    .select(['id', 'user_id', 'expires_at', 'last_used_at'])
    .executeTakeFirst();
}

export async function insertToken(
  db: Executor,
  row: { user_id: string; token_hash: string; label: string; created_at: Date; expires_at: Date },
) {
  return db.insertInto('api_tokens').values(row).returning('id').executeTakeFirstOrThrow();
}

/** Records use at most once a minute per token: one conditional UPDATE, no write on most requests. */
export async function touchToken(db: Executor, id: string, at: Date) {
  await db
    .updateTable('api_tokens')
    .set({ last_used_at: at })
    .where('id', '=', id)
    .where((eb) => eb.or([eb('last_used_at', 'is', null), eb('last_used_at', '<', new Date(at.getTime() - 60_000))]))
    .execute();
}

/** A user's tokens, newest first: never the hash. */
export async function listTokensOfUser(db: Executor, userId: string) {
  return db
    .selectFrom('api_tokens')
    .where('user_id', '=', userId)
    .orderBy('created_at', 'desc')
    .select(['id', 'label', 'created_at', 'expires_at', 'last_used_at', 'revoked_at'])
    .execute();
}

/** Revokes one live token of this user; returns whether a token was revoked. */
export async function revokeToken(db: Executor, userId: string, tokenId: string, at: Date) {
  const res = await db
    .updateTable('api_tokens')
    .set({ revoked_at: at })
    .where('id', '=', tokenId)
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return Number(res.numUpdatedRows) > 0;
}

export interface ThrottleKey {
  key: string;
  limit: number;
}

/**
 * Takes one attempt on every key, or on none (issue 9 finding 6). The keys' rows are created if new, then locked in
 * key order (so two sign-ins never deadlock) and read: a key whose one-minute window is over starts a new one; a key
 * already at its limit refuses, and then nothing changes, so a refused attempt never moves a window. Parallel
 * attempts queue on the row lock, so at most `limit` of them get past, however many arrive at once.
 * Returns each key's window start (to release the attempt on a correct password), or null when refused.
 */
export async function takeLoginAttempt(
  db: Db,
  keys: ThrottleKey[],
  now: Date,
  windowMs: number,
): Promise<Map<string, Date> | null> {
  const sorted = [...keys].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return db.transaction().execute(async (tx) => {
    await tx
      .insertInto('login_throttle')
      .values(sorted.map((k) => ({ key: k.key, window_start: now, failures: 0 })))
      .onConflict((oc) => oc.column('key').doNothing())
      .execute();
    const rows = await tx
      .selectFrom('login_throttle')
      .where(
        'key',
        'in',
        sorted.map((k) => k.key),
      )
      .orderBy('key')
      .forUpdate()
      .select(['key', 'window_start', 'failures'])
      .execute();
    const fresh = (r: (typeof rows)[number]) =>
      r.failures === 0 || now.getTime() - r.window_start.getTime() >= windowMs;
    const limits = new Map(sorted.map((k) => [k.key, k.limit]));
    if (rows.some((r) => !fresh(r) && r.failures >= (limits.get(r.key) ?? 0))) return null;
    const taken = new Map<string, Date>();
    for (const r of rows) {
      const start = fresh(r) ? now : r.window_start;
      await tx
        .updateTable('login_throttle')
        .set({ window_start: start, failures: fresh(r) ? 1 : r.failures + 1 })
        .where('key', '=', r.key)
        .execute();
      taken.set(r.key, start);
    }
    return taken;
  });
}

/** Gives back the attempts taken by a sign-in whose password was right: only failures count. */
export async function releaseLoginAttempt(db: Executor, taken: Map<string, Date>) {
  for (const [key, start] of taken)
    await db
      .updateTable('login_throttle')
      .set((eb) => ({ failures: eb('failures', '-', 1) }))
      .where('key', '=', key)
      .where('window_start', '=', start)
      .where('failures', '>', 0)
      .execute();
}
