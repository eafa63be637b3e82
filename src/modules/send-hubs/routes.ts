// The SEND Support Hubs' pages and API (issue 13), one file per part: hubs and settings in use (setup-routes.ts),
// requests and the setting's own view (requests-routes.ts), triage (triage-routes.ts), the Navigator's work
// (navigator-routes.ts), the telephone advice log (calls-routes.ts) and the hub dashboard (dashboard-routes.ts).
import type { FastifyInstance } from 'fastify';
import { registerCallsRoutes } from './calls-routes.ts';
import { registerDashboardRoutes } from './dashboard-routes.ts';
import { registerNavigatorRoutes } from './navigator-routes.ts';
import { registerRequestsRoutes } from './requests-routes.ts';
import { registerSetupRoutes } from './setup-routes.ts';
import { registerTriageRoutes } from './triage-routes.ts';

export function registerSendHubsRoutes(app: FastifyInstance) {
  registerSetupRoutes(app);
  registerRequestsRoutes(app);
  registerTriageRoutes(app);
  registerNavigatorRoutes(app);
  registerCallsRoutes(app);
  registerDashboardRoutes(app);
}
