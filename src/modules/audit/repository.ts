import { sql } from 'kysely';
import type { Db, Executor } from '../../db/database.ts';

export interface AuditEntry {
  authorityId: string | null;
  actorId: string | null;
  action: string;
  entity: string;
  entityId?: string | null;
  personId?: string | null;
  /** Never personal data of a young person: ids, field names and codes only. */
  detail?: Record<string, unknown>;
}

/** Appends to the hash-chained audit log; the trigger assigns seq, time and hashes. */
/** An audit row for something a member of staff did in their own council. */
export function auditBy(
  db: Executor,
  actor: { authorityId: string; id: string },
  e: Omit<AuditEntry, 'authorityId' | 'actorId'>,
): Promise<void> {
  return insertAudit(db, { authorityId: actor.authorityId, actorId: actor.id, ...e });
}

export async function insertAudit(db: Executor, e: AuditEntry): Promise<void> {
  await db
    .insertInto('audit_log')
    .values({
      authority_id: e.authorityId,
      actor_id: e.actorId,
      action: e.action,
      entity: e.entity,
      entity_id: e.entityId ?? null,
      person_id: e.personId ?? null,
      detail: JSON.stringify(e.detail ?? {}),
    })
    .execute();
}

export interface AccessEntry {
  authorityId: string;
  personId: string;
  userId: string;
  channel: 'page' | 'api' | 'export' | 'print';
  purpose: string;
  breakGlassId: string | null;
}

export async function insertAccess(db: Executor, e: AccessEntry): Promise<void> {
  await db
    .insertInto('access_log')
    .values({
      authority_id: e.authorityId,
      person_id: e.personId,
      user_id: e.userId,
      channel: e.channel,
      purpose: e.purpose,
      break_glass_id: e.breakGlassId,
    })
    .execute();
}

/**
 * One access-log row per young person read by one member of staff (a list, a report, an export), in the caller's
 * transaction (quality.md S6); written in slices of 5,000 rows so a council-wide export stays within a statement's
 * parameter limit.
 */
export async function logReadsOf(
  db: Executor,
  user: { id: string; authorityId: string },
  personIds: readonly string[],
  channel: AccessEntry['channel'],
  purpose: string,
): Promise<void> {
  for (let i = 0; i < personIds.length; i += 5000)
    await db
      .insertInto('access_log')
      .values(
        personIds.slice(i, i + 5000).map((personId) => ({
          authority_id: user.authorityId,
          person_id: personId,
          user_id: user.id,
          channel,
          purpose,
          break_glass_id: null,
        })),
      )
      .execute();
}

/**
 * Logs a member of staff's read of a record they reached through `access` (a relationship, or break-glass, which is
 * logged as the purpose), in the caller's transaction (quality.md S6).
 */
export function logRead(
  db: Executor,
  user: { id: string; authorityId: string },
  access: { personId: string; breakGlassId: string | null },
  channel: AccessEntry['channel'],
  purpose: string,
): Promise<void> {
  return insertAccess(db, {
    authorityId: user.authorityId,
    personId: access.personId,
    userId: user.id,
    channel,
    purpose: access.breakGlassId ? 'break-glass' : purpose,
    breakGlassId: access.breakGlassId,
  });
}

export interface ChainRow {
  seq: number;
  hash: string;
  prev_hash: string;
  expected: string;
}

/** A page of the chain with each row's recomputed hash, in order. */
export async function chainPage(db: Db, afterSeq: number, limit: number): Promise<ChainRow[]> {
  const res = await sql<ChainRow>`
    SELECT a.seq, a.hash, a.prev_hash, encode(sha256(convert_to(audit_row_text(a), 'UTF8')), 'hex') AS expected
    FROM audit_log a WHERE a.seq > ${afterSeq} ORDER BY a.seq LIMIT ${limit}`.execute(db);
  return res.rows;
}

export async function chainHead(db: Db): Promise<{ seq: number; hash: string }> {
  const res = await sql<{ seq: number; hash: string }>`SELECT seq, hash FROM audit_chain_head`.execute(db);
  return res.rows[0] ?? { seq: 0, hash: '0'.repeat(64) };
}

export async function accessRowsForPerson(db: Executor, authorityId: string, personId: string, limit: number) {
  return db
    .selectFrom('access_log as a')
    .innerJoin('users as u', 'u.id', 'a.user_id')
    .where('a.person_id', '=', personId)
    .where('a.authority_id', '=', authorityId)
    .orderBy('a.at', 'desc')
    .orderBy('a.id', 'desc')
    .limit(limit)
    .select(['a.at', 'a.channel', 'a.purpose', 'a.break_glass_id', 'u.display_name', 'u.job_title', 'u.email'])
    .execute();
}
