import type { Command } from 'commander';
import { readConfig } from '../config.ts';
import { openDatabase } from '../db/connect.ts';

export function registerMigrateCommand(program: Command) {
  program
    .command('migrate')
    .description('apply database migrations (also done on every start)')
    .action(async () => {
      const opened = await openDatabase(readConfig(), { migrate: true });
      for (const w of opened.warnings) console.warn(`Warning: ${w}`);
      try {
        console.log(opened.migrated.length ? `Applied: ${opened.migrated.join(', ')}` : 'The database is up to date.');
      } finally {
        await opened.close();
      }
    });
}
