import type { Command } from 'commander';
import { readConfig } from '../config.ts';
import { openDatabase } from '../db/connect.ts';
import { verifyAuditChain } from '../modules/audit/service.ts';

export function registerAuditCommands(program: Command) {
  const audit = program.command('audit').description('the audit log');
  audit
    .command('verify')
    .description('check the hash chain of the audit log; names the first broken row')
    .action(async () => {
      const opened = await openDatabase(readConfig());
      try {
        const verdict = await verifyAuditChain(opened.db, (done, total) => {
          if (process.stderr.isTTY) process.stderr.write(`\rChecked ${done} of ${total} rows`);
        });
        if (process.stderr.isTTY) process.stderr.write('\n');
        if (verdict.ok) {
          console.log(`Audit chain verified: ${verdict.rows} rows, no breaks.`);
        } else {
          console.log(
            `Audit chain BROKEN at row ${verdict.firstBrokenSeq}: ${verdict.reason}. ${verdict.rows} rows before it verified.`,
          );
          process.exitCode = 1;
        }
      } finally {
        await opened.close();
      }
    });
}
