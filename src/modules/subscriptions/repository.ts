// The SQL of scheduled reports (issue 14 part 3): subscriptions, their runs (one per period) and default ones given.
import { sql } from 'kysely';
import type { Executor } from '../../db/database.ts';
import type { RunOutcome } from '../../db/schema-subscriptions.ts';
import type { Frequency } from './periods.ts';

export interface SubscriptionRow {
  id: string;
  authority_id: string;
  user_id: string;
  list_key: string;
  filters: Record<string, string>;
  frequency: Frequency;
  /** The London date it was made. */
  created_on: string;
}

const createdOn = sql<string>`to_char(s.created_at AT TIME ZONE 'Europe/London', 'YYYY-MM-DD')`.as('created_on');
const columns = ['s.id', 's.authority_id', 's.user_id', 's.list_key', 's.filters', 's.frequency'] as const;

/** The first day of a subscription's current period (`s`), by its frequency. */
const currentPeriod = (periods: Record<Frequency, string>) =>
  sql`CASE s.frequency WHEN 'weekly' THEN ${periods.weekly}::date ELSE ${periods.monthly}::date END`;

/** One user's subscriptions, oldest first, each with whether this period's email has gone (or was skipped). */
export async function mine(db: Executor, authorityId: string, userId: string, periods: Record<Frequency, string>) {
  return db
    .selectFrom('subscriptions as s')
    .where('s.authority_id', '=', authorityId)
    .where('s.user_id', '=', userId)
    .select([...columns, createdOn])
    .select((eb) =>
      eb
        .exists(
          eb
            .selectFrom('subscription_runs as r')
            .whereRef('r.authority_id', '=', 's.authority_id')
            .whereRef('r.subscription_id', '=', 's.id')
            .where(sql<boolean>`r.period_start = ${currentPeriod(periods)}`)
            .select('r.period_start'),
        )
        .as('ran'),
    )
    .orderBy('s.created_at')
    .orderBy('s.id')
    .execute() as Promise<(SubscriptionRow & { ran: boolean })[]>;
}

export async function insert(
  db: Executor,
  s: {
    authorityId: string;
    userId: string;
    listKey: string;
    filters: Record<string, string>;
    frequency: Frequency;
    at: Date;
  },
): Promise<string | null> {
  const row = await db
    .insertInto('subscriptions')
    .values({
      authority_id: s.authorityId,
      user_id: s.userId,
      list_key: s.listKey,
      filters: JSON.stringify(s.filters),
      frequency: s.frequency,
      created_at: s.at,
    })
    .onConflict((oc) => oc.doNothing())
    .returning('id')
    .executeTakeFirst();
  return row?.id ?? null;
}

export async function remove(db: Executor, authorityId: string, userId: string, id: string) {
  const r = await db
    .deleteFrom('subscriptions')
    .where('authority_id', '=', authorityId)
    .where('user_id', '=', userId)
    .where('id', '=', id)
    .returning(['list_key', 'frequency'])
    .executeTakeFirst();
  return r ?? null;
}

/**
 * Gives the default subscription of `listKey` to every active user with `role` (or only `userId`) who has never been
 * given it, all councils at once; returns how many were given.
 */
export async function giveDefaults(
  db: Executor,
  d: { listKey: string; role: string; frequency: Frequency; at: Date; only?: { authorityId: string; userId: string } },
): Promise<number> {
  const r = await sql<{ id: string }>`
    WITH due AS (
      SELECT u.authority_id, u.id AS user_id FROM users u
      WHERE u.active AND u.roles @> ARRAY[${d.role}]::text[]
        ${d.only ? sql`AND u.authority_id = ${d.only.authorityId} AND u.id = ${d.only.userId}` : sql``}
        AND NOT EXISTS (SELECT 1 FROM subscription_defaults g
          WHERE g.authority_id = u.authority_id AND g.user_id = u.id AND g.list_key = ${d.listKey})
    ), given AS (
      INSERT INTO subscription_defaults (authority_id, user_id, list_key, given_at)
      SELECT authority_id, user_id, ${d.listKey}, ${d.at} FROM due
      ON CONFLICT DO NOTHING RETURNING authority_id, user_id
    )
    INSERT INTO subscriptions (authority_id, user_id, list_key, frequency, created_at)
    SELECT authority_id, user_id, ${d.listKey}, ${d.frequency}, ${d.at} FROM given
    ON CONFLICT DO NOTHING RETURNING id
  `.execute(db);
  return r.rows.length;
}

/** Every subscription whose email for its current period has not gone yet (the job's work), with its user. */
export async function owedNow(db: Executor, periods: Record<Frequency, string>) {
  return db
    .selectFrom('subscriptions as s')
    .innerJoin('users as u', (j) => j.onRef('u.authority_id', '=', 's.authority_id').onRef('u.id', '=', 's.user_id'))
    .where(sql<boolean>`(s.created_at AT TIME ZONE 'Europe/London')::date <= ${currentPeriod(periods)}`)
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('subscription_runs as r')
            .whereRef('r.authority_id', '=', 's.authority_id')
            .whereRef('r.subscription_id', '=', 's.id')
            .where(sql<boolean>`r.period_start = ${currentPeriod(periods)}`)
            .select('r.period_start'),
        ),
      ),
    )
    .select([...columns, createdOn, 'u.active', 'u.roles', 'u.email', 'u.display_name'])
    .orderBy('s.authority_id')
    .orderBy('s.id')
    .execute() as Promise<
    (SubscriptionRow & { active: boolean; roles: string[]; email: string; display_name: string })[]
  >;
}

/** Claims this period's run of one subscription; false when another worker (or an earlier try) already has. */
export async function claimRun(
  db: Executor,
  r: { authorityId: string; subscriptionId: string; periodStart: string; outcome: RunOutcome; at: Date },
): Promise<boolean> {
  const row = await db
    .insertInto('subscription_runs')
    .values({
      authority_id: r.authorityId,
      subscription_id: r.subscriptionId,
      period_start: r.periodStart,
      outcome: r.outcome,
      run_at: r.at,
    })
    .onConflict((oc) => oc.columns(['authority_id', 'subscription_id', 'period_start']).doNothing())
    .returning('period_start')
    .executeTakeFirst();
  return row !== undefined;
}
