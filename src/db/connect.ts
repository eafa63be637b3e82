// Opens the database the configuration names: a server (DATABASE_URL) or the embedded cluster in ./data.
import type { Config } from '../config.ts';
import { checkConnection, createDb, type Db, migrateToLatest } from './database.ts';
import { type EmbeddedCluster, startEmbeddedPostgres } from './embedded.ts';

export interface Opened {
  db: Db;
  url: string;
  migrated: string[];
  close(): Promise<void>;
}

export async function openDatabase(
  config: Config,
  opts: { migrate?: boolean; poolSize?: number } = {},
): Promise<Opened> {
  let cluster: EmbeddedCluster | null = null;
  let url = config.databaseUrl;
  if (url === null) {
    cluster = await startEmbeddedPostgres({ dir: config.dataDir, port: config.embeddedPgPort, database: 'handover' });
    url = cluster.url('handover');
  }
  try {
    await checkConnection(url);
  } catch (e) {
    await cluster?.stop();
    throw e;
  }
  const db = createDb(url, opts.poolSize);
  const migrated = opts.migrate === false ? [] : await migrateToLatest(db);
  let closed = false;
  return {
    db,
    url,
    migrated,
    close: async () => {
      if (closed) return;
      closed = true;
      await db.destroy();
      await cluster?.stop();
    },
  };
}
