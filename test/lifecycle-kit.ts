// What the process lifecycle tests share (issue 15 items 1-3, 9): a throwaway data directory and free ports, Handover
// spawned as an operator runs it (node, npm start), and what the operating system says is still running.
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readFileSync, realpathSync } from 'node:fs';
import fs from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after } from 'node:test';
import { isRunning, processesWorkingIn } from '../src/db/processes.ts';

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

export interface Place {
  dataDir: string;
  port: number;
  pgPort: number;
  env: Record<string, string>;
}

/** A data directory of its own (readable by the postgres user when the tests run as root) and two free ports. */
export async function place(): Promise<Place> {
  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'handover-lifecycle-'));
  await fs.chmod(dataDir, 0o755);
  const port = await freePort();
  const pgPort = await freePort();
  const env: Record<string, string> = {};
  // Nothing of the test runner's own set-up: no DATABASE_URL, no npm variables (npm start sets its own).
  for (const [k, v] of Object.entries(process.env))
    if (v !== undefined && !k.startsWith('npm_') && !k.startsWith('DATABASE_') && !k.startsWith('HANDOVER_'))
      env[k] = v;
  Object.assign(env, {
    HANDOVER_DATA_DIR: dataDir,
    PORT: String(port),
    EMBEDDED_PG_PORT: String(pgPort),
    DEMO_MODE: 'false',
    MAIL_TRANSPORT: 'off',
    LOG_LEVEL: 'warn',
  });
  after(async () => {
    for (const pid of serverProcesses(dataDir)) signal(pid, 'SIGKILL');
    await fs.rm(dataDir, { recursive: true, force: true });
  });
  return { dataDir, port, pgPort, env };
}

export function signal(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(pid, sig);
  } catch {
    // gone already
  }
}

export interface Spawned {
  child: ChildProcess;
  output: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** `node src/main.ts …` (as `npx handover …` runs it), or `npm start` with `npm: true`. */
export function start(p: Place, args: string[], opts: { npm?: boolean; env?: Record<string, string> } = {}): Spawned {
  const child = opts.npm
    ? spawn('npm', ['start', '--silent'], { env: { ...p.env, ...opts.env } })
    : spawn(process.execPath, ['--import', 'tsx', 'src/main.ts', ...args], { env: { ...p.env, ...opts.env } });
  let out = '';
  child.stdout?.on('data', (d) => (out += d));
  child.stderr?.on('data', (d) => (out += d));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, sig) => resolve({ code, signal: sig })),
  );
  after(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  return { child, output: () => out, exited };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Waits for GET /health to answer 200, at most `ms`. */
export async function healthy(p: Place, s: Spawned, ms = 45_000): Promise<void> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (s.child.exitCode !== null) throw new Error(`Handover exited (${s.child.exitCode}): ${s.output()}`);
    try {
      const res = await fetch(`http://127.0.0.1:${p.port}/health`);
      if (res.status === 200) return;
    } catch {
      // not listening yet
    }
    await sleep(200);
  }
  throw new Error(`Handover did not answer /health within ${ms / 1000} s: ${s.output()}`);
}

/** The Handover process that owns the data directory (handover.pid), or null. */
export function ownerPid(dataDir: string): number | null {
  const file = path.join(dataDir, 'handover.pid');
  if (!existsSync(file)) return null;
  return (JSON.parse(readFileSync(file, 'utf8')) as { pid: number }).pid;
}

/** The postmaster named by postmaster.pid, or null. */
export function postmasterPid(dataDir: string): number | null {
  const file = path.join(dataDir, 'pg', 'postmaster.pid');
  if (!existsSync(file)) return null;
  return Number(readFileSync(file, 'utf8').split('\n')[0]);
}

/** Every PostgreSQL process working in the data directory's cluster. */
export function serverProcesses(dataDir: string): number[] {
  const pg = path.join(dataDir, 'pg');
  if (!existsSync(pg)) return [];
  return processesWorkingIn(realpathSync(pg));
}

/** Waits until none of `pids` runs and no PostgreSQL works in the data directory; returns how long it took. */
export async function allGone(dataDir: string, pids: number[], ms: number): Promise<number> {
  const started = Date.now();
  while (pids.some(isRunning) || serverProcesses(dataDir).length > 0) {
    if (Date.now() - started > ms)
      throw new Error(
        `still running after ${ms / 1000} s: ${[...pids.filter(isRunning), ...serverProcesses(dataDir)].join(', ')}`,
      );
    await sleep(100);
  }
  return Date.now() - started;
}
