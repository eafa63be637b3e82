// Exploitation screenings (issue 12 part 2): screen a young person with an instrument, propose a level, a manager
// or a meeting confirms it, the screener reviews it, and a missing episode, placement move or new intelligence
// calls for an early re-screen. The route is the exploitation-screening protocol, driven in flow.ts. This class is
// the surface the rest of the app uses; the work is in the files it delegates to.
import type { Config } from '../../config.ts';
import type { Db } from '../../db/database.ts';
import type { AuthUser } from '../../http/types.ts';
import { moduleContext } from '../kit/context.ts';
import type { ProtocolService } from '../protocols/service.ts';
import { type ConfirmLevel, confirmScreeningLevel } from './confirm.ts';
import type { SafeguardingCtx } from './context.ts';
import { driveSafeguarding } from './flow.ts';

export class SafeguardingService {
  /** Other modules (meetings, the cohort) pass this to the functions they call inside their transactions. */
  readonly ctx: SafeguardingCtx;

  constructor(db: Db, config: Config, now: () => Date, protocols: ProtocolService) {
    this.ctx = driveSafeguarding(moduleContext({ db, config, now, protocols }));
  }

  today() {
    return this.ctx.today();
  }

  /** Confirms or changes a screening's level in its own transaction (confirm.ts for a caller's transaction). */
  confirm(user: AuthUser, screeningId: string, input: ConfirmLevel) {
    return this.ctx.db.transaction().execute((tx) => confirmScreeningLevel(tx, this.ctx, user, screeningId, input));
  }
}
