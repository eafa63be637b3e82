import type { FastifyInstance } from 'fastify';
import type { Config } from '../../config.ts';
import { errorList, text } from '../../http/forms.ts';
import { cookieNames, cookieOptions, issueLoginCsrf } from '../../http/session.ts';
import { challengeCookie } from '../two-factor/challenge.ts';
import type { AuthService } from './service.ts';
import { registerTokenRoutes } from './token-routes.ts';

const INVALID = 'Enter a correct email address and password';

export function registerAuthRoutes(app: FastifyInstance, config: Config, auth: AuthService) {
  const names = cookieNames(config);

  app.get('/login', { config: { policy: { public: true } }, schema: { hide: true } }, async (request, reply) => {
    if (request.auth) return reply.redirect('/');
    return reply.view('auth/views/login.njk', { csrfToken: issueLoginCsrf(reply, config), values: {} });
  });

  app.post('/login', { config: { policy: { public: true } }, schema: { hide: true } }, async (request, reply) => {
    const body = (request.body ?? {}) as Record<string, unknown>;
    const email = text(body, 'email');
    const password = typeof body.password === 'string' ? body.password : '';
    const errors: Record<string, string> = {};
    if (!email) errors.email = 'Enter your email address';
    if (!password) errors.password = 'Enter your password';
    if (!errors.email && !errors.password) {
      const result = await auth.login(email, password, request.ip);
      if (result.kind === 'ok') {
        reply.clearCookie(names.loginCsrf, cookieOptions(config));
        reply.setCookie(names.session, result.sessionToken, cookieOptions(config));
        return reply.redirect('/', 303);
      }
      if (result.kind === 'second-factor') {
        // No session yet: the challenge cookie carries them to the code (or to enrolment) and nothing else.
        const cookie = challengeCookie(config);
        reply.setCookie(cookie.name, result.challengeToken, cookie.options);
        return reply.redirect(result.enrolled ? '/login/two-factor' : '/login/two-factor/set-up', 303);
      }
      if (result.kind === 'throttled') {
        reply.code(429);
        errors.email = 'Too many attempts to sign in. Wait a minute, then try again';
      } else {
        reply.code(401);
        errors.email = INVALID;
      }
    } else {
      reply.code(400);
    }
    return reply.view('auth/views/login.njk', {
      csrfToken: issueLoginCsrf(reply, config),
      values: { email },
      errors,
      errorList: errorList(errors),
    });
  });

  app.post('/logout', { config: { policy: { capability: null } }, schema: { hide: true } }, async (request, reply) => {
    // A session made by single sign-on also ends at the provider (RP-initiated sign-out): read before it is ended.
    const session = request.auth?.session;
    const atProvider = session ? await app.services.sso.endSessionUrl(session.idHash) : null;
    if (request.auth) await auth.logout(request.auth);
    reply.clearCookie(names.session, cookieOptions(config));
    return reply.redirect(atProvider ?? '/login', 303);
  });

  registerTokenRoutes(app);
}
