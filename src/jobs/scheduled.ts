// Jobs that run on a calendar (e.g. Cumbria's weekly EHCP report, Monday 07:00 London time). Modules register them
// at wiring time (src/modules/timers/handlers.ts), as they register deadline handlers, so src/jobs knows no module.
import type { Db } from '../db/database.ts';
import type { ReportsDb } from '../db/reports.ts';

export interface ScheduledJob {
  /** The pg-boss queue name: lower case and dashes. */
  name: string;
  /** When, as cron in `tz`. */
  cron: string;
  tz: string;
  /** Retries after a failure (the job must be safe to run twice: keep a record of runs, as the EHCP report does). */
  retryLimit: number;
  /** What it does; returns how many things it did, for the log (never personal data). */
  /** `reports`: where report figures are read (src/db/reports.ts); absent, the primary. */
  run(deps: { db: Db; reports?: ReportsDb; baseUrl: string; now: Date }): Promise<number>;
  /** The log line when it did something. */
  logAs: string;
}

const jobs = new Map<string, ScheduledJob>();

/** Registers a scheduled job; returns a function that unregisters it (for tests). */
export function registerScheduledJob(job: ScheduledJob): () => void {
  if (jobs.has(job.name)) throw new Error(`A scheduled job called "${job.name}" is already registered.`);
  jobs.set(job.name, job);
  return () => {
    if (jobs.get(job.name) === job) jobs.delete(job.name);
  };
}

export function scheduledJobs(): ScheduledJob[] {
  return [...jobs.values()];
}

const retired = new Set<string>();

/**
 * Names a calendar job an upgrade retired, whose pg-boss schedule a database may still hold (pg-boss keeps every
 * schedule it was given): jobs start by removing it, unless a job of that name is registered again. Only names given
 * here are removed, so an older process restarting during a rolling upgrade never removes a newer process's job.
 * Returns a function that forgets the name (for tests).
 */
export function retireScheduledJob(name: string): () => void {
  retired.add(name);
  return () => {
    retired.delete(name);
  };
}

export function retiredScheduledJobs(): string[] {
  return [...retired].filter((name) => !jobs.has(name));
}
