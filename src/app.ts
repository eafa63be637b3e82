// createApp(deps): the whole web app, built from its dependencies so tests, the CLI and bench share the wiring.
import path from 'node:path';
import qs from 'node:querystring';
import { fileURLToPath } from 'node:url';
import fastifyCookie from '@fastify/cookie';
import fastifyFormbody from '@fastify/formbody';
import fastifyHelmet from '@fastify/helmet';
import fastifyStatic from '@fastify/static';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import fastifyView from '@fastify/view';
import Fastify, { type FastifyInstance, LogController } from 'fastify';
import nunjucks from 'nunjucks';
import type { Config } from './config.ts';
import type { Db } from './db/database.ts';
import { type ReportsDb, reportsFor } from './db/reports.ts';
import { ErrorBody } from './http/api-schema.ts';
import { trustProxyOption } from './http/client-address.ts';
import { installErrorHandling, installJsonParser } from './http/errors.ts';
import { installInputCheck } from './http/input.ts';
import { installPolicyCheck, installPolicyEnforcement, type RouteEntry } from './http/policy.ts';
import { installAuthentication } from './http/session.ts';
import type { Policy } from './http/types.ts';
import { configureNunjucks } from './http/views.ts';
import { registerAuthRoutes } from './modules/auth/routes.ts';
import { AuthService } from './modules/auth/service.ts';
import { registerBundleRoutes } from './modules/bundle/routes.ts';
import { registerCaseloadRoutes } from './modules/caseload/routes.ts';
import { registerCohortRoutes } from './modules/cohort/routes.ts';
import { registerConsultationsRoutes } from './modules/consultations/routes.ts';
import { registerContextualRoutes } from './modules/contextual/routes.ts';
import { registerDashboardsRoutes } from './modules/dashboards/routes.ts';
import { registerDocumentsRoutes } from './modules/documents/routes.ts';
import { registerPlanChangesRoutes } from './modules/ehc-plan-changes/routes.ts';
import { registerEhcPlanRoutes } from './modules/ehc-plans/routes.ts';
import { registerEhcReviewsRoutes } from './modules/ehc-reviews/routes.ts';
import { registerEhcpRoutes } from './modules/ehcp/routes.ts';
import { registerExploitationMeetingsRoutes } from './modules/exploitation-meetings/routes.ts';
import { registerHomeRoutes } from './modules/home/routes.ts';
import { registerMentoringRoutes } from './modules/mentoring/routes.ts';
import { registerNotesRoutes } from './modules/notes/routes.ts';
import { registerNotificationRoutes } from './modules/notifications/routes.ts';
import { registerAdminRoutes } from './modules/organisations/routes.ts';
import { registerPartnersRoutes } from './modules/partners/routes.ts';
import { registerPeopleRoutes } from './modules/people/routes.ts';
import { registerPost18Routes } from './modules/post18/routes.ts';
import { ProtocolRegistry } from './modules/protocols/registry.ts';
import { registerProtocolRoutes } from './modules/protocols/routes.ts';
import { registerRadarRoutes } from './modules/radar/routes.ts';
import { registerRetentionRoutes } from './modules/retention/routes.ts';
import { registerRiskRoutes } from './modules/risk/routes.ts';
import { registerSafeguardingRoutes } from './modules/safeguarding/routes.ts';
import { registerScimRoutes } from './modules/scim/routes.ts';
import { registerSen2Routes } from './modules/sen2/routes.ts';
import { registerSendHubsRoutes } from './modules/send-hubs/routes.ts';
import { registerSharingRoutes } from './modules/sharing/routes.ts';
import { registerSolutionsRoutes } from './modules/solutions/routes.ts';
import { registerSsoRoutes } from './modules/sso/routes.ts';
import { registerSubjectAccessRoutes } from './modules/subject-access/routes.ts';
import { registerSubscriptionsRoutes } from './modules/subscriptions/routes.ts';
import { registerTransferRoutes } from './modules/transfers/routes.ts';
import { registerTransitionsRoutes } from './modules/transitions/routes.ts';
import { registerTwoFactorRoutes } from './modules/two-factor/routes.ts';
import { createServices, type Services } from './services.ts';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export interface AppDeps {
  db: Db;
  config: Config;
  /** Loaded protocols; loaded from config.protocolsDir when not given. */
  protocols?: ProtocolRegistry;
  /** The clock: tests pass a fixed one. */
  now?: () => Date;
  /** Where reports read from; by default as the configuration says (DATABASE_REPLICA_URL or the primary). */
  reports?: ReportsDb;
  /** Pino options; `stream` receives the log lines (the S16 log scan writes them into a buffer). */
  logger?: boolean | { level: string; stream?: { write(line: string): void } };
  /**
   * Registers more routes (and hooks) before the app is sealed: the benchmarks' floor routes. Each still needs
   * its access policy (quality.md S2).
   */
  extraRoutes?: (app: FastifyInstance) => void;
}

declare module 'fastify' {
  interface FastifyInstance {
    services: Services;
    /** Every registered route with its access policy (quality.md S1, S2). */
    routeTable: RouteEntry[];
  }
}

