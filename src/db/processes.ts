// What the operating system says about a process, read from /proc (Linux). Used to tell a live Handover from a dead
// one whose PID was reused, to find the processes of a PostgreSQL left behind on a data directory, and to notice when
// the npm process that started Handover is gone. Where /proc is missing (macOS), every answer is "don't know" (null),
// and callers take the careful path.
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';

export interface ProcessInfo {
  pid: number;
  ppid: number;
  /** The kernel's start time of the process (clock ticks since boot): with the PID, names one process for ever. */
  start: number;
  /** R, S, D, Z (zombie: exited, not yet reaped — it answers kill(pid, 0) but is gone), … */
  state: string;
  comm: string;
}

export function processInfo(pid: number): ProcessInfo | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name is in parentheses and may hold spaces or parentheses: the fields start after the last ')'.
    const close = stat.lastIndexOf(')');
    const comm = stat.slice(stat.indexOf('(') + 1, close);
    const fields = stat.slice(close + 2).split(' ');
    return { pid, comm, state: fields[0] ?? '', ppid: Number(fields[1]), start: Number(fields[19]) };
  } catch {
    return null;
  }
}

/** Whether /proc can answer at all (false on macOS and other systems without it). */
export function hasProcfs(): boolean {
  return processInfo(process.pid) !== null;
}

/** True when a process with this PID runs (not a zombie); where /proc is missing, kill(pid, 0) decides. */
export function isRunning(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  if (hasProcfs()) {
    const info = processInfo(pid);
    return info !== null && info.state !== 'Z' && info.state !== 'X';
  }
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** True when the process that had this PID and start time still runs (not a later process given the same PID). */
export function isSameProcess(p: { pid: number; start: number | null }): boolean {
  if (!isRunning(p.pid)) return false;
  if (p.start === null) return true; // no start time recorded (no /proc then): a running PID is taken as the same
  const info = processInfo(p.pid);
  return info === null || info.start === p.start;
}

/** The running processes whose working directory is `dir` (PostgreSQL's server processes work in their data directory). */
export function processesWorkingIn(dir: string): number[] {
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return [];
  }
  const found: number[] = [];
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    const pid = Number(entry);
    if (pid === process.pid) continue;
    try {
      if (readlinkSync(`/proc/${entry}/cwd`) === dir && isRunning(pid)) found.push(pid);
    } catch {
      // gone meanwhile, or another user's process: not ours to see
    }
  }
  return found;
}
