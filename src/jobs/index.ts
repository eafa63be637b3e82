// Background jobs on pg-boss (design.md §1): the deadline sweep and the email outbox sender, in the same
// PostgreSQL as everything else (pg-boss keeps its own tables in schema `pgboss`).
//
// Each queue is 'stately': at most one job queued and one running across every process, so however many
// `handover serve` / `handover worker` processes there are, one sweep runs at a time and triggers never pile up.
// Jobs are sent by pg-boss cron every minute (its finest grain, and a backstop that needs no process of ours to be
// ticking) and by each process every config.jobIntervalSeconds. Correctness never depends on that exclusivity:
// sweepDue and sendDue each lock their rows with SKIP LOCKED, so two runs at once share the work.
//
// A process killed mid-job leaves its job 'active', and a stately queue runs nothing else until that job is
// settled. So every job carries a heartbeat (pg-boss refreshes it every HEARTBEAT_SECONDS / 2 while the handler
// runs), and each process's pg-boss supervisor fails a job whose heartbeat is HEARTBEAT_SECONDS old, checking every
// SUPERVISE_SECONDS: after a crash the queue moves again within about 25 s (issue 15 item 5; it waited for the
// 15-minute expiry before). The killed run's transaction died with its connection, so nothing it did is kept
// and the next sweep does it, once. A live job is never failed for being slow, only for falling silent;
// expireInSeconds stays a generous outer bound.
import { PgBoss } from 'pg-boss';
import type { Config } from '../config.ts';
import type { Db } from '../db/database.ts';
import { type ReportsDb, reportsFor } from '../db/reports.ts';
import { describeError, type JobLog, type SweepResult, sweepDue } from './deadlines.ts';
import {
  createTransport,
  DEFAULT_LEASE_MS,
  DEFAULT_BATCH as OUTBOX_BATCH,
  type SendResult,
  sendDue,
} from './outbox.ts';
import { retiredScheduledJobs, scheduledJobs } from './scheduled.ts';

export type { DeadlineHandler, JobLog, SweepResult } from './deadlines.ts';
export { registerDeadlineHandler, sweepDue } from './deadlines.ts';
export { registerScheduledJob, type ScheduledJob } from './scheduled.ts';

export const DEADLINE_SWEEP = 'deadline-sweep';
export const OUTBOX_SEND = 'outbox-send';
const QUEUES = [DEADLINE_SWEEP, OUTBOX_SEND] as const;

/** One outbox job sends at most this many batches, so a backlog drains without one job running for ever. */
const OUTBOX_ROUNDS = 25;

/** A running job's heartbeat: pg-boss's smallest (10 s). A job silent this long is failed by the supervisor. */
export const HEARTBEAT_SECONDS = 10;
/** How often each process's pg-boss supervisor looks for silent and expired jobs. */
export const SUPERVISE_SECONDS = 10;
/** Options every queue of ours carries; set again at each start, so a database from before them gains them. */
const QUEUE_LIMITS = { heartbeatSeconds: HEARTBEAT_SECONDS, expireInSeconds: 15 * 60 } as const;

export interface JobsDeps {
  db: Db;
  /** The same database the app uses (DATABASE_URL or the embedded cluster's URL, from openDatabase). */
  url: string;
  config: Pick<
    Config,
    | 'jobIntervalSeconds'
    | 'mailTransport'
    | 'smtpUrl'
    | 'mailFrom'
    | 'notifyApiKey'
    | 'notifyTemplateId'
    | 'baseUrl'
    | 'demoMode'
  > &
    Partial<Pick<Config, 'databaseReplicaUrl' | 'databaseReplicaMaxLagSeconds' | 'outboxLeaseSeconds'>>;
  log: JobLog;
  /** The clock; tests pass a fixed one. */
  now?: () => Date;
  /** Where the scheduled reports read from; by default as config says (DATABASE_REPLICA_URL or the primary). */
  reports?: ReportsDb;
}

export interface Jobs {
  /** Stops taking jobs, waits for a running one to finish, and closes pg-boss's connections (not `db`). */
  stop(): Promise<void>;
  /** Runs a deadline sweep in this process now, outside the queue (safe alongside queued sweeps). */
  sweepNow(): Promise<SweepResult>;
}

