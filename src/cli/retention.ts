// `npx handover retention run [--purge] [--council CODE]`: lists the records each council's retention schedules make
// due today (a dry run: nothing changes but the run's audit row), or with --purge purges them. Records under a legal
// hold are listed as kept and never purged. Prints case numbers (the council's own reference), never names.
import type { Command } from 'commander';
import { readConfig } from '../config.ts';
import { openDatabase } from '../db/connect.ts';
import type { AuthorityRun } from '../modules/retention/purge.ts';
import { runRetention } from '../modules/retention/purge.ts';
import { UserError } from './user-error.ts';

function describe(a: AuthorityRun, purge: boolean): string[] {
  const lines: string[] = [];
  const s = a.personSchedule;
  if (!s) lines.push(`${a.code}: no retention schedule for young people's records: nothing is due.`);
  else {
    const age = s.minimum_age === null ? '' : `, and until at least age ${s.minimum_age}`;
    lines.push(`${a.code}: young people's records kept ${s.years} years after closure${age}.`);
    lines.push(`  Due: ${a.due.length}`);
    for (const r of a.due) lines.push(`    ${r.case_number}  closed ${r.closed_on}, due since ${r.due_on}`);
    if (a.held.length) lines.push(`  Due but kept under a legal hold: ${a.held.length}`);
    for (const r of a.held) lines.push(`    ${r.case_number}  (legal hold)`);
  }
  if (a.notificationsDue) lines.push(`  Notifications due: ${a.notificationsDue}`);
  if (purge) {
    lines.push(
      `  Purged: ${a.purged.length} records (${a.files} stored files), ${a.notificationsPurged} notifications`,
    );
    for (const f of a.failed) lines.push(`  Not purged: ${f.case_number}: ${f.reason}`);
  }
  return lines;
}

export function registerRetentionCommands(program: Command) {
  const retention = program.command('retention').description('retention schedules and legal holds (quality.md R8)');
  retention
    .command('run')
    .description('list the records due for deletion under the retention schedules; --purge deletes them')
    .option('--purge', 'delete what is due (records under a legal hold are kept)')
    .option('--council <code>', 'one council only, by its code')
    .action(async (opts: { purge?: boolean; council?: string }) => {
      const config = readConfig();
      const opened = await openDatabase(config);
      try {
        const purge = opts.purge === true;
        const report = await runRetention(opened.db, config.documents.dir, new Date(), {
          purge,
          trigger: 'cli',
          authorityCode: opts.council,
        }).catch((e) => {
          throw e instanceof RangeError ? new UserError(e.message) : e;
        });
        for (const a of report.authorities) console.log(describe(a, purge).join('\n'));
        if (!purge)
          console.log('Dry run: nothing was deleted. Run "npx handover retention run --purge" to delete what is due.');
        if (report.authorities.some((a) => a.failed.length)) process.exitCode = 1;
      } finally {
        await opened.close();
      }
    });
}
