import type { Command } from 'commander';
import { readConfig } from '../config.ts';
import { openDatabase } from '../db/connect.ts';
import { ensureDemo } from '../modules/demo/seed.ts';

export function registerDemoCommand(program: Command) {
  program
    .command('demo')
    .description('create demo data')
    .action(async () => {
      const opened = await openDatabase(readConfig());
      try {
        const demo = await ensureDemo(opened.db);
        console.log(demo.created ? 'Demo created.' : 'Demo already present.');
      } finally {
        await opened.close();
      }
    });
}
