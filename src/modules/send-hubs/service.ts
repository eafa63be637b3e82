// The SEND Support Hubs (issue 13, Devon): the service object the app holds. Each part lives in its own file and
// takes the module's context (flow.ts: the database, clock, configuration and the send-support-request workflow):
// setup.ts (hubs and localities in use, settings and their accounts), requests.ts (the request for support and the
// setting's view), triage.ts (triage meetings and outcomes), navigator.ts (Navigator, support plan, contacts,
// needs in context), calls.ts (the telephone advice log), dashboard.ts (response times and figures).
import type { Config } from '../../config.ts';
import type { Db } from '../../db/database.ts';
import type { ReportsDb } from '../../db/reports.ts';
import { moduleContext } from '../kit/context.ts';
import type { ProtocolService } from '../protocols/service.ts';
import { driveSupportRequests, type HubCtx } from './flow.ts';

export class SendHubsService {
  readonly ctx: HubCtx;

  constructor(db: Db, config: Config, now: () => Date, protocols: ProtocolService, reports?: ReportsDb) {
    this.ctx = driveSupportRequests(moduleContext({ db, config, now, protocols, reports }));
  }
}
