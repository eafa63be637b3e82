// Transfer pages: GOV.UK task list for the transfer standards, POST-redirect-GET, errors beside their fields.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { type Body, errorList, ValidationError } from '../../http/forms.ts';
import { requirePersonAccess, requireUser } from '../../http/request.ts';
import type { AuthUser, Policy } from '../../http/types.ts';
import { registerTransfersApi } from './api.ts';
import { registerTransferPointRoutes } from './points-routes.ts';
import { SUSPENDABLE_PARTS } from './rules.ts';

type P = { personId: string };
type T = P & { transferId: string };

export function registerTransferRoutes(app: FastifyInstance) {
  const { transfers } = app.services;
  const hide = { hide: true };
  const read = { policy: { capability: 'person:read' as const, person: 'personId' } };
  const work = { policy: { capability: 'involvement:manage' as const, person: 'personId' } };
  const manage = { policy: { capability: 'transfer:manage' as const, person: 'personId' } };

  const banner = async (request: FastifyRequest) => {
    const u = requireUser(request);
    return transfers.activeSuspensions(u.authorityId, u.teamIds);
  };

  app.get(
    '/transfers',
    { config: { policy: { capability: 'transfer:manage' } }, schema: hide },
    async (request, reply) => {
      const user = requireUser(request);
      const [overview, remit, unallocated] = await Promise.all([
        transfers.overview(user),
        transfers.remitList(user),
        transfers.unallocated(user),
      ]);
      return reply.view('transfers/views/index.njk', {
        o: overview,
        remit,
        unallocated,
        suspensions: overview.suspensions,
      });
    },
  );

  app.get(
    '/transfers/timeliness',
    { config: { policy: { capability: 'transfer:oversee' } }, schema: hide },
    async (request, reply) =>
      reply.view('transfers/views/timeliness.njk', { rows: await transfers.timeliness(requireUser(request)) }),
  );

  const contingencyPage = async (request: FastifyRequest, reply: FastifyReply, extra: Record<string, unknown> = {}) => {
    const user = requireUser(request);
    return reply.view('transfers/views/contingency.njk', {
      rows: await transfers.suspensions(user),
      parts: Object.entries(SUSPENDABLE_PARTS).map(([value, text]) => ({ value, text })),
      teams: await app.services.people.formOptions(user).then((o) => o.teams),
      values: {},
      ...extra,
    });
  };
  app.get(
    '/transfers/contingency',
    { config: { policy: { capability: 'transfer:oversee' } }, schema: hide },
    contingencyPage,
  );
  app.post(
    '/transfers/contingency',
    { config: { policy: { capability: 'transfer:manage' } }, schema: hide },
    async (request, reply) => {
      const body = (request.body ?? {}) as Body;
      try {
        await transfers.requestSuspension(requireUser(request), body);
        return reply.redirect('/transfers/contingency', 303);
      } catch (e) {
        if (!(e instanceof ValidationError)) throw e;
        reply.code(400);
        return contingencyPage(request, reply, { values: body, errors: e.fields, errorList: errorList(e.fields) });
      }
    },
  );
  app.post<{ Params: { suspensionId: string } }>(
    '/transfers/contingency/:suspensionId/decision',
    { config: { policy: { capability: 'contingency:decide' } }, schema: hide },
    async (request, reply) => {
      try {
        await transfers.decideSuspension(
          requireUser(request),
          request.params.suspensionId,
          (request.body ?? {}) as Body,
        );
        return reply.redirect('/transfers/contingency', 303);
      } catch (e) {
        if (!(e instanceof ValidationError)) throw e;
        reply.code(400);
        return contingencyPage(request, reply, { errors: e.fields, errorList: errorList(e.fields) });
      }
    },
  );

  // A transfer into one of the user's teams from another authority on this installation.
  type I = { transferId: string };
  const incomingPage = async (
    request: FastifyRequest<{ Params: I }>,
    reply: FastifyReply,
    extra: Record<string, unknown> = {},
  ) => {
    const data = await transfers.incoming(requireUser(request), request.params.transferId);
    return reply.view('transfers/views/incoming.njk', { ...data, values: {}, ...extra });
  };
  const manageAny = { policy: { capability: 'transfer:manage' as const } };
  app.get<{ Params: I }>('/transfers/incoming/:transferId', { config: manageAny, schema: hide }, (req, reply) =>
    incomingPage(req, reply),
  );
  const incomingStep = (
    path: string,
    run: (user: AuthUser, personId: string, transferId: string, body: Body) => Promise<unknown>,
  ) =>
    app.post<{ Params: I }>(
      `/transfers/incoming/:transferId/${path}`,
      { config: manageAny, schema: hide },
      async (request, reply) => {
        const body = (request.body ?? {}) as Body;
        const user = requireUser(request);
        try {
          const done = await transfers.actOnIncoming(user, request.params.transferId, (personId) =>
            run(user, personId, request.params.transferId, body),
          );
          return reply.redirect(
            done.toPersonId ? `/people/${done.toPersonId}` : `/transfers/incoming/${request.params.transferId}`,
            303,
          );
        } catch (e) {
          if (!(e instanceof ValidationError)) throw e;
          reply.code(400);
          return incomingPage(request, reply, { values: body, errors: e.fields, errorList: errorList(e.fields) });
        }
      },
    );
  incomingStep('accept', (u, p, t, b) => transfers.accept(u, p, t, b));
  incomingStep('return', (u, p, t, b) => transfers.returnTransfer(u, p, t, b));
  incomingStep('allocate', (u, p, t, b) => transfers.allocate(u, p, t, b));

  const newPage = async (
    request: FastifyRequest<{ Params: P; Querystring: { involvement?: string } }>,
    reply: FastifyReply,
    extra: Record<string, unknown> = {},
  ) => {
    const inv = typeof request.query.involvement === 'string' ? request.query.involvement : null;
    const data = await transfers.requestForm(requireUser(request), requirePersonAccess(request), inv);
    return reply.view('transfers/views/new.njk', {
      ...data,
      suspensions: await banner(request),
      values: { involvement_id: data.chosen?.id, to_team_id: data.proposed?.id },
      ...extra,
    });
  };
  app.get<{ Params: P; Querystring: { involvement?: string } }>(
    '/people/:personId/transfers/new',
    { config: manage, schema: hide },
    newPage,
  );
  app.post<{ Params: P }>('/people/:personId/transfers', { config: manage, schema: hide }, async (request, reply) => {
    const body = (request.body ?? {}) as Body;
    try {
      const id = await transfers.request(requireUser(request), request.params.personId, body);
      return reply.redirect(`/people/${request.params.personId}/transfers/${id}`, 303);
    } catch (e) {
      if (!(e instanceof ValidationError)) throw e;
      reply.code(400);
      return newPage(request as FastifyRequest<{ Params: P; Querystring: { involvement?: string } }>, reply, {
        values: body,
        errors: e.fields,
        errorList: errorList(e.fields),
      });
    }
  });

  const transferPage = async (
    request: FastifyRequest<{ Params: T }>,
    reply: FastifyReply,
    extra: Record<string, unknown> = {},
  ) => {
    const data = await transfers.view(requireUser(request), requirePersonAccess(request), request.params.transferId);
    return reply.view('transfers/views/transfer.njk', { ...data, values: {}, ...extra });
  };
  app.get<{ Params: T }>('/people/:personId/transfers/:transferId', { config: read, schema: hide }, (req, reply) =>
    transferPage(req, reply),
  );

  // Each step of the transfer: a POST that redirects back to the task list, or shows it again with the errors.
  const step = (
    path: string,
    config: { policy: Policy },
    run: (request: FastifyRequest<{ Params: T }>, body: Body) => Promise<unknown>,
  ) =>
    app.post<{ Params: T }>(
      `/people/:personId/transfers/:transferId/${path}`,
      { config, schema: hide },
      async (request, reply) => {
        const body = (request.body ?? {}) as Body;
        try {
          await run(request, body);
          return reply.redirect(`/people/${request.params.personId}/transfers/${request.params.transferId}`, 303);
        } catch (e) {
          if (!(e instanceof ValidationError)) throw e;
          reply.code(400);
          return transferPage(request, reply, { values: body, errors: e.fields, errorList: errorList(e.fields) });
        }
      },
    );
  const u = (r: FastifyRequest) => r.auth!.user;
  step('summary', work, (r, b) => transfers.writeSummary(u(r), r.params.personId, r.params.transferId, b));
  step('sign-off', manage, (r, b) => transfers.signOff(u(r), r.params.personId, r.params.transferId, b));
  step('quality-assurance', manage, (r, b) => transfers.qualityAssure(u(r), r.params.personId, r.params.transferId, b));
  step('notices', work, (r, b) => transfers.sendNotices(u(r), r.params.personId, r.params.transferId, b));
  step('meeting', work, (r, b) => transfers.recordMeeting(u(r), r.params.personId, r.params.transferId, b));
  step('send', manage, (r, b) => transfers.send(u(r), r.params.personId, r.params.transferId, b));
  step('cancel', manage, (r, b) => transfers.cancel(u(r), r.params.personId, r.params.transferId, b));
  step('accept', manage, (r, b) => transfers.accept(u(r), r.params.personId, r.params.transferId, b));
  step('return', manage, (r, b) => transfers.returnTransfer(u(r), r.params.personId, r.params.transferId, b));
  step('allocate', manage, (r, b) => transfers.allocate(u(r), r.params.personId, r.params.transferId, b));
  step('escalate', manage, (r, b) => transfers.escalateCapacity(u(r), r.params.personId, r.params.transferId, b));
  step('share', manage, (r, b) => transfers.sharePack(u(r), r.personAccess!, r.params.transferId, b));

  app.get<{ Params: T; Querystring: { format?: string } }>(
    '/people/:personId/transfers/:transferId/pack',
    { config: read, schema: hide },
    async (request, reply) => {
      const pack = await transfers.pack(requireUser(request), requirePersonAccess(request), request.params.transferId);
      const format = request.query.format;
      reply.header(
        'Content-Disposition',
        `attachment; filename="transfer-pack-${pack.person.case_number}.${format === 'json' ? 'json' : format === 'text' ? 'txt' : 'html'}"`,
      );
      if (format === 'json') return reply.type('application/json').send(pack);
      if (format === 'text') return reply.type('text/plain; charset=utf-8').send(packText(pack));
      return reply.view('transfers/views/pack.njk', { pack });
    },
  );

  app.get<{ Params: P & { documentId: string } }>(
    '/people/:personId/documents/:documentId',
    { config: read, schema: hide },
    async (request, reply) => {
      const d = await transfers.document(requireUser(request), requirePersonAccess(request), request.params.documentId);
      return reply.type('text/plain; charset=utf-8').send(`${d.title}\nTo: ${d.recipient}\n\n${d.body}\n`);
    },
  );

  app.post<{ Params: P }>('/people/:personId/assessments', { config: work, schema: hide }, async (request, reply) => {
    await transfers.recordAssessment(requireUser(request), request.params.personId, (request.body ?? {}) as Body);
    return reply.redirect(`/people/${request.params.personId}#involvements`, 303);
  });

  app.post<{ Params: P & { taskId: string } }>(
    '/people/:personId/tasks/:taskId/done',
    { config: work, schema: hide },
    async (request, reply) => {
      await transfers.completeTask(requireUser(request), request.params.personId, request.params.taskId);
      const back = (request.headers.referer ?? '').replace(/^https?:\/\/[^/]+/, '');
      return reply.redirect(
        back.startsWith(`/people/${request.params.personId}`) ? back : `/people/${request.params.personId}`,
        303,
      );
    },
  );

  app.post<{ Params: P & { involvementId: string } }>(
    '/people/:personId/involvements/:involvementId/team-leader',
    { config: manage, schema: hide },
    async (request, reply) => {
      await transfers.teamLeaderManages(requireUser(request), request.params.personId, request.params.involvementId);
      return reply.redirect('/transfers#unallocated', 303);
    },
  );

  registerTransfersApi(app);
  registerTransferPointRoutes(app);
}

