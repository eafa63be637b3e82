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
}

/**
 * Every route declares one of these in `config.policy`; a route without one fails to register (quality.md S2).
 * - public: no sign-in (allow-listed in policy.ts by URL).
 * - capability: needs a signed-in user with that capability (null: any signed-in user).
 * - person: the route param naming a person; the user also needs a relationship to them (or break-glass),
 *   unless relationship is 'not-needed' (break-glass itself), when the person need only be in their authority.
 */
export type Policy = { public: true } | { capability: Capability | null; person?: string; relationship?: 'not-needed' };

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
    /** True for /api/… routes: errors are JSON, not pages. */
    isApi: boolean;
  }
}