/**
 * The answers every API route can give before its handler runs, declared in the OpenAPI document so a client knows
 * them: 414 (the address is too long) on every route, 413 (too large) and 415 (not JSON or a form) on every write,
 * 400 where there is input to refuse, and the access policy's 401, 403 and 404. The API fuzzer (test/fuzz.test.ts)
 * fails on any status a route answers that its document does not list.
 */
function declareFrameworkErrors({
  schema,
  url,
  route,
}: {
  schema: unknown;
  url: string;
  route: { method: unknown; config?: { policy?: Policy } };
}) {
  const s = (schema ?? {}) as { hide?: boolean; response?: Record<string, unknown> } & Record<string, unknown>;
  if (!url.startsWith('/api/') || s.hide) return { schema: schema as never, url };
  const methods = ([] as unknown[]).concat(route.method).map(String);
  const writes = methods.some((m) => ['POST', 'PUT', 'PATCH', 'DELETE'].includes(m));
  // 503: the database cannot be reached just now (src/http/errors.ts), on any route.
  const response: Record<string, unknown> = {
    414: ErrorBody,
    503: ErrorBody,
    ...(writes ? { 413: ErrorBody, 415: ErrorBody } : {}),
  };
  // What the access policy (src/http/policy.ts) and request validation answer before any handler runs.
  const policy = route.config?.policy;
  if (policy && !('public' in policy) && !('provisioning' in policy)) {
    response[401] = ErrorBody;
    // 403 also for a write with neither token nor a session's CSRF token (src/http/session.ts).
    if (policy.capability || policy.person || writes) response[403] = ErrorBody;
    if (policy.person || policy.adviceRequest || /\{\w+Id\}|:\w+Id\b/.test(url)) response[404] = ErrorBody;
  }
  if (s.body || s.querystring || s.params || writes) response[400] = ErrorBody;
  return { schema: { ...s, response: { ...response, ...s.response } } as never, url };
}

/**
 * swagger-ui's own CSP (with the hashes of its inline script and style) held to the bar of every page:
 * base-uri and frame-ancestors 'none', object-src 'none', and only this origin (and data: for images and fonts).
 */
export function docsCsp(header: string): string {
  const directives = new Map<string, string>();
  for (const part of header.split(';')) {
    const [name, ...values] = part.trim().split(/\s+/);
    if (!name) continue;
    // Remote sources (https:, validator.swagger.io) are dropped: only keywords, hashes and nonces, 'self' and data:.
    const kept = values.filter((v) => v.startsWith("'") || v === 'data:');
    directives.set(name.toLowerCase(), kept.join(' '));
  }
  directives.delete('upgrade-insecure-requests');
  directives.set('base-uri', "'none'");
  directives.set('frame-ancestors', "'none'");
  directives.set('object-src', "'none'");
  directives.set('form-action', "'self'");
  directives.set('img-src', "'self' data:");
  directives.set('font-src', "'self' data:");
  return [...directives].map(([k, v]) => `${k} ${v}`).join('; ');
}

