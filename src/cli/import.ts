// `npx handover import people FILE.csv` (and teams, involvements, statuses): the CSV import of docs/import.md, with
// a progress bar and a row-by-row report. Exit code 0 when every row was imported, 1 when any row was not.
import { readFile } from 'node:fs/promises';
import cliProgress from 'cli-progress';
import type { Command } from 'commander';
import { readConfig } from '../config.ts';
import { openDatabase } from '../db/connect.ts';
import { londonToday } from '../domain/calendar.ts';
import { KINDS, type Kind } from '../modules/import/layouts.ts';
import { ImportService, type Progress, reportLines } from '../modules/import/service.ts';
import { UserError } from './user-error.ts';

function progressBar(kind: string): Progress {
  if (!process.stderr.isTTY) return { start() {}, advance() {}, stop() {} };
  const bar = new cliProgress.SingleBar(
    { format: `Importing ${kind} [{bar}] {percentage}% | {value}/{total} row steps`, stream: process.stderr },
    cliProgress.Presets.shades_classic,
  );
  return {
    start: (total) => bar.start(total, 0),
    advance: (by) => bar.increment(by),
    stop: () => bar.stop(),
  };
}

export function registerImportCommand(program: Command) {
  program
    .command('import')
    .description('import a CSV file from the council’s case system (column layouts: docs/import.md)')
    .argument('<kind>', `what the file holds: ${KINDS.join(', ')}`)
    .argument('<file>', 'the CSV file (UTF-8, a header row)')
    .option('--council <code>', 'the code of the council to import into (needed when there is more than one)')
    .option('--partial', 'import the good rows and report the others (default: the whole file or nothing)', false)
    .action(async (kind: string, file: string, opts: { council?: string; partial: boolean }) => {
      if (!KINDS.includes(kind as Kind))
        throw new UserError(
          `kind: "${kind}" is not one of ${KINDS.join(', ')}: for example npx handover import people people.csv`,
        );
      let text: string;
      try {
        text = await readFile(file, 'utf8');
      } catch {
        throw new UserError(`file: cannot read ${file}: check the path`);
      }
      const opened = await openDatabase(readConfig());
      try {
        let q = opened.db.selectFrom('authorities').select(['id', 'code']);
        if (opts.council) q = q.where('code', '=', opts.council);
        const councils = await q.execute();
        if (councils.length !== 1)
          throw new UserError(
            opts.council
              ? `--council: no council has the code ${opts.council}`
              : `--council: there are ${councils.length} councils; name one with --council CODE`,
          );
        const service = new ImportService(opened.db, () => londonToday(new Date()));
        const report = await service.run((councils[0] as { id: string }).id, kind as Kind, text, {
          partial: opts.partial,
          progress: progressBar(kind),
        });
        for (const line of reportLines(report, opts.partial)) console.log(line);
        if (report.problems.length) process.exitCode = 1;
      } finally {
        await opened.close();
      }
    });
}
