// The database the reports read from (issue 18 part 4): a streaming read replica when DATABASE_REPLICA_URL names
// one, answering and no further behind than DATABASE_REPLICA_MAX_LAG_SECONDS; otherwise the primary. Every report,
// dashboard, export and statutory return (the EHCP weekly report and its email, the SEND hub dashboards, the sharing
// register CSV; the radar, SEN2 and dashboards to come) takes this one handle and reads through `read()`.
// What writes, and every read that must see the user's own last change (a record page after a save, access checks),
// uses the primary `Db` as before; so do the access-log rows a report writes.
//
// Falling back is said once per change of state (replica → down, replica → lagging, and back), never per request,
// and never with personal data: the reason, the lag in seconds, the bound.
import { sql } from 'kysely';
import { createDb, type Db } from './database.ts';

/** Where reports read from just now. */
export type ReportsSource = 'primary' | 'replica';
/** The replica's state as last seen: in use, not answering, or lagging beyond the bound. */
export type ReplicaState = 'replica' | 'down' | 'lagging' | 'none';

/** pino-shaped (Fastify's logger and the worker's line log fit). */
export interface ReportsLog {
  info(obj: Record<string, unknown>, msg: string): void;
  warn(obj: Record<string, unknown>, msg: string): void;
}

export interface ReportsDb {
  /** Runs `query` on the replica when it is usable, else on the primary; a replica failing mid-query is retried on the primary. */
  read<T>(query: (db: Db, source: ReportsSource) => Promise<T>): Promise<T>;
  /** The replica's state as last checked ('none' without a replica). */
  state(): ReplicaState;
  /** Closes the replica's pool (never the primary's). */
  close(): Promise<void>;
}

/** No replica: reports read the primary. */
export function primaryReports(primary: Db): ReportsDb {
  return { read: (query) => query(primary, 'primary'), state: () => 'none', close: async () => {} };
}

export interface ReplicaOptions {
  primary: Db;
  replicaUrl: string;
  maxLagSeconds: number;
  log: ReportsLog;
  /** How long a lag check is trusted before the next read checks again (default 5 s; 0 checks on every read). */
  recheckMs?: number;
  poolSize?: number;
  now?: () => number;
}

/**
 * The replica's lag in seconds. Replay caught up with what the replica has received counts as no lag, so an idle
 * primary (whose last commit may be hours old) never reads as lagging; otherwise the age of the last replayed
 * commit, an upper bound of how stale a report could be. A server not in recovery (not a replica) has no lag.
 */
export async function replicaLagSeconds(replica: Db): Promise<number> {
  const r = await sql<{ lag: number | null }>`
    SELECT CASE
      WHEN NOT pg_is_in_recovery() THEN 0
      WHEN pg_last_wal_receive_lsn() IS NOT NULL AND pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0
      ELSE extract(epoch FROM clock_timestamp() - pg_last_xact_replay_timestamp())::float8
    END AS lag`.execute(replica);
  const lag = r.rows[0]?.lag;
  // In recovery with nothing replayed yet (no timestamp): as far behind as can be.
  return lag === null || lag === undefined ? Number.POSITIVE_INFINITY : Math.max(0, Number(lag));
}

/** SQLSTATEs after which a query is retried on the primary: connection failures, the server shutting down, and a
 *  query cancelled by a conflict with recovery (a long report on a hot standby). */
function replicaTrouble(e: unknown): boolean {
  const code = (e as { code?: string }).code ?? '';
  if (/^(08|57P)/.test(code) || code === '40001') return true;
  return /ECONNREFUSED|ECONNRESET|ETIMEDOUT|EHOSTUNREACH|timeout|Connection terminated/i.test(String(e));
}

export function replicaReports(o: ReplicaOptions): ReportsDb {
  const replica = createDb(o.replicaUrl, o.poolSize ?? 5);
  const recheckMs = o.recheckMs ?? 5_000;
  const clock = o.now ?? Date.now;
  let state: ReplicaState = 'replica';
  let checkedAt = Number.NEGATIVE_INFINITY;
  let checking: Promise<void> | null = null;

  const become = (next: ReplicaState, detail: Record<string, unknown>) => {
    if (next === state) return;
    const was = state;
    state = next;
    if (next === 'replica') o.log.info({ was }, 'Reports read from the read replica again (DATABASE_REPLICA_URL)');
    else if (next === 'down')
      o.log.warn(detail, 'Reports read from the primary: the read replica does not answer (DATABASE_REPLICA_URL)');
    else
      o.log.warn(
        detail,
        'Reports read from the primary: the read replica lags beyond DATABASE_REPLICA_MAX_LAG_SECONDS',
      );
  };

  const check = async () => {
    try {
      let lag = await replicaLagSeconds(replica);
      // WAL just received and not yet replayed (a checkpoint's record on an idle primary) looks, for a moment, like
      // the age of the last commit: measured again before the replica is given up.
      if (lag > o.maxLagSeconds && state === 'replica') {
        await new Promise((r) => setTimeout(r, 250));
        lag = await replicaLagSeconds(replica);
      }
      if (lag > o.maxLagSeconds)
        become('lagging', {
          lagSeconds: Number.isFinite(lag) ? Math.round(lag * 10) / 10 : null,
          maxLagSeconds: o.maxLagSeconds,
        });
      else become('replica', {});
    } catch (e) {
      become('down', { code: (e as { code?: string }).code ?? null, error: (e as Error).name });
    }
    checkedAt = clock();
  };

  const usable = async (): Promise<boolean> => {
    if (clock() - checkedAt >= recheckMs) {
      checking ??= check().finally(() => {
        checking = null;
      });
      await checking;
    }
    return state === 'replica';
  };

  return {
    async read(query) {
      if (!(await usable())) return query(o.primary, 'primary');
      try {
        return await query(replica, 'replica');
      } catch (e) {
        if (!replicaTrouble(e)) throw e;
        become('down', { code: (e as { code?: string }).code ?? null, error: (e as Error).name });
        checkedAt = clock();
        return query(o.primary, 'primary');
      }
    },
    state: () => state,
    close: () => replica.destroy(),
  };
}

/** The handle the configuration asks for: the replica (DATABASE_REPLICA_URL) with its lag bound, or the primary. */
export function reportsFor(
  primary: Db,
  config: { databaseReplicaUrl: string | null; databaseReplicaMaxLagSeconds: number },
  log: ReportsLog,
): ReportsDb {
  if (config.databaseReplicaUrl === null) return primaryReports(primary);
  return replicaReports({
    primary,
    replicaUrl: config.databaseReplicaUrl,
    maxLagSeconds: config.databaseReplicaMaxLagSeconds,
    log,
  });
}
