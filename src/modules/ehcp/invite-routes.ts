// Taking up an invitation: /invite/:token sets the invited advice giver's password, once. Public pages, CSRF by the
// sign-in double-submit cookie. The token is only ever in the URL the email carries: no page shows it (the form
// posts back to its own address), and request logs carry the route pattern, not the URL.
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Config } from '../../config.ts';
import { type Body, errorList, text } from '../../http/forms.ts';
import { issueLoginCsrf } from '../../http/session.ts';
import { hashPassword } from '../auth/passwords.ts';
import { INVITE_HOURS } from './invites.ts';
import { InviteAcceptInput } from './schemas.ts';

type TokenParams = { token: string };
const VIEW = 'ehcp/views/invite.njk';
const open = { config: { policy: { public: true as const } }, schema: { hide: true } };

function notUsable(reply: FastifyReply) {
  return reply.code(404).view(VIEW, { expired: true, hours: INVITE_HOURS });
}

export function registerInviteRoutes(app: FastifyInstance, config: Config) {
  const { ehcp } = app.services;
  const form = (reply: FastifyReply, values: Record<string, string>, errors: Record<string, string>) =>
    reply.view(VIEW, {
      csrfToken: issueLoginCsrf(reply, config),
      values,
      errors,
      errorList: Object.keys(errors).length ? errorList(errors) : null,
      hours: INVITE_HOURS,
    });

  app.get('/invite/done', open, async (_request, reply) => reply.view(VIEW, { done: true }));

  app.get<{ Params: TokenParams }>('/invite/:token', open, async (request, reply) => {
    if (!(await ehcp.inviteUsable(request.params.token))) return notUsable(reply);
    return form(reply, {}, {});
  });

  app.post<{ Params: TokenParams }>('/invite/:token', open, async (request, reply) => {
    if (!(await ehcp.inviteUsable(request.params.token))) return notUsable(reply);
    const body = (request.body ?? {}) as Body;
    const values = { email: text(body, 'email') };
    const { input, errors } = InviteAcceptInput.read(body, { today: ehcp.today() });
    if (Object.keys(errors).length) return form(reply.code(400), values, errors);
    const result = await ehcp.acceptInvite(request.params.token, input.email, await hashPassword(input.password));
    if (result === 'unusable') return notUsable(reply);
    if (result === 'wrong-email')
      return form(reply.code(400), values, {
        email: 'Enter the email address this invitation was sent to: this link works only for that address',
      });
    return reply.redirect('/invite/done', 303);
  });
}
