// Typed reads of what the policy hook (src/http/policy.ts) attached to a request. A route reaches its handler only
// when its policy passed, so these never fail in practice; if one does (a route whose policy does not set what it
// reads), it is a programming error and answers 500 rather than acting for nobody.
import type { AdviceAccess, AuthUser, PersonAccess, SettingAccess } from './types.ts';

/** What these read of a request (a FastifyRequest, or a part of one a helper was handed). */
interface Attached {
  auth?: { user: AuthUser } | null;
  personAccess?: PersonAccess | null;
  adviceAccess?: AdviceAccess | null;
  settingAccess?: SettingAccess | null;
  routeOptions?: { url?: string };
}

class PolicyMismatch extends Error {
  constructor(what: string, url: string) {
    super(`${what} is not set for ${url}: the route's policy does not provide it`);
    this.name = 'PolicyMismatch';
  }
}

/** The signed-in user (every route whose policy is not public). */
export function requireUser(request: Attached): AuthUser {
  const user = request.auth?.user;
  if (!user) throw new PolicyMismatch('The signed-in user', request.routeOptions?.url ?? '');
  return user;
}

/** The young person the route is about and how the user may see them (routes with a `person` policy). */
export function requirePersonAccess(request: Attached): PersonAccess {
  const access = request.personAccess;
  if (!access) throw new PolicyMismatch('Access to the record', request.routeOptions?.url ?? '');
  return access;
}

/** The one advice request the caller may open (routes with an `adviceRequest` policy). */
export function requireAdviceAccess(request: Attached): AdviceAccess {
  const access = request.adviceAccess;
  if (!access) throw new PolicyMismatch('Access to the advice request', request.routeOptions?.url ?? '');
  return access;
}

/** The one support request a setting's account may open (routes with a `settingRequest` policy). */
export function requireSettingAccess(request: Attached): SettingAccess {
  const access = request.settingAccess;
  if (!access) throw new PolicyMismatch('Access to the support request', request.routeOptions?.url ?? '');
  return access;
}
