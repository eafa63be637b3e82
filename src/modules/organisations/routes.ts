import type { FastifyInstance } from 'fastify';

export function registerAdminRoutes(app: FastifyInstance) {
  app.get(
    '/admin',
    { config: { policy: { capability: 'org:admin' } }, schema: { hide: true } },
    async (request, reply) => {
      const authority = await app.services.organisations.authorityOf(request.auth!.user.authorityId);
      return reply.view('organisations/views/index.njk', { authority });
    },
  );
}
