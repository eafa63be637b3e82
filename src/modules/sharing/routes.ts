// Information-sharing pages: the CSV of the council's register for the data protection officer, and the JSON API.
// The record's pages (list and form) are not built yet (see the report of issue 12 part 10).
import type { FastifyInstance } from 'fastify';
import type { Body } from '../../http/forms.ts';
import { requireUser } from '../../http/request.ts';
import { registerSharingApi } from './api.ts';
import { registerCsv } from './csv.ts';
import { RegisterFilter } from './schemas.ts';

export function registerSharingRoutes(app: FastifyInstance) {
  const { sharing } = app.services;
  app.get(
    '/sharing/register.csv',
    { config: { policy: { capability: 'subject-access:manage' as const } }, schema: { hide: true } },
    async (request, reply) => {
      const filter = RegisterFilter.parse(request.query as Body, sharing.today());
      const rows = await sharing.register(requireUser(request), filter, 'csv');
      return reply
        .header('content-type', 'text/csv; charset=utf-8')
        .header('content-disposition', 'attachment; filename="information-sharing.csv"')
        .send(registerCsv(rows));
    },
  );
  registerSharingApi(app);
}
