// P1: the person record page for a signed-in worker, county-sized data (quality.md, issue 16 part 1): throughput against
// three floors at 50 connections, and p99 at a fixed arrival rate.
//
// The real app (createApp) listens on 127.0.0.1 in this process. Floor routes are added to the same app, so the
// measurements share the process, the pool and the run:
//   (a) GET /people/:id for people on the worker's caseload — the full page, with its access-log row;
//   (b) the mandatory-work floor: session resolved, relationship checked, access-log row written and one row read,
//       as one statement (floor-mandatory.ts), the session sent in a header the app's own hooks do not read;
//   (c) the database floor: one primary-key lookup of a person through the same pool;
//   (d) the framework floor: a trivial route through the same hooks (headers, policy, logging).
// The floors are public and sent without the session cookie: a floor whose hooks resolved a session would hide the
// cost of doing so. Load comes from autocannon in a child process, so it shares neither the server's event loop nor its memory,
// in short slices that alternate between the routes. Then the record page's latency at a fixed arrival rate
// (open-loop.ts), the bar for p99.
// S6 is checked on the way: access-log rows added == record pages served with 200 (+ the floor's logged reads).
import type { FastifyInstance } from 'fastify';
import { createApp } from '../src/app.ts';
import { readConfig } from '../src/config.ts';
import type { Db } from '../src/db/database.ts';
import { cookieNames } from '../src/http/session.ts';
import { findRelationship, type Viewer } from '../src/modules/access/repository.ts';
import { COUNTY_EMAIL_DOMAIN } from '../src/modules/demo/county.ts';
import { DEMO_PASSWORD } from '../src/modules/demo/seed.ts';
import { type MandatoryFloor, mandatoryFloor } from './floor-mandatory.ts';
import { type ArrivalSummary, arrivals, interleave, type LoadResult, signIn, summariseArrivals } from './load.ts';

export const P1_WORKER = `social.worker@${COUNTY_EMAIL_DOMAIN}`;

export interface P1Result {
  worker: string;
  caseload: number;
  connections: number;
  /** Load time per route, split into `rounds` slices taken in turn. */
  seconds: number;
  rounds: number;
  record: LoadResult;
  /** Session + relationship + access-log row + one row read, one statement. */
  mandatoryFloor: LoadResult;
  dbFloor: LoadResult;
  frameworkFloor: LoadResult;
  /** The record page at a fixed arrival rate (open loop). */
  arrival: ArrivalSummary;
  /** For information: the database floor's lookup for a signed-in user (session resolution included). */
  signedIn: LoadResult;
  /** S6: record pages and floor reads served with 200 (counted by the server) and access-log rows written meanwhile. */
  accessCheck: { served: number; floorReads: number; rows: number; ok: boolean };
  /** People whose floor verdict was compared with the app's findRelationship (all agreed, or the run stopped). */
  floorChecked: number;
  /** Bytes of one record page, to show what is being rendered. */
  pageBytes: number;
  /**
   * Resident memory of this process (the app runs in it; the load generators are child processes), in MiB: after
   * start and warm-up, and the peak sampled every 100 ms during the load runs (issue 16 part 8).
   */
  memory: { idleMiB: number; peakMiB: number };
}

const MIB = 1024 * 1024;

/** Samples the process's RSS every 100 ms until stopped; answers the peak. */
function rssPeak() {
  let peak = process.memoryUsage.rss();
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss());
  }, 100);
  return () => {
    clearInterval(timer);
    return Math.max(peak, process.memoryUsage.rss()) / MIB;
  };
}

