// What every capability module is given: the database, the configuration, the clock (and London's today) and the
// protocol engine. One type, so a module's parts (plans, referrals, transfers, assessments…) share one shape.
import type { Config } from '../../config.ts';
import type { Db } from '../../db/database.ts';
import { londonToday } from '../../domain/calendar.ts';
import type { ProtocolService } from '../protocols/service.ts';

export interface ModuleDeps {
  readonly db: Db;
  readonly config: Config;
  readonly now: () => Date;
  readonly protocols: ProtocolService;
}

export interface ModuleContext extends ModuleDeps {
  /** Today's date in London (YYYY-MM-DD). */
  today(): string;
}

export function moduleContext(d: ModuleDeps): ModuleContext {
  return { db: d.db, config: d.config, now: d.now, protocols: d.protocols, today: () => londonToday(d.now()) };
}
