// `npx handover sen2 --census 2027-01-21 [--council CODE] [--out DIR --by EMAIL]`: builds the SEN2 return from the
// record (src/modules/sen2) and prints its counts, 20-week timeliness and validation report (case references, never
// names). With --out it also writes the XML and one CSV per module: an export of personal data, so --by names the
// member of staff exporting (a SEND manager of the council), written to each young person's access log.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { readConfig } from '../config.ts';
import { openDatabase } from '../db/connect.ts';
import type { Db } from '../db/database.ts';
import { reportsFor } from '../db/reports.ts';
import { capabilitiesOf } from '../domain/roles.ts';
import { collectionYear } from '../modules/sen2/census.ts';
import { MODULES } from '../modules/sen2/codes.ts';
import { type Built, Sen2Service } from '../modules/sen2/service.ts';
import { UserError } from './user-error.ts';

async function authorityFor(db: Db, code: string | undefined) {
  const all = await db.selectFrom('authorities').select(['id', 'code']).orderBy('code').execute();
  const codes = all.map((a) => a.code).join(', ');
  if (code === undefined) {
    if (all.length === 1) return all[0] as { id: string; code: string };
    throw new UserError(`sen2: more than one council here: choose one with --council (${codes})`);
  }
  const found = all.find((a) => a.code.toLowerCase() === code.toLowerCase());
  if (!found) throw new UserError(`sen2: no council with the code ${code}. The codes are: ${codes}`);
  return found;
}

async function exporter(db: Db, authorityId: string, email: string) {
  const u = await db
    .selectFrom('users')
    .where('authority_id', '=', authorityId)
    .where((eb) => eb(eb.fn('lower', ['email']), '=', email.toLowerCase()))
    .where('active', '=', true)
    .select(['id', 'roles'])
    .executeTakeFirst();
  if (!u) throw new UserError(`sen2: --by ${email} is not an active account of this council`);
  if (!capabilitiesOf(u.roles).has('ehcp:report'))
    throw new UserError(`sen2: --by ${email} may not export the SEN2 return (a SEND manager may)`);
  return u;
}

/** The counts always; the problems by case reference only when a named person reads them (their reads logged). */
function describe(b: Built, listProblems: boolean): string[] {
  const r = b.ret;
  const t = r.timeliness;
  const lines = [
    `SEN2 return for ${r.header.lea}, census ${r.header.referenceDate} (collection year ${r.collectionYear.from} to ${r.collectionYear.to})`,
    `  Young people: ${r.persons.length}`,
    `  Plans issued in the year: ${t.issued}, within 20 weeks: ${t.within20}`,
    `  Excluding assessments with exceptions: ${t.issuedExcludingExceptions}, within 20 weeks: ${t.within20ExcludingExceptions}`,
    `  Validation: ${b.problems.length ? `${b.problems.length} problem(s)` : 'clean'}`,
  ];
  if (!listProblems && b.problems.length)
    lines.push('    Name who is reading with --by <email> to list them by case reference (each read is logged).');
  else
    for (const p of b.problems)
      lines.push(`    ${p.caseNumber}  ${p.module}.${p.item}: ${p.message}  (fix at ${p.href})`);
  return lines;
}

function writeNew(file: string, body: string) {
  try {
    writeFileSync(file, body, { mode: 0o600, flag: 'wx' });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST')
      throw new UserError(`sen2: ${file} already exists: choose an empty directory for --out`);
    throw e;
  }
}

export function registerSen2Command(program: Command) {
  program
    .command('sen2')
    .description('build the SEN2 return from the record: counts, 20-week timeliness, validation; --out writes it')
    .requiredOption('--census <date>', 'the SEN2 census date, e.g. 2027-01-21')
    .option('--council <code>', 'the council, by its code (needed when there is more than one)')
    .option('--out <dir>', 'write the XML and one CSV per module into this directory')
    .option('--by <email>', 'the SEND manager reading or exporting (named in each access-log row); lists the problems')
    .action(async (opts: { census: string; council?: string; out?: string; by?: string }) => {
      const y = collectionYear(opts.census);
      if (!y.ok) throw new UserError(`sen2: ${y.message}`);
      if (opts.out && !opts.by)
        throw new UserError('sen2: --out writes personal data: name who is exporting with --by <email>');
      const config = readConfig();
      const opened = await openDatabase(config);
      const log = { info: () => {}, warn: (_o: Record<string, unknown>, msg: string) => console.error(msg) };
      const reports = reportsFor(opened.db, config, log);
      try {
        const authority = await authorityFor(opened.db, opts.council);
        const sen2 = new Sen2Service(opened.db, () => new Date(), reports);
        const by = opts.by
          ? { id: (await exporter(opened.db, authority.id, opts.by)).id, authorityId: authority.id }
          : null;
        // Without --by only counts are printed (case references are personal data, and a read must name its reader).
        const built = by
          ? await sen2.report(by, opts.census, 'export')
          : await sen2.build({ id: '', authorityId: authority.id }, opts.census);
        console.log(describe(built, by !== null).join('\n'));
        if (opts.out && by) {
          // Owner-only, and never into a file someone else placed there first (a shared directory).
          mkdirSync(opts.out, { recursive: true, mode: 0o700 });
          const files = await sen2.downloadAll(by, opts.census);
          for (const d of files) writeNew(join(opts.out, d.filename), d.body);
          console.log(
            `Wrote the XML and ${MODULES.length} CSVs to ${opts.out}; one access-log row for each of the ${built.ret.persons.length} young people.`,
          );
        }
        if (built.problems.length) process.exitCode = 1;
      } finally {
        await reports.close();
        await opened.close();
      }
    });
}
