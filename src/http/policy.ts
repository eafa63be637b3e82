// Access control at the edge: every route declares a policy (quality.md S2), enforced before the handler.
import type { FastifyInstance, FastifyReply, FastifyRequest, RouteOptions } from 'fastify';
import type { Db } from '../db/database.ts';
import { type Capability, capabilitiesOf, ROLES } from '../domain/roles.ts';
import { findRelationship, type RelationshipRow } from '../modules/access/repository.ts';
import { addresseeRule, provisioningRule } from './access-rules.ts';
import { sendError } from './errors.ts';
import { UUID } from './forms.ts';
import { adoptAuth, type DeferredSession } from './session.ts';
import type { AuthState, Policy } from './types.ts';

/** Routes that plugins register for us, public by name: static assets and the API documentation. */
const PUBLIC_PREFIXES = ['/assets/', '/api/docs'];

export class MissingPolicy extends Error {}

export interface RouteEntry {
  method: string;
  url: string;
  policy: Policy;
}

/** Checks each route as it registers, and returns the table of every route with its policy (for tests). */
export function installPolicyCheck(app: FastifyInstance): RouteEntry[] {
  const table: RouteEntry[] = [];
  app.addHook('onRoute', (route: RouteOptions) => {
    const record = () => {
      for (const m of [route.method].flat())
        if (m !== 'HEAD') table.push({ method: m, url: route.url, policy: route.config?.policy as Policy });
    };
    const policy = route.config?.policy;
    if (route.config?.deferAccess) checkDeferral(route);
    if (policy) return record();
    if (PUBLIC_PREFIXES.some((p) => route.url.startsWith(p))) {
      route.config = { ...(route.config ?? {}), policy: { public: true } };
      return record();
    }
    if (route.method === 'HEAD' || (Array.isArray(route.method) && route.method.every((m) => m === 'HEAD'))) return;
    throw new MissingPolicy(`Route ${String(route.method)} ${route.url} has no access policy: add config.policy.`);
  });
  return table;
}

/** deferAccess is for reading a person's record: a GET with a person policy and nothing else to check. */
function checkDeferral(route: RouteOptions) {
  const policy = route.config?.policy;
  const methods = [route.method].flat();
  const ok =
    policy &&
    'capability' in policy &&
    policy.person &&
    !policy.adviceRequest &&
    !policy.settingRequest &&
    methods.every((m) => m === 'GET' || m === 'HEAD');
  if (!ok)
    throw new MissingPolicy(`Route ${String(route.method)} ${route.url}: deferAccess needs a GET person policy.`);
}

export function policyOf(request: FastifyRequest): Policy | undefined {
  return request.routeOptions.config?.policy;
}

type UserPolicy = Extract<Policy, { capability: unknown }>;

/**
 * The checks of a signed-in route up to the person's record, in order, with their status codes and messages: signed
 * in, the capability, then for a person route the person in the user's council (404) and a relationship or
 * break-glass grant (403). Returns the reply when it refused (sent), else undefined with personAccess set.
 */
async function decideUser(
  request: FastifyRequest,
  reply: FastifyReply,
  policy: UserPolicy,
  auth: AuthState | null,
  relationshipOf: (personId: string) => Promise<RelationshipRow>,
) {
  if (!auth) {
    if (!request.isApi && request.method === 'GET') return reply.redirect('/login');
    return sendError(request, reply, 401, 'Sign in, or send an API token as "Authorization: Bearer …".');
  }
  if (policy.capability && !auth.user.caps.has(policy.capability)) {
    return sendError(request, reply, 403, 'Your role does not allow this. Ask your manager if you need it.');
  }
  if (policy.person) {
    const personId = (request.params as Record<string, string | undefined>)[policy.person] ?? '';
    if (!UUID.test(personId)) return sendError(request, reply, 404, 'No record with that reference.');
    const rel = await relationshipOf(personId);
    if (!rel.exists) return sendError(request, reply, 404, 'No record with that reference.');
    if (!rel.related && !rel.breakGlassId && policy.relationship !== 'not-needed') {
      return sendError(
        request,
        reply,
        403,
        'You do not work with this young person, so their record is closed to you.',
        auth.user.caps.has('breakglass:use') ? { breakGlassPersonId: personId } : {},
      );
    }
    request.personAccess = { personId, breakGlassId: rel.related ? null : rel.breakGlassId };
  }
  return undefined;
}

