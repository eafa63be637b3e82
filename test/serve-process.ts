// `handover serve` as a real child process on its own data directory and free ports, for the tests that kill it or
// its database (test/db-death.test.ts, test/kill-harness.test.ts). The directory lives under .test-db/ (ignored by
// git; reachable by the `postgres` user the embedded server runs as under root).
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import fs from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { createDb, type Db } from '../src/db/database.ts';
import { APP_ROLE } from '../src/db/roles.ts';

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

/** A fresh, empty directory under .test-db/ for one test file. */
export async function dataDir(name: string): Promise<string> {
  const dir = path.resolve('.test-db', `${name}-${process.pid}`);
  await fs.rm(dir, { recursive: true, force: true });
  await fs.mkdir(dir, { recursive: true });
  return dir;
}

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface Served {
  child: ChildProcess;
  pid: number;
  exited: Promise<Exit>;
  /** Everything written so far. */
  out(): string;
  /** Resolves when serve says it is running (listening, jobs started, database watch on); rejects if it exits. */
  running(timeoutMs?: number): Promise<void>;
}

export function spawnServe(env: Record<string, string>): Served {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts', 'serve'], {
    env: { ...process.env, LOG_LEVEL: 'error', MAIL_TRANSPORT: 'off', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let text = '';
  child.stdout?.on('data', (d: Buffer) => (text += d.toString('utf8')));
  child.stderr?.on('data', (d: Buffer) => (text += d.toString('utf8')));
  const exited = new Promise<Exit>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  const running = (timeoutMs = 120_000) =>
    new Promise<void>((resolve, reject) => {
      const started = Date.now();
      const look = () => {
        if (text.includes('Handover is running')) return resolve();
        if (child.exitCode !== null || child.signalCode !== null)
          return reject(new Error(`serve exited (${child.exitCode ?? child.signalCode}) before running:\n${text}`));
        if (Date.now() - started > timeoutMs) return reject(new Error(`serve not running after ${timeoutMs} ms`));
        setTimeout(look, 50);
      };
      look();
    });
  return { child, pid: child.pid ?? 0, exited, out: () => text, running };
}

/** GET /health: its status and body, or null when nothing answers (refused, reset, or no answer within 3 s). */
export async function health(port: number): Promise<{ status: number; body: unknown } | null> {
  try {
    const res = await fetch(`http://127.0.0.1:${port}/health`, { signal: AbortSignal.timeout(3000) });
    return { status: res.status, body: await res.json() };
  } catch {
    return null;
  }
}

/** Polls until `ok` holds of /health's answer; the milliseconds it took, or throws after `timeoutMs`. */
export async function waitForHealth(
  port: number,
  ok: (h: { status: number; body: unknown } | null) => boolean,
  timeoutMs: number,
): Promise<number> {
  const started = Date.now();
  for (;;) {
    const h = await health(port);
    if (ok(h)) return Date.now() - started;
    if (Date.now() - started > timeoutMs)
      throw new Error(`/health still answered ${JSON.stringify(h)} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The embedded PostgreSQL's postmaster, from DATA/pg/postmaster.pid (null when there is none). */
export function postmasterPid(dir: string): number | null {
  const file = path.join(dir, 'pg', 'postmaster.pid');
  if (!existsSync(file)) return null;
  const pid = Number(readFileSync(file, 'utf8').split('\n')[0]);
  return Number.isInteger(pid) && pid > 0 ? pid : null;
}

export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** A pool on the embedded database serve started, as the app role (the password file serve wrote). */
export function appDb(dir: string, pgPort: number, poolSize = 2): Db {
  const password = readFileSync(path.join(dir, 'pg-app-password'), 'utf8').trim();
  return createDb(`postgres://${APP_ROLE}:${encodeURIComponent(password)}@127.0.0.1:${pgPort}/handover`, poolSize);
}

/** A note the demo social worker may write, through the API. */
export function noteBody(text: string) {
  return {
    note_type: 'phone_call',
    contact_date: '2026-11-21',
    contact_time: '09:15',
    present: null,
    what_happened: text,
    voice: null,
    significant: false,
    summary: null,
  };
}

/** The demo social worker's email and one young person allocated to them, read from the running database. */
export async function demoWorkerAndPerson(db: Db): Promise<{ email: string; personId: string }> {
  const row = await db
    .selectFrom('involvements as i')
    .innerJoin('users as u', 'u.id', 'i.worker_id')
    .where('i.end_date', 'is', null)
    .where('u.email', '=', 'ypt.worker@demoshire.example')
    .select(['u.email', 'i.person_id'])
    .orderBy('i.person_id')
    .executeTakeFirstOrThrow();
  return { email: row.email, personId: row.person_id };
}