async function accessRows(db: Db, userId: string): Promise<number> {
  const row = await db
    .selectFrom('access_log')
    .where('user_id', '=', userId)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** The worker's roles and teams, as the app's access rules take them. */
async function viewerOf(db: Db, userId: string): Promise<Viewer> {
  const u = await db
    .selectFrom('users')
    .where('id', '=', userId)
    .select(['authority_id', 'roles'])
    .executeTakeFirstOrThrow();
  const teams = await db.selectFrom('team_members').where('user_id', '=', userId).select('team_id').execute();
  return { id: userId, authorityId: u.authority_id as string, teamIds: teams.map((t) => t.team_id), roles: u.roles };
}

/**
 * The floor must give the app's answer: for the caseload's first people and others of the authority, it reads (and
 * logs) exactly when findRelationship says the viewer may. Returns how many were compared.
 */
async function checkFloor(db: Db, floor: MandatoryFloor, token: string, viewer: Viewer, ids: string[]) {
  const others = await db
    .selectFrom('people')
    .where('authority_id', '=', viewer.authorityId)
    .where('id', 'not in', ids)
    .orderBy('id')
    .limit(40)
    .select('id')
    .execute();
  const sample = [...ids.slice(0, 10), ...others.map((o) => o.id)];
  let related = 0;
  for (const id of sample) {
    const app = await findRelationship(db, viewer, id, new Date());
    const allowed = app.related || app.breakGlassId !== null;
    const read = (await floor.read(token, id)) !== null;
    if (read !== allowed) {
      throw new Error(`P1: the mandatory-work floor ${read ? 'read' : 'refused'} a record the app would not (${id})`);
    }
    if (allowed) related++;
  }
  if (related === 0 || related === sample.length) {
    throw new Error('P1: the floor check needs people both inside and outside the caseload');
  }
  if ((await floor.read('not-a-session', ids[0] as string)) !== null) {
    throw new Error('P1: the mandatory-work floor read a record without a session');
  }
  return sample.length;
}

const MANDATORY = '/bench/floor/mandatory/:id';

/** The floor routes, registered by the bench only, and the counters of what the server sent. */
function benchRoutes(a: FastifyInstance, db: Db, floor: MandatoryFloor, counts: Counts) {
  a.get<{ Params: { id: string } }>(MANDATORY, { config: PUBLIC, schema: HIDE }, async (request, reply) => {
    const token = request.headers['x-bench-session'];
    if (typeof token !== 'string') return reply.code(401).send({ found: false });
    const caseNumber = await floor.read(token, request.params.id);
    if (caseNumber === null) return reply.code(404).send({ found: false });
    return { found: true, caseNumber };
  });
  a.get<{ Params: { id: string } }>('/bench/floor/db/:id', { config: PUBLIC, schema: HIDE }, async (request) => {
    const row = await db.selectFrom('people').where('id', '=', request.params.id).select('id').executeTakeFirst();
    return { found: row !== undefined };
  });
  // Not a floor: the same lookup for a signed-in user, to show what resolving the session costs.
  a.get<{ Params: { id: string } }>(
    '/bench/floor/session/:id',
    { config: { policy: { capability: null } }, schema: HIDE },
    async (request) => {
      const row = await db.selectFrom('people').where('id', '=', request.params.id).select('id').executeTakeFirst();
      return { found: row !== undefined };
    },
  );
  a.get('/bench/floor/trivial', { config: PUBLIC, schema: HIDE }, async () => ({ ok: true }));
  // Counted as a response is handed to the socket: a client that hangs up at the end of a slice (autocannon
  // stops on a deadline) still had its record read, and logged. started - sent is the work in flight.
  a.addHook('onRequest', async () => {
    counts.started++;
  });
  a.addHook('onSend', async (request, reply, payload) => {
    counts.sent++;
    if (reply.statusCode === 200 && request.routeOptions.url === '/people/:personId') counts.served++;
    if (reply.statusCode === 200 && request.routeOptions.url === MANDATORY) counts.floorReads++;
    return payload;
  });
}

const PUBLIC = { policy: { public: true as const } };
const HIDE = { hide: true };
interface Counts {
  started: number;
  sent: number;
  served: number;
  floorReads: number;
}

export async function benchPersonPage(opts: {
  db: Db;
  url: string;
  /** Load time per route. */
  seconds: number;
  /** Slices per route, taken in turn with the other routes. */
  rounds: number;
  connections: number;
  /** Record pages offered per second for the latency bar (open loop). */
  rate: number;
  log: (line: string) => void;
}): Promise<P1Result> {
  const { db } = opts;
  const worker = await db.selectFrom('users').where('email', '=', P1_WORKER).select('id').executeTakeFirstOrThrow();
  const caseload = await db
    .selectFrom('involvements')
    .where('worker_id', '=', worker.id)
    .where('end_date', 'is', null)
    .select('person_id')
    .distinct()
    .orderBy('person_id')
    .execute();
  if (caseload.length === 0) throw new Error(`P1: ${P1_WORKER} has no caseload`);
  const ids = caseload.map((c) => c.person_id);
  const viewer = await viewerOf(db, worker.id);

  // The app reads its configuration from this env, not the process's: the bench needs no variables set.
  const config = readConfig({ DATABASE_URL: opts.url, LOG_LEVEL: 'silent', DEMO_MODE: 'true' });
  const floor = mandatoryFloor(db, config, viewer.roles);
  const counts: Counts = { started: 0, sent: 0, served: 0, floorReads: 0 };
  /** Waits for requests still running after a slice's deadline, so they do not eat into the next slice. */
  const drain = async () => {
    for (let waited = 0; counts.started !== counts.sent && waited < 10_000; waited += 50)
      await new Promise((r) => setTimeout(r, 50));
  };
  const app = await createApp({ db, config, logger: false, extraRoutes: (a) => benchRoutes(a, db, floor, counts) });
  try {
    const base = await app.listen({ port: 0, host: '127.0.0.1' });
    const cookie = await signIn(app, P1_WORKER, DEMO_PASSWORD, cookieNames(config).session);
    const token = cookie.slice(cookie.indexOf('=') + 1);
    const headers = { cookie, accept: 'text/html' };

    const first = await db
      .selectFrom('people')
      .where('id', '=', ids[0] as string)
      .select('case_number')
      .executeTakeFirstOrThrow();
    const sample = await app.inject({ method: 'GET', url: `/people/${ids[0]}`, headers });
    if (sample.statusCode !== 200 || !sample.body.includes(first.case_number)) {
      throw new Error(`P1: the record page answered ${sample.statusCode}, not the record`);
    }
    const dbFloorSample = await app.inject({ method: 'GET', url: `/bench/floor/db/${ids[0]}` });
    if (dbFloorSample.json<{ found: boolean }>().found !== true) throw new Error('P1: the database floor found nobody');
    const floorChecked = await checkFloor(db, floor, token, viewer, ids);

    // Idle: started, one page and the floor check served, and the garbage of start-up left to settle.
    for (let i = 0; i < 20; i++) await app.inject({ method: 'GET', url: `/people/${ids[i % ids.length]}`, headers });
    await new Promise((r) => setTimeout(r, 1000));
    const idleMiB = process.memoryUsage.rss() / MIB;
    const stopSampling = rssPeak();
    const rowsBefore = await accessRows(db, worker.id);
    const before = { ...counts };
    opts.log(`P1: warming up (${ids.length} records on ${P1_WORKER}'s caseload)…`);
    const r = await interleave({
      url: base,
      routes: {
        record: { paths: ids.map((id) => `/people/${id}`), headers },
        mandatoryFloor: { paths: ids.map((id) => MANDATORY.replace(':id', id)), headers: { 'x-bench-session': token } },
        dbFloor: { paths: ids.map((id) => `/bench/floor/db/${id}`), headers: {} },
        frameworkFloor: { paths: ['/bench/floor/trivial'], headers: {} },
        signedIn: { paths: ids.map((id) => `/bench/floor/session/${id}`), headers },
      },
      connections: opts.connections,
      seconds: opts.seconds,
      rounds: opts.rounds,
      label: 'P1',
      log: opts.log,
      after: drain,
    });

    opts.log(`P1: the record page at ${opts.rate} pages/s offered (open loop), ${opts.seconds} s…`);
    const offered = await arrivals({
      url: base,
      paths: ids.map((id) => `/people/${id}`),
      headers,
      rate: opts.rate,
      seconds: opts.seconds,
      maxSockets: 256,
    });
    await drain();
    const peakMiB = stopSampling();

    const rows = (await accessRows(db, worker.id)) - rowsBefore;
    const served = counts.served - before.served;
    const floorReads = counts.floorReads - before.floorReads;
    return {
      worker: P1_WORKER,
      caseload: ids.length,
      connections: opts.connections,
      seconds: opts.seconds,
      rounds: opts.rounds,
      ...r,
      arrival: summariseArrivals(offered, opts.rate),
      accessCheck: { served, floorReads, rows, ok: rows === served + floorReads },
      floorChecked,
      pageBytes: Buffer.byteLength(sample.body),
      memory: { idleMiB, peakMiB },
    };
  } finally {
    await app.close();
  }
}
