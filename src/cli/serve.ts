import type { Command } from 'commander';
import type { FastifyInstance } from 'fastify';
import { createApp } from '../app.ts';
import { readConfig } from '../config.ts';
import { openDatabase } from '../db/connect.ts';
import { type DatabaseWatch, superviseDatabase } from '../db/watch.ts';
import { type Jobs, startJobs } from '../jobs/index.ts';
import { DEMO_PASSWORD, ensureDemo } from '../modules/demo/seed.ts';
import { registerAllTimers } from '../modules/timers/handlers.ts';
import { handleSignals, onStop, stopHandover, stopWithLauncher } from './lifecycle.ts';
import { UserError } from './user-error.ts';

/** How long requests under way when Handover is asked to stop may take to finish; then their connections close. */
const REQUESTS_FINISH_MS = 10_000;

/**
 * Stops accepting connections (a request arriving on an open keep-alive connection is answered 503 with
 * Connection: close before anything runs) and waits for the requests under way to finish, at most 10 s.
 */
async function closeWebServer(app: FastifyInstance): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'late'>((r) => {
    timer = setTimeout(() => r('late'), REQUESTS_FINISH_MS);
  });
  const closed = app.close();
  // A keep-alive connection whose request finishes after close() began stays open until its client closes it:
  // closed as soon as it is idle, so the server stops when the last request does.
  const sweep = setInterval(() => app.server.closeIdleConnections(), 50);
  if ((await Promise.race([closed, late])) === 'late') {
    console.warn(`Requests still running after ${REQUESTS_FINISH_MS / 1000} s: closing their connections.`);
    app.server.closeAllConnections();
    await closed;
  }
  clearInterval(sweep);
  clearTimeout(timer);
}

export function registerServeCommand(program: Command) {
  program
    .command('serve', { isDefault: true })
    .description('start Handover: web pages, API and background jobs')
    .action(async () => {
      const config = readConfig();
      // SIGTERM, SIGINT and SIGHUP stop serve in order and exit 0; so does the end of the npm that started it.
      handleSignals({ exitCode: () => 0 });
      stopWithLauncher();
      const opened = await openDatabase(config);
      for (const w of opened.warnings) console.warn(`Warning: ${w}`);
      let app: Awaited<ReturnType<typeof createApp>> | null = null;
      let jobs: Jobs | null = null;
      let watch: DatabaseWatch | null = null;
      // Steps run last registered first: the web server, then the jobs, then the database (src/cli/lifecycle.ts).
      onStop('the database', () => opened.close());
      // Before the database closes: a running sweep or send finishes (or its transaction rolls back) first.
      onStop('the background jobs', async () => {
        await jobs?.stop();
      });
      onStop('the web server', async () => {
        if (app) await closeWebServer(app);
      });
      onStop('the database watch', async () => watch?.stop());
      const shutdown = (reason: string, code: number) => stopHandover(reason, code);
      try {
        const demo = config.demoMode ? await ensureDemo(opened.db, { config }) : null;
        app = await createApp({ db: opened.db, config, logger: { level: config.logLevel } });
        try {
          await app.listen({ port: config.port, host: config.host });
        } catch (e) {
          if ((e as NodeJS.ErrnoException).code === 'EADDRINUSE') {
            throw new UserError(
              `Port ${config.port} is already in use. Stop whatever is using it, or start with PORT=3001 npm start.`,
            );
          }
          throw e;
        }
        if (config.jobs) {
          registerAllTimers(app.services);
          jobs = await startJobs({ db: opened.db, url: opened.url, config, log: app.log });
        }
        // /health turns 503 when PostgreSQL stops; the embedded one's death exits 70 (src/db/watch.ts).
        const embedded = config.databaseUrl === null;
        watch = superviseDatabase({ db: opened.db, embedded, log: app.log, shutdown });
        console.log(`\nHandover is running at ${config.baseUrl}`);
        if (demo) {
          console.log(`\nDemo sign-ins (password for all: ${DEMO_PASSWORD}):`);
          for (const u of demo.users) console.log(`  ${u.role.padEnd(18)} ${u.email}`);
        }
        console.log('\nPress Ctrl+C to stop.');
      } catch (e) {
        await app?.close().catch(() => {});
        await jobs?.stop().catch(() => {});
        await opened.close();
        throw e;
      }
    });
}
