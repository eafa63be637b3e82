// Two-factor sign-in for signed-in people (issue 17): your own status and new recovery codes (/account/two-factor),
// and an administrator's reset for a user who lost their phone (/admin/users/:userId/two-factor, with a confirmation
// page), with its status in the API. Never the secret, a code or a recovery code's hash: only whether and since when.
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { errorsOf, Id } from '../../http/api-schema.ts';
import { errorList, text } from '../../http/forms.ts';
import { requireUser } from '../../http/request.ts';

const V = 'two-factor/views';
type UserParams = { userId: string };

const Status = Type.Object({
  user_id: Id,
  required: Type.Boolean({
    description: 'Whether this account must give a second factor when it signs in with a password',
  }),
  enrolled: Type.Boolean({ description: 'Whether an authenticator app is set up' }),
  enrolled_at: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  recovery_codes_left: Type.Integer({ description: 'Unused recovery codes (never the codes)' }),
});

export function registerTwoFactorAccountRoutes(app: FastifyInstance) {
  const { twoFactor } = app.services;
  const anyone = { policy: { capability: null } };
  const userAdmin = { policy: { capability: 'user:admin' as const } };
  const hide = { hide: true };

  app.get<{ Querystring: { saved?: string } }>(
    '/account/two-factor',
    { config: anyone, schema: hide },
    async (request, reply) => {
      const user = requireUser(request);
      return reply.view(`${V}/account.njk`, { status: await twoFactor.ownStatus(user) });
    },
  );

  app.post('/account/two-factor/recovery-codes', { config: anyone, schema: hide }, async (request, reply) => {
    const user = requireUser(request);
    const code = text((request.body ?? {}) as Record<string, unknown>, 'code');
    const result = await twoFactor.renewRecoveryCodes(user, code);
    if (result.kind === 'ok') return reply.view(`${V}/account-codes.njk`, { codes: result.recoveryCodes });
    const status = await twoFactor.ownStatus(user);
    const message =
      result.kind === 'throttled'
        ? 'Too many attempts. Wait a minute, then try again. After 20 wrong codes in a day, wait until tomorrow or ask your administrator to reset your two-factor sign-in'
        : result.kind === 'missing'
          ? 'Enter the 6-digit code from your authenticator app, like 123456'
          : "The code is not correct. Enter the newest 6-digit code from your authenticator app; if your phone's clock is wrong, the codes will be too";
    reply.code(result.kind === 'throttled' ? 429 : result.kind === 'missing' ? 400 : 401);
    const errors = { code: message };
    return reply.view(`${V}/account.njk`, { status, errors, errorList: errorList(errors) });
  });

  app.get<{ Params: UserParams; Querystring: { reset?: string } }>(
    '/admin/users/:userId/two-factor',
    { config: userAdmin, schema: hide },
    async (request, reply) => {
      const view = await twoFactor.adminView(requireUser(request), request.params.userId);
      return reply.view(`${V}/admin.njk`, {
        ...view,
        savedText:
          request.query.reset === '1'
            ? `Two-factor sign-in reset for ${view.account.displayName}. They set it up again when they next sign in.`
            : null,
      });
    },
  );

  app.post<{ Params: UserParams }>(
    '/admin/users/:userId/two-factor/reset',
    { config: userAdmin, schema: hide },
    async (request, reply) => {
      await twoFactor.reset(requireUser(request), request.params.userId);
      return reply.redirect(`/admin/users/${request.params.userId}/two-factor?reset=1`, 303);
    },
  );

  app.get(
    '/api/v1/users/:userId/two-factor',
    {
      config: userAdmin,
      schema: {
        tags: ['organisations'],
        summary:
          "A user's two-factor sign-in: whether it is required and set up, and recovery codes left (never a secret)",
        params: Type.Object({ userId: Id }),
        response: { 200: Status, ...errorsOf(401, 403, 404) },
      },
    },
    async (request) => {
      const v = await twoFactor.adminView(requireUser(request), (request.params as UserParams).userId);
      return {
        user_id: v.account.id,
        required: v.required,
        enrolled: v.enrolled,
        enrolled_at: v.confirmedAt ? v.confirmedAt.toISOString() : null,
        recovery_codes_left: v.recoveryCodesLeft,
      };
    },
  );
}
