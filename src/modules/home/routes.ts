import type { FastifyInstance } from 'fastify';
import { NotFound } from '../../http/errors.ts';
import { UUID } from '../../http/forms.ts';
import { requireUser } from '../../http/request.ts';

export function registerHomeRoutes(app: FastifyInstance) {
  const { home } = app.services;

  app.get('/', { config: { policy: { capability: null } }, schema: { hide: true } }, async (request, reply) => {
    const user = requireUser(request);
    const [work, steps] = await Promise.all([home.myWork(user), app.services.protocols.waitingOn(user)]);
    return reply.view('home/views/my-work.njk', { work, steps });
  });

  app.post<{ Params: { id: string } }>(
    '/alerts/:id/acknowledge',
    { config: { policy: { capability: 'alert:read' } }, schema: { hide: true } },
    async (request, reply) => {
      if (!UUID.test(request.params.id) || !(await home.acknowledgeAlert(requireUser(request), request.params.id))) {
        throw new NotFound('That alert is not open, or is not for your role.');
      }
      return reply.redirect('/', 303);
    },
  );
}
