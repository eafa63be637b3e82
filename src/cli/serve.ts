import type { Command } from 'commander';
import { createApp } from '../app.ts';
import { readConfig } from '../config.ts';
import { openDatabase } from '../db/connect.ts';
import { type DatabaseWatch, superviseDatabase } from '../db/watch.ts';
import { type Jobs, startJobs } from '../jobs/index.ts';
import { DEMO_PASSWORD, ensureDemo } from '../modules/demo/seed.ts';
import { registerAllTimers } from '../modules/timers/handlers.ts';
import { UserError } from './user-error.ts';

export function registerServeCommand(program: Command) {
  program
    .command('serve', { isDefault: true })
    .description('start Handover: web pages, API and background jobs')
    .action(async () => {
      const config = readConfig();
      const opened = await openDatabase(config);
      for (const w of opened.warnings) console.warn(`Warning: ${w}`);
      let app: Awaited<ReturnType<typeof createApp>> | null = null;
      let jobs: Jobs | null = null;
      let watch: DatabaseWatch | null = null;
      const shutdown = async (signal: string, code = 0) => {
        watch?.stop();
        console.log(`\n${signal}: stopping Handover…`);
        await app?.close().catch(() => {});
        // Before the database closes: a running sweep or send finishes (or its transaction rolls back) first.
        await jobs?.stop().catch(() => {});
        await opened.close();
        process.exit(code);
      };
      process.once('SIGINT', () => void shutdown('SIGINT'));
      process.once('SIGTERM', () => void shutdown('SIGTERM'));
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
