// How a Handover process stops (docs/operations.md). One ordered shutdown, stopHandover(reason, exitCode), for a
// signal (SIGTERM from a process manager, Ctrl+C), the end of the npm process that started Handover, or a fault a
// command cannot recover from. The command registers its steps as it starts them (onStop) and they run in reverse:
// serve stops accepting and finishes its requests, then stops the jobs, then closes the database; any embedded
// PostgreSQL still running is stopped last. Bounded: a shutdown that has not finished in 30 s exits non-zero.
import { stopEmbeddedClusters } from '../db/embedded.ts';
import { isSameProcess, processInfo } from '../db/processes.ts';

interface Step {
  name: string;
  run: () => Promise<void>;
}

const steps: Step[] = [];
let stopping: Promise<never> | null = null;
const SHUTDOWN_LIMIT_MS = 30_000;

/** Registers a shutdown step; steps run last registered first. Returns a function that unregisters it. */
export function onStop(name: string, run: () => Promise<void>): () => void {
  const step = { name, run };
  steps.push(step);
  return () => {
    const i = steps.indexOf(step);
    if (i >= 0) steps.splice(i, 1);
  };
}

/** Whether a shutdown has begun (e.g. so a failing request path can tell a stop from a fault). */
export function isStopping(): boolean {
  return stopping !== null;
}

/**
 * Stops Handover in order and exits with `exitCode` (1 if a step failed and exitCode was 0). Called again while
 * stopping, it returns the shutdown already under way.
 */
export function stopHandover(reason: string, exitCode = 0): Promise<never> {
  stopping ??= (async () => {
    console.log(`\n${reason}: stopping Handover…`);
    const limit = setTimeout(() => {
      console.error(`Handover did not stop within ${SHUTDOWN_LIMIT_MS / 1000} s; exiting.`);
      process.exit(exitCode === 0 ? 1 : exitCode);
    }, SHUTDOWN_LIMIT_MS);
    let code = exitCode;
    const began = Date.now();
    const took: string[] = [];
    for (const step of [...steps].reverse()) {
      const t = Date.now();
      try {
        await step.run();
      } catch (e) {
        console.error(`Stopping ${step.name} failed: ${e instanceof Error ? e.message : String(e)}`);
        if (code === 0) code = 1;
      }
      took.push(`${step.name} ${((Date.now() - t) / 1000).toFixed(1)} s`);
    }
    await stopEmbeddedClusters();
    clearTimeout(limit);
    const seconds = ((Date.now() - began) / 1000).toFixed(1);
    console.log(`Handover stopped in ${seconds} s${took.length > 0 ? ` (${took.join(', ')})` : ''}.`);
    process.exit(code);
  })();
  return stopping;
}

const SIGNALS = { SIGINT: 2, SIGTERM: 15, SIGHUP: 1 } as const;
type Signal = keyof typeof SIGNALS;
let signalExit: (signal: Signal) => number = (signal) => 128 + SIGNALS[signal];
let signalsHandled = false;

/**
 * SIGINT, SIGTERM and SIGHUP stop Handover in order. A command that runs until stopped (serve, worker) exits 0 on
 * them (`exitCode: () => 0`), a one-off command 128 + the signal's number, as the shell reports an interrupted
 * command. A second Ctrl+C while stopping exits at once (the database is still asked to shut down).
 */
export function handleSignals(opts: { exitCode?: (signal: Signal) => number } = {}): void {
  if (opts.exitCode) signalExit = opts.exitCode;
  if (signalsHandled) return;
  signalsHandled = true;
  for (const signal of Object.keys(SIGNALS) as Signal[]) {
    process.on(signal, () => {
      if (stopping && signal === 'SIGINT') process.exit(128 + SIGNALS.SIGINT);
      if (stopping) return;
      void stopHandover(signal, signalExit(signal));
    });
  }
}

const SHELLS = new Set(['sh', 'dash', 'bash', 'zsh', 'ash', 'busybox']);

/**
 * Under `npm start` (or `npx handover …`), npm runs Handover through a shell: npm → sh → node. When npm is stopped
 * — SIGTERM, which it passes to the shell only, or SIGKILL, which it cannot pass on at all — Handover would be left
 * running. So a process started by npm watches, once a second, that its parent is still the same process and that
 * npm (the first ancestor that is not a shell) still runs, and stops itself in order when either is gone. A process
 * not started by npm (systemd running node, a container's entry point) does not watch: it is stopped by signals.
 */
export function stopWithLauncher(intervalMs = 1000): void {
  if (!process.env.npm_command && !process.env.npm_lifecycle_event) return;
  const parent = process.ppid;
  let launcher = processInfo(parent);
  while (launcher && SHELLS.has(launcher.comm) && launcher.ppid > 1) launcher = processInfo(launcher.ppid);
  const watched = launcher && launcher.pid > 1 ? { pid: launcher.pid, start: launcher.start } : null;
  const timer = setInterval(() => {
    if (process.ppid === parent && (watched === null || isSameProcess(watched))) return;
    clearInterval(timer);
    void stopHandover('The npm process that started Handover has gone', 0);
  }, intervalMs);
  timer.unref();
}
