// The SEN2 return's pages (SEND manager, ehcp:report): /reports/sen2 asks for the census date, builds the return and
// shows the validation report with a link to fix each record; /reports/sen2/download/:what is the XML or one
// module's CSV (an export: logged per young person).
import type { FastifyInstance } from 'fastify';
import { type Body, errorList } from '../../http/forms.ts';
import { requireUser } from '../../http/request.ts';
import { registerSen2Api } from './api.ts';
import type { Sen2Return } from './build.ts';
import { CENSUS_DATES } from './census.ts';
import { MODULES } from './codes.ts';
import { downloadOf, report, sendDownload } from './download.ts';
import { moduleRows } from './export.ts';
import { CensusInput, DOWNLOADS } from './schemas.ts';

const hide = { hide: true };

export function registerSen2Routes(app: FastifyInstance) {
  const { sen2 } = app.services;
  app.get<{ Querystring: Body }>('/reports/sen2', { config: report, schema: hide }, async (request, reply) => {
    const query = request.query ?? {};
    const censusDates = CENSUS_DATES.map((d) => ({ value: d, text: d }));
    // The form sends build=1, so that building with no date chosen says so.
    if (query.census === undefined && query.build === undefined)
      return reply.view('sen2/views/sen2.njk', { censusDates, built: null });
    const { input, errors } = CensusInput.read(query, sen2.today());
    if (Object.keys(errors).length) {
      reply.code(400);
      return reply.view('sen2/views/sen2.njk', {
        censusDates,
        built: null,
        errors,
        errorList: errorList(errors),
        value: query.census,
      });
    }
    const built = await sen2.report(requireUser(request), input.census, 'page');
    const counts = MODULES.map((m) => ({ module: m, rows: countRows(built.ret, m) }));
    return reply.view('sen2/views/sen2.njk', {
      censusDates,
      built,
      counts,
      census: input.census,
      value: input.census,
      downloads: DOWNLOADS,
    });
  });
  app.get<{ Params: { what: string }; Querystring: Body }>(
    '/reports/sen2/download/:what',
    { config: report, schema: hide },
    async (request, reply) => {
      const what = downloadOf(request.params.what);
      if (!what) return reply.callNotFound();
      const { census } = CensusInput.parse(request.query ?? {}, sen2.today());
      return sendDownload(reply, await sen2.download(requireUser(request), census, what));
    },
  );
  registerSen2Api(app);
}

function countRows(r: Sen2Return, m: (typeof MODULES)[number]) {
  return moduleRows(r, m).rows.length;
}