export async function createApp(deps: AppDeps): Promise<FastifyInstance> {
  const now = deps.now ?? (() => new Date());
  const app = Fastify({
    logger: deps.logger ?? false,
    // Request URLs are not logged: see the onResponse hook below (quality.md S16).
    logController: new LogController({ disableRequestLogging: true }),
    trustProxy: trustProxyOption(deps.config.trustProxyHops),
    bodyLimit: 1_048_576,
    ajv: { customOptions: { allErrors: true, coerceTypes: false, removeAdditional: false } },
  });
  let registry = deps.protocols;
  if (!registry) {
    const loaded = await ProtocolRegistry.load(deps.config.protocolsDir);
    for (const p of loaded.problems) app.log.warn({ file: p.file, problems: p.problems }, 'protocol file not loaded');
    registry = loaded.registry;
  }
  await registry.sync(deps.db);
  // Reports read the replica when DATABASE_REPLICA_URL names one (src/db/reports.ts); its pool closes with the app.
  const reports = deps.reports ?? reportsFor(deps.db, deps.config, app.log);
  if (!deps.reports) app.addHook('onClose', () => reports.close());
  const services = createServices(deps.db, deps.config, now, registry, reports);
  app.decorate('services', services);

  app.decorate('routeTable', installPolicyCheck(app));

  await app.register(fastifyHelmet, {
    enableCSPNonces: true,
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        fontSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'none'"],
        frameAncestors: ["'none'"],
        formAction: ["'self'"],
        upgradeInsecureRequests: null,
      },
    },
    hsts: { maxAge: 31_536_000, includeSubDomains: true },
    referrerPolicy: { policy: 'same-origin' },
  });
  await app.register(fastifyCookie);
  // Repeated fields (checkboxes) arrive as arrays.
  await app.register(fastifyFormbody, { parser: (body) => qs.parse(body) });

  const govuk = path.join(ROOT, 'node_modules/govuk-frontend/dist');
  const moj = path.join(ROOT, 'node_modules/@ministryofjustice/frontend');
  await app.register(fastifyStatic, {
    root: [path.join(govuk, 'govuk/assets'), path.join(ROOT, 'src/public')],
    prefix: '/assets/',
    decorateReply: false,
    maxAge: '1d',
  });
  await app.register(fastifyStatic, {
    root: [path.join(govuk, 'govuk'), path.join(moj, 'moj')],
    prefix: '/assets/dist/',
    allowedPath: (p) => /\.(min\.css|min\.js|bundle\.mjs|mjs)$/.test(p) || p.endsWith('.css'),
    decorateReply: false,
    maxAge: '1d',
  });
  await app.register(fastifyView, {
    engine: { nunjucks },
    templates: [path.join(ROOT, 'src/views'), path.join(ROOT, 'src/modules'), govuk, moj],
    options: { autoescape: true, throwOnUndefined: false, onConfigure: configureNunjucks },
  });

  await app.register(fastifySwagger, {
    openapi: {
      info: {
        title: 'Handover API',
        version: '1',
        description:
          'JSON API for people, involvements and organisations. Send an API token (npx handover token create --user EMAIL) as "Authorization: Bearer …". The same access rules apply as in the pages: a relationship to a young person is needed to read their record.',
      },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
      security: [{ bearer: [] }],
    },
    transform: declareFrameworkErrors,
  });
  // The docs pages get the same CSP bar as every page (quality.md S9); no remote validator, no remote origins.
  await app.register(fastifySwaggerUi, {
    routePrefix: '/api/docs',
    staticCSP: true,
    transformStaticCSP: docsCsp,
    uiConfig: { validatorUrl: null },
  });

  const authService = new AuthService(deps.db, deps.config, now);
  installAuthentication(app, deps.config, authService);
  // onRequest, after authentication: pages sent early (a 403 from the access policy, a 404) have them too.
  app.addHook('onRequest', async (request, reply) => {
    (reply as unknown as { locals: Record<string, unknown> }).locals = {
      user: request.auth?.user ?? null,
      csrfToken: request.auth?.session?.csrfToken ?? '',
      cspNonce: reply.cspNonce?.script ?? '',
      currentPath: request.url.split('?')[0],
      demoMode: deps.config.demoMode,
      // The sign-in page's "Sign in with your council account" button, when single sign-on is configured.
      oidcLabel: deps.config.oidc?.label ?? null,
    };
  });
  installPolicyEnforcement(app, deps.db, now);
  // After the policy: no control characters or broken Unicode in any body, query or path (quality.md S13).
  installInputCheck(app);

  app.addHook('onSend', async (request, reply, payload) => {
    if (!request.url.startsWith('/assets/')) reply.header('Cache-Control', 'no-store');
    return payload;
  });
  app.addHook('onResponse', async (request, reply) => {
    // The route pattern, never the URL: URLs can carry ids, and nothing personal goes into logs.
    request.log.info(
      {
        method: request.method,
        route: request.routeOptions.url ?? 'unmatched',
        status: reply.statusCode,
        ms: Math.round(reply.elapsedTime),
      },
      'request',
    );
  });

  installErrorHandling(app);
  installJsonParser(app);

  // For load balancers and process managers: 503 as soon as the database stops answering (src/db/watch.ts).
  app.get('/health', { config: { policy: { public: true } }, schema: { hide: true } }, async (_request, reply) => {
    const database = await services.health();
    if (database === 'ok') return { status: 'ok', database };
    return reply.code(503).send({ status: 'unhealthy', database });
  });

  registerAuthRoutes(app, deps.config, authService);
  registerTwoFactorRoutes(app, deps.config);
  registerHomeRoutes(app);
  registerPeopleRoutes(app);
  registerNotesRoutes(app);
  registerDocumentsRoutes(app);
  registerCaseloadRoutes(app);
  registerBundleRoutes(app);
  registerProtocolRoutes(app);
  registerTransferRoutes(app);
  registerEhcpRoutes(app, deps.config);
  registerEhcPlanRoutes(app);
  registerPlanChangesRoutes(app);
  registerEhcReviewsRoutes(app);
  registerTransitionsRoutes(app);
  registerAdminRoutes(app);
  registerPartnersRoutes(app);
  registerRetentionRoutes(app);
  registerNotificationRoutes(app, deps.config);
  registerSubjectAccessRoutes(app);
  registerSafeguardingRoutes(app);
  registerSharingRoutes(app);
  registerSolutionsRoutes(app);
  registerConsultationsRoutes(app);
  registerRiskRoutes(app);
  registerExploitationMeetingsRoutes(app);
  registerPost18Routes(app);
  registerContextualRoutes(app);
  registerCohortRoutes(app);
  registerRadarRoutes(app);
  registerSubscriptionsRoutes(app);
  registerDashboardsRoutes(app);
  registerMentoringRoutes(app);
  registerSendHubsRoutes(app);
  registerSen2Routes(app);
  registerScimRoutes(app);
  registerSsoRoutes(app, deps.config);
  deps.extraRoutes?.(app);

  await app.ready();
  return app;
}
