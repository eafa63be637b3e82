// SQL for plans, referrals and panels. Repository functions take the executor first; callers own transactions.
import { sql } from 'kysely';
import type { Executor } from '../../db/database.ts';

export async function planOf(db: Executor, personId: string) {
  return db.selectFrom('plans').where('person_id', '=', personId).selectAll().executeTakeFirst();
}

export async function goalsOf(db: Executor, planId: string) {
  return db
    .selectFrom('plan_goals')
    .where('plan_id', '=', planId)
    .orderBy('created_at')
    .orderBy('id')
    .select(['id', 'goal', 'outcome'])
    .execute();
}

export async function actionsOf(db: Executor, planId: string) {
  return db
    .selectFrom('plan_actions as a')
    .leftJoin('users as u', 'u.id', 'a.owner_user_id')
    .leftJoin('services as s', 's.id', 'a.owner_service_id')
    .leftJoin('services as is', 'is.id', 'a.issue_service_id')
    .leftJoin('plan_goals as g', 'g.id', 'a.goal_id')
    .where('a.plan_id', '=', planId)
    .orderBy('a.created_at')
    .orderBy('a.id')
    .select([
      'a.id',
      'a.goal_id',
      'g.goal',
      'a.description',
      'a.owner_user_id',
      'a.owner_service_id',
      'u.display_name as owner_name',
      's.name as owner_service_name',
      'a.due_date',
      'a.status',
      'a.evidence',
      'a.issue_type',
      'a.issue_service_id',
      'is.name as issue_service_name',
      'a.commissioning_area',
      'a.resources_date',
      'a.contingency',
      'a.source',
      'a.protocol_instance_id',
      'a.version',
      'a.updated_at',
    ])
    .execute();
}

export async function reviewsOf(db: Executor, planId: string) {
  return db
    .selectFrom('plan_reviews as r')
    .innerJoin('users as u', 'u.id', 'r.created_by')
    .where('r.plan_id', '=', planId)
    .orderBy('r.review_date', 'desc')
    .orderBy('r.created_at', 'desc')
    .select(['r.id', 'r.review_date', 'r.attendees', 'r.notes', 'r.issues_persist', 'u.display_name as by_name'])
    .execute();
}

export async function referralsOf(db: Executor, personId: string) {
  return db
    .selectFrom('referrals as r')
    .leftJoin('users as t', 't.id', 'r.to_user_id')
    .leftJoin('services as s', 's.id', 'r.to_service_id')
    .innerJoin('users as b', 'b.id', 'r.referred_by')
    .leftJoin('plan_actions as a', 'a.id', 'r.action_id')
    .where('r.person_id', '=', personId)
    .orderBy('r.sent_at', 'desc')
    .select([
      'r.id',
      'r.action_id',
      'a.description as action_description',
      'r.to_user_id',
      'r.to_service_id',
      't.display_name as to_user_name',
      's.name as to_service_name',
      'r.reason',
      'r.basis',
      'r.basis_detail',
      'r.protocol_instance_id',
      'r.decline_reason',
      'r.referred_by',
      'b.display_name as referred_by_name',
      'r.sent_at',
      'r.responded_at',
      'r.version',
    ])
    .execute();
}

/**
 * For each referral's chase instance: its last step's due date and rule (the response date, also once it has
 * ended), and how many times the chase went past the referrer (ladder rungs after the reminder that fired).
 */
export async function chaseFacts(db: Executor, instanceIds: readonly string[]) {
  if (!instanceIds.length) return [];
  return db
    .selectFrom('protocol_steps as s')
    .where('s.instance_id', 'in', instanceIds)
    .distinctOn('s.instance_id')
    .orderBy('s.instance_id')
    .orderBy('s.entered_at', 'desc')
    .select((eb) => [
      's.instance_id',
      's.due_date',
      's.due_rule',
      eb
        .selectFrom('deadlines as d')
        .innerJoin('protocol_steps as x', (j) => j.onRef('x.id', '=', 'd.subject_id'))
        .whereRef('x.instance_id', '=', 's.instance_id')
        .where('d.subject_type', '=', 'protocol_step')
        .where('d.fired_at', 'is not', null)
        .where(sql<boolean>`d.rung % 100 > 0`)
        .select((x) => x.fn.countAll<string>().as('n'))
        .as('escalations'),
    ])
    .execute();
}

