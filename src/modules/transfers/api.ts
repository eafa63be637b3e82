// JSON API for remits, transfers and allocation lists (/api/v1). Same services, inputs (schemas.ts, steps.ts) and
// access rules as the pages. A transfer from another council, as the receiving council sees it: api-incoming.ts.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { errors, PersonParams } from '../../http/api-schema.ts';
import type { Body } from '../../http/forms.ts';
import { requirePersonAccess, requireUser } from '../../http/request.ts';
import { datesOf, Remits, Transfer, TransferParams, tags, Unallocated } from './api-schemas.ts';
import { TransferRequestInput } from './schemas.ts';
import type { TransferService } from './service.ts';
import { STEPS } from './steps.ts';

/** A transfer with its checklist, read as the caller (the read is logged). */
async function showTransfer(transfers: TransferService, request: FastifyRequest, transferId: string) {
  const v = await transfers.view(requireUser(request), requirePersonAccess(request), transferId, 'api');
  const x = v.transfer;
  return {
    id: x.id,
    status: x.status,
    version: x.version,
    from_team: x.from_team_name,
    to_team: x.to_team_name,
    reason: x.reason,
    ...datesOf(x),
    allocated_worker: x.allocated_worker_name,
    checklist: v.checklist,
    checklist_complete: v.complete,
    remedial_actions: v.tasks
      .filter((t) => t.kind === 'remedial')
      .map((t) => ({
        id: t.id,
        description: t.description,
        owner: t.owner_name,
        due_date: t.due_date,
        done: Boolean(t.done_at),
      })),
  };
}

export function registerTransfersApi(app: FastifyInstance) {
  const { transfers } = app.services;
  const read = { policy: { capability: 'person:read' as const, person: 'personId' } };
  const manage = { policy: { capability: 'transfer:manage' as const, person: 'personId' } };
  const manageAny = { policy: { capability: 'transfer:manage' as const } };

  const show = (request: FastifyRequest, transferId: string) => showTransfer(transfers, request, transferId);

  app.get(
    '/api/v1/remits',
    {
      config: manageAny,
      schema: {
        tags,
        summary:
          'Team remits and transfer points, and the cases in your teams outside their remit or leaving it within 90 days',
        response: { 200: Remits, ...errors },
      },
    },
    async (request) => {
      const r = await transfers.remitList(requireUser(request));
      return { teams: r.teams, transfer_points: r.points, outside_remit: r.rows };
    },
  );

  app.get(
    '/api/v1/allocations/unallocated',
    {
      config: manageAny,
      schema: {
        tags,
        summary: 'Children in your teams waiting for an allocated worker, longest wait first',
        response: { 200: Unallocated, ...errors },
      },
    },
    async (request) => ({ items: await transfers.unallocated(requireUser(request)) }),
  );

  app.post<{ Params: { personId: string } }>(
    '/api/v1/people/:personId/transfers',
    {
      config: manage,
      schema: {
        tags,
        summary: 'Request a transfer (the team manager decides and records it)',
        params: PersonParams,
        body: TransferRequestInput.schema,
        response: { 201: Transfer, ...errors },
      },
    },
    async (request, reply) => {
      const input = TransferRequestInput.parse(request.body as Body, { today: transfers.today() });
      const id = await transfers.request(requireUser(request), request.params.personId, input);
      reply.code(201);
      return show(request, id);
    },
  );

  app.get<{ Params: { transferId: string } }>(
    '/api/v1/people/:personId/transfers/:transferId',
    {
      config: read,
      schema: {
        tags,
        summary: 'A transfer with its transfer standards checklist',
        params: TransferParams,
        response: { 200: Transfer, ...errors },
      },
    },
    async (request) => show(request, request.params.transferId),
  );

  // Each step of the transfer the API offers (steps.ts): its input as the body, the transfer as it is after.
  for (const s of Object.values(STEPS)) {
    if (!s.api) continue;
    app.post<{ Params: { personId: string; transferId: string } }>(
      `/api/v1/people/:personId/transfers/:transferId/${s.api.path}`,
      {
        config: { policy: { capability: s.capability, person: 'personId' } },
        schema: {
          tags,
          summary: s.api.summary,
          params: TransferParams,
          body: s.schema,
          response: { 200: Transfer, ...errors },
        },
      },
      async (request) => {
        const { personId, transferId } = request.params;
        await s.take(transfers, requireUser(request), personId, transferId, request.body as Body);
        return show(request, transferId);
      },
    );
  }
}
