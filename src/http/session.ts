// Who is asking: a browser session cookie or an API bearer token; and CSRF for browser writes (S8, S10).
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../config.ts';
import type { AuthService } from '../modules/auth/service.ts';
import { sendError } from './errors.ts';
import type { AuthState } from './types.ts';

/** What a deferred request carries until its route reads the session (AuthService.deferSession). */
export type DeferredSession = ReturnType<AuthService['deferSession']>;

declare module 'fastify' {
  interface FastifyContextConfig {
    /**
     * A GET route whose handler reads the session, the access check's facts and its data in one statement of its own,
     * then calls completeDeferredAccess (policy.ts): the session hook and the policy run no query for it.
     */
    deferAccess?: true;
  }
  interface FastifyRequest {
    /** Set instead of `auth` for a deferAccess route with a session cookie. */
    deferredSession: DeferredSession | null;
  }
}

export function cookieNames(config: Config) {
  // __Host- cookies must be Secure, host-only and Path=/; browsers treat http://localhost as secure.
  const prefix = config.cookieSecure ? '__Host-' : '';
  return { session: `${prefix}handover-session`, loginCsrf: `${prefix}handover-login` };
}

export function cookieOptions(config: Config) {
  return { path: '/', httpOnly: true, secure: config.cookieSecure, sameSite: 'lax' as const };
}

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);

function sameSecret(a: string, b: string) {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && x.length > 0 && timingSafeEqual(x, y);
}

export function installAuthentication(app: FastifyInstance, config: Config, auth: AuthService) {
  const names = cookieNames(config);
  app.decorateRequest('auth', null);
  app.decorateRequest('personAccess', null);
  app.decorateRequest('isApi', false);
  app.decorateRequest('deferredSession', null);

  app.addHook('onRequest', async (request) => {
    request.isApi = request.url.startsWith('/api/');
    const header = request.headers.authorization;
    if (header) {
      const m = /^Bearer (\S+)$/.exec(header);
      request.auth = m ? await auth.resolveToken(m[1] as string) : null;
      return;
    }
    const cookie = request.cookies[names.session];
    if (!cookie) return;
    // A route that reads the session in its own statement gets what it needs to, and nothing is read here.
    if (request.routeOptions.config?.deferAccess && SAFE.has(request.method)) {
      request.deferredSession = auth.deferSession(cookie);
      return;
    }
    request.auth = await auth.resolveSession(cookie);
  });

  app.addHook('preValidation', async (request: FastifyRequest, reply: FastifyReply) => {
    if (SAFE.has(request.method)) return;
    // Bearer-token requests carry no ambient credentials, so they need no CSRF token.
    if (request.auth?.via === 'token') return;
    // Nor do provisioning calls: their routes read only the bearer secret, never a session cookie (issue 17).
    if ('provisioning' in (request.routeOptions.config?.policy ?? {})) return;
    const sent =
      (request.headers['x-csrf-token'] as string | undefined) ??
      ((request.body as Record<string, unknown> | undefined)?._csrf as string | undefined) ??
      '';
    const expected = request.auth?.session?.csrfToken ?? request.cookies[names.loginCsrf] ?? '';
    if (typeof sent !== 'string' || !sameSecret(sent, expected)) {
      return sendError(
        request,
        reply,
        403,
        'The form had expired or did not come from this service. Go back, reload the page and try again.',
      );
    }
  });
}

/**
 * A deferred request's signed-in state, once its route has read the session: set on the request, and in the page's
 * locals that app.ts and the notifications module fill for other requests before their handler runs.
 */
export function adoptAuth(request: FastifyRequest, reply: FastifyReply, state: AuthState | null) {
  request.auth = state;
  const locals = (reply as unknown as { locals?: Record<string, unknown> }).locals;
  if (!locals || !state) return;
  locals.user = state.user;
  locals.csrfToken = state.session?.csrfToken ?? '';
  if (state.via === 'session' && !request.isApi) locals.unreadNotifications = state.unreadNotifications;
}

/** For the sign-in form: a double-submit token, since there is no session yet. */
export function issueLoginCsrf(reply: FastifyReply, config: Config): string {
  const token = randomBytes(24).toString('base64url');
  reply.setCookie(cookieNames(config).loginCsrf, token, cookieOptions(config));
  return token;
}
