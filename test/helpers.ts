// Shared test wiring: a real database per test file (copied from the migrated template), the real app,
// and a signed-in browser-like client. No mocks.
import { randomBytes } from 'node:crypto';
import { after } from 'node:test';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import pg from 'pg';
import { createApp } from '../src/app.ts';
import { type Config, readConfig } from '../src/config.ts';
import { createDb, type Db } from '../src/db/database.ts';
import { OWNER_ROLE } from '../src/db/roles.ts';
import { hashPassword } from '../src/modules/auth/passwords.ts';
import { createDemoOrganisation, DEMO_PASSWORD, type DemoOrganisation, ensureDemo } from '../src/modules/demo/seed.ts';
import { DEMO_TEMPLATE } from './global-setup.ts';

function clusterUrl(variable = 'HANDOVER_TEST_CLUSTER'): string {
  const url = process.env[variable];
  if (!url)
    throw new Error('No test database cluster: run the tests with npm test (it starts one in test/global-setup.ts).');
  return url;
}

export interface TestDatabase {
  /** The app's pool: connected as the app role (handover_app), as the running app is. */
  db: Db;
  /** The app role's connection string for this database. */
  url: string;
  /** The owner role's (handover_owner: migrations, owns every table), e.g. for DATABASE_OWNER_URL. */
  ownerUrl: string;
  /** The cluster superuser's: for tests that must tamper with what the app cannot. */
  adminUrl: string;
  /** A small pool as the owner role, closed when the file's tests end. */
  asOwner(): Db;
  /** A small pool as the cluster superuser, closed when the file's tests end. */
  asSuperuser(): Db;
}

/** The day the shared demo database was built on: tests that open it use this clock (fixedClock's default). */
export const DEMO_DAY = '2026-11-23T10:00:00Z';
const inDatabase = (variable: string, name: string) => clusterUrl(variable).replace(/\/postgres$/, `/${name}`);

/**
 * The demo template: the first test file that asks for it builds it (a copy of the migrated template with
 * ensureDemo run on DEMO_DAY, as the app's role), under an advisory lock, so the files that need the demo copy it in
 * a second instead of each spending most of a minute building the same council. test/global-setup.ts drops any left
 * on a server from an earlier run; test/demo.test.ts still builds the demo from nothing, as the app does.
 */
async function demoTemplate(admin: pg.Client): Promise<void> {
  await admin.query("SELECT pg_advisory_lock(hashtext('handover_demo_template'))");
  try {
    const found = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [DEMO_TEMPLATE]);
    if (found.rowCount) return;
    const building = `${DEMO_TEMPLATE}_building`;
    await admin.query(`DROP DATABASE IF EXISTS ${building} WITH (FORCE)`);
    await admin.query(`CREATE DATABASE ${building} TEMPLATE handover_template OWNER ${OWNER_ROLE}`);
    const db = createDb(inDatabase('HANDOVER_TEST_APP_CLUSTER', building), 4);
    try {
      await ensureDemo(db, { config: testConfig(), now: fixedClock(DEMO_DAY).now });
    } finally {
      await db.destroy();
    }
    // Renamed only when whole: a file that fails half-way through the build leaves no half-built demo to copy.
    await admin.query(`ALTER DATABASE ${building} RENAME TO ${DEMO_TEMPLATE}`);
  } finally {
    await admin.query("SELECT pg_advisory_unlock(hashtext('handover_demo_template'))");
  }
}

/**
 * A fresh database for this test file, dropped when the file's tests end: the migrated template, or with
 * `{ demo: true }` the demo council built on DEMO_DAY (ensureDemo on it then only lists the demo's sign-ins).
 */
