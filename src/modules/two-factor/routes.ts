// The second step of signing in (issue 17), public routes carried by the challenge cookie alone: enrolment on first
// sign-in (QR code and key, first code, recovery codes shown once) and then a code from the app or a recovery code.
// No session exists until a factor is given, so every signed-in route still answers 401 or sends them to /login.
// Forms are CSRF-checked with the sign-in form's double-submit cookie (src/http/session.ts).
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../../config.ts';
import { errorList, text } from '../../http/forms.ts';
import { cookieNames, cookieOptions, issueLoginCsrf } from '../../http/session.ts';
import { registerTwoFactorAccountRoutes } from './account-routes.ts';
import { challengeCookie } from './challenge.ts';
import type { CodeResult, EnrolResult } from './service.ts';

const V = 'two-factor/views';
const WRONG_CODE =
  "The code is not correct. Enter the newest 6-digit code from your authenticator app; if your phone's clock is wrong, the codes will be too";
const WRONG_RECOVERY = 'The recovery code is not correct, or it has been used. Each recovery code works once';
const THROTTLED =
  'Too many attempts. Wait a minute, then try again. After 20 wrong codes in a day, wait until tomorrow or ask your administrator to reset your two-factor sign-in';
const MISSING_CODE = 'Enter the 6-digit code from your authenticator app, like 123456';
const MISSING_RECOVERY = 'Enter a recovery code: 10 letters and numbers, like abcde-23456';

const open = { policy: { public: true as const } };
const hide = { hide: true };

export function registerTwoFactorRoutes(app: FastifyInstance, config: Config) {
  const ctx = pageHelpers(app, config);
  registerCodeRoutes(app, ctx);
  registerSetUpRoutes(app, ctx);
  registerTwoFactorAccountRoutes(app);
}

type Helpers = ReturnType<typeof pageHelpers>;

/** What every second-step page needs: the challenge behind the cookie, and the three ways a step ends. */
function pageHelpers(app: FastifyInstance, config: Config) {
  const { twoFactor } = app.services;
  const cookie = challengeCookie(config);

  const challengeOf = (request: FastifyRequest) => twoFactor.challenge(request.cookies[cookie.name]);

  /** No live challenge: back to the password, with a page that says so (a stale tab, ten minutes gone, too many tries). */
  const expired = (reply: FastifyReply) => {
    reply.clearCookie(cookie.name, cookieOptions(config));
    return reply.code(401).view(`${V}/expired.njk`, {});
  };

  const signedIn = (reply: FastifyReply, sessionToken: string) => {
    reply.clearCookie(cookie.name, cookieOptions(config));
    reply.clearCookie(cookieNames(config).loginCsrf, cookieOptions(config));
    reply.setCookie(cookieNames(config).session, sessionToken, cookieOptions(config));
    return reply.redirect('/', 303);
  };

  /** The error answer for a code that did not sign them in: the same page again, with the error summary. */
  const refused = (
    reply: FastifyReply,
    result: Exclude<CodeResult | EnrolResult, { kind: 'ok' }>,
    view: string,
    messages: { missing: string; invalid: string },
    extra: Record<string, unknown> = {},
  ) => {
    if (result.kind === 'expired') return expired(reply);
    const message =
      result.kind === 'missing' ? messages.missing : result.kind === 'throttled' ? THROTTLED : messages.invalid;
    reply.code(result.kind === 'missing' ? 400 : result.kind === 'throttled' ? 429 : 401);
    const errors = { code: message };
    return reply.view(`${V}/${view}`, {
      ...extra,
      csrfToken: issueLoginCsrf(reply, config),
      errors,
      errorList: errorList(errors),
    });
  };
  const csrf = (reply: FastifyReply) => issueLoginCsrf(reply, config);
  return { twoFactor, challengeOf, expired, signedIn, refused, csrf };
}

