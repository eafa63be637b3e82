// JSON API for the cohort's counts and the system blocks register (/api/v1, issue 12 parts 11 and 12): aggregate
// only, for cohort:read.
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { Created, errors } from '../../http/api-schema.ts';
import type { Body } from '../../http/forms.ts';
import { requireUser } from '../../http/request.ts';
import { BlockInput, CohortFilter } from './schemas.ts';

const tags = ['cohort'];
const cohortRead = { policy: { capability: 'cohort:read' as const } };
const Any = Type.Object({}, { additionalProperties: true });

export function registerCohortApi(app: FastifyInstance) {
  const { cohort } = app.services;
  app.get(
    '/api/v1/cohort',
    {
      config: cohortRead,
      schema: {
        tags,
        summary: 'The transitional safeguarding cohort: counts by level now and at each of the last 12 month ends',
        querystring: CohortFilter.schema,
        response: { 200: Any, ...errors },
      },
    },
    async (req) => cohort.cohort(requireUser(req), CohortFilter.parse(req.query as Body, cohort.today()), 'api'),
  );
  app.get(
    '/api/v1/system-blocks',
    {
      config: cohortRead,
      schema: {
        tags,
        summary: 'System blocks (with the number of cases) and the gap-vs-capacity register, as one register',
        response: { 200: Any, ...errors },
      },
    },
    async (req) => cohort.register(requireUser(req), 'api'),
  );
  app.post(
    '/api/v1/system-blocks',
    {
      config: cohortRead,
      schema: { tags, summary: 'Raise a system block', body: BlockInput.schema, response: { 201: Created, ...errors } },
    },
    async (req, reply) => {
      const id = await cohort.raise(requireUser(req), BlockInput.parse(req.body as Body, cohort.today()));
      return reply.code(201).send({ id });
    },
  );
}