export async function testDatabase(opts: { demo?: boolean } = {}): Promise<TestDatabase> {
  const name = `t_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: clusterUrl() });
  await admin.connect();
  try {
    if (opts.demo) await demoTemplate(admin);
    const template = opts.demo ? DEMO_TEMPLATE : 'handover_template';
    // Owned by the owner role, as the embedded cluster's database is: so it owns schema public and may add tables.
    await admin.query(`CREATE DATABASE ${name} TEMPLATE ${template} OWNER ${OWNER_ROLE}`);
  } finally {
    await admin.end();
  }
  const inThisDatabase = (variable: string) => inDatabase(variable, name);
  const url = inThisDatabase('HANDOVER_TEST_APP_CLUSTER');
  const ownerUrl = inThisDatabase('HANDOVER_TEST_OWNER_CLUSTER');
  const adminUrl = inThisDatabase('HANDOVER_TEST_CLUSTER');
  const db = createDb(url, 10);
  const extra: Db[] = [];
  const pool = (connection: string) => {
    const d = createDb(connection, 2);
    extra.push(d);
    return d;
  };
  after(async () => {
    await db.destroy();
    for (const d of extra) await d.destroy();
    const c = new pg.Client({ connectionString: clusterUrl() });
    await c.connect();
    await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await c.end();
  });
  return { db, url, ownerUrl, adminUrl, asOwner: () => pool(ownerUrl), asSuperuser: () => pool(adminUrl) };
}

export function testConfig(overrides: Partial<Config> = {}): Config {
  return {
    ...readConfig({ DATABASE_URL: 'postgres://unused@127.0.0.1/unused', LOG_LEVEL: 'silent', DEMO_MODE: 'true' }),
    ...overrides,
  };
}

/** A fixed clock for tests: 2026-11-23 10:00 London time unless told otherwise. */
export function fixedClock(iso = '2026-11-23T10:00:00Z') {
  let t = Date.parse(iso);
  const now = () => new Date(t);
  return { now, advance: (ms: number) => (t += ms), set: (value: string) => (t = Date.parse(value)) };
}

let passwordHash: Promise<string> | null = null;
let orgCount = 0;

/** A council with staff in every role (the demo organisation), under a unique code and email domain. */
export async function seedOrganisation(db: Db, label = 'a'): Promise<DemoOrganisation> {
  passwordHash ??= hashPassword(DEMO_PASSWORD);
  orgCount++;
  return createDemoOrganisation(db, {
    code: `T${label}${orgCount}`,
    name: `Test Council ${label}${orgCount}`,
    passwordHash: await passwordHash,
    emailDomain: `${label}${orgCount}.test.example`,
  });
}

export const PASSWORD = DEMO_PASSWORD;

export async function testApp(
  db: Db,
  opts: { now?: () => Date; config?: Partial<Config> } = {},
): Promise<FastifyInstance> {
  const app = await createApp({ db, config: testConfig(opts.config), now: opts.now ?? fixedClock().now });
  after(() => app.close());
  return app;
}

/** A browser-like client: keeps cookies, sends the CSRF token with forms. */
export class Browser {
  cookies = new Map<string, string>();
  csrf = '';
  /** Each browser comes from its own address, so one test's failed sign-ins never throttle another's. */
  static next = 1;
  readonly ip = `198.51.100.${Browser.next++ % 250}`;
  constructor(readonly app: FastifyInstance) {}

  private cookieHeader() {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  private keep(res: LightMyRequestResponse) {
    for (const c of res.cookies as { name: string; value: string; expires?: Date; maxAge?: number }[]) {
      if (c.value === '' || (c.expires && c.expires.getTime() < Date.now()) || c.maxAge === 0)
        this.cookies.delete(c.name);
      else this.cookies.set(c.name, c.value);
    }
    const m = /name="_csrf" value="([^"]+)"/.exec(res.body);
    if (m) this.csrf = m[1] as string;
  }

  async get(url: string) {
    const res = await this.app.inject({
      method: 'GET',
      url,
      headers: { cookie: this.cookieHeader(), accept: 'text/html' },
    });
    this.keep(res);
    return res;
  }

  async post(
    url: string,
    form: Record<string, string | string[]>,
    opts: { csrf?: string | null; accept?: string } = {},
  ) {
    const body = new URLSearchParams();
    const token = opts.csrf === undefined ? this.csrf : opts.csrf;
    if (token !== null) body.append('_csrf', token);
    for (const [k, v] of Object.entries(form)) for (const x of Array.isArray(v) ? v : [v]) body.append(k, x);
    const res = await this.app.inject({
      method: 'POST',
      url,
      remoteAddress: this.ip,
      headers: {
        cookie: this.cookieHeader(),
        'content-type': 'application/x-www-form-urlencoded',
        accept: opts.accept ?? 'text/html',
      },
      payload: body.toString(),
    });
    this.keep(res);
    return res;
  }

  async login(email: string, password = PASSWORD) {
    await this.get('/login');
    const res = await this.post('/login', { email, password });
    if (res.statusCode !== 303) throw new Error(`login as ${email} failed: ${res.statusCode}`);
    await this.get('/');
    return res;
  }
}

export function userByRole(org: DemoOrganisation, role: string) {
  const u = org.users.find((x) => x.role === role);
  if (!u) throw new Error(`no ${role} in the test organisation`);
  return u;
}

/** A young person written straight to the tables, with one open involvement of `team` (allocated to `worker`). */
export async function personInTeam(
  db: Db,
  o: {
    authorityId: string;
    team: string;
    worker: string | null;
    caseNumber: string;
    givenName: string;
    familyName: string;
    dateOfBirth: string;
    reason?: string;
    start?: string;
  },
): Promise<string> {
  const { id } = await db
    .insertInto('people')
    .values({
      authority_id: o.authorityId,
      case_number: o.caseNumber,
      given_name: o.givenName,
      family_name: o.familyName,
      date_of_birth: o.dateOfBirth,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await db
    .insertInto('involvements')
    .values({
      authority_id: o.authorityId,
      person_id: id,
      team_id: o.team,
      worker_id: o.worker,
      reason: o.reason ?? 'Child in need',
      start_date: o.start ?? '2026-01-05',
    })
    .execute();
  return id;
}
