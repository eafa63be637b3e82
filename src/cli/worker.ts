// `handover worker`: the background jobs (deadline sweep, email outbox) without the web server, for scaling out:
// run any number beside `handover serve` processes on the same DATABASE_URL; pg-boss and row locks keep every
// deadline and email to exactly one sender.
import type { Command } from 'commander';
import { readConfig } from '../config.ts';
import { openDatabase } from '../db/connect.ts';
import { type JobLog, startJobs } from '../jobs/index.ts';
import { ProtocolRegistry } from '../modules/protocols/registry.ts';
import { registerAllTimers } from '../modules/timers/handlers.ts';
import { createServices } from '../services.ts';
import { handleSignals, onStop, stopWithLauncher } from './lifecycle.ts';

const LEVELS: Record<string, number> = { trace: 10, debug: 20, info: 30, warn: 40, error: 50, fatal: 60 };

/** JSON lines shaped like the web server's (pino) log, at LOG_LEVEL. */
export function lineLog(level: string, write: (line: string) => void = (l) => process.stdout.write(l)): JobLog {
  const min = LEVELS[level] ?? Number.POSITIVE_INFINITY; // 'silent'
  const at =
    (n: number) =>
    (obj: Record<string, unknown>, msg: string): void => {
      if (n >= min) write(`${JSON.stringify({ level: n, time: Date.now(), pid: process.pid, ...obj, msg })}\n`);
    };
  return { info: at(30), warn: at(40), error: at(50) };
}

export function registerWorkerCommand(program: Command) {
  program
    .command('worker')
    .description('run the background jobs (deadline sweep, email outbox) without the web server')
    .action(async () => {
      const config = readConfig();
      const log = lineLog(config.logLevel);
      handleSignals({ exitCode: () => 0 });
      stopWithLauncher();
      const opened = await openDatabase(config);
      for (const w of opened.warnings) console.warn(`Warning: ${w}`);
      let jobs: Awaited<ReturnType<typeof startJobs>> | null = null;
      // Last registered runs first: a running job finishes, then the database closes (src/cli/lifecycle.ts).
      onStop('the database', () => opened.close());
      onStop('the background jobs (letting a running job finish)', async () => {
        await jobs?.stop();
      });
      try {
        // The same services the web app composes (src/app.ts), so each deadline row's handler is the one serve runs.
        const now = () => new Date();
        const loaded = await ProtocolRegistry.load(config.protocolsDir);
        for (const p of loaded.problems) log.warn({ file: p.file, problems: p.problems }, 'protocol file not loaded');
        await loaded.registry.sync(opened.db);
        registerAllTimers(createServices(opened.db, config, now, loaded.registry));
        jobs = await startJobs({ db: opened.db, url: opened.url, config, log, now });
      } catch (e) {
        await opened.close();
        throw e;
      }
      console.log(
        `Handover worker running: deadline sweep and email outbox every ${config.jobIntervalSeconds} s. Press Ctrl+C to stop.`,
      );
    });
}
