// Runs once before all test files: one throwaway PostgreSQL cluster, and a migrated template database
// that every test file copies (CREATE DATABASE … TEMPLATE), so each file has its own real database.
import fs from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { createDb, migrateToLatest } from '../src/db/database.ts';
import { type EmbeddedCluster, startEmbeddedPostgres } from '../src/db/embedded.ts';
import { APP_ROLE, grantAppRole } from '../src/db/roles.ts';

let cluster: EmbeddedCluster | null = null;
const dir = path.resolve('.test-db', String(process.pid));

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

export async function globalSetup() {
  await fs.rm(dir, { recursive: true, force: true });
  cluster = await startEmbeddedPostgres({ dir, port: await freePort(), database: 'handover_template' });
  // Migrated by the owner role, as in production; each test file's app then connects as the app role.
  const db = createDb(cluster.ownerUrl('handover_template'), 2);
  await migrateToLatest(db);
  await grantAppRole(db, APP_ROLE);
  await db.destroy();
  process.env.HANDOVER_TEST_CLUSTER = cluster.url('postgres');
  process.env.HANDOVER_TEST_OWNER_CLUSTER = cluster.ownerUrl('postgres');
  process.env.HANDOVER_TEST_APP_CLUSTER = cluster.appUrl('postgres');
}

export async function globalTeardown() {
  await cluster?.stop();
  await fs.rm(dir, { recursive: true, force: true });
  // scripts/run-tests.mjs fails the run unless this marker shows the teardown finished.
  if (process.env.HANDOVER_TEST_TEARDOWN_DONE) await fs.writeFile(process.env.HANDOVER_TEST_TEARDOWN_DONE, 'done\n');
}