/**
 * The roles holding a capability: for a deferAccess route's statement, which must write its access-log row only when
 * the capability check will pass (the check itself stays decideUser's, on the user's roles).
 */
export function rolesWith(capability: Capability | null): string[] {
  return Object.keys(ROLES).filter((r) => capability === null || capabilitiesOf([r]).has(capability));
}

/**
 * For a deferAccess route, once its statement has read the session row and the relationship: the session judged
 * (auth's settle: limits, touch), then the same checks, codes and messages as the policy hook. True when the
 * handler may go on (request.auth and personAccess set); false when the refusal has been sent.
 */
export async function completeDeferredAccess(
  request: FastifyRequest,
  reply: FastifyReply,
  session: Parameters<DeferredSession['settle']>[0],
  rel: RelationshipRow,
): Promise<boolean> {
  const deferred = request.deferredSession;
  if (!deferred) throw new Error(`${request.routeOptions.url} completed access it had not deferred`);
  const auth = await deferred.settle(session);
  adoptAuth(request, reply, auth);
  const refused = await decideUser(request, reply, policyOf(request) as UserPolicy, auth, async () => rel);
  return refused === undefined;
}

export function installPolicyEnforcement(app: FastifyInstance, db: Db, now: () => Date) {
  app.decorateRequest('adviceAccess', null);
  app.decorateRequest('settingAccess', null);
  app.decorateRequest('provisioningAccess', null);
  // preValidation: access is decided before the body is validated, so a refused caller learns nothing from it.
  app.addHook('preValidation', async (request: FastifyRequest, reply: FastifyReply) => {
    const policy = policyOf(request);
    if (!policy) return sendError(request, reply, 404, 'Not found');
    if ('public' in policy) return;
    if ('provisioning' in policy) {
      // No user: the directory's own bearer secret, checked by the rule its module registered (issue 17).
      const rule = provisioningRule();
      return rule ? rule(db, request, reply) : sendError(request, reply, 404, 'Not found');
    }
    // Every id in a path is a UUID: anything else cannot name a record, so it is not found.
    for (const [name, value] of Object.entries((request.params ?? {}) as Record<string, string>)) {
      if (name.endsWith('Id') && !UUID.test(value))
        return sendError(request, reply, 404, 'No record with that reference.');
    }
    // A deferAccess route reads the session and the relationship in its own statement, then completeDeferredAccess.
    if (request.deferredSession) return;
    const auth = request.auth;
    const refused = await decideUser(request, reply, policy, auth, (personId) =>
      findRelationship(db, (auth as AuthState).user, personId, now()),
    );
    if (refused || !auth) return refused;
    if (policy.adviceRequest) {
      // An advice request opens only itself, and only to whom it is addressed: no relationship to the record.
      const requestId = (request.params as Record<string, string | undefined>)[policy.adviceRequest] ?? '';
      const rule = addresseeRule('adviceRequest');
      const found = rule && UUID.test(requestId) ? await rule(db, auth.user, requestId) : null;
      if (!found) return sendError(request, reply, 404, 'No record with that reference.');
      request.adviceAccess = { requestId, personId: found.personId };
    }
    if (policy.settingRequest) {
      // A support request opens only itself, and only to its setting's accounts: never the young person's record.
      const requestId = (request.params as Record<string, string | undefined>)[policy.settingRequest] ?? '';
      const rule = addresseeRule('settingRequest');
      const found = rule && UUID.test(requestId) ? await rule(db, auth.user, requestId) : null;
      if (!found) return sendError(request, reply, 404, 'No record with that reference.');
      request.settingAccess = { requestId, settingId: found.settingId };
    }
  });
}