type Pack = Awaited<ReturnType<FastifyInstance['services']['transfers']['pack']>>;

export function packText(p: Pack): string {
  const lines = [
    `TRANSFER PACK — case ${p.person.case_number}`,
    `Generated ${p.generated_at}`,
    '',
    `From: ${p.transfer.from_team}   To: ${p.transfer.to_team ?? ''}   Status: ${p.transfer.status}`,
    `Reason: ${p.transfer.reason}`,
    '',
    'PERSON',
    `${p.person.given_name} ${p.person.family_name}, born ${p.person.date_of_birth}`,
    `NHS number: ${p.person.nhs_number ?? 'not recorded'}   UPN: ${p.person.upn ?? 'not recorded'}`,
    `Address: ${[p.person.address, p.person.postcode].filter(Boolean).join(', ') || 'not recorded'}`,
    '',
    'TRANSFER SUMMARY',
    `Updated information: ${p.summary.updated_information ?? 'none'}`,
    `Important dates: ${p.summary.important_dates ?? 'none'}`,
    `Urgent actions: ${p.summary.urgent_actions ?? 'none'}`,
    `Signed off by: ${p.summary.signed_off_by ?? 'not signed off'}`,
    '',
    'STATUSES',
    ...p.statuses.map((s) => `- ${s.status.replace(/_/g, ' ')}: ${s.start_date} to ${s.end_date ?? 'now'}`),
    '',
    'INVOLVEMENTS',
    ...p.involvements.map(
      (i) => `- ${i.team} (${i.worker ?? 'unallocated'}): ${i.reason}, ${i.start_date} to ${i.end_date ?? 'now'}`,
    ),
    '',
    'CONTACTS',
    ...p.contacts.map(
      (c) =>
        `- ${c.name}, ${c.relationship}${c.parental_responsibility ? ' (parental responsibility)' : ''}: ${[c.phone, c.email].filter(Boolean).join(', ')}`,
    ),
    '',
    'KEY DATES',
    ...p.key_dates.map((k) => `- ${k.date}: ${k.what}`),
    '',
    'HISTORY',
    ...p.history.map((e) => `- ${e.at}: ${e.title}${e.detail ? ` — ${e.detail}` : ''}`),
  ];
  return `${lines.join('\n')}\n`;
}
