// Runs once before all test files: a PostgreSQL cluster and a migrated template database that every test file
// copies (CREATE DATABASE … TEMPLATE), so each file has its own real database. The cluster is a throwaway embedded
// one (PostgreSQL 18, npm test), or — the server pass, npm run test:server (scripts/test-server.mjs) — the server
// whose superuser URL is in HANDOVER_TEST_SERVER_URL (Debian's PostgreSQL 15 in CI). On a server the roles and the
// template database are made with the SQL docs/database-roles.md gives an IT team, so that SQL is tested too.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import pg from 'pg';
import { readConfig } from '../src/config.ts';
import { openDatabase } from '../src/db/connect.ts';
import { createDb, migrateToLatest } from '../src/db/database.ts';
import { type EmbeddedCluster, startEmbeddedPostgres } from '../src/db/embedded.ts';
import { APP_ROLE, grantAppRole, OWNER_ROLE } from '../src/db/roles.ts';

const TEMPLATE = 'handover_template';
/** The demo council built once per run by the first test file that needs it (testDatabase({ demo: true }) in helpers.ts). */
export const DEMO_TEMPLATE = 'handover_demo_template';
let cluster: EmbeddedCluster | null = null;
let serverVersion: string | null = null;
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

/** The first ```sql block of the doc's "Your own PostgreSQL server" section: [before \connect, after it]. */
export async function databaseRolesSql(): Promise<{ server: string[]; database: string[] }> {
  const doc = await fs.readFile(path.resolve('docs/database-roles.md'), 'utf8');
  const section = doc.slice(doc.indexOf('## Your own PostgreSQL server'));
  const block = /```sql\n([\s\S]*?)```/.exec(section)?.[1];
  if (!block) throw new Error('docs/database-roles.md has no ```sql block under "## Your own PostgreSQL server".');
  const [before, after] = block.split(/^\\connect handover\s*$/m);
  if (after === undefined) throw new Error('docs/database-roles.md: the SQL block must \\connect handover once.');
  const statements = (text: string) =>
    text
      .split('\n')
      .filter((line) => !line.trim().startsWith('--'))
      .join('\n')
      .split(/;\s*$/m)
      .map((s) => s.trim())
      .filter((s) => s !== '');
  return { server: statements(before as string), database: statements(after) };
}

/** Roles and the template database on a server, as an IT team would make them, then migrated as the app is. */
async function prepareServer(superuserUrl: string): Promise<{ owner: string; app: string }> {
  const passwords = { owner: randomBytes(18).toString('base64url'), app: randomBytes(18).toString('base64url') };
  const { server, database } = await databaseRolesSql();
  const at = (db: string) => {
    const u = new URL(superuserUrl);
    u.pathname = `/${db}`;
    return u.toString();
  };
  const admin = new pg.Client({ connectionString: at('postgres') });
  await admin.connect();
  try {
    serverVersion =
      (await admin.query<{ v: string }>("SELECT current_setting('server_version') AS v")).rows[0]?.v ?? '?';
    await admin.query(`DROP DATABASE IF EXISTS ${TEMPLATE} WITH (FORCE)`);
    // The demo template (test/helpers.ts) of an earlier run was built by older code: the first file to need it builds it again.
    for (const demo of [DEMO_TEMPLATE, `${DEMO_TEMPLATE}_building`])
      await admin.query(`DROP DATABASE IF EXISTS ${demo} WITH (FORCE)`);
    for (const role of [OWNER_ROLE, APP_ROLE]) {
      // A server used before: its roles from the last run go, with whatever they still own there.
      const found = await admin.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [role]);
      if (found.rowCount) {
        await admin.query(`DROP OWNED BY ${role} CASCADE`);
        await admin.query(`DROP ROLE ${role}`);
      }
    }
    for (const statement of server) {
      await admin.query(
        statement
          .replace(/'owner-password'/g, `'${passwords.owner}'`)
          .replace(/'app-password'/g, `'${passwords.app}'`)
          .replace(/^CREATE DATABASE handover /, `CREATE DATABASE ${TEMPLATE} `),
      );
    }
  } finally {
    await admin.end();
  }
  const inTemplate = new pg.Client({ connectionString: at(TEMPLATE) });
  await inTemplate.connect();
  try {
    for (const statement of database) await inTemplate.query(statement);
  } finally {
    await inTemplate.end();
  }
  const as = (role: string, password: string) => {
    const u = new URL(at(TEMPLATE));
    u.username = role;
    u.password = password;
    return u.toString();
  };
  // What Handover does at every start with DATABASE_URL and DATABASE_OWNER_URL: migrate as the owner, grant the app
  // role its privileges, and refuse an app role that could change the audit log.
  const opened = await openDatabase(
    readConfig({
      DATABASE_URL: as(APP_ROLE, passwords.app),
      DATABASE_OWNER_URL: as(OWNER_ROLE, passwords.owner),
      LOG_LEVEL: 'silent',
      MAIL_TRANSPORT: 'off',
    }),
    { poolSize: 2 },
  );
  try {
    if (opened.warnings.length > 0) throw new Error(`The server's roles are not right: ${opened.warnings.join(' ')}`);
  } finally {
    await opened.close();
  }
  return passwords;
}

export async function globalSetup() {
  const serverUrl = process.env.HANDOVER_TEST_SERVER_URL;
  if (serverUrl) {
    const passwords = await prepareServer(serverUrl);
    const url = (role: string, password: string) => {
      const u = new URL(serverUrl);
      u.username = role;
      u.password = password;
      u.pathname = '/postgres';
      return u.toString();
    };
    const superuser = new URL(serverUrl);
    superuser.pathname = '/postgres';
    process.env.HANDOVER_TEST_CLUSTER = superuser.toString();
    process.env.HANDOVER_TEST_OWNER_CLUSTER = url(OWNER_ROLE, passwords.owner);
    process.env.HANDOVER_TEST_APP_CLUSTER = url(APP_ROLE, passwords.app);
    return;
  }
  await fs.rm(dir, { recursive: true, force: true });
  cluster = await startEmbeddedPostgres({ dir, port: await freePort(), database: TEMPLATE });
  // Migrated by the owner role, as in production; each test file's app then connects as the app role.
  const db = createDb(cluster.ownerUrl(TEMPLATE), 2);
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
  // scripts/run-tests.mjs fails the run unless this marker shows the teardown finished (and, in the server pass,
  // which server the suite ran on).
  const marker = serverVersion === null ? 'done\n' : `done\nserver ${serverVersion}\n`;
  if (process.env.HANDOVER_TEST_TEARDOWN_DONE) await fs.writeFile(process.env.HANDOVER_TEST_TEARDOWN_DONE, marker);
}
