import { sql } from 'kysely';
import type { Executor } from '../../db/database.ts';

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

/**
 * A session with its active user, their teams and their unread-notification count (capped at 100), in one
 * query: this runs on every signed-in request.
 */
export async function findSessionWithUser(db: Executor, idHash: string) {
  const res = await sql<{
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
  }>`
    SELECT s.user_id, s.csrf_token, s.created_at, s.last_seen_at,
           u.authority_id, u.email, u.display_name, u.roles,
           coalesce((SELECT array_agg(m.team_id) FROM team_members m WHERE m.user_id = u.id), '{}') AS team_ids,
           (SELECT count(*)::int FROM (SELECT 1 FROM notifications n WHERE n.user_id = u.id AND n.read_at IS NULL LIMIT 100) x) AS unread
    FROM sessions s JOIN users u ON u.id = s.user_id AND u.active
    WHERE s.id_hash = ${idHash}`.execute(db);
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

export async function countRecentFailures(db: Executor, subjects: string[], since: Date) {
  const rows = await db
    .selectFrom('login_failures')
    .where('subject', 'in', subjects)
    .where('at', '>', since)
    .select(['subject', (eb) => eb.fn.countAll<number>().as('n')])
    .groupBy('subject')
    .execute();
  return new Map(rows.map((r) => [r.subject, Number(r.n)]));
}

export async function insertFailures(db: Executor, subjects: string[], at: Date) {
  await db
    .insertInto('login_failures')
    .values(subjects.map((subject) => ({ subject, at })))
    .execute();
}
