// JSON API for exploitation screenings (/api/v1): the instruments, a record's screenings and events, one screening,
// a new screening, confirming its level, an event that calls for an early re-screen. The same rules as the pages:
// a young person's data only through the relationship policy, every read logged.
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { errors, Id, PersonParams } from '../../http/api-schema.ts';
import type { Body } from '../../http/forms.ts';
import { requirePersonAccess, requireUser } from '../../http/request.ts';
import {
  type ScreeningApiBody as ApiBody,
  answerFields,
  ConfirmInput,
  RiskEventInput,
  ScreeningApiBody,
} from './schemas.ts';

const read = { policy: { capability: 'person:read' as const, person: 'personId' } };
const edit = { policy: { capability: 'person:edit' as const, person: 'personId' } };
const confirm = { policy: { capability: 'screening:confirm' as const, person: 'personId' } };
const tags = ['exploitation screening'];
const Anything = Type.Object({}, { additionalProperties: true });
const ScreeningParams = Type.Object({ personId: Id, screeningId: Id });
type SParams = { personId: string; screeningId: string };

const json = (v: unknown) => JSON.parse(JSON.stringify(v)) as Record<string, unknown>;

export function registerSafeguardingApi(app: FastifyInstance) {
  const { safeguarding } = app.services;
  app.get(
    '/api/v1/screening-instruments',
    {
      config: { policy: { capability: 'person:read' as const } },
      schema: {
        tags,
        summary: 'The screening instruments loaded (built-in and SCREENING_DIR), newest version of each',
        response: { 200: Type.Object({ items: Type.Array(Anything) }), ...errors },
      },
    },
    async () => ({ items: (await safeguarding.instruments()).map(json) }),
  );
  app.get(
    '/api/v1/people/:personId/screenings',
    {
      config: read,
      schema: {
        tags,
        summary: 'The record’s exploitation screenings (newest first) and early re-screen events (the read is logged)',
        params: PersonParams,
        response: { 200: Type.Object({ items: Type.Array(Anything), events: Type.Array(Anything) }), ...errors },
      },
    },
    async (request) => {
      const r = await safeguarding.list(requireUser(request), requirePersonAccess(request), 'api');
      return { items: r.screenings.map(json), events: r.events.map(json) };
    },
  );
  app.get<{ Params: SParams }>(
    '/api/v1/people/:personId/screenings/:screeningId',
    {
      config: read,
      schema: {
        tags,
        summary: 'One screening: answers, suggested, proposed and confirmed levels, stage, referral, what it named',
        params: ScreeningParams,
        response: { 200: Anything, ...errors },
      },
    },
    async (request) => {
      const r = await safeguarding.get(
        requireUser(request),
        requirePersonAccess(request),
        request.params.screeningId,
        'api',
      );
      return json({
        screening: r.screening,
        stage: r.stage,
        state: r.state,
        referral: r.referral,
        named: r.named,
        labels: r.labels,
      });
    },
  );
  app.post<{ Params: { personId: string } }>(
    '/api/v1/people/:personId/screenings',
    {
      config: edit,
      schema: {
        tags,
        summary:
          'Screen the young person: answers by indicator; the level proposed (default: the suggested one); refused outside the instrument’s ages',
        params: PersonParams,
        body: ScreeningApiBody,
        response: { 201: Type.Object({ id: Id }), ...errors },
      },
    },
    async (request, reply) => {
      const { answers, ...rest } = request.body as ApiBody;
      const body = { ...rest, ...answerFields(answers as never) } as Body;
      const id = await safeguarding.create(requireUser(request), request.params.personId, body);
      return reply.code(201).send({ id });
    },
  );
  app.post<{ Params: SParams }>(
    '/api/v1/people/:personId/screenings/:screeningId/confirm',
    {
      config: confirm,
      schema: {
        tags,
        summary: 'Confirm or change the level (a reason when it differs from the one proposed)',
        params: ScreeningParams,
        body: ConfirmInput.schema,
        response: { 200: Type.Object({ level: Type.String() }), ...errors },
      },
    },
    async (request) => {
      const input = ConfirmInput.parse(request.body as Body, { today: safeguarding.today() });
      const r = await safeguarding.confirm(
        requireUser(request),
        request.params.personId,
        request.params.screeningId,
        input,
      );
      return { level: r.level };
    },
  );
  app.post<{ Params: { personId: string } }>(
    '/api/v1/people/:personId/risk-events',
    {
      config: edit,
      schema: {
        tags,
        summary: 'Record a missing episode, placement move or new intelligence: an early re-screen due today',
        params: PersonParams,
        body: RiskEventInput.schema,
        response: { 201: Type.Object({ id: Id }), ...errors },
      },
    },
    async (request, reply) => {
      const input = RiskEventInput.parse(request.body as Body, { today: safeguarding.today() });
      const id = await safeguarding.recordEvent(requireUser(request), request.params.personId, input);
      return reply.code(201).send({ id });
    },
  );
}
