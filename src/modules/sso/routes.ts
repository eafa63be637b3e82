// Single sign-on's public routes (issue 17 part 1): /auth/oidc/start sends the browser to the provider with a fresh
// attempt (state, nonce, PKCE kept server-side, hashed state, bound to this browser by a short-lived HttpOnly cookie);
// /auth/oidc/callback turns the provider's answer into a session. With no OIDC configured both answer 404. Every
// refusal is a page saying what to do and one log line saying what failed, never a token, code or claim value.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../../config.ts';
import { sendError } from '../../http/errors.ts';
import { cookieNames, cookieOptions } from '../../http/session.ts';
import { registerSsoAdminRoutes } from './admin-routes.ts';
import { registerSsoApi } from './api.ts';
import { SsoFailure, SsoUnavailable } from './client.ts';
import { PROBLEMS, type ProblemKind } from './pages.ts';
import { LOGIN_TTL_MS } from './service.ts';

const hide = { hide: true };
const open = { policy: { public: true as const } };

function problem(reply: FastifyReply, status: number, kind: ProblemKind) {
  reply.code(status);
  return reply.view('sso/views/problem.njk', PROBLEMS[kind]);
}

export function registerSsoRoutes(app: FastifyInstance, config: Config) {
  const sso = app.services.sso;
  const browserCookie = `${config.cookieSecure ? '__Host-' : ''}handover-oidc`;
  const notConfigured = (request: FastifyRequest, reply: FastifyReply) =>
    sendError(request, reply, 404, 'If you typed the web address, check it is correct.');

  app.get('/auth/oidc/start', { config: open, schema: hide }, async (request, reply) => {
    if (!sso.client) return notConfigured(request, reply);
    try {
      const { url, browserSecret } = await sso.start();
      reply.setCookie(browserCookie, browserSecret, { ...cookieOptions(config), maxAge: LOGIN_TTL_MS / 1000 });
      return reply.redirect(url, 303);
    } catch (e) {
      if (!(e instanceof SsoUnavailable)) throw e;
      request.log.warn({ sso: e.message }, 'single sign-on not available');
      return problem(reply, 503, 'unavailable');
    }
  });

  app.get('/auth/oidc/callback', { config: open, schema: hide }, async (request, reply) => {
    if (!sso.client) return notConfigured(request, reply);
    const secret = request.cookies[browserCookie] ?? '';
    reply.clearCookie(browserCookie, cookieOptions(config));
    const rawQuery = request.url.includes('?') ? request.url.slice(request.url.indexOf('?') + 1) : '';
    try {
      const result = await sso.callback((request.query ?? {}) as Record<string, unknown>, rawQuery, secret);
      if (result.kind !== 'session') return problem(reply, 200, result.kind);
      // Role names only, never who: the mappings to look at are the administrator's.
      if (result.ignoredRoles.length)
        request.log.warn({ sso: result.ignoredRoles.join(', ') }, 'single sign-on ignored mapped roles');
      const names = cookieNames(config);
      reply.clearCookie(names.loginCsrf, cookieOptions(config));
      reply.setCookie(names.session, result.sessionToken, cookieOptions(config));
      return reply.redirect('/', 303);
    } catch (e) {
      if (e instanceof SsoUnavailable) {
        request.log.warn({ sso: e.message }, 'single sign-on not available');
        return problem(reply, 503, 'unavailable');
      }
      if (!(e instanceof SsoFailure)) throw e;
      request.log.warn({ sso: e.reason }, 'single sign-on refused');
      return problem(reply, e.status, e.page);
    }
  });

  // One line at start-up when the issuer cannot be used, so a misconfiguration is seen before anyone signs in.
  app.addHook('onReady', async () => {
    const client = sso.client;
    if (!client) return;
    void client.check().then(
      (reason) => {
        if (reason) app.log.error(`Single sign-on is not available: ${reason}`);
        else app.log.info('Single sign-on is available');
      },
      () => app.log.error('Single sign-on is not available: the start-up check failed'),
    );
  });

  registerSsoAdminRoutes(app);
  registerSsoApi(app);
}
