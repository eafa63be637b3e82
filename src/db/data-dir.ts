// The embedded database's data directory (HANDOVER_DATA_DIR): that it can be written to, which Handover owns it
// (handover.pid), and clearing away a PostgreSQL that a crashed Handover left running on it (docs/operations.md).
import { existsSync } from 'node:fs';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { hasProcfs, isRunning, isSameProcess, processesWorkingIn, processInfo } from './processes.ts';

export class DataDirError extends Error {}

const MB = 1024 * 1024;
/** initdb writes ~40 MB (the catalogue and a 16 MB WAL segment); a server needs room for at least a WAL segment. */
const NEEDED_FRESH = 64 * MB;
const NEEDED_EXISTING = 16 * MB;

function unwritable(dir: string, e: NodeJS.ErrnoException): DataDirError {
  const elsewhere = 'or set HANDOVER_DATA_DIR to another folder (or DATABASE_URL to use a PostgreSQL server)';
  switch (e.code) {
    case 'EROFS':
      return new DataDirError(
        `The data directory ${dir} is on a read-only file system: remount it read-write, ${elsewhere}.`,
      );
    case 'EACCES':
    case 'EPERM':
      return new DataDirError(
        `Handover cannot write to the data directory ${dir} (permission denied): give the user ${os.userInfo().username} write access to it, ${elsewhere}.`,
      );
    case 'ENOTDIR':
    case 'EEXIST':
      return new DataDirError(
        `The data directory ${dir} cannot be made: part of that path is a file, not a folder. Set HANDOVER_DATA_DIR to a folder.`,
      );
    case 'ENOSPC':
    case 'EDQUOT':
      return new DataDirError(`The disk holding the data directory ${dir} is full: free some space, ${elsewhere}.`);
    default:
      return new DataDirError(
        `The data directory ${dir} cannot be used (${e.code ?? e.message}): check the path, ${elsewhere}.`,
      );
  }
}

/**
 * A recursive mkdir reports ENOENT for a directory it could not make on a read-only file system: made again one
 * folder at a time, the first that fails gives the real reason (EROFS, EACCES, ENOTDIR).
 */
async function mkdirOneByOne(dir: string, first: unknown): Promise<void> {
  const missing: string[] = [];
  let at = path.resolve(dir);
  while (!existsSync(at) && path.dirname(at) !== at) {
    missing.unshift(at);
    at = path.dirname(at);
  }
  for (const folder of missing) await fs.mkdir(folder);
  throw first;
}

/**
 * The directory exists (made if need be), a file can be written in it, and its disk has room for PostgreSQL to start;
 * otherwise one line saying which and what to do (rather than a raw EROFS path, or a server that never comes up).
 */
export async function ensureWritable(dir: string, fresh: boolean): Promise<void> {
  const probe = path.join(dir, `.handover-write-check-${process.pid}`);
  try {
    await fs.mkdir(dir, { recursive: true }).catch((e) => mkdirOneByOne(dir, e));
    await fs.writeFile(probe, 'Handover checks that its data directory can be written to.\n');
  } catch (e) {
    throw unwritable(dir, e as NodeJS.ErrnoException);
  } finally {
    await fs.rm(probe, { force: true }).catch(() => {});
  }
  const { bavail, bsize } = await fs.statfs(dir);
  const free = bavail * bsize;
  const needed = fresh ? NEEDED_FRESH : NEEDED_EXISTING;
  if (free < needed) {
    throw new DataDirError(
      `The disk holding the data directory ${dir} is full (${(free / MB).toFixed(1)} MB free; the embedded PostgreSQL needs ${needed / MB} MB to start): free some space, or set HANDOVER_DATA_DIR to a disk with room.`,
    );
  }
}

export interface Owner {
  pid: number;
  /** processInfo().start, or null where /proc is missing. */
  start: number | null;
}

async function readOwner(file: string): Promise<Owner | null> {
  try {
    const owner = JSON.parse(await fs.readFile(file, 'utf8')) as Partial<Owner>;
    return typeof owner.pid === 'number' ? { pid: owner.pid, start: owner.start ?? null } : null;
  } catch {
    return null; // missing, or half-written by a process killed while writing it: nobody's
  }
}

/**
 * Records this process as the data directory's owner in handover.pid (its PID and start time, so a later process
 * given the same PID is not taken for it), unless a live Handover already owns it. Returns the release function.
 */
