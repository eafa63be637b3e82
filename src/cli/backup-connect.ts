// Where backup and restore connect: as the role that owns the tables (it alone may read the migration list and
// switch the append-only triggers off for a restore; docs/database-roles.md). For the embedded PostgreSQL that
// is the cluster in the data directory: the one a running Handover already started, so a scheduled backup works
// while the app serves, or one started here for the command and stopped after it.
import { existsSync } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Config } from '../config.ts';
import { startEmbeddedPostgres } from '../db/embedded.ts';
import { APP_ROLE, OWNER_ROLE } from '../db/roles.ts';
import { UserError } from './user-error.ts';

export interface BackupTarget {
  /** The owner role's connection (or the only role's, on a server configured with DATABASE_URL alone). */
  ownerUrl: string;
  /** The configuration to migrate with: the same database, named by URL. */
  config: Config;
  /** Stops the embedded PostgreSQL if this command started it. */
  stop(): Promise<void>;
}

/** The port of a PostgreSQL still running on the data directory (line 4 of postmaster.pid), or null. */
async function runningPort(pgDir: string): Promise<number | null> {
  const pidFile = path.join(pgDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return null;
  const lines = (await fs.readFile(pidFile, 'utf8')).split('\n');
  const pid = Number(lines[0]);
  const port = Number(lines[3]);
  if (!Number.isInteger(pid) || pid <= 0 || !Number.isInteger(port)) return null;
  try {
    process.kill(pid, 0);
    return port;
  } catch {
    return null;
  }
}

async function secret(dataDir: string, file: string): Promise<string> {
  return (await fs.readFile(path.join(dataDir, file), 'utf8')).trim();
}

export async function backupTarget(config: Config): Promise<BackupTarget> {
  if (config.databaseUrl !== null) {
    return { ownerUrl: config.databaseOwnerUrl ?? config.databaseUrl, config, stop: async () => {} };
  }
  const port = await runningPort(path.join(config.dataDir, 'pg'));
  if (port === null) {
    const cluster = await startEmbeddedPostgres({
      dir: config.dataDir,
      port: config.embeddedPgPort,
      database: 'handover',
    });
    const urls = { databaseUrl: cluster.appUrl('handover'), databaseOwnerUrl: cluster.ownerUrl('handover') };
    return { ownerUrl: urls.databaseOwnerUrl, config: { ...config, ...urls }, stop: () => cluster.stop() };
  }
  let owner: string;
  let app: string;
  try {
    owner = await secret(config.dataDir, 'pg-owner-password');
    app = await secret(config.dataDir, 'pg-app-password');
  } catch {
    throw new UserError(
      `The PostgreSQL running in ${config.dataDir} has no role passwords beside it: start Handover once to upgrade the data directory.`,
    );
  }
  const as = (role: string, password: string) =>
    `postgres://${role}:${encodeURIComponent(password)}@127.0.0.1:${port}/handover`;
  const urls = { databaseUrl: as(APP_ROLE, app), databaseOwnerUrl: as(OWNER_ROLE, owner) };
  return { ownerUrl: urls.databaseOwnerUrl, config: { ...config, ...urls }, stop: async () => {} };
}
