// JSON API for retention and legal hold (/api/v1): the schedules and the automatic purge setting, and legal holds
// (list, place, release). Same service, rules and audit rows as the pages; the purge itself runs from the command line
// and the daily job, never from a request.
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { RetentionRecordType } from '../../db/schema.ts';
import { DateTime, errors, errorsOf, Id, Nullable } from '../../http/api-schema.ts';
import { NotFound } from '../../http/errors.ts';
import type { Body } from '../../http/forms.ts';
import { requireUser } from '../../http/request.ts';
import { HoldInput, isRecordType, RECORD_TYPE_KEYS, ReleaseInput, ScheduleInput, SettingsInput } from './schemas.ts';

const policy = { policy: { capability: 'retention:manage' as const } };
const tags = ['retention and legal hold'];

const RecordType = Type.Union(
  RECORD_TYPE_KEYS.map((t) => Type.Literal(t)),
  { description: 'person: a young person’s whole record; notification: notifications to staff' },
);
const Schedule = Type.Object({
  record_type: RecordType,
  years: Type.Integer({ description: 'Kept this many years after the record closed' }),
  minimum_age: Nullable(Type.Integer({ description: 'Young people’s records: kept until at least this birthday' })),
  version: Type.Integer(),
  updated_at: DateTime,
  updated_by: Type.String(),
});
const Retention = Type.Object({
  schedules: Type.Array(Schedule, { description: 'Record types without a schedule are kept' }),
  automatic_purge: Type.Boolean({ description: 'Whether the daily run purges what is due by itself' }),
  settings_version: Nullable(Type.Integer()),
  due: Type.Integer({ description: 'Young people’s records due for deletion today, not under a hold' }),
  due_but_held: Type.Integer({ description: 'Due, but kept under a legal hold' }),
});
const Hold = Type.Object({
  id: Id,
  case_number: Type.String(),
  reason: Type.String(),
  set_by: Type.String(),
  set_at: DateTime,
  released_at: Nullable(DateTime),
  released_by: Nullable(Type.String()),
  release_reason: Nullable(Type.String()),
});
const RecordTypeParams = Type.Object({ recordType: RecordType });
const HoldParams = Type.Object({ holdId: Id });

export function registerRetentionApi(app: FastifyInstance) {
  schedulesApi(app);
  holdsApi(app);
}

/** The schedules, the automatic purge setting and what is due. */
function schedulesApi(app: FastifyInstance) {
  const { retention } = app.services;
  const ctx = () => ({ today: retention.today() });

  app.get(
    '/api/v1/retention',
    {
      config: policy,
      schema: {
        tags,
        summary: 'The council’s retention schedules, automatic purge, and what is due',
        response: { 200: Retention, ...errorsOf(401, 403) },
      },
    },
    async (request) => {
      const o = await retention.overview(requireUser(request));
      return {
        schedules: o.schedules.flatMap((s) =>
          s.schedule ? [{ ...s.schedule, record_type: s.type, updated_at: s.schedule.updated_at.toISOString() }] : [],
        ),
        automatic_purge: o.automaticPurge,
        settings_version: o.settings?.version ?? null,
        due: o.dueCount,
        due_but_held: o.dueHeld.length,
      };
    },
  );

  app.put(
    '/api/v1/retention/schedules/:recordType',
    {
      config: policy,
      schema: {
        tags,
        summary: 'Set how long a type of record is kept once closed (send the version you read to change one)',
        params: RecordTypeParams,
        body: ScheduleInput.schema,
        response: { 204: Type.Null(), ...errors },
      },
    },
    async (request, reply) => {
      const { recordType } = request.params as { recordType: string };
      if (!isRecordType(recordType)) throw new NotFound('No record type with that name');
      await retention.setSchedule(
        requireUser(request),
        recordType as RetentionRecordType,
        ScheduleInput.parse(request.body as Body, ctx()),
      );
      return reply.code(204).send();
    },
  );

  app.put(
    '/api/v1/retention/settings',
    {
      config: policy,
      schema: {
        tags,
        summary: 'Turn automatic purge on or off (send the version you read to change it)',
        body: SettingsInput.schema,
        response: { 204: Type.Null(), ...errorsOf(400, 401, 403, 409) },
      },
    },
    async (request, reply) => {
      await retention.setSettings(requireUser(request), SettingsInput.parse(request.body as Body, ctx()));
      return reply.code(204).send();
    },
  );
}

/** Legal holds: the list, a new one, a release. */
function holdsApi(app: FastifyInstance) {
  const { retention } = app.services;
  const ctx = () => ({ today: retention.today() });
  app.get(
    '/api/v1/legal-holds',
    {
      config: policy,
      schema: {
        tags,
        summary: 'Legal holds, open ones first',
        response: { 200: Type.Object({ items: Type.Array(Hold) }), ...errorsOf(401, 403) },
      },
    },
    async (request) => {
      const holds = await retention.holds(requireUser(request));
      return {
        items: holds.map((h) => ({
          ...h,
          set_at: h.set_at.toISOString(),
          released_at: h.released_at ? h.released_at.toISOString() : null,
        })),
      };
    },
  );

  app.post(
    '/api/v1/legal-holds',
    {
      config: policy,
      schema: {
        tags,
        summary: 'Place a legal hold on a young person’s record, by case number: it is never purged while held',
        body: HoldInput.schema,
        response: { 201: Type.Object({ id: Id }), ...errorsOf(400, 401, 403) },
      },
    },
    async (request, reply) => {
      const id = await retention.placeHold(requireUser(request), HoldInput.parse(request.body as Body, ctx()));
      return reply.code(201).send({ id });
    },
  );

  app.post(
    '/api/v1/legal-holds/:holdId/release',
    {
      config: policy,
      schema: {
        tags,
        summary: 'Release a legal hold, with the reason',
        params: HoldParams,
        body: ReleaseInput.schema,
        response: { 204: Type.Null(), ...errors },
      },
    },
    async (request, reply) => {
      const { holdId } = request.params as { holdId: string };
      await retention.releaseHold(requireUser(request), holdId, ReleaseInput.parse(request.body as Body, ctx()));
      return reply.code(204).send();
    },
  );
}