export async function startJobs(deps: JobsDeps): Promise<Jobs> {
  const { db, log, config } = deps;
  const now = deps.now ?? (() => new Date());
  // MAIL_TRANSPORT=off: no transport, and the sender leaves every email waiting in the outbox.
  const transport = config.mailTransport === 'off' ? null : createTransport(config);
  // The scheduled reports (the EHCP weekly email) read the replica when there is one; its pool closes on stop.
  const reports =
    deps.reports ??
    reportsFor(
      db,
      {
        databaseReplicaUrl: config.databaseReplicaUrl ?? null,
        databaseReplicaMaxLagSeconds: config.databaseReplicaMaxLagSeconds ?? 30,
      },
      log,
    );
  const closeReports = () => (deps.reports ? Promise.resolve() : reports.close());
  // As the app role, which may not create schemas: openDatabase made `pgboss` (owned by the app role) at migrate time.
  const boss = new PgBoss({
    connectionString: deps.url,
    max: 4,
    application_name: 'handover-jobs',
    createSchema: false,
    superviseIntervalSeconds: SUPERVISE_SECONDS,
    monitorIntervalSeconds: SUPERVISE_SECONDS,
  });
  let stopping: Promise<void> | null = null;
  // Only names and codes: a job never carries personal data, but an error's message might quote some.
  boss.on('error', (e) => {
    const described = describeError(e);
    // The embedded PostgreSQL stops on the same signal as we do (57P01: terminated by shutdown): expected noise.
    if (stopping && described.code === '57P01') return;
    log.error(described, 'Job queue error');
  });
  boss.on('warning', (w) => log.warn({ warning: w.message }, 'Job queue warning'));
  try {
    await boss.start();
    for (const name of QUEUES) {
      // A failed run is not retried by pg-boss: the next trigger is at most jobIntervalSeconds away.
      await boss.createQueue(name, { policy: 'stately', retryLimit: 0, deleteAfterSeconds: 60 * 60, ...QUEUE_LIMITS });
      await boss.updateQueue(name, QUEUE_LIMITS);
      await boss.schedule(name, '* * * * *');
    }
    const work = { pollingIntervalSeconds: Math.min(2, Math.max(0.5, config.jobIntervalSeconds / 2)) };

    await boss.work(DEADLINE_SWEEP, work, async () => {
      const result = await guarded('deadline sweep', () => sweepDue(db, now(), { log }));
      if (result.fired || result.failed) log.info({ ...result }, 'Deadline sweep');
    });

    // The schedule of a job an upgrade retired (e.g. the EHCP weekly report's own job, now a subscription) would
    // otherwise keep making jobs nothing works: pg-boss keeps schedules it was given. Only names retired by a module.
    for (const name of retiredScheduledJobs()) {
      for (const s of await boss.getSchedules(name)) await boss.unschedule(s.name, s.key);
    }

    // Calendar jobs the modules registered (e.g. the subscriptions' emails), by cron only (not the interval trigger).
    for (const job of scheduledJobs()) {
      await boss.createQueue(job.name, { policy: 'stately', retryLimit: job.retryLimit, ...QUEUE_LIMITS });
      await boss.updateQueue(job.name, QUEUE_LIMITS);
      await boss.schedule(job.name, job.cron, null, { tz: job.tz });
      await boss.work(job.name, work, async () => {
        const done = await guarded(job.name, () => job.run({ db, reports, baseUrl: config.baseUrl, now: now() }));
        if (done) log.info({ done }, job.logAs);
      });
    }

    await boss.work(OUTBOX_SEND, work, async () => {
      if (!transport) return;
      const total: SendResult = { sent: 0, failed: 0, retried: 0, resent: 0 };
      for (let round = 0; round < OUTBOX_ROUNDS; round++) {
        const r = await guarded('outbox send', () =>
          sendDue(db, transport, now(), { leaseMs: (config.outboxLeaseSeconds ?? DEFAULT_LEASE_MS / 1000) * 1000 }),
        );
        total.sent += r.sent;
        total.failed += r.failed;
        total.retried += r.retried;
        total.resent += r.resent;
        if (r.sent + r.failed + r.retried < OUTBOX_BATCH) break;
      }
      if (total.resent) log.warn({ resent: total.resent }, 'Outbox: sent again after a sender stopped mid-send');
      if (total.sent || total.failed || total.retried) log.info({ ...total }, 'Outbox send');
    });
  } catch (e) {
    await boss.stop({ graceful: false }).catch(() => {});
    await transport?.close().catch(() => {});
    await closeReports().catch(() => {});
    throw e;
  }

  // Each process also asks every jobIntervalSeconds; a send while one is already queued is dropped (stately).
  const trigger = () => {
    for (const name of QUEUES) {
      boss.send(name, null).catch((e: unknown) => log.error(describeError(e), 'Could not queue a job'));
    }
  };
  trigger();
  const timer = setInterval(trigger, config.jobIntervalSeconds * 1000);

  return {
    stop: () => {
      stopping ??= (async () => {
        clearInterval(timer);
        await boss.stop({ graceful: true, timeout: 30_000 });
        await transport?.close();
        await closeReports();
      })();
      return stopping;
    },
    sweepNow: () => sweepDue(db, now(), { log }),
  };

  /** Logs a failure without its message, and fails the job with a message that carries none either. */
  async function guarded<T>(what: string, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (e) {
      const described = describeError(e);
      log.error(described, `The ${what} failed; it runs again on the next trigger.`);
      throw new Error(`${what} failed: ${described.error}${described.code ? ` (${described.code})` : ''}`);
    }
  }
}