export async function panelItemsOfPerson(db: Executor, personId: string) {
  return db
    .selectFrom('panel_items as i')
    .innerJoin('panels as p', 'p.id', 'i.panel_id')
    .leftJoin('panel_meetings as m', 'm.id', 'i.meeting_id')
    .where('i.person_id', '=', personId)
    .orderBy('i.created_at', 'desc')
    .select([
      'i.id',
      'i.panel_id',
      'p.name as panel_name',
      'p.kind',
      'i.meeting_id',
      'm.meeting_date',
      'i.question',
      'i.status',
      'i.source',
      'i.created_at',
    ])
    .execute();
}

export async function decisionsOfItems(db: Executor, itemIds: string[]) {
  if (!itemIds.length) return [];
  return db
    .selectFrom('panel_decisions as d')
    .innerJoin('users as u', 'u.id', 'd.decided_by')
    .leftJoin('plan_actions as a', 'a.id', 'd.action_id')
    .where('d.item_id', 'in', itemIds)
    .orderBy('d.created_at')
    .select([
      'd.id',
      'd.item_id',
      'd.decision',
      'd.action_id',
      'a.description as action_description',
      'd.created_at',
      'u.display_name as by_name',
    ])
    .execute();
}

export async function isPanelMember(db: Executor, panelId: string, userId: string) {
  return Boolean(
    await db
      .selectFrom('panel_members')
      .where('panel_id', '=', panelId)
      .where('user_id', '=', userId)
      .select('user_id')
      .executeTakeFirst(),
  );
}

export async function membersOf(db: Executor, panelId: string) {
  return db
    .selectFrom('panel_members as m')
    .innerJoin('users as u', 'u.id', 'm.user_id')
    .where('m.panel_id', '=', panelId)
    .orderBy('m.chair', 'desc')
    .orderBy('u.display_name')
    .select(['u.id', 'u.display_name', 'u.job_title', 'm.area', 'm.chair'])
    .execute();
}

/** Agenda items of a meeting, oldest referral first: the order gives the pseudonyms A, B, C, … */
export async function agendaOf(db: Executor, meetingId: string) {
  return db
    .selectFrom('panel_items as i')
    .innerJoin('people as p', 'p.id', 'i.person_id')
    .leftJoin('users as r', 'r.id', 'i.referred_by')
    .where('i.meeting_id', '=', meetingId)
    .orderBy('i.created_at')
    .orderBy('i.id')
    .select([
      'i.id',
      'i.person_id',
      'p.given_name',
      'p.family_name',
      'p.case_number',
      'i.source',
      'i.question',
      'i.issue_type',
      'i.needs',
      'i.blocked_by',
      'i.routes_tried',
      'i.summary',
      'i.status',
      'i.protocol_step_id',
      'i.needs_categories',
      'r.display_name as referred_by_name',
    ])
    .execute();
}

/** Gap vs capacity across cases: counts by service and commissioning area; no person-level data. */
export async function register(db: Executor, authorityId: string, today: string) {
  return db
    .selectFrom('plan_actions as a')
    .leftJoin('services as s', (j) => j.on(sql<boolean>`s.id = coalesce(a.issue_service_id, a.owner_service_id)`))
    .where('a.authority_id', '=', authorityId)
    .where('a.issue_type', 'is not', null)
    .groupBy(['s.name', 'a.commissioning_area', 'a.issue_type'])
    .orderBy('s.name')
    .orderBy('a.commissioning_area')
    .orderBy('a.issue_type')
    .select((eb) => [
      sql<string>`coalesce(s.name, 'No service named')`.as('service'),
      sql<string>`coalesce(a.commissioning_area, 'Not recorded')`.as('area'),
      'a.issue_type',
      eb.fn.countAll<number>().as('total'),
      sql<number>`count(*) FILTER (WHERE a.status IN ('not_started','in_progress'))`.as('open'),
      sql<number>`count(*) FILTER (WHERE a.status IN ('not_started','in_progress') AND a.due_date < ${today})`.as(
        'overdue',
      ),
      sql<number>`count(DISTINCT a.person_id)`.as('people'),
    ])
    .execute();
}
