// Opens the database the configuration names: a server (DATABASE_URL, and DATABASE_OWNER_URL for migrations) or
// the embedded cluster in ./data. The app's pool always runs as the app role; migrations as the owner role
// (docs/database-roles.md).
import { sql } from 'kysely';
import type { Config } from '../config.ts';
import { checkConnection, createDb, type Db, migrateToLatest } from './database.ts';
import { type EmbeddedCluster, startEmbeddedPostgres } from './embedded.ts';
import { withMigrationLock } from './migration-lock.ts';
import { appRoleProblems, DatabaseRoleError, ensureJobsSchema, grantAppRole } from './roles.ts';

export interface Opened {
  db: Db;
  /** The app role's connection string (pg-boss uses it too). */
  url: string;
  migrated: string[];
  /** Said once on start: e.g. the app runs as the role that owns the tables (no DATABASE_OWNER_URL). */
  warnings: string[];
  close(): Promise<void>;
}

/** Migrates as the owner and grants the app role its privileges; or, with one role, migrates as that role. */
async function migrate(db: Db, ownerUrl: string | null): Promise<string[]> {
  if (ownerUrl === null) {
    const migrated = await migrateToLatest(db);
    await ensureJobsSchema(db, null);
    return migrated;
  }
  const owner = createDb(ownerUrl, 2);
  try {
    const migrated = await migrateToLatest(owner);
    const appRole = (await sql<{ r: string }>`SELECT current_user AS r`.execute(db)).rows[0]?.r ?? '';
    const ownerRole = (await sql<{ r: string }>`SELECT current_user AS r`.execute(owner)).rows[0]?.r ?? '';
    if (appRole === ownerRole) {
      throw new DatabaseRoleError(
        `DATABASE_URL must be the app role, not the owner: both it and DATABASE_OWNER_URL sign in as ${appRole}. See docs/database-roles.md.`,
      );
    }
    await grantAppRole(owner, appRole);
    await ensureJobsSchema(owner, appRole);
    return migrated;
  } finally {
    await owner.destroy();
  }
}

export async function openDatabase(
  config: Config,
  opts: { migrate?: boolean; poolSize?: number } = {},
): Promise<Opened> {
  let cluster: EmbeddedCluster | null = null;
  let url = config.databaseUrl;
  let ownerUrl = config.databaseOwnerUrl;
  if (url === null) {
    cluster = await startEmbeddedPostgres({ dir: config.dataDir, port: config.embeddedPgPort, database: 'handover' });
    url = cluster.appUrl('handover');
    ownerUrl = cluster.ownerUrl('handover');
  }
  try {
    await checkConnection(url, cluster ? 'the embedded PostgreSQL' : 'DATABASE_URL');
    if (ownerUrl !== null) await checkConnection(ownerUrl, cluster ? 'the embedded PostgreSQL' : 'DATABASE_OWNER_URL');
  } catch (e) {
    await cluster?.stop();
    throw e;
  }
  const db = createDb(url, opts.poolSize);
  const warnings: string[] = [];
  let migrated: string[] = [];
  try {
    // Several processes starting at once on one database: one migrates, the others wait and find nothing to do.
    migrated = opts.migrate === false ? [] : await withMigrationLock(ownerUrl ?? url, () => migrate(db, ownerUrl));
    const problems = await appRoleProblems(db);
    if (problems.length > 0 && ownerUrl !== null) {
      throw new DatabaseRoleError(
        `DATABASE_URL must be the app role, not the owner: ${problems.join('; ')}. See docs/database-roles.md.`,
      );
    }
    if (problems.length > 0) {
      warnings.push(
        `The app connects to PostgreSQL as a role that can change the audit log (${problems.join('; ')}). Set DATABASE_URL to an app role and DATABASE_OWNER_URL to the owner: docs/database-roles.md.`,
      );
    }
  } catch (e) {
    await db.destroy();
    await cluster?.stop();
    throw e;
  }
  let closed = false;
  return {
    db,
    url,
    migrated,
    warnings,
    close: async () => {
      if (closed) return;
      closed = true;
      await db.destroy();
      await cluster?.stop();
    },
  };
}
