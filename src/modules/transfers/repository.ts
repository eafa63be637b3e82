// SQL for transfers, remits and allocation lists. Executor first; the caller owns the transaction.
import { sql } from 'kysely';
import type { Executor } from '../../db/database.ts';
import { LIVE, type Remit, type TransferPoint } from './rules.ts';

export async function remitsOf(db: Executor, authorityId: string): Promise<Remit[]> {
  const rows = await db
    .selectFrom('teams')
    .where('authority_id', '=', authorityId)
    .orderBy('name')
    .select(['id', 'name', 'remit_min_age', 'remit_max_age', 'remit_case_types', 'locality_id'])
    .execute();
  return rows.map((t) => ({
    id: t.id,
    name: t.name,
    min: t.remit_min_age,
    max: t.remit_max_age,
    caseTypes: t.remit_case_types,
    localityId: t.locality_id,
  }));
}

export async function pointsOf(
  db: Executor,
  authorityId: string,
): Promise<(TransferPoint & { id: string; direction: string; note: string | null })[]> {
  // The oldest age first, so a case past two points is proposed for the later one (16 → YPT, 18 → adults).
  const rows = await db
    .selectFrom('transfer_points')
    .where('authority_id', '=', authorityId)
    .orderBy(sql`at_age DESC NULLS LAST`)
    .orderBy('id')
    .selectAll()
    .execute();
  return rows.map((p) => ({
    id: p.id,
    fromTeamId: p.from_team_id,
    toTeamId: p.to_team_id,
    atAge: p.at_age,
    caseType: p.case_type,
    direction: p.direction,
    note: p.note,
  }));
}

/** Open involvements of the given teams with the person's open statuses: the caseloads a manager answers for. */
export async function openCases(db: Executor, authorityId: string, teamIds: string[]) {
  if (teamIds.length === 0) return [];
  return db
    .selectFrom('involvements as i')
    .innerJoin('people as p', 'p.id', 'i.person_id')
    .innerJoin('teams as t', 't.id', 'i.team_id')
    .leftJoin('users as w', 'w.id', 'i.worker_id')
    .where('i.authority_id', '=', authorityId)
    .where('i.team_id', 'in', teamIds)
    .where('i.end_date', 'is', null)
    .select([
      'i.id as involvement_id',
      'i.team_id',
      'i.worker_id',
      'i.unallocated_since',
      'i.start_date',
      't.name as team_name',
      'w.display_name as worker_name',
      'p.id as person_id',
      'p.case_number',
      'p.given_name',
      'p.family_name',
      'p.date_of_birth',
      'p.locality_id',
      sql<
        string[]
      >`coalesce((SELECT array_agg(s.status ORDER BY s.status) FROM person_statuses s WHERE s.person_id = p.id AND s.end_date IS NULL), '{}')`.as(
        'statuses',
      ),
      sql<
        string | null
      >`(SELECT x.id FROM transfers x WHERE x.from_involvement_id = i.id AND x.status IN ('requested','sent','returned','accepted') LIMIT 1)`.as(
        'live_transfer_id',
      ),
    ])
    .orderBy('p.family_name')
    .orderBy('p.given_name')
    .limit(2000)
    .execute();
}

export async function latestAssessment(db: Executor, involvementId: string) {
  return db
    .selectFrom('assessments')
    .where('involvement_id', '=', involvementId)
    .orderBy('completed_on', 'desc')
    .select(['id', 'kind', 'completed_on'])
    .executeTakeFirst();
}

export async function findTransfer(db: Executor, authorityId: string, personId: string, transferId: string) {
  return db
    .selectFrom('transfers as x')
    .innerJoin('teams as ft', 'ft.id', 'x.from_team_id')
    .leftJoin('teams as tt', 'tt.id', 'x.to_team_id')
    .innerJoin('involvements as fi', 'fi.id', 'x.from_involvement_id')
    .leftJoin('users as fw', 'fw.id', 'fi.worker_id')
    .leftJoin('users as rq', 'rq.id', 'x.requested_by')
    .leftJoin('users as sw', 'sw.id', 'x.summary_written_by')
    .leftJoin('users as so', 'so.id', 'x.summary_signed_off_by')
    .leftJoin('users as qa', 'qa.id', 'x.qa_by')
    .leftJoin('users as aw', 'aw.id', 'x.allocated_worker_id')
    .leftJoin('authorities as fa', 'fa.id', 'x.authority_id')
    .leftJoin('authorities as ta', 'ta.id', 'x.to_authority_id')
    .where('x.id', '=', transferId)
    .where('x.person_id', '=', personId)
    .where('x.authority_id', '=', authorityId)
    .selectAll('x')
    .select([
      'ft.name as from_team_name',
      'tt.name as to_team_name',
      'tt.remit_min_age as to_remit_min_age',
      'tt.remit_max_age as to_remit_max_age',
      'fi.worker_id as from_worker_id',
      'fi.end_date as from_end_date',
      'fw.display_name as from_worker_name',
      'fw.line_manager_id as from_worker_line_manager_id',
      'rq.display_name as requested_by_name',
      'sw.display_name as summary_written_by_name',
      'so.display_name as signed_off_by_name',
      'qa.display_name as qa_by_name',
      'aw.display_name as allocated_worker_name',
      'fa.name as from_authority_label',
      'ta.name as to_authority_label',
    ])
    .executeTakeFirst();
}

