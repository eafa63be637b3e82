// "Record a change": one line on the young person's timeline and one audit row, in the caller's transaction, so
// what people read and what the audit holds can never disagree. Every module records its changes through this.
import type { Executor } from '../../db/database.ts';
import { insertAudit } from '../audit/repository.ts';
import { insertEvent } from '../people/repository.ts';

export interface Change {
  /** Who made it (null: the system, e.g. the deadline sweep) and in which council. */
  actor: { id: string | null; authorityId: string };
  personId: string;
  /** The timeline's grouping (record, status, plan, transfer, ehcp, protocol…). */
  kind: string;
  /** What the timeline says: written for the people on the case; ids and free text in `audit` only as needed. */
  title: string;
  detail?: string | null;
  audit: { action: string; entity: string; entityId: string | null; detail?: Record<string, unknown> };
}

export async function recordChange(tx: Executor, c: Change): Promise<void> {
  await insertEvent(tx, {
    authority_id: c.actor.authorityId,
    person_id: c.personId,
    kind: c.kind,
    title: c.title,
    detail: c.detail ?? null,
    actor_id: c.actor.id,
  });
  await insertAudit(tx, {
    authorityId: c.actor.authorityId,
    actorId: c.actor.id,
    action: c.audit.action,
    entity: c.audit.entity,
    entityId: c.audit.entityId,
    personId: c.personId,
    detail: c.audit.detail ?? {},
  });
}
