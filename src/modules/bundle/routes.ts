// The record bundle page (/people/:personId/bundle): summary, chronology, plan and documents list, laid out to print
// (src/public/print.css). Opening it is access-logged as a print (service.ts).
import type { FastifyInstance } from 'fastify';
import { requirePersonAccess, requireUser } from '../../http/request.ts';

export function registerBundleRoutes(app: FastifyInstance) {
  const { bundle } = app.services;
  app.get(
    '/people/:personId/bundle',
    { config: { policy: { capability: 'person:read', person: 'personId' } }, schema: { hide: true } },
    async (request, reply) =>
      reply.view('bundle/views/bundle.njk', await bundle.bundle(requireUser(request), requirePersonAccess(request))),
  );
}
