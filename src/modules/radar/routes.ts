// The transitions radar page (/radar) and each list as CSV (/radar.csv?list=…), for radar:read (team, service and
// SEND managers). Rows are named only where the viewer's relationships open the record; the rest are counts.
import type { FastifyInstance } from 'fastify';
import { type Body, errorList, ValidationError } from '../../http/forms.ts';
import { requireUser } from '../../http/request.ts';
import { csvCell } from '../kit/csv.ts';
import { registerRadarApi } from './api.ts';
import { RadarCsvQuery, RadarQuery, WINDOWS } from './schemas.ts';
import type { RadarList } from './service.ts';

const hide = { hide: true };
export const radarRead = { policy: { capability: 'radar:read' as const } };

/** One list as CSV: who, the list's date and why (formula-safe, every cell quoted). */
export function radarCsv(list: RadarList): string {
  const rows: unknown[][] = [['case_number', 'name', list.dateLabel.toLowerCase().replace(/ /g, '_'), 'reason']];
  for (const r of list.rows) rows.push([r.caseNumber, r.name, r.on ?? '', r.detail]);
  if (list.others > 0) rows.push(['', `${list.others} more not shown: no relationship to the record`, '', '']);
  return `${rows.map((r) => r.map(csvCell).join(',')).join('\r\n')}\r\n`;
}

export function registerRadarRoutes(app: FastifyInstance) {
  const { radar } = app.services;

  app.get('/radar', { config: radarRead, schema: hide }, async (req, reply) => {
    const query = (req.query ?? {}) as Body;
    const user = requireUser(req);
    const { input, errors } = RadarQuery.read(query, radar.today());
    let data: Awaited<ReturnType<typeof radar.radar>> | undefined;
    if (Object.keys(errors).length === 0) {
      const { list, page, ...filter } = input;
      try {
        data = await radar.radar(user, filter, 'page', undefined, { list, page });
      } catch (e) {
        if (!(e instanceof ValidationError)) throw e;
        Object.assign(errors, e.fields);
      }
    }
    const bad = Object.keys(errors).length > 0;
    if (bad) reply.code(400);
    const kept = Object.fromEntries(
      Object.entries(query).filter(([k, v]) => ['months', 'service', 'team', 'locality', 'hub'].includes(k) && v),
    ) as Record<string, string>;
    const qs = new URLSearchParams(kept).toString();
    return reply.view('radar/views/radar.njk', {
      ...data,
      areas: await radar.areas(user),
      windows: WINDOWS,
      counts: data?.windows,
      values: { months: '12', ...query },
      errors,
      errorList: bad ? errorList(errors) : undefined,
      csvQuery: qs ? `&${qs}` : '',
      pageQuery: qs ? `${qs}&` : '',
    });
  });

  app.get('/radar.csv', { config: radarRead, schema: hide }, async (req, reply) => {
    const q = RadarCsvQuery.parse(req.query as Body, radar.today());
    const { list, ...filter } = q;
    const d = await radar.radar(requireUser(req), filter, 'export', list);
    const one = d.lists[0] as RadarList;
    return reply
      .header('content-type', 'text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="radar-${list}.csv"`)
      .send(radarCsv(one));
  });
  registerRadarApi(app);
}
