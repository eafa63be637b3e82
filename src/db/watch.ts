// Watches the database while Handover serves (issue 15 item 4; docs/operations.md "When the database stops").
// /health asks pingDatabase on every call, so it turns 503 as soon as PostgreSQL stops answering. The watch pings
// once a second as well: the embedded PostgreSQL dying is fatal (Handover releases what it holds and exits 70 so
// the process manager starts it again, which starts a fresh PostgreSQL); a DATABASE_URL server going away is not
// (the pool reconnects by itself when it is back), so Handover stays up, says so once, and /health answers 503.
import { sql } from 'kysely';
import type { Db } from './database.ts';

export type DatabaseState = 'ok' | 'unreachable';

/** The exit code after the embedded PostgreSQL died (EX_SOFTWARE): systemd's Restart=on-failure starts us again. */
export const DATABASE_LOST_EXIT_CODE = 70;

/** One `SELECT 1` through the app's own pool, bounded: a hung connection counts as unreachable too. */
export async function pingDatabase(db: Db, timeoutMs = 2000): Promise<DatabaseState> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<DatabaseState>((resolve) => {
    timer = setTimeout(() => resolve('unreachable'), timeoutMs);
  });
  const ping = sql`SELECT 1`.execute(db).then(
    (): DatabaseState => 'ok',
    (): DatabaseState => 'unreachable',
  );
  try {
    return await Promise.race([ping, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

export interface WatchOptions {
  db: Db;
  /** Between the end of one ping and the start of the next. */
  intervalMs?: number;
  timeoutMs?: number;
  /** Consecutive failed pings before onLost is called (once). */
  failuresBeforeLost?: number;
  /** Called when the state changes (the first ping counts as a change only if it fails). */
  onChange?: (state: DatabaseState) => void;
  onLost?: () => void;
}

export interface DatabaseWatch {
  state(): DatabaseState;
  stop(): void;
}

export function watchDatabase(opts: WatchOptions): DatabaseWatch {
  const intervalMs = opts.intervalMs ?? 1000;
  const limit = opts.failuresBeforeLost ?? 3;
  let state: DatabaseState = 'ok';
  let failures = 0;
  let stopped = false;
  let lost = false;
  let timer: NodeJS.Timeout | undefined;
  const tick = async () => {
    const now = await pingDatabase(opts.db, opts.timeoutMs);
    if (stopped) return;
    failures = now === 'ok' ? 0 : failures + 1;
    if (now !== state) {
      state = now;
      opts.onChange?.(now);
    }
    if (failures >= limit && !lost) {
      lost = true;
      opts.onLost?.();
    }
    if (!stopped) schedule();
  };
  const schedule = () => {
    // Unref'd: the watch never keeps a process alive that has nothing else to do.
    timer = setTimeout(() => void tick(), intervalMs);
    timer.unref();
  };
  schedule();
  return {
    state: () => state,
    stop: () => {
      stopped = true;
      clearTimeout(timer);
    },
  };
}

export interface SuperviseOptions {
  db: Db;
  /** True for the embedded PostgreSQL (no DATABASE_URL): its death ends the process. */
  embedded: boolean;
  log: { error(msg: string): void; warn(msg: string): void };
  /** Stops the app, the jobs and the database handle and exits with `code` (serve.ts's shutdown). */
  shutdown: (reason: string, code: number) => Promise<void>;
  /** The backstop: exit this long after the database was lost even if shutdown hangs on the dead database. */
  hardExitMs?: number;
  exit?: (code: number) => void;
  intervalMs?: number;
  failuresBeforeLost?: number;
}

/** What serve does while it runs: watch, log changes of state, and for the embedded database exit 70 on its death. */
export function superviseDatabase(opts: SuperviseOptions): DatabaseWatch {
  const exit = opts.exit ?? ((code: number) => process.exit(code));
  const where = opts.embedded ? 'The embedded PostgreSQL' : 'The PostgreSQL server at DATABASE_URL';
  return watchDatabase({
    db: opts.db,
    intervalMs: opts.intervalMs,
    failuresBeforeLost: opts.failuresBeforeLost,
    onChange: (state) => {
      if (state === 'ok') opts.log.warn(`${where} answers again: /health is 200.`);
      else if (!opts.embedded)
        opts.log.error(`${where} does not answer: /health answers 503 and requests fail until it is back.`);
    },
    onLost: () => {
      if (!opts.embedded) return;
      opts.log.error(
        `${where} stopped answering: Handover exits with code ${DATABASE_LOST_EXIT_CODE} so that its process manager starts it again (docs/operations.md).`,
      );
      // Not unref'd: this timer is what ends the process if releasing hangs on the dead database.
      setTimeout(() => exit(DATABASE_LOST_EXIT_CODE), opts.hardExitMs ?? 10_000);
      void opts.shutdown('database lost', DATABASE_LOST_EXIT_CODE).catch(() => exit(DATABASE_LOST_EXIT_CODE));
    },
  });
}
