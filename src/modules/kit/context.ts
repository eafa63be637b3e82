// What every capability module is given: the database, the configuration, the clock (and London's today) and the
// protocol engine. One type, so a module's parts (plans, referrals, transfers, assessments…) share one shape.
import type { Config } from '../../config.ts';
import type { Db } from '../../db/database.ts';
import { primaryReports, type ReportsDb } from '../../db/reports.ts';
import { londonToday } from '../../domain/calendar.ts';
import type { ProtocolService } from '../protocols/service.ts';

export interface ModuleDeps {
  readonly db: Db;
  readonly config: Config;
  readonly now: () => Date;
  readonly protocols: ProtocolService;
  /** Where reports read from (the read replica or the primary, src/db/reports.ts); default the primary. */
  readonly reports?: ReportsDb;
}

export interface ModuleContext extends ModuleDeps {
  /** Today's date in London (YYYY-MM-DD). */
  today(): string;
  readonly reports: ReportsDb;
}

export function moduleContext(d: ModuleDeps): ModuleContext {
  return {
    db: d.db,
    config: d.config,
    now: d.now,
    protocols: d.protocols,
    reports: d.reports ?? primaryReports(d.db),
    today: () => londonToday(d.now()),
  };
}
