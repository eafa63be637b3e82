// JSON API of the transitions radar (/api/v1/radar, issue 14 part 1): every list with its rule and source, the rows
// the viewer's relationships open and a count of the others, for radar:read.
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { DateStr, errorsOf, Id, Nullable } from '../../http/api-schema.ts';
import type { Body } from '../../http/forms.ts';
import { requireUser } from '../../http/request.ts';
import { LIST_KEYS } from './rules.ts';
import { RadarFilter, RadarQuery } from './schemas.ts';
import { PAGE_SIZE } from './service.ts';

const radarRead = { policy: { capability: 'radar:read' as const } };

const Row = Type.Object({
  personId: Id,
  name: Type.String(),
  caseNumber: Type.String(),
  on: Nullable(DateStr),
  detail: Type.String({ description: 'Why the young person is on the list' }),
});
const List = Type.Object({
  key: Type.Union(LIST_KEYS.map((k) => Type.Literal(k))),
  title: Type.String(),
  rule: Type.String({ description: 'The rule the list applies, in words' }),
  source: Type.String({ description: 'Where the rule comes from (statute, regulation or protocol)' }),
  dateLabel: Type.String({ description: 'What each row’s date is' }),
  total: Type.Integer({ description: 'Everyone on the list, named or not' }),
  rows: Type.Array(Row, {
    description: `One page (${PAGE_SIZE} a page) of the young people whose records the caller’s relationships open`,
  }),
  named: Type.Integer({ description: 'How many on the list the caller’s relationships open, on every page' }),
  others: Type.Integer({ description: 'How many more are on the list (counted, never named)' }),
  page: Type.Integer({ description: 'The page of named rows given (`page` and `list` in the query choose it)' }),
  pages: Type.Integer({ description: 'How many pages of named rows the list has' }),
});
const Radar = Type.Object({
  today: DateStr,
  months: Type.String({ description: 'The headline’s window: turning 18 within 3, 6 or 12 months' }),
  windows: Nullable(
    Type.Object(
      { '3': Type.Integer(), '6': Type.Integer(), '12': Type.Integer() },
      { description: 'The headline’s count within each window' },
    ),
  ),
  lists: Type.Array(List),
  notHeld: Type.Array(Type.Object({ title: Type.String(), why: Type.String() }), {
    description: 'Lists the record cannot answer yet, and why',
  }),
});

// The filters, and which list to page through to which page (a query string's digits; RadarQuery reads the number).
const Query = Type.Object({
  ...RadarFilter.schema.properties,
  list: Type.Optional(Type.Union(LIST_KEYS.map((k) => Type.Literal(k)))),
  page: Type.Optional(Type.String({ pattern: '^[0-9]{1,6}$', description: 'The page of `list` (from 1)' })),
});

export function registerRadarApi(app: FastifyInstance) {
  const { radar } = app.services;
  app.get(
    '/api/v1/radar',
    {
      config: radarRead,
      schema: {
        tags: ['radar'],
        summary:
          'The transitions radar: who approaches 18 (or 25) without what the rules require, each list with its rule and source; rows named only where the caller’s relationships allow, the others counted',
        querystring: Query,
        response: { 200: Radar, ...errorsOf(400, 401, 403) },
      },
    },
    async (req) => {
      const { list, page, ...filter } = RadarQuery.parse(req.query as Body, radar.today());
      return radar.radar(requireUser(req), filter, 'api', undefined, { list, page });
    },
  );
}
