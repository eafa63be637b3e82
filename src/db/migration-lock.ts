// One migration at a time per database (issue 18 part 3). Kysely's migrator takes an advisory lock of its own while
// it applies migrations, but not around what Handover does after them (the app role's grants, pg-boss's schema),
// where two processes starting together would race ("tuple concurrently updated" on GRANT). So openDatabase holds
// this session-level advisory lock, on a connection of its own, around the whole step: the second process waits,
// then finds nothing left to apply. A process killed while holding it loses its connection and so the lock.
import pg from 'pg';

/** The advisory lock's key: Handover's migrations (any 64-bit number no other tool on the database uses). */
export const MIGRATION_LOCK_KEY = 7_148_201_812_180_001n;

export async function withMigrationLock<T>(url: string, run: () => Promise<T>): Promise<T> {
  const client = new pg.Client({
    connectionString: url,
    connectionTimeoutMillis: 5000,
    application_name: 'handover-migrate-lock',
  });
  client.on('error', () => {});
  await client.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1::bigint)', [MIGRATION_LOCK_KEY.toString()]);
    return await run();
  } finally {
    await client.query('SELECT pg_advisory_unlock($1::bigint)', [MIGRATION_LOCK_KEY.toString()]).catch(() => {});
    await client.end().catch(() => {});
  }
}