/** Owned actions on a case, each its own row (what it is, when due), sharing where they belong and who owns them. */
export async function addTasks(
  db: Executor,
  on: { authority_id: string; person_id: string; involvement_id: string; transfer_id?: string; owner_user_id: string },
  tasks: { kind: 'remedial' | 'visit' | 'review' | 'oversight'; description: string; due_date: string }[],
) {
  if (tasks.length)
    await db
      .insertInto('case_tasks')
      .values(tasks.map((t) => ({ ...on, ...t })))
      .execute();
}

/** The transfers in progress from an involvement (one at the most: a request refuses a second). */
export async function liveTransfersFrom(db: Executor, involvementId: string) {
  return db
    .selectFrom('transfers')
    .where('from_involvement_id', '=', involvementId)
    .where('status', 'in', LIVE)
    .select('id')
    .execute();
}

/** An open involvement on a record of the council, with its team and the facts a proposal reads. */
export async function openInvolvement(db: Executor, authorityId: string, personId: string, involvementId: string) {
  return db
    .selectFrom('involvements as i')
    .innerJoin('people as p', 'p.id', 'i.person_id')
    .innerJoin('teams as t', 't.id', 'i.team_id')
    .where('i.id', '=', involvementId)
    .where('i.person_id', '=', personId)
    .where('i.authority_id', '=', authorityId)
    .where('i.end_date', 'is', null)
    .select(['i.id', 'i.team_id', 'i.worker_id', 't.name as team_name', 'p.date_of_birth', 'p.locality_id'])
    .executeTakeFirst();
}

export async function lockTransfer(db: Executor, transferId: string) {
  return db.selectFrom('transfers').where('id', '=', transferId).selectAll().forUpdate().executeTakeFirst();
}

export async function tasksOfTransfer(db: Executor, transferId: string) {
  return db
    .selectFrom('case_tasks as k')
    .leftJoin('users as u', 'u.id', 'k.owner_user_id')
    .where('k.transfer_id', '=', transferId)
    .orderBy('k.created_at')
    .select([
      'k.id',
      'k.kind',
      'k.description',
      'k.due_date',
      'k.done_at',
      'k.owner_user_id',
      'u.display_name as owner_name',
    ])
    .execute();
}

export async function noticesOf(db: Executor, transferId: string) {
  return db
    .selectFrom('transfer_notices')
    .where('transfer_id', '=', transferId)
    .orderBy('created_at')
    .select(['id', 'recipient_kind', 'recipient_name', 'channel', 'document_id', 'created_at'])
    .execute();
}

/**
 * A transfer's capacity escalations: owner, due date and whether resolved come from the engine (its
 * kent-capacity-escalation instance's open step), or from the row for those raised before migration 0150.
 */
export async function escalationsOf(db: Executor, transferId: string) {
  const rows = await db
    .selectFrom('capacity_escalations as e')
    .leftJoin('protocol_instances as i', 'i.id', 'e.protocol_instance_id')
    .leftJoin('protocol_steps as s', 's.id', 'i.current_step_id')
    .where('e.transfer_id', '=', transferId)
    .orderBy('e.raised_at')
    .select([
      'e.id',
      'e.reason',
      'e.protocol_instance_id',
      'e.owner_label as legacy_owner_label',
      'e.due_date as legacy_due_date',
      'e.due_rule as legacy_due_rule',
      'e.resolved_at',
      'e.chased',
      'i.status as instance_status',
      'i.ended_at',
      's.owner_label',
      's.due_date',
      's.due_rule',
      's.escalations',
    ])
    .execute();
  return rows.map((r) => {
    const resolvedAt = r.protocol_instance_id ? (r.instance_status === 'ended' ? r.ended_at : null) : r.resolved_at;
    return {
      id: r.id,
      reason: r.reason,
      protocol_instance_id: r.protocol_instance_id,
      owner_label: r.protocol_instance_id ? (r.owner_label ?? 'Nobody now') : r.legacy_owner_label,
      due_date: r.protocol_instance_id ? r.due_date : r.legacy_due_date,
      due_rule: r.protocol_instance_id ? r.due_rule : r.legacy_due_rule,
      resolved_at: resolvedAt,
      chased: r.protocol_instance_id ? (r.escalations ?? 0) : r.chased,
    };
  });
}

