import { type ExpressionBuilder, sql } from 'kysely';
import { type Prepared, prepared, slot } from '../../db/compiled.ts';
import type { Executor } from '../../db/database.ts';
import type { Database, PersonTable } from '../../db/schema.ts';
import { opensRecordsByRelationship, ROLES } from '../../domain/roles.ts';

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
 * Every relationship that opens a young person's record (design.md §7), each as the ids of the people it opens for
 * the viewer. The record check, every list, search and count read these rules, through relationshipConditions (one
 * person at a time) or relatedPeople (the viewer's whole caseload), so they can never disagree (S3).
 */
function relationshipRules(eb: PersonScope, user: Viewer) {
  // An advice giver (and nobody else) reaches only the advice requests addressed to them, never the record: no
  // team, panel, protocol step or allocation opens it (issue 9 finding 5).
  // Fixed statuses are written as literals, not parameters: the app's statements are prepared, and a generic plan
  // can use the partial indexes `WHERE status = 'open'` (and the like) only when it sees the value.
  if (!opensRecordsByRelationship(user.roles)) return [];
  // The workers the viewer line-manages, as one array computed once per statement, so the involvement rule reads
  // only involvements' own columns and each branch can use its index.
  const managed = sql`ARRAY(${eb.selectFrom('users as lm').where('lm.line_manager_id', '=', user.id).select('lm.id')})`;
  return [
    // Allocated worker, member of an involved team, or line manager of the allocated worker.
    eb
      .selectFrom('involvements as i')
      .where('i.end_date', 'is', null)
      .where((w) =>
        w.or([
          w('i.worker_id', '=', user.id),
          sql<boolean>`${w.ref('i.worker_id')} = ANY(${managed})`,
          ...(user.teamIds.length > 0 ? [w('i.team_id', 'in', user.teamIds)] : []),
        ]),
      )
      .select('i.person_id'),
    // A member of the receiving team of a transfer in progress, to accept or return it.
    ...(user.teamIds.length > 0
      ? [
          eb
            .selectFrom('transfers as x')
            .where('x.status', 'in', [
              sql.lit('sent' as const),
              sql.lit('returned' as const),
              sql.lit('accepted' as const),
            ])
            .where('x.to_team_id', 'in', user.teamIds)
            .select('x.person_id'),
        ]
      : []),
    // The owner of an open protocol step on the case.
    eb
      .selectFrom('protocol_steps as s')
      .where('s.status', '=', sql.lit('open'))
      .where('s.owner_user_id', '=', user.id)
      .select('s.person_id'),
    // A member of a named-case panel (the 16-17 forum) with the person open on its agenda. Pseudonymised panels
    // (the Governance Group, the SEND board) never open a record.
    eb
      .selectFrom('panel_items as pi')
      .innerJoin('panels as pn', 'pn.id', 'pi.panel_id')
      .innerJoin('panel_members as pm', 'pm.panel_id', 'pi.panel_id')
      .where('pi.status', '=', sql.lit('open'))
      .where('pn.pseudonymised', '=', sql.lit(false))
      .where('pm.user_id', '=', user.id)
      .select('pi.person_id'),
    // The person an open referral is addressed to.
    eb
      .selectFrom('referrals as r')
      .innerJoin('protocol_instances as ri', 'ri.id', 'r.protocol_instance_id')
      .where('r.to_user_id', '=', user.id)
      .where('ri.status', '=', sql.lit('open'))
      .select('r.person_id'),
  ];
}

/**
 * The relationships of relationshipRules as conditions on people `p`, one EXISTS each: for checking one person or
 * a few (the record page, names in a list). An empty list is `1 = 0` in Kysely (`eb.or([])`).
 */
export function relationshipConditions(eb: PersonScope, user: Viewer) {
  return relationshipRules(eb, user).map((rule) =>
    eb.exists(eb.selectFrom(rule.as('rel')).whereRef('rel.person_id', '=', 'p.id').select(sql.lit(1).as('one'))),
  );
}

/**
 * The same relationships as one condition `p.id IN (the union of each rule's people)`: for searches and lists, which
 * the database can then drive from the viewer's caseload instead of checking every person of the council.
 */
export function relatedPeople(eb: PersonScope, user: Viewer) {
  const rules = relationshipRules(eb, user);
  if (rules.length === 0) return eb.lit(false);
  return eb('p.id', 'in', sql<string>`(${sql.join(rules, sql` UNION `)})`);
}

/**
 * The viewer as slots of a statement compiled once (db/compiled.ts): their id and council as parameters, their teams
 * as one array parameter (`team_id IN (SELECT unnest($teams))`, an empty array matching none). `roles` only decides
 * whether the rules apply at all (opensRecordsByRelationship), so a statement is compiled for each of the two answers.
 */
function slotViewer(opens: boolean): Viewer {
  return {
    id: slot('userId'),
    authorityId: slot('authorityId'),
    teamIds: [sql`SELECT unnest(CAST(${slot('teamIds')} AS uuid[]))`] as unknown as string[],
    roles: opens ? RELATIONSHIP_ROLES : [],
  };
}

/** The roles for which relationships open records (RECORD_REACH), for statements that decide it in SQL. */
export const RELATIONSHIP_ROLES: readonly string[] = Object.keys(ROLES).filter((r) => opensRecordsByRelationship([r]));

type RelationshipSlots = 'userId' | 'authorityId' | 'teamIds' | 'personId' | 'now';
const relationshipStatements = new Map<boolean, Prepared<RelationshipSlots>>();

function relationshipStatement(db: Executor, opens: boolean): Prepared<RelationshipSlots> {
  let statement = relationshipStatements.get(opens);
  if (!statement) {
    const viewer = slotViewer(opens);
    const compiled = db
      .selectFrom('people as p')
      .where('p.id', '=', slot('personId'))
      .where('p.authority_id', '=', viewer.authorityId)
      .select((eb) => [
        eb.or(relationshipConditions(eb, viewer)).as('related'),
        eb
          .selectFrom('break_glass as b')
          .whereRef('b.person_id', '=', 'p.id')
          .where('b.user_id', '=', viewer.id)
          .where('b.expires_at', '>', slot<Date>('now'))
          .orderBy('b.expires_at', 'desc')
          .limit(1)
          .select('b.id')
          .as('break_glass_id'),
      ])
      .compile();
    statement = prepared<RelationshipSlots>(compiled);
    relationshipStatements.set(opens, statement);
  }
  return statement;
}

/**
 * One query: does the person exist in the user's authority, does the user have a relationship, and is there an
 * unexpired break-glass grant. The statement is built once from relationshipConditions (per answer of
 * opensRecordsByRelationship) and run with the viewer's values: no query building per call (issue 16 part 2).
 */
export async function findRelationship(
  db: Executor,
  user: Viewer,
  personId: string,
  now: Date,
): Promise<RelationshipRow> {
  const statement = relationshipStatement(db, opensRecordsByRelationship(user.roles));
  const res = await statement.run<{ related: boolean | null; break_glass_id: string | null }>(db, {
    userId: user.id,
    authorityId: user.authorityId,
    teamIds: user.teamIds,
    personId,
    now,
  });
  const row = res.rows[0];
  if (!row) return { exists: false, related: false, breakGlassId: null };
  return { exists: true, related: Boolean(row.related), breakGlassId: row.break_glass_id ?? null };
}