export async function claimDataDir(dir: string): Promise<{ release: () => Promise<void>; previous: Owner | null }> {
  const file = path.join(dir, 'handover.pid');
  const owner = await readOwner(file);
  if (owner && owner.pid !== process.pid && isSameProcess(owner)) {
    throw new DataDirError(
      `The data directory ${dir} is in use by another Handover (process ${owner.pid}). Stop that Handover first, or set HANDOVER_DATA_DIR to another folder.`,
    );
  }
  const me: Owner = { pid: process.pid, start: processInfo(process.pid)?.start ?? null };
  const text = `${JSON.stringify({ ...me, started: new Date().toISOString() })}\n`;
  // Written whole then renamed: a crash mid-write never leaves a half file as the record.
  const tmp = `${file}.${process.pid}.tmp`;
  await fs.writeFile(tmp, text);
  await fs.rename(tmp, file);
  const release = async () => {
    const now = await readOwner(file);
    if (now?.pid === me.pid && now.start === me.start) await fs.rm(file, { force: true });
  };
  return { release, previous: owner };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function waitGone(pids: () => number[], ms: number): Promise<boolean> {
  const until = Date.now() + ms;
  while (pids().length > 0) {
    if (Date.now() > until) return false;
    await sleep(100);
  }
  return true;
}

function signal(pids: number[], sig: NodeJS.Signals): void {
  for (const pid of pids) {
    try {
      process.kill(pid, sig);
    } catch {
      // already gone
    }
  }
}

/**
 * Called once this process owns `dir` (claimDataDir): a PostgreSQL still running on `pgDir` was left by a Handover
 * that died (kill -9, a crash). It is stopped cleanly — SIGINT, PostgreSQL's fast shutdown: open transactions roll
 * back, committed ones are kept — and its processes are waited for, bounded. Server processes whose postmaster has
 * already died (they linger a few seconds, and a new server refuses to start while they hold the old shared memory)
 * are waited for too, then stopped (SIGQUIT). A postmaster.pid naming a process that is not PostgreSQL on this
 * directory (the PID was reused after a reboot) is removed: PostgreSQL would refuse to start beside a live PID.
 * `previous` is the owner handover.pid named (now dead, or claimDataDir would have refused).
 */
export async function clearLeftoverServer(
  pgDir: string,
  previous: Owner | null,
  log: (line: string) => void,
): Promise<void> {
  const postmasterFile = path.join(pgDir, 'postmaster.pid');
  if (!existsSync(pgDir)) return;
  const realDir = await fs.realpath(pgDir);
  const leftovers = () => processesWorkingIn(realDir);
  const pid = existsSync(postmasterFile)
    ? Number((await fs.readFile(postmasterFile, 'utf8').catch(() => '')).split('\n')[0])
    : Number.NaN;
  const postmasterAlive = Number.isInteger(pid) && pid > 0 && isRunning(pid) && leftovers().includes(pid);
  if (postmasterAlive) {
    // Never a server someone still runs: this process's own, or (with no handover.pid to go by, a data directory
    // from before it) one whose parent lives on (a dead Handover's server is adopted by init, PID 1).
    const parent = processInfo(pid)?.ppid ?? 0;
    if (parent === process.pid || (previous === null && parent > 1 && isRunning(parent))) {
      throw new DataDirError(
        `The data directory ${pgDir} is in use by another PostgreSQL (process ${pid}, started by process ${parent}). Stop the other Handover, or set HANDOVER_DATA_DIR to another folder.`,
      );
    }
    log(`A PostgreSQL (process ${pid}) was left running on ${pgDir} by a Handover that stopped; stopping it first.`);
    signal([pid], 'SIGINT');
    if (await waitGone(leftovers, 30_000)) return;
    signal(leftovers(), 'SIGQUIT'); // immediate shutdown: PostgreSQL recovers from its WAL on the next start
  } else if (hasProcfs() && Number.isInteger(pid) && pid > 0 && isRunning(pid) && leftovers().length === 0) {
    // The PID was given to another program after a reboot: PostgreSQL would refuse to start ("lock file already
    // exists") though no server works in this directory. The stale file goes.
    log(`Removing a stale ${postmasterFile}: process ${pid} is not a PostgreSQL on this data directory.`);
    await fs.rm(postmasterFile, { force: true });
    return;
  } else if (leftovers().length > 0) {
    // The postmaster is gone; its server processes notice within moments and exit.
    if (await waitGone(leftovers, 10_000)) return;
    signal(leftovers(), 'SIGQUIT');
  } else {
    return;
  }
  if (await waitGone(leftovers, 5_000)) return;
  signal(leftovers(), 'SIGKILL');
  if (await waitGone(leftovers, 5_000)) return;
  throw new DataDirError(
    `A PostgreSQL left running on ${pgDir} (processes ${leftovers().join(', ')}) would not stop. Stop it by hand (kill ${leftovers().join(' ')}), then start Handover again.`,
  );
}
