// P1: the person record page for a signed-in worker, county-sized data, 50 connections (quality.md).
//
// The real app (createApp) listens on 127.0.0.1 in this process. Two floor routes are added to the same app, so
// the three measurements share the process, the pool and the run:
//   (a) GET /people/:id for people on the worker's caseload — the full page, with its access-log row;
//   (b) the database floor: one primary-key lookup of a person through the same pool;
//   (c) the framework floor: a trivial route through the same hooks (headers, policy, logging).
// The floors are public and sent without the session cookie: a floor that resolved a session would hide the
// cost of doing so. Load comes from autocannon in a worker thread, so it does not share the server's event loop,
// in short slices that alternate between the three routes.
// S6 is checked on the way: access-log rows added == record pages served with 200.
import { Worker } from 'node:worker_threads';
import type { FastifyInstance } from 'fastify';
import { createApp } from '../src/app.ts';
import { readConfig } from '../src/config.ts';
import type { Db } from '../src/db/database.ts';
import { cookieNames } from '../src/http/session.ts';
import { COUNTY_EMAIL_DOMAIN } from '../src/modules/demo/county.ts';
import { DEMO_PASSWORD } from '../src/modules/demo/seed.ts';
import type { SliceRequest, SliceResult } from './load-worker.ts';

export const P1_WORKER = `social.worker@${COUNTY_EMAIL_DOMAIN}`;

export interface LoadResult {
  /** Successful (2xx) responses per second, over all slices. */
  reqPerSec: number;
  ok: number;
  non2xx: number;
  errors: number;
  seconds: number;
  /** Over every 2xx response of every slice. */
  latencyMs: { mean: number; p50: number; p99: number; max: number };
}

export interface P1Result {
  worker: string;
  caseload: number;
  connections: number;
  /** Load time per route, split into `rounds` slices taken in turn. */
  seconds: number;
  rounds: number;
  record: LoadResult;
  dbFloor: LoadResult;
  frameworkFloor: LoadResult;
  /** For information: the database floor's lookup for a signed-in user (session resolution included). */
  signedIn: LoadResult;
  /** S6: record pages served with 200 (counted by the server) and access-log rows written meanwhile. */
  accessCheck: { served: number; rows: number; ok: boolean };
  /** Bytes of one record page, to show what is being rendered. */
  pageBytes: number;
}

function slice(request: SliceRequest): Promise<SliceResult> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./load-worker.ts', import.meta.url), { workerData: request });
    worker.once('message', (m: SliceResult) => resolve(m));
    worker.once('error', reject);
    worker.once('exit', (code) => code !== 0 && reject(new Error(`P1: the load worker exited with code ${code}`)));
  });
}

function summarise(slices: SliceResult[]): LoadResult {
  const all = new Float64Array(slices.reduce((n, s) => n + s.latencies.length, 0));
  let at = 0;
  for (const s of slices) {
    all.set(s.latencies, at);
    at += s.latencies.length;
  }
  all.sort();
  const q = (p: number) => (all.length ? (all[Math.min(all.length - 1, Math.ceil(p * all.length) - 1)] as number) : 0);
  const ok = slices.reduce((n, s) => n + s.ok, 0);
  const seconds = slices.reduce((n, s) => n + s.seconds, 0);
  return {
    reqPerSec: ok / seconds,
    ok,
    non2xx: slices.reduce((n, s) => n + s.non2xx, 0),
    errors: slices.reduce((n, s) => n + s.errors, 0),
    seconds,
    latencyMs: {
      mean: all.reduce((a, b) => a + b, 0) / Math.max(1, all.length),
      p50: q(0.5),
      p99: q(0.99),
      max: all.length ? (all[all.length - 1] as number) : 0,
    },
  };
}

/** Signs in through the real login form (CSRF and all) and returns the session cookie. */
async function signIn(app: FastifyInstance, email: string, password: string, cookieName: string): Promise<string> {
  const form = await app.inject({ method: 'GET', url: '/login' });
  const csrf = /name="_csrf" value="([^"]+)"/.exec(form.body)?.[1];
  const loginCookie = form.cookies.map((c) => `${c.name}=${c.value}`).join('; ');
  if (!csrf) throw new Error('P1: the sign-in page has no CSRF token');
  const res = await app.inject({
    method: 'POST',
    url: '/login',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: loginCookie },
    payload: new URLSearchParams({ _csrf: csrf, email, password }).toString(),
  });
  const session = res.cookies.find((c) => c.name === cookieName);
  if (res.statusCode !== 303 || !session) throw new Error(`P1: signing in as ${email} failed (${res.statusCode})`);
  return `${cookieName}=${session.value}`;
}

