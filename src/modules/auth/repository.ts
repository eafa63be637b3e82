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
    .select(['id', 'user_id'])
    .executeTakeFirst();
}

export async function insertToken(db: Executor, row: { user_id: string; token_hash: string; label: string }) {
  return db.insertInto('api_tokens').values(row).returning('id').executeTakeFirstOrThrow();
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