/** A code from the app, or a recovery code instead. */
function registerCodeRoutes(app: FastifyInstance, h: Helpers) {
  const { twoFactor, challengeOf, expired, signedIn, refused, csrf } = h;

  app.get('/login/two-factor', { config: open, schema: hide }, async (request, reply) => {
    const challenge = await challengeOf(request);
    if (!challenge) return reply.redirect('/login');
    if (challenge.enrolled_at || !challenge.has_factor) return reply.redirect('/login/two-factor/set-up');
    return reply.view(`${V}/verify.njk`, { csrfToken: csrf(reply) });
  });

  app.post('/login/two-factor', { config: open, schema: hide }, async (request, reply) => {
    const challenge = await challengeOf(request);
    if (!challenge) return expired(reply);
    const code = text((request.body ?? {}) as Record<string, unknown>, 'code');
    const result = await twoFactor.verifyCode(challenge, code);
    if (result.kind === 'ok') return signedIn(reply, result.sessionToken);
    return refused(reply, result, 'verify.njk', { missing: MISSING_CODE, invalid: WRONG_CODE });
  });

  app.get('/login/two-factor/recovery', { config: open, schema: hide }, async (request, reply) => {
    if (!(await challengeOf(request))) return reply.redirect('/login');
    return reply.view(`${V}/recovery.njk`, { csrfToken: csrf(reply) });
  });

  app.post('/login/two-factor/recovery', { config: open, schema: hide }, async (request, reply) => {
    const challenge = await challengeOf(request);
    if (!challenge) return expired(reply);
    const code = text((request.body ?? {}) as Record<string, unknown>, 'code');
    const result = await twoFactor.verifyRecoveryCode(challenge, code);
    if (result.kind === 'ok') return signedIn(reply, result.sessionToken);
    return refused(reply, result, 'recovery.njk', { missing: MISSING_RECOVERY, invalid: WRONG_RECOVERY });
  });
}

/** First sign-in: the QR code and key, the first code, the recovery codes once, then the session. */
function registerSetUpRoutes(app: FastifyInstance, h: Helpers) {
  const { twoFactor, challengeOf, expired, signedIn, refused, csrf } = h;

  app.get('/login/two-factor/set-up', { config: open, schema: hide }, async (request, reply) => {
    const challenge = await challengeOf(request);
    if (!challenge) return reply.redirect('/login');
    // Enrolled on this challenge already: the codes were shown once; the only way on is to continue.
    if (challenge.enrolled_at) return reply.view(`${V}/recovery-codes.njk`, { csrfToken: csrf(reply), codes: [] });
    // Someone with a factor never enrols again on their password alone: only an administrator's reset allows it.
    if (challenge.has_factor) return reply.redirect('/login/two-factor');
    const setUp = await twoFactor.setUp(challenge);
    return reply.view(`${V}/set-up.njk`, { csrfToken: csrf(reply), ...setUp });
  });

  app.post('/login/two-factor/set-up', { config: open, schema: hide }, async (request, reply) => {
    const challenge = await challengeOf(request);
    if (!challenge) return expired(reply);
    const code = text((request.body ?? {}) as Record<string, unknown>, 'code');
    const result = await twoFactor.confirmSetUp(challenge, code);
    if (result.kind === 'ok')
      return reply.view(`${V}/recovery-codes.njk`, {
        csrfToken: csrf(reply),
        codes: result.recoveryCodes,
      });
    const again = result.kind === 'expired' ? {} : await twoFactor.setUp(challenge);
    return refused(reply, result, 'set-up.njk', { missing: MISSING_CODE, invalid: WRONG_CODE }, again);
  });

  app.post('/login/two-factor/set-up/continue', { config: open, schema: hide }, async (request, reply) => {
    const challenge = await challengeOf(request);
    if (!challenge) return expired(reply);
    const result = await twoFactor.finishSetUp(challenge);
    if (result.kind === 'ok') return signedIn(reply, result.sessionToken);
    return expired(reply);
  });
}
