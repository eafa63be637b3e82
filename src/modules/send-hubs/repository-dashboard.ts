// SEND hubs (issue 13 part 8): the dashboard's SQL. It reads counts and dates only: no young person's name or record
// is ever selected. The clocks' start dates come from the request's instance anchors when present (complete: the
// request had consent; triaged: the triage outcome), else from the request's own columns.
import { sql } from 'kysely';
import type { Executor } from '../../db/database.ts';
import type { AreaOfNeed, SupportRequestStatus, TriageOutcome } from '../../db/schema-send-hubs.ts';

/** One request received in the period, as the figures need it. */
export interface DashboardRequest {
  id: string;
  reference: string;
  hub_id: string;
  setting_name: string;
  received_on: string;
  status: SupportRequestStatus;
  outcome: TriageOutcome | null;
  result: string | null;
  areas_of_need: AreaOfNeed[];
  /** When the first-response clock started (the request was complete, with consent), or null (still held). */
  complete_on: string | null;
  first_response_on: string | null;
  /** When the support-start clock started (triaged to First SEND Support), or null. */
  triaged_on: string | null;
  support_started_on: string | null;
  decline_reason: string | null;
  decline_alternative: string | null;
  first_response_target: number;
  support_start_target: number;
}

/** The requests of these hubs received on or after `from`. */
export async function periodRequests(db: Executor, hubIds: string[], from: string): Promise<DashboardRequest[]> {
  if (!hubIds.length) return [];
  const rows = await db
    .selectFrom('support_requests as r')
    .innerJoin('hubs as h', 'h.id', 'r.hub_id')
    .innerJoin('settings as s', 's.id', 'r.setting_id')
    .leftJoin('protocol_instances as i', 'i.id', 'r.protocol_instance_id')
    .where('r.hub_id', 'in', hubIds)
    .where('r.received_on', '>=', from)
    .orderBy('r.received_on')
    .orderBy('r.reference')
    .select([
      'r.id',
      'r.reference',
      'r.hub_id',
      's.name as setting_name',
      'r.received_on',
      'r.status',
      'r.outcome',
      'r.result',
      'r.areas_of_need',
      sql<string | null>`coalesce(i.anchors->>'complete',
        CASE WHEN r.consent = 'given' THEN greatest(r.received_on, coalesce(r.consent_on, r.received_on))::text END)`.as(
        'complete_on',
      ),
      'r.first_response_on',
      sql<string | null>`CASE WHEN r.outcome = 'first_support' OR r.support_started_on IS NOT NULL
        THEN coalesce(i.anchors->>'triaged', r.first_response_on::text) END`.as('triaged_on'),
      'r.support_started_on',
      'r.decline_reason',
      'r.decline_alternative',
      'h.first_response_working_days as first_response_target',
      'h.support_start_working_days as support_start_target',
    ])
    .execute();
  return rows;
}

/** Requests of these hubs not closed, by status (whenever received). */
export async function openByStatus(db: Executor, hubIds: string[]): Promise<Map<string, number>> {
  if (!hubIds.length) return new Map();
  const rows = await db
    .selectFrom('support_requests')
    .where('hub_id', 'in', hubIds)
    .where('status', '!=', 'closed')
    .groupBy('status')
    .select(['status', (eb) => eb.fn.countAll<string>().as('n')])
    .execute();
  return new Map(rows.map((r) => [r.status, Number(r.n)]));
}

/** Open requests of these hubs whose open step is past its due date, by step. */
export async function overdueBySteps(db: Executor, hubIds: string[], today: string): Promise<Map<string, number>> {
  if (!hubIds.length) return new Map();
  const rows = await db
    .selectFrom('support_requests as r')
    .innerJoin('protocol_steps as s', 's.instance_id', 'r.protocol_instance_id')
    .where('r.hub_id', 'in', hubIds)
    .where('r.status', '!=', 'closed')
    .where('s.status', '=', 'open')
    .where('s.due_date', '<', today)
    .groupBy('s.step_key')
    .select(['s.step_key', (eb) => eb.fn.count<string>('r.id').distinct().as('n')])
    .execute();
  return new Map(rows.map((r) => [r.step_key, Number(r.n)]));
}

/** An open request that may still be waiting for a clock (first response or support starting). */
export interface WaitingRequest {
  status: SupportRequestStatus;
  complete_on: string | null;
  first_response_on: string | null;
  triaged_on: string | null;
  support_started_on: string | null;
}

/** Open requests of these hubs waiting for triage, more information or support to start, with their clocks' start
 *  (whenever received: someone waiting is waiting however old the request). */
export async function stillWaiting(db: Executor, hubIds: string[]): Promise<WaitingRequest[]> {
  if (!hubIds.length) return [];
  return db
    .selectFrom('support_requests as r')
    .leftJoin('protocol_instances as i', 'i.id', 'r.protocol_instance_id')
    .where('r.hub_id', 'in', hubIds)
    .where('r.status', 'in', ['waiting', 'more_info', 'starting'])
    .select([
      'r.status',
      sql<string | null>`coalesce(i.anchors->>'complete',
        CASE WHEN r.consent = 'given' THEN greatest(r.received_on, coalesce(r.consent_on, r.received_on))::text END)`.as(
        'complete_on',
      ),
      'r.first_response_on',
      sql<string | null>`coalesce(i.anchors->>'triaged', r.first_response_on::text)`.as('triaged_on'),
      'r.support_started_on',
    ])
    .execute();
}

/** The names of these hubs, by name. */
export function hubNames(db: Executor, hubIds: string[]) {
  if (!hubIds.length) return Promise.resolve([] as { id: string; name: string }[]);
  return db.selectFrom('hubs').where('id', 'in', hubIds).orderBy('name').select(['id', 'name']).execute();
}
