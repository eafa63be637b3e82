// The SEN2 return in the API (ehcp:report): the summary and validation report (case references, never names), and
// the downloads (the XML or one module's CSV, logged per young person as the page's are).
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { errorsOf } from '../../http/api-schema.ts';
import type { Body } from '../../http/forms.ts';
import { requireUser } from '../../http/request.ts';
import { MODULES } from './codes.ts';
import { downloadOf, report, sendDownload } from './download.ts';
import { moduleRows } from './export.ts';
import { CensusInput, DOWNLOADS } from './schemas.ts';

const tags = ['Reports'];
const Query = Type.Object({
  census: Type.Optional(Type.String({ description: 'The SEN2 census date, YYYY-MM-DD (e.g. 2027-01-21)' })),
});
const Summary = Type.Object({
  census: Type.String(),
  collection_year: Type.Object({ from: Type.String(), to: Type.String() }),
  people: Type.Integer(),
  rows: Type.Record(Type.String(), Type.Integer()),
  timeliness: Type.Object({
    issued: Type.Integer(),
    within_20_weeks: Type.Integer(),
    issued_excluding_exceptions: Type.Integer(),
    within_20_weeks_excluding_exceptions: Type.Integer(),
  }),
  problems: Type.Array(
    Type.Object({
      case_number: Type.String(),
      module: Type.String(),
      item: Type.String(),
      message: Type.String(),
      fix: Type.String({ description: 'the page where it is fixed' }),
    }),
  ),
});

export function registerSen2Api(app: FastifyInstance) {
  const { sen2 } = app.services;
  app.get<{ Querystring: Body }>(
    '/api/v1/reports/sen2',
    {
      config: report,
      schema: {
        tags,
        summary: 'The SEN2 return for a census date: counts, 20-week timeliness and the validation report',
        querystring: Query,
        response: { 200: Summary, ...errorsOf(400, 401, 403) },
      },
    },
    async (request) => {
      const { census } = CensusInput.parse(request.query ?? {}, sen2.today());
      const { ret, problems } = await sen2.report(requireUser(request), census, 'api');
      const t = ret.timeliness;
      return {
        census,
        collection_year: { from: ret.collectionYear.from, to: ret.collectionYear.to },
        people: ret.persons.length,
        rows: Object.fromEntries(MODULES.map((m) => [m, moduleRows(ret, m).rows.length])),
        timeliness: {
          issued: t.issued,
          within_20_weeks: t.within20,
          issued_excluding_exceptions: t.issuedExcludingExceptions,
          within_20_weeks_excluding_exceptions: t.within20ExcludingExceptions,
        },
        problems: problems.map((p) => ({
          case_number: p.caseNumber,
          module: p.module,
          item: p.item,
          message: p.message,
          fix: p.href,
        })),
      };
    },
  );
  app.get<{ Params: { what: string }; Querystring: Body }>(
    '/api/v1/reports/sen2/:what',
    {
      config: report,
      schema: {
        tags,
        summary: `The SEN2 return as XML (what = xml) or one module's CSV (${DOWNLOADS.slice(1).join(', ')}); an export of personal data, logged per young person`,
        params: Type.Object({ what: Type.String() }),
        querystring: Query,
        produces: ['application/xml', 'text/csv'],
        response: { 200: Type.String(), ...errorsOf(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      const what = downloadOf(request.params.what);
      if (!what) return reply.callNotFound();
      const { census } = CensusInput.parse(request.query ?? {}, sen2.today());
      return sendDownload(reply, await sen2.download(requireUser(request), census, what));
    },
  );
}