/** Transfers out of or into the given teams, newest first. */
export async function transfersOfTeams(db: Executor, authorityId: string, teamIds: string[], live: boolean) {
  if (teamIds.length === 0) return [];
  let q = db
    .selectFrom('transfers as x')
    .innerJoin('people as p', 'p.id', 'x.person_id')
    .innerJoin('teams as ft', 'ft.id', 'x.from_team_id')
    .leftJoin('teams as tt', 'tt.id', 'x.to_team_id')
    .leftJoin('authorities as fa', 'fa.id', 'x.authority_id')
    .where((eb) =>
      eb.or([
        eb('x.authority_id', '=', authorityId),
        // Another authority's transfer into one of these teams, once sent (and so shared).
        eb.and([eb('x.to_authority_id', '=', authorityId), eb('x.sent_at', 'is not', null)]),
      ]),
    )
    .where((eb) => eb.or([eb('x.from_team_id', 'in', teamIds), eb('x.to_team_id', 'in', teamIds)]));
  q = live
    ? q.where('x.status', 'in', ['requested', 'sent', 'returned', 'accepted'])
    : q.where('x.status', 'in', ['completed', 'cancelled']);
  return q
    .orderBy('x.requested_at', 'desc')
    .limit(500)
    .select([
      'x.id',
      'x.person_id',
      'x.status',
      'x.requested_at',
      'x.sent_at',
      'x.accepted_at',
      'x.completed_at',
      'x.from_team_id',
      'x.to_team_id',
      'p.case_number',
      'p.given_name',
      'p.family_name',
      'ft.name as from_team_name',
      'tt.name as to_team_name',
      'x.authority_id',
      'x.to_authority_id',
      'x.to_person_id',
      'fa.name as from_authority_label',
    ])
    .execute();
}

/** Request, acceptance and completion times of finished transfers into each team (timeliness). */
export async function completedTimings(db: Executor, authorityId: string) {
  return (
    db
      .selectFrom('transfers as x')
      .innerJoin('teams as t', 't.id', 'x.to_team_id')
      // Transfers into this authority's teams, from its own teams or from another authority here.
      .where('t.authority_id', '=', authorityId)
      .where('x.accepted_at', 'is not', null)
      .select(['t.id as team_id', 't.name as team_name', 'x.requested_at', 'x.accepted_at', 'x.completed_at'])
      .execute()
  );
}

export async function activeSuspensions(db: Executor, authorityId: string, today: string) {
  return db
    .selectFrom('protocol_suspensions as s')
    .leftJoin('teams as t', 't.id', 's.team_id')
    .where('s.authority_id', '=', authorityId)
    .where('s.status', '=', 'approved')
    .where('s.starts_on', '<=', today)
    .where('s.ends_on', '>=', today)
    .select(['s.id', 's.team_id', 's.part', 's.ends_on', 's.mitigations', 't.name as team_name'])
    .execute();
}

export async function suspensionsOf(db: Executor, authorityId: string) {
  return db
    .selectFrom('protocol_suspensions as s')
    .leftJoin('teams as t', 't.id', 's.team_id')
    .innerJoin('users as r', 'r.id', 's.requested_by')
    .leftJoin('users as d', 'd.id', 's.decided_by')
    .where('s.authority_id', '=', authorityId)
    .orderBy('s.requested_at', 'desc')
    .limit(200)
    .selectAll('s')
    .select(['t.name as team_name', 'r.display_name as requested_by_name', 'd.display_name as decided_by_name'])
    .execute();
}

/** Open capacity escalations whose step (on the engine) is with this person, soonest due first. */
export async function openEscalationsOwnedBy(db: Executor, userId: string) {
  return db
    .selectFrom('capacity_escalations as e')
    .innerJoin('protocol_instances as i', 'i.id', 'e.protocol_instance_id')
    .innerJoin('protocol_steps as s', 's.id', 'i.current_step_id')
    .innerJoin('people as p', 'p.id', 'e.person_id')
    .innerJoin('teams as t', 't.id', 'e.team_id')
    .where('s.owner_user_id', '=', userId)
    .where('s.status', '=', 'open')
    .orderBy('s.due_date')
    .select(['e.id', 'e.transfer_id', 'e.person_id', 's.due_date', 'e.reason', 'p.case_number', 't.name as team_name'])
    .execute();
}
