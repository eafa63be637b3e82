// Your account (/account) with "Your API tokens", revoking one token (pages and /api/v1/tokens), and an
// administrator revoking a token of one of their council's users. Issue 9, finding 9. POST-redirect-GET with a
// success banner; forms carry the CSRF token (checked in src/http/session.ts).
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { errorsOf, Id } from '../../http/api-schema.ts';
import { requireUser } from '../../http/request.ts';
import type { TokenView } from './tokens.ts';

type TokenParams = { tokenId: string };
type UserTokenParams = { userId: string; tokenId: string };

const When = Type.String({ format: 'date-time' });
const Token = Type.Object({
  id: Id,
  name: Type.String(),
  created_at: When,
  expires_at: When,
  last_used_at: Type.Union([When, Type.Null()], { description: 'Recorded to the minute' }),
  revoked_at: Type.Union([When, Type.Null()]),
  status: Type.Unsafe<string>({ type: 'string', enum: ['active', 'expired', 'revoked'] }),
});
const errors = errorsOf(401, 403, 404);
const tags = ['tokens'];

const serialise = (t: TokenView) => ({
  id: t.id,
  name: t.label,
  created_at: t.created_at,
  expires_at: t.expires_at,
  last_used_at: t.last_used_at,
  revoked_at: t.revoked_at,
  status: t.status,
});

export function registerTokenRoutes(app: FastifyInstance) {
  const { tokens } = app.services;
  const anyone = { policy: { capability: null } };
  const userAdmin = { policy: { capability: 'user:admin' as const } };
  const hide = { hide: true };

  app.get<{ Querystring: { revoked?: string } }>(
    '/account',
    { config: anyone, schema: hide },
    async (request, reply) => {
      const user = requireUser(request);
      return reply.view('auth/views/account.njk', {
        account: user,
        tokens: await tokens.list(user.id),
        revokeBase: '/account/tokens',
        revoked: request.query.revoked === '1',
      });
    },
  );

  app.post<{ Params: TokenParams }>(
    '/account/tokens/:tokenId/revoke',
    { config: anyone, schema: hide },
    async (request, reply) => {
      const user = requireUser(request);
      await tokens.revoke(user, user.id, request.params.tokenId);
      return reply.redirect('/account?revoked=1', 303);
    },
  );

  app.post<{ Params: UserTokenParams }>(
    '/admin/users/:userId/tokens/:tokenId/revoke',
    { config: userAdmin, schema: hide },
    async (request, reply) => {
      const { userId, tokenId } = request.params;
      await tokens.revoke(requireUser(request), userId, tokenId);
      return reply.redirect(`/admin/users/${userId}?revoked=1`, 303);
    },
  );

  app.get(
    '/api/v1/tokens',
    {
      config: anyone,
      schema: {
        tags,
        summary: 'Your API tokens: name, created, expires, last used (to the minute), revoked; never the token itself',
        response: { 200: Type.Object({ items: Type.Array(Token) }), ...errors },
      },
    },
    async (request) => ({ items: (await tokens.list(requireUser(request).id)).map(serialise) }),
  );

  app.delete(
    '/api/v1/tokens/:tokenId',
    {
      config: anyone,
      schema: {
        tags,
        summary: 'Revoke one of your API tokens: it gets a 401 from the next request on',
        params: Type.Object({ tokenId: Id }),
        response: { 204: Type.Null(), ...errors },
      },
    },
    async (request, reply) => {
      const user = requireUser(request);
      await tokens.revoke(user, user.id, (request.params as TokenParams).tokenId);
      return reply.code(204).send();
    },
  );
}
