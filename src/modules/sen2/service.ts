// The SEN2 return (issue 14 part 4): built from the record through the reports handle, validated, and downloaded
// as XML or one CSV per module. A download is an export of personal data: one access-log row per young person in
// it and an audit row naming who exported what, in one transaction on the primary (quality.md S6).
import { readFileSync } from 'node:fs';
import type { Db } from '../../db/database.ts';
import { primaryReports, type ReportsDb } from '../../db/reports.ts';
import { londonToday } from '../../domain/calendar.ts';
import { ValidationError } from '../../http/forms.ts';
import { auditBy, logReadsOf } from '../audit/repository.ts';
import { buildReturn, type Sen2Return } from './build.ts';
import { type CollectionYear, collectionYear } from './census.ts';
import { moduleCsv, returnXml } from './export.ts';
import { DOWNLOADS, type Download } from './schemas.ts';
import { type Problem, validateReturn } from './validate.ts';

const RELEASE = (
  JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string }
).version;

export interface Actor {
  id: string;
  authorityId: string;
}
export interface Built {
  ret: Sen2Return;
  problems: Problem[];
}
export interface Downloaded {
  filename: string;
  type: string;
  body: string;
  people: number;
}

export class Sen2Service {
  constructor(
    private readonly db: Db,
    private readonly now: () => Date,
    private readonly reports: ReportsDb = primaryReports(db),
  ) {}

  today() {
    return { today: londonToday(this.now()) };
  }

  /** The collection year of a census date, or a 400 naming the valid ones. */
  year(census: string): CollectionYear {
    const y = collectionYear(census);
    if (!y.ok) throw new ValidationError({ census: y.message });
    return y.year;
  }

  /** The return and its validation report (read from the replica when there is one; nothing written). */
  async build(actor: Actor, census: string): Promise<Built> {
    const y = this.year(census);
    const at = this.now();
    const ret = await this.reports.read((db) => buildReturn(db, actor.authorityId, y, { release: RELEASE, at }));
    return { ret, problems: validateReturn(ret) };
  }

  /**
   * The return and its validation report as a SEND manager reads it: the report lists young people by case
   * reference, so each one it names gets an access-log row (`sen2-validation`) and the read an audit row, in one
   * transaction on the primary (quality.md S6). A clean report names nobody and writes nothing.
   */
  async report(actor: Actor, census: string, channel: 'page' | 'api' | 'export'): Promise<Built> {
    const built = await this.build(actor, census);
    const named = [...new Set(built.problems.map((p) => p.personId))];
    if (named.length)
      await this.db.transaction().execute(async (tx) => {
        await logReadsOf(tx, actor, named, channel, 'sen2-validation');
        await auditBy(tx, actor, {
          action: 'sen2.validation_read',
          entity: 'sen2_return',
          entityId: null,
          detail: { census: built.ret.header.referenceDate, problems: built.problems.length, people: named.length },
        });
      });
    return built;
  }

  /** The XML or one module's CSV, with its access-log rows (one per young person in the return) and audit row. */
  async download(actor: Actor, census: string, what: Download): Promise<Downloaded> {
    const { ret } = await this.build(actor, census);
    const [file] = await this.logged(actor, ret, [what]);
    return file as Downloaded;
  }

  /** The XML and every module's CSV from one build, logged once (the CLI's --out). */
  async downloadAll(actor: Actor, census: string): Promise<Downloaded[]> {
    const { ret } = await this.build(actor, census);
    return this.logged(actor, ret, DOWNLOADS);
  }

  private async logged(actor: Actor, ret: Sen2Return, what: readonly Download[]): Promise<Downloaded[]> {
    const stem = `sen2-${ret.header.lea}-${ret.header.referenceDate}`;
    const people = ret.persons.length;
    const files = what.map((w) =>
      w === 'xml'
        ? { filename: `${stem}.xml`, type: 'application/xml; charset=utf-8', body: returnXml(ret), people }
        : { filename: `${stem}-${w}.csv`, type: 'text/csv; charset=utf-8', body: moduleCsv(ret, w), people },
    );
    await this.db.transaction().execute(async (tx) => {
      await logReadsOf(
        tx,
        actor,
        ret.persons.map((p) => p.personId),
        'export',
        'sen2-return',
      );
      await auditBy(tx, actor, {
        action: 'sen2.exported',
        entity: 'sen2_return',
        entityId: null,
        detail: { census: ret.header.referenceDate, what, people },
      });
    });
    return files;
  }
}
