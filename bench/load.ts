// What the load benchmarks share: slices of closed-loop load (load-worker.ts) and runs at a fixed arrival rate
// (open-loop.ts), each in a child process so generating load shares neither the server's event loop nor its memory
// (the bench's RSS is then the app's: M1/M2); their summaries; and signing in through the real login form.
import { fork } from 'node:child_process';
import type { FastifyInstance } from 'fastify';
import type { SliceRequest, SliceResult } from './load-worker.ts';
import type { ArrivalRequest, ArrivalResult } from './open-loop.ts';

export interface LoadResult {
  /** Successful (2xx) responses per second, over all slices. */
  reqPerSec: number;
  ok: number;
  non2xx: number;
  errors: number;
  seconds: number;
  /** Over every 2xx response of every slice. */
  latencyMs: { mean: number; p50: number; p95: number; p99: number; max: number };
}

export interface ArrivalSummary {
  rate: number;
  offered: number;
  ok: number;
  non2xx: number;
  errors: number;
  maxStartLagMs: number;
  latencyMs: { p50: number; p95: number; p99: number; max: number };
}

/** Runs a load generator in a child process (Node with this process's flags, so TypeScript loads): one request, one answer. */
function inChild<Req, Res>(file: string, request: Req): Promise<Res> {
  return new Promise((resolve, reject) => {
    // 'advanced' serialisation carries the typed arrays of latencies as they are.
    const child = fork(new URL(file, import.meta.url), [], { serialization: 'advanced', stdio: 'inherit' });
    let answer: { value: Res } | null = null;
    child.once('message', (m: Res) => {
      answer = { value: m };
    });
    child.once('error', reject);
    child.once('exit', (code) => {
      if (answer && code === 0) resolve(answer.value);
      else reject(new Error(`bench: ${file} exited with code ${code}${answer ? '' : ' and no answer'}`));
    });
    child.send(request as object);
  });
}

export const slice = (request: SliceRequest) => inChild<SliceRequest, SliceResult>('./load-worker.ts', request);
export const arrivals = (request: ArrivalRequest) => inChild<ArrivalRequest, ArrivalResult>('./open-loop.ts', request);

/** The q-quantile of sorted values (nearest rank). */
export const quantile = (sorted: Float64Array, q: number) =>
  sorted.length ? (sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] as number) : 0;

export function summarise(slices: SliceResult[]): LoadResult {
  const all = new Float64Array(slices.reduce((n, s) => n + s.latencies.length, 0));
  let at = 0;
  for (const s of slices) {
    all.set(s.latencies, at);
    at += s.latencies.length;
  }
  all.sort();
  const q = (p: number) => quantile(all, p);
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
      p95: q(0.95),
      p99: q(0.99),
      max: all.length ? (all[all.length - 1] as number) : 0,
    },
  };
}

/** Signs in through the real login form (CSRF and all) and returns the session cookie. */
export async function signIn(
  app: FastifyInstance,
  email: string,
  password: string,
  cookieName: string,
): Promise<string> {
  const form = await app.inject({ method: 'GET', url: '/login' });
  const csrf = /name="_csrf" value="([^"]+)"/.exec(form.body)?.[1];
  const loginCookie = form.cookies.map((c) => `${c.name}=${c.value}`).join('; ');
  if (!csrf) throw new Error('bench: the sign-in page has no CSRF token');
  const res = await app.inject({
    method: 'POST',
    url: '/login',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: loginCookie },
    payload: new URLSearchParams({ _csrf: csrf, email, password }).toString(),
  });
  const session = res.cookies.find((c) => c.name === cookieName);
  if (res.statusCode !== 303 || !session) throw new Error(`bench: signing in as ${email} failed (${res.statusCode})`);
  return `${cookieName}=${session.value}`;
}

export function summariseArrivals(r: ArrivalResult, rate: number): ArrivalSummary {
  const sorted = r.latencies.slice().sort();
  return {
    rate,
    offered: r.offered,
    ok: r.ok,
    non2xx: r.non2xx,
    errors: r.errors,
    maxStartLagMs: r.maxStartLagMs,
    latencyMs: {
      p50: quantile(sorted, 0.5),
      p95: quantile(sorted, 0.95),
      p99: quantile(sorted, 0.99),
      max: quantile(sorted, 1),
    },
  };
}

/**
 * Slices of load on each named route, taken in turn, the order rotating each round, so a burst of load from
 * elsewhere on a shared machine lands on all of them rather than on one; `after` runs after each slice (to wait for
 * requests still in flight). A first slice of 2 s on each warms up (JIT, templates, pool connections).
 */
export async function interleave<K extends string>(opts: {
  url: string;
  routes: Record<K, { paths: string[]; headers: Record<string, string> }>;
  connections: number;
  seconds: number;
  rounds: number;
  label: string;
  log: (line: string) => void;
  after: () => Promise<void>;
}): Promise<Record<K, LoadResult>> {
  const names = Object.keys(opts.routes) as K[];
  const run = async (name: K, seconds: number) => {
    const result = await slice({ url: opts.url, connections: opts.connections, seconds, ...opts.routes[name] });
    await opts.after();
    return result;
  };
  for (const name of names) await run(name, 2);
  const per = Math.max(1, opts.seconds / opts.rounds);
  const slices = Object.fromEntries(names.map((n) => [n, [] as SliceResult[]])) as Record<K, SliceResult[]>;
  for (let round = 0; round < opts.rounds; round++) {
    opts.log(
      `${opts.label}: round ${round + 1} of ${opts.rounds}, ${per.toFixed(1)} s per route at ${opts.connections} connections…`,
    );
    for (let k = 0; k < names.length; k++) {
      const name = names[(round + k) % names.length] as K;
      slices[name].push(await run(name, per));
    }
  }
  return Object.fromEntries(names.map((n) => [n, summarise(slices[n])])) as Record<K, LoadResult>;
}
