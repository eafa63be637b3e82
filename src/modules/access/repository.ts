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
      // A member of the receiving team of a transfer in progress may see the case, to accept or return it.
      ...(user.teamIds.length > 0
        ? [
            eb
              .exists(
                eb
                  .selectFrom('transfers as x')
                  .whereRef('x.person_id', '=', 'p.id')
                  .where('x.status', 'in', ['sent', 'returned', 'accepted'])
                  .where('x.to_team_id', 'in', user.teamIds)
                  .select(sql.lit(1).as('one')),
              )
              .as('receiving_team'),
          ]
        : []),
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
      // A member of a named-case panel (the 16-17 forum) with the person open on its agenda, and the person an
      // open referral is addressed to, may see the record while that lasts. Pseudonymised panels (the Governance
      // Group, the SEND board) never open a record.
      eb
        .exists(
          eb
            .selectFrom('panel_items as pi')
            .innerJoin('panels as pn', 'pn.id', 'pi.panel_id')
            .innerJoin('panel_members as pm', 'pm.panel_id', 'pi.panel_id')
            .whereRef('pi.person_id', '=', 'p.id')
            .where('pi.status', '=', 'open')
            .where('pn.pseudonymised', '=', false)
            .where('pm.user_id', '=', user.id)
            .select(sql.lit(1).as('one')),
        )
        .as('panel_member'),
      eb
        .exists(
          eb
            .selectFrom('referrals as r')
            .whereRef('r.person_id', '=', 'p.id')
            .where('r.to_user_id', '=', user.id)
            .where('r.status', 'in', ['sent', 'accepted'])
            .select(sql.lit(1).as('one')),
        )
        .as('referred_to'),
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
  return {
    exists: true,
    related:
      Boolean(row.related) ||
      Boolean(row.step_owner) ||
      Boolean(row.panel_member) ||
      Boolean(row.referred_to) ||
      Boolean((row as { receiving_team?: unknown }).receiving_team),
    breakGlassId: row.break_glass_id ?? null,
  };
}
