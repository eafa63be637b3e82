// JSON API for remits, transfers and allocation lists (/api/v1). Same services and access rules as the pages.
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { Body } from '../../http/forms.ts';
import { requirePersonAccess, requireUser } from '../../http/request.ts';
import type { Policy } from '../../http/types.ts';

const Id = Type.String({ format: 'uuid' });
const Nullable = <T extends ReturnType<typeof Type.String>>(t: T) => Type.Union([t, Type.Null()]);
const ErrorBody = Type.Object({
  statusCode: Type.Integer(),
  error: Type.String(),
  message: Type.String(),
  fields: Type.Optional(Type.Record(Type.String(), Type.String())),
});
const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody };
const tags = ['transfers'];
const PersonParams = Type.Object({ personId: Id });
const TransferParams = Type.Object({ personId: Id, transferId: Id });
const Version = Type.Object({ version: Type.Optional(Type.Integer()) });

const Task = Type.Object({
  key: Type.String(),
  title: Type.String(),
  hint: Type.String(),
  status: Type.Union(['completed', 'incomplete', 'not_needed', 'cannot_start'].map((s) => Type.Literal(s))),
});
const Transfer = Type.Object({
  id: Id,
  status: Type.String(),
  version: Type.Integer(),
  from_team: Type.String(),
  to_team: Nullable(Type.String()),
  reason: Type.String(),
  requested_at: Type.String({ format: 'date-time' }),
  sent_at: Nullable(Type.String({ format: 'date-time' })),
  accepted_at: Nullable(Type.String({ format: 'date-time' })),
  completed_at: Nullable(Type.String({ format: 'date-time' })),
  allocated_worker: Nullable(Type.String()),
  checklist: Type.Array(Task),
  checklist_complete: Type.Boolean(),
  remedial_actions: Type.Array(
    Type.Object({
      id: Id,
      description: Type.String(),
      owner: Nullable(Type.String()),
      due_date: Type.String(),
      done: Type.Boolean(),
    }),
  ),
});

// A transfer into one of the caller's teams from another council on this installation (the receiving side).
const IncomingParams = Type.Object({ transferId: Id });
const DateStr = Type.String({ description: 'YYYY-MM-DD' });
const Stamp = Nullable(Type.String({ format: 'date-time' }));
const ToPerson = Type.Union([Id, Type.Null()], {
  description: "The record in the caller's council, once a worker is allocated",
});
const IncomingItem = Type.Object({
  id: Id,
  case_number: Type.String({ description: "The sending council's case number" }),
  from_authority: Nullable(Type.String()),
  from_team: Type.String(),
  to_team: Nullable(Type.String()),
  status: Type.String(),
  requested_at: Type.String({ format: 'date-time' }),
  sent_at: Stamp,
  accepted_at: Stamp,
  completed_at: Stamp,
  person_id: ToPerson,
});
const Incoming = Type.Object({
  id: Id,
  status: Type.String(),
  version: Type.Integer(),
  from_authority: Nullable(Type.String()),
  from_team: Type.String(),
  from_worker: Nullable(Type.String({ description: 'Keeps the case until the receiving team allocates' })),
  to_team: Nullable(Type.String()),
  reason: Type.String(),
  requested_at: Type.String({ format: 'date-time' }),
  sent_at: Stamp,
  accepted_at: Stamp,
  completed_at: Stamp,
  person_id: ToPerson,
  person: Type.Object({
    case_number: Type.String({ description: "The sending council's case number" }),
    given_name: Type.String(),
    family_name: Type.String(),
    date_of_birth: DateStr,
  }),
  summary: Type.Object({
    updated_information: Nullable(Type.String()),
    important_dates: Nullable(Type.String()),
    urgent_actions: Nullable(Type.String()),
    signed_off_by: Nullable(Type.String()),
  }),
  statuses: Type.Array(Type.Object({ status: Type.String(), start_date: DateStr, end_date: Nullable(DateStr) })),
  missing_work: Type.Array(Type.Object({ description: Type.String(), due_date: DateStr, done: Type.Boolean() })),
  workers: Type.Array(Type.Object({ id: Id, name: Type.String() })),
  may: Type.Object({ accept: Type.Boolean(), allocate: Type.Boolean() }),
});
const IncomingOutcome = Type.Object({
  id: Id,
  status: Type.String(),
  version: Type.Integer(),
  person_id: ToPerson,
});

