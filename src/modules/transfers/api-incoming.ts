// The receiving council's part of a transfer from another council on this installation (/api/v1/transfers/incoming):
// the same service calls and steps (steps.ts) as the incoming pages (/transfers/incoming/:transferId), and the same
// policy, transfer:manage with no person scoping: the record is the sending council's, and the service checks the
// transfer was sent to the caller's council and team. Reads are logged in the sending council's record.
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { errors } from '../../http/api-schema.ts';
import type { Body } from '../../http/forms.ts';
import { requireUser } from '../../http/request.ts';
import { datesOf, Incoming, IncomingItem, IncomingOutcome, IncomingParams, tags } from './api-schemas.ts';
import { INCOMING } from './steps.ts';

export function registerIncomingApi(app: FastifyInstance) {
  const { transfers } = app.services;
  const config = { policy: { capability: 'transfer:manage' as const } };

  app.get(
    '/api/v1/transfers/incoming',
    {
      config,
      schema: {
        tags,
        summary: 'Transfers from another council into your teams, sent and so shared with you',
        response: { 200: Type.Object({ items: Type.Array(IncomingItem) }), ...errors },
      },
    },
    async (request) => {
      const user = requireUser(request);
      const o = await transfers.overview(user);
      const items = [...o.incoming, ...o.finished]
        .filter((x) => x.authority_id !== user.authorityId && x.to_authority_id === user.authorityId)
        .filter((x) => x.to_team_id && user.teamIds.includes(x.to_team_id));
      return {
        items: items.map((x) => ({
          id: x.id,
          case_number: x.case_number,
          from_authority: x.from_authority_label,
          from_team: x.from_team_name,
          to_team: x.to_team_name,
          status: x.status,
          ...datesOf(x),
          person_id: x.to_person_id,
        })),
      };
    },
  );

  app.get<{ Params: { transferId: string } }>(
    '/api/v1/transfers/incoming/:transferId',
    {
      config,
      schema: {
        tags,
        summary:
          "A transfer into your team from another council, with its pack (the read is logged in the sending council's record)",
        params: IncomingParams,
        response: { 200: Incoming, ...errors },
      },
    },
    async (request) => {
      const {
        transfer: x,
        pack,
        tasks,
        workers,
        may,
      } = await transfers.incoming(requireUser(request), request.params.transferId, 'api');
      const { case_number, given_name, family_name, date_of_birth } = pack.person;
      return {
        id: x.id,
        status: x.status,
        version: x.version,
        from_authority: x.from_authority_label,
        from_team: x.from_team_name,
        from_worker: x.from_worker_name,
        to_team: x.to_team_name,
        reason: x.reason,
        ...datesOf(x),
        person_id: x.to_person_id,
        person: { case_number, given_name, family_name, date_of_birth },
        summary: pack.summary,
        statuses: pack.statuses,
        missing_work: tasks.map((t) => ({
          description: t.description,
          due_date: t.due_date,
          done: Boolean(t.done_at),
        })),
        workers: workers.map((w) => ({ id: w.id, name: w.display_name })),
        may,
      };
    },
  );

  for (const { step, api } of Object.values(INCOMING))
    app.post<{ Params: { transferId: string } }>(
      `/api/v1/transfers/incoming/:transferId/${api.path}`,
      {
        config,
        schema: {
          tags,
          summary: api.summary,
          params: IncomingParams,
          body: step.schema,
          response: { 200: IncomingOutcome, ...errors },
        },
      },
      async (request) => {
        const { transferId } = request.params;
        const user = requireUser(request);
        const done = await transfers.actOnIncoming(user, transferId, (personId) =>
          step.take(transfers, user, personId, transferId, request.body as Body),
        );
        return { id: transferId, status: done.status, version: done.version, person_id: done.toPersonId };
      },
    );
}
