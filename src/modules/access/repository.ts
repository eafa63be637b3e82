import { sql } from 'kysely';
import type { Executor } from '../../db/database.ts';

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
export async function findRelationship(
  db: Executor,
  user: { id: string; authorityId: string; teamIds: string[] },
  personId: string,
  now: Date,
): Promise<RelationshipRow> {
  const row = await db
    .selectFrom('people as p')
    .where('p.id', '=', personId)
    .where('p.authority_id', '=', user.authorityId)
    .select((eb) => [
      eb
        .exists(
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
            .select(sql.lit(1).as('one')),
        )
        .as('related'),
      // The owner of an open protocol step on the case (e.g. an advice giver asked for advice) may see it.
      eb
        .exists(
          eb
            .selectFrom('protocol_steps as s')
            .whereRef('s.person_id', '=', 'p.id')
            .where('s.status', '=', 'open')
            .where('s.owner_user_id', '=', user.id)
            .select(sql.lit(1).as('one')),
        )
        .as('step_owner'),
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
  return { exists: true, related: Boolean(row.related) || Boolean(row.step_owner), breakGlassId: row.break_glass_id ?? null };
}