async function accessRows(db: Db, userId: string): Promise<number> {
  const row = await db
    .selectFrom('access_log')
    .where('user_id', '=', userId)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function benchPersonPage(opts: {
  db: Db;
  url: string;
  /** Load time per route. */
  seconds: number;
  /** Slices per route, taken in turn with the other routes. */
  rounds: number;
  connections: number;
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

  // The app reads its configuration from this env, not the process's: the bench needs no variables set.
  const config = readConfig({ DATABASE_URL: opts.url, LOG_LEVEL: 'silent', DEMO_MODE: 'true' });
  let served = 0;
  let started = 0;
  let sent = 0;
  /** Waits for requests still running after a slice's deadline, so they do not eat into the next slice. */
  const drain = async () => {
    for (let waited = 0; started !== sent && waited < 10_000; waited += 50) await new Promise((r) => setTimeout(r, 50));
  };
  const app = await createApp({
    db,
    config,
    logger: false,
    extraRoutes: (a) => {
      a.get<{ Params: { id: string } }>(
        '/bench/floor/db/:id',
        { config: { policy: { public: true } }, schema: { hide: true } },
        async (request) => {
          const row = await db.selectFrom('people').where('id', '=', request.params.id).select('id').executeTakeFirst();
          return { found: row !== undefined };
        },
      );
      // Not a floor: the same lookup for a signed-in user, to show what resolving the session costs.
      a.get<{ Params: { id: string } }>(
        '/bench/floor/session/:id',
        { config: { policy: { capability: null } }, schema: { hide: true } },
        async (request) => {
          const row = await db.selectFrom('people').where('id', '=', request.params.id).select('id').executeTakeFirst();
          return { found: row !== undefined };
        },
      );
      a.get('/bench/floor/trivial', { config: { policy: { public: true } }, schema: { hide: true } }, async () => ({
        ok: true,
      }));
      // Counted as a response is handed to the socket: a client that hangs up at the end of a slice (autocannon
      // stops on a deadline) still had its record read, and logged. started - sent is the work in flight.
      a.addHook('onRequest', async () => {
        started++;
      });
      a.addHook('onSend', async (request, reply, payload) => {
        sent++;
        if (request.routeOptions.url === '/people/:personId' && reply.statusCode === 200) served++;
        return payload;
      });
    },
  });
  try {
    const base = await app.listen({ port: 0, host: '127.0.0.1' });
    const cookie = await signIn(app, P1_WORKER, DEMO_PASSWORD, cookieNames(config).session);
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
    const floor = await app.inject({ method: 'GET', url: `/bench/floor/db/${ids[0]}` });
    if (floor.json<{ found: boolean }>().found !== true) throw new Error('P1: the database floor found nobody');

    const routes = {
      record: { paths: ids.map((id) => `/people/${id}`), headers },
      dbFloor: { paths: ids.map((id) => `/bench/floor/db/${id}`), headers: {} },
      frameworkFloor: { paths: ['/bench/floor/trivial'], headers: {} },
      signedIn: { paths: ids.map((id) => `/bench/floor/session/${id}`), headers },
    };
    const names = Object.keys(routes) as (keyof typeof routes)[];
    const rowsBefore = await accessRows(db, worker.id);
    const servedBefore = served;
    const run = async (name: keyof typeof routes, seconds: number) => {
      const result = await slice({ url: base, connections: opts.connections, seconds, ...routes[name] });
      await drain();
      return result;
    };

    // Warm up every route (JIT, templates, pool connections). Then the routes take turns in short slices, the
    // order rotating each round, so a burst of load from elsewhere on a shared machine lands on all of them
    // rather than on one.
    opts.log(`P1: warming up (${ids.length} records on ${P1_WORKER}'s caseload)…`);
    for (const name of names) await run(name, 2);
    const per = Math.max(1, opts.seconds / opts.rounds);
    const slices: Record<keyof typeof routes, SliceResult[]> = {
      record: [],
      dbFloor: [],
      frameworkFloor: [],
      signedIn: [],
    };
    for (let round = 0; round < opts.rounds; round++) {
      opts.log(
        `P1: round ${round + 1} of ${opts.rounds}, ${per.toFixed(1)} s per route at ${opts.connections} connections…`,
      );
      for (let k = 0; k < names.length; k++) {
        const name = names[(round + k) % names.length] as keyof typeof routes;
        slices[name].push(await run(name, per));
      }
    }
    const record = summarise(slices.record);
    const dbFloor = summarise(slices.dbFloor);
    const frameworkFloor = summarise(slices.frameworkFloor);
    const signedIn = summarise(slices.signedIn);

    const rows = (await accessRows(db, worker.id)) - rowsBefore;
    const count = served - servedBefore;
    return {
      worker: P1_WORKER,
      caseload: ids.length,
      connections: opts.connections,
      seconds: opts.seconds,
      rounds: opts.rounds,
      record,
      dbFloor,
      frameworkFloor,
      signedIn,
      accessCheck: { served: count, rows, ok: rows === count },
      pageBytes: Buffer.byteLength(sample.body),
    };
  } finally {
    await app.close();
  }
}
