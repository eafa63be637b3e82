import type { Command } from 'commander';
import { readConfig } from '../config.ts';
import { openDatabase } from '../db/connect.ts';
import { AuthService } from '../modules/auth/service.ts';
import { UserError } from './user-error.ts';

export function registerTokenCommands(program: Command) {
  const token = program.command('token').description('API tokens');
  token
    .command('create')
    .description('create an API token for a user; it is printed once and only its hash is stored')
    .requiredOption('--user <email>', 'the email address of the user the token acts as')
    .option('--label <text>', 'what the token is for', 'created on the command line')
    .action(async (opts: { user: string; label: string }) => {
      const config = readConfig();
      const opened = await openDatabase(config);
      try {
        const created = await new AuthService(opened.db, config, () => new Date()).createApiToken(
          opts.user,
          opts.label,
        );
        if (!created)
          throw new UserError(
            `No active user has the email ${opts.user}. Check it, or add the user on the Set up pages first.`,
          );
        console.log(created.token);
      } finally {
        await opened.close();
      }
    });
}
