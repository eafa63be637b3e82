import type { Capability } from '../domain/roles.ts';

export interface AuthUser {
  id: string;
  authorityId: string;
  email: string;
  displayName: string;
  roles: string[];
  caps: Set<Capability>;
  teamIds: string[];
}

export interface AuthState {
  user: AuthUser;
  via: 'session' | 'token';
  /** Present for browser sessions: the hashed id and the CSRF token bound to it. */
  session?: { idHash: string; csrfToken: string };
  /** Read with the session, for the navigation (capped at 100). */
  unreadNotifications?: number;
}

/**
 * Every route declares one of these in `config.policy`; a route without one fails to register (quality.md S2).
 * - public: no sign-in (allow-listed in policy.ts by URL).
 * - capability: needs a signed-in user with that capability (null: any signed-in user).
 * - person: the route param naming a person; the user also needs a relationship to them (or break-glass),
 *   unless relationship is 'not-needed' (break-glass itself), when the person need only be in their authority.
 * - adviceRequest: the route param naming an EHCP advice request; the user must be the advice giver it is addressed
 *   to, the person now responsible for it, or the giver's line manager. It opens that request only, never the record.
 */
export type Policy =
  | { public: true }
  /** A directory's provisioning service (SCIM, issue 17): its own bearer secret, no user; checked by a module rule. */
  | { provisioning: true }
  | {
      capability: Capability | null;
      person?: string;
      relationship?: 'not-needed';
      adviceRequest?: string;
      /** A route param naming a SEND support request: open only to accounts of the request's setting (issue 13). */
      settingRequest?: string;
    };

/** Set by the adviceRequest policy: the one request (and whose it is) this caller may see. */
export interface AdviceAccess {
  requestId: string;
  personId: string;
}

/** Set by the settingRequest policy: the one support request this setting account may see (never the record). */
export interface SettingAccess {
  requestId: string;
  settingId: string;
}

/** Set by the provisioning policy: the council whose directory holds the secret, and which secret it was. */
export interface ProvisioningAccess {
  authorityId: string;
  secretId: string;
}

export interface PersonAccess {
  personId: string;
  breakGlassId: string | null;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    policy?: Policy;
  }
  interface FastifyRequest {
    auth: AuthState | null;
    personAccess: PersonAccess | null;
    adviceAccess: AdviceAccess | null;
    settingAccess: SettingAccess | null;
    provisioningAccess: ProvisioningAccess | null;
    /** True for /api/… routes: errors are JSON, not pages. */
    isApi: boolean;
  }
}