export function registerTransfersApi(app: FastifyInstance) {
  const { transfers } = app.services;
  const read = { policy: { capability: 'person:read' as const, person: 'personId' } };
  const work = { policy: { capability: 'involvement:manage' as const, person: 'personId' } };
  const manage = { policy: { capability: 'transfer:manage' as const, person: 'personId' } };
  const iso = (d: Date | null) => (d ? d.toISOString() : null);

  const show = async (
    request: {
      auth: { user: Parameters<typeof transfers.view>[0] } | null;
      personAccess: Parameters<typeof transfers.view>[1] | null;
    },
    transferId: string,
  ) => {
    const v = await transfers.view(requireUser(request), requirePersonAccess(request), transferId, 'api');
    const x = v.transfer;
    return {
      id: x.id,
      status: x.status,
      version: x.version,
      from_team: x.from_team_name,
      to_team: x.to_team_name,
      reason: x.reason,
      requested_at: x.requested_at.toISOString(),
      sent_at: iso(x.sent_at),
      accepted_at: iso(x.accepted_at),
      completed_at: iso(x.completed_at),
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
  };

  app.get(
    '/api/v1/remits',
    {
      config: { policy: { capability: 'transfer:manage' } },
      schema: {
        tags,
        summary:
          'Team remits and transfer points, and the cases in your teams outside their remit or leaving it within 90 days',
        response: {
          200: Type.Object({
            teams: Type.Array(
              Type.Object({
                id: Id,
                name: Type.String(),
                min: Type.Integer(),
                max: Type.Integer(),
                caseTypes: Type.Array(Type.String()),
                localityId: Nullable(Id),
              }),
            ),
            transfer_points: Type.Array(
              Type.Object({
                fromTeamId: Id,
                toTeamId: Id,
                atAge: Type.Union([Type.Integer(), Type.Null()]),
                caseType: Nullable(Type.String()),
                direction: Type.String(),
              }),
            ),
            outside_remit: Type.Array(
              Type.Object({
                personId: Id,
                involvementId: Id,
                caseNumber: Type.String(),
                teamName: Type.String(),
                reason: Type.String(),
                leavesOn: Nullable(Type.String()),
                proposedTeam: Nullable(Type.String()),
              }),
            ),
          }),
          ...errors,
        },
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
      config: { policy: { capability: 'transfer:manage' } },
      schema: {
        tags,
        summary: 'Children in your teams waiting for an allocated worker, longest wait first',
        response: {
          200: Type.Object({
            items: Type.Array(
              Type.Object({
                personId: Id,
                involvementId: Id,
                caseNumber: Type.String(),
                teamName: Type.String(),
                daysWaiting: Type.Integer(),
                protected: Type.Boolean(),
                teamLeaderManaged: Type.Boolean(),
              }),
            ),
          }),
          ...errors,
        },
      },
    },
    async (request) => ({ items: await transfers.unallocated(requireUser(request)) }),
  );

  app.post(
    '/api/v1/people/:personId/transfers',
    {
      config: manage,
      schema: {
        tags,
        summary: 'Request a transfer (the team manager decides and records it)',
        params: PersonParams,
        body: Type.Object(
          { involvement_id: Id, to_team_id: Id, reason: Type.String({ maxLength: 5000 }) },
          { additionalProperties: false },
        ),
        response: { 201: Transfer, ...errors },
      },
    },
    async (request, reply) => {
      const { personId } = request.params as { personId: string };
      const id = await transfers.request(requireUser(request), personId, request.body as Body);
      reply.code(201);
      return show(request, id);
    },
  );

  app.get(
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
    async (request) => show(request, (request.params as { transferId: string }).transferId),
  );

  const action = (
    path: string,
    summary: string,
    config: { policy: Policy },
    body: ReturnType<typeof Type.Object>,
    run: (
      user: Parameters<typeof transfers.view>[0],
      personId: string,
      transferId: string,
      body: Body,
    ) => Promise<unknown>,
  ) =>
    app.post(
      `/api/v1/people/:personId/transfers/:transferId/${path}`,
      { config, schema: { tags, summary, params: TransferParams, body, response: { 200: Transfer, ...errors } } },
      async (request) => {
        const { personId, transferId } = request.params as { personId: string; transferId: string };
        await run(requireUser(request), personId, transferId, request.body as Body);
        return show(request, transferId);
      },
    );

  action(
    'summary',
    'Write the transfer summary (updated information, important dates, urgent actions)',
    work,
    Type.Object(
      {
        summary_updated_information: Type.String(),
        summary_important_dates: Type.String(),
        summary_urgent_actions: Type.String(),
        version: Type.Optional(Type.Integer()),
      },
      { additionalProperties: false },
    ),
    (u, p, t, b) => transfers.writeSummary(u, p, t, b),
  );
  action('sign-off', 'Team manager signs off the transfer summary', manage, Version, (u, p, t, b) =>
    transfers.signOff(u, p, t, b),
  );
  action(
    'quality-assurance',
    'Supervising manager quality-assures the file',
    manage,
    Type.Object(
      { qa_notes: Type.String(), qa_confirm: Type.Literal('yes'), version: Type.Optional(Type.Integer()) },
      { additionalProperties: false },
    ),
    (u, p, t, b) => transfers.qualityAssure(u, p, t, b),
  );
  action('notices', 'Send the written notices to everyone involved', work, Version, (u, p, t, b) =>
    transfers.sendNotices(u, p, t, b),
  );
  action(
    'meeting',
    'Record the handover meeting, or why one is not possible',
    work,
    Type.Object(
      {
        meeting_held: Type.Union([Type.Literal('yes'), Type.Literal('no')]),
        meeting_date: Type.Optional(Type.String()),
        meeting_not_possible_reason: Type.Optional(Type.String()),
        version: Type.Optional(Type.Integer()),
      },
      { additionalProperties: false },
    ),
    (u, p, t, b) => transfers.recordMeeting(u, p, t, b),
  );
  action('send', 'Send the transfer (refused until the checklist is complete)', manage, Version, (u, p, t, b) =>
    transfers.send(u, p, t, b),
  );
  action('accept', 'The receiving team accepts', manage, Version, (u, p, t, b) => transfers.accept(u, p, t, b));
  action(
    'return',
    'The receiving team returns the transfer listing the missing work (one item a line)',
    manage,
    Type.Object(
      { missing_work: Type.String(), version: Type.Optional(Type.Integer()) },
      { additionalProperties: false },
    ),
    (u, p, t, b) => transfers.returnTransfer(u, p, t, b),
  );
  action(
    'allocation',
    'The receiving team allocates its worker; the originating involvement ends in the same transaction',
    manage,
    Type.Object({ worker_id: Type.String(), version: Type.Optional(Type.Integer()) }, { additionalProperties: false }),
    (u, p, t, b) => transfers.allocate(u, p, t, b),
  );

  // The receiving council's part of a transfer from another council: the same service calls as the incoming
  // pages (/transfers/incoming/:transferId) and the same policy, transfer:manage with no person scoping (the
  // record is the sending council's; the service checks the transfer was sent to the caller's council and team).
  const manageAny = { policy: { capability: 'transfer:manage' as const } };

  app.get(
    '/api/v1/transfers/incoming',
    {
      config: manageAny,
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
          requested_at: x.requested_at.toISOString(),
          sent_at: iso(x.sent_at),
          accepted_at: iso(x.accepted_at),
          completed_at: iso(x.completed_at),
          person_id: x.to_person_id,
        })),
      };
    },
  );

  app.get(
    '/api/v1/transfers/incoming/:transferId',
    {
      config: manageAny,
      schema: {
        tags,
        summary:
          "A transfer into your team from another council, with its pack (the read is logged in the sending council's record)",
        params: IncomingParams,
        response: { 200: Incoming, ...errors },
      },
    },
    async (request) => {
      const { transferId } = request.params as { transferId: string };
      const {
        transfer: x,
        pack,
        tasks,
        workers,
        may,
      } = await transfers.incoming(requireUser(request), transferId, 'api');
      return {
        id: x.id,
        status: x.status,
        version: x.version,
        from_authority: x.from_authority_label,
        from_team: x.from_team_name,
        from_worker: x.from_worker_name,
        to_team: x.to_team_name,
        reason: x.reason,
        requested_at: x.requested_at.toISOString(),
        sent_at: iso(x.sent_at),
        accepted_at: iso(x.accepted_at),
        completed_at: iso(x.completed_at),
        person_id: x.to_person_id,
        person: {
          case_number: pack.person.case_number,
          given_name: pack.person.given_name,
          family_name: pack.person.family_name,
          date_of_birth: pack.person.date_of_birth,
        },
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

  const incomingAction = (
    path: string,
    summary: string,
    body: ReturnType<typeof Type.Object>,
    run: (
      user: Parameters<typeof transfers.view>[0],
      personId: string,
      transferId: string,
      body: Body,
    ) => Promise<unknown>,
  ) =>
    app.post(
      `/api/v1/transfers/incoming/:transferId/${path}`,
      {
        config: manageAny,
        schema: { tags, summary, params: IncomingParams, body, response: { 200: IncomingOutcome, ...errors } },
      },
      async (request) => {
        const { transferId } = request.params as { transferId: string };
        const user = requireUser(request);
        const done = await transfers.actOnIncoming(user, transferId, (personId) =>
          run(user, personId, transferId, request.body as Body),
        );
        return { id: transferId, status: done.status, version: done.version, person_id: done.toPersonId };
      },
    );

  incomingAction('accept', 'Your team accepts a transfer from another council', Version, (u, p, t, b) =>
    transfers.accept(u, p, t, b),
  );
  incomingAction(
    'return',
    'Your team returns a transfer from another council listing the missing work (one item a line)',
    Type.Object(
      { missing_work: Type.String(), version: Type.Optional(Type.Integer()) },
      { additionalProperties: false },
    ),
    (u, p, t, b) => transfers.returnTransfer(u, p, t, b),
  );
  incomingAction(
    'allocation',
    "Your team allocates its worker: the record, with its history, is copied into your council (person_id) and the sending council's involvement ends in the same transaction",
    Type.Object({ worker_id: Type.String(), version: Type.Optional(Type.Integer()) }, { additionalProperties: false }),
    (u, p, t, b) => transfers.allocate(u, p, t, b),
  );
}
