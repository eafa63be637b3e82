import { type ExpressionBuilder, sql } from 'kysely';
import type { Executor } from '../../db/database.ts';
import type { Database, PersonTable } from '../../db/schema.ts';
import { opensRecordsByRelationship } from '../../domain/roles.ts';

export interface RelationshipRow {
  exists: boolean;
  related: boolean;
  breakGlassId: string | null;
}

/**
 * One query: does the person exist in the user's authority, does the user have a relationship
 * (allocated worker, member of an involved team, line manager of the allocated worker), and is there
 * an unexpired break-glass grant.
 */
type PersonScope = ExpressionBuilder<Database & { p: PersonTable }, 'p'>;
export interface Viewer {
  id: string;
  authorityId: string;
  teamIds: string[];
  /** Roles decide whether relationships open records at all (RECORD_REACH in domain/roles.ts). */
  roles: readonly string[];
}

/**
 * Every relationship that opens a young person's record (design.md §7), as conditions on people `p`. The record
 * check below and every list, search and count use this one definition, so they can never disagree (S3).
 */
export function relationshipConditions(eb: PersonScope, user: Viewer) {
  // An advice giver (and nobody else) reaches only the advice requests addressed to them, never the record: no
  // team, panel, protocol step or allocation opens it (issue 9 finding 5). An empty list is `1 = 0` in Kysely.
  if (!opensRecordsByRelationship(user.roles)) return [];
  const one = sql.lit(1).as('one');
  return [
    // Allocated worker, member of an involved team, or line manager of the allocated worker.
    eb.exists(
      eb
        .selectFrom('involvements as i')
        .leftJoin('users as w', 'w.id', 'i.worker_id')
        .whereRef('i.person_id', '=', 'p.id')
        .where('i.end_date', 'is', null)
        .where((w) =>
          w.or([
            w('i.worker_id', '=', user.id),
            w('w.line_manager_id', '=', user.id),
            ...(user.teamIds.length > 0 ? [w('i.team_id', 'in', user.teamIds)] : []),
          ]),
        )
        .select(one),
    ),
    // A member of the receiving team of a transfer in progress, to accept or return it.
    ...(user.teamIds.length > 0
      ? [
          eb.exists(
            eb
              .selectFrom('transfers as x')
              .whereRef('x.person_id', '=', 'p.id')
              .where('x.status', 'in', ['sent', 'returned', 'accepted'])
              .where('x.to_team_id', 'in', user.teamIds)
              .select(one),
          ),
        ]
      : []),
    // The owner of an open protocol step on the case.
    eb.exists(
      eb
        .selectFrom('protocol_steps as s')
        .whereRef('s.person_id', '=', 'p.id')
        .where('s.status', '=', 'open')
        .where('s.owner_user_id', '=', user.id)
        .select(one),
    ),
    // A member of a named-case panel (the 16-17 forum) with the person open on its agenda. Pseudonymised panels
    // (the Governance Group, the SEND board) never open a record.
    eb.exists(
      eb
        .selectFrom('panel_items as pi')
        .innerJoin('panels as pn', 'pn.id', 'pi.panel_id')
        .innerJoin('panel_members as pm', 'pm.panel_id', 'pi.panel_id')
        .whereRef('pi.person_id', '=', 'p.id')
        .where('pi.status', '=', 'open')
        .where('pn.pseudonymised', '=', false)
        .where('pm.user_id', '=', user.id)
        .select(one),
    ),
    // The person an open referral is addressed to.
    eb.exists(
      eb
        .selectFrom('referrals as r')
        .innerJoin('protocol_instances as ri', 'ri.id', 'r.protocol_instance_id')
        .whereRef('r.person_id', '=', 'p.id')
        .where('r.to_user_id', '=', user.id)
        .where('ri.status', '=', 'open')
        .select(one),
    ),
  ];
}

/**
 * One query: does the person exist in the user's authority, does the user have a relationship, and is there an
 * unexpired break-glass grant.
 */
export async function findRelationship(
  db: Executor,
  user: Viewer,
  personId: string,
  now: Date,
): Promise<RelationshipRow> {
  const row = await db
    .selectFrom('people as p')
    .where('p.id', '=', personId)
    .where('p.authority_id', '=', user.authorityId)
    .select((eb) => [
      eb.or(relationshipConditions(eb, user)).as('related'),
      eb
        .selectFrom('break_glass as b')
        .whereRef('b.person_id', '=', 'p.id')
        .where('b.user_id', '=', user.id)
        .where('b.expires_at', '>', now)
        .orderBy('b.expires_at', 'desc')
        .limit(1)
        .select('b.id')
        .as('break_glass_id'),
    ])
    .executeTakeFirst();
  if (!row) return { exists: false, related: false, breakGlassId: null };
  return { exists: true, related: Boolean(row.related), breakGlassId: row.break_glass_id ?? null };
}
