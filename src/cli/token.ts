import type { Command } from 'commander';
import { readConfig } from '../config.ts';
import { openDatabase } from '../db/connect.ts';
import { ValidationError } from '../http/forms.ts';
import { AuthService } from '../modules/auth/service.ts';
import { readTokenRequest } from '../modules/auth/tokens.ts';
import { UserError } from './user-error.ts';

export function registerTokenCommands(program: Command) {
  const token = program.command('token').description('API tokens');
  token
    .command('create')
    .description(
      'create an API token for a user; it is printed once and only its hash is stored. It expires after --days ' +
        '(API_TOKEN_DAYS, 90 unless set; at most API_TOKEN_MAX_DAYS) and can be revoked on the user’s account page',
    )
    .requiredOption('--user <email>', 'the email address of the user the token acts as')
    .option('--name <text>', 'what the token is for, shown in the list of tokens', 'created on the command line')
    .option('--label <text>', 'the same as --name (kept for scripts written before --name)')
    .option('--days <n>', 'how many days the token lasts')
    .action(async (opts: { user: string; name: string; label?: string; days?: string }) => {
      const config = readConfig();
      // Checked before the database is opened, so a mistyped option fails at once.
      const input = asUserError(() => readTokenRequest({ name: opts.label ?? opts.name, days: opts.days }, config));
      const opened = await openDatabase(config);
      try {
        const created = await new AuthService(opened.db, config, () => new Date()).createApiToken(
          opts.user,
          input.name,
          input.days,
        );
        if (!created)
          throw new UserError(
            `No active user has the email ${opts.user}. Check it, or add the user on the Set up pages first.`,
          );
        console.log(created.token);
        console.error(`Expires ${created.expiresAt.toISOString()}. It is shown only this once: keep it safe.`);
      } finally {
        await opened.close();
      }
    });
}

/** A bad option value as one line per field, naming the option: `--days: …`. */
function asUserError<T>(fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (!(e instanceof ValidationError)) throw e;
    throw new UserError(
      Object.entries(e.fields)
        .map(([f, m]) => `--${f}: ${m}`)
        .join('\n'),
    );
  }
}
