// Transfer pages: GOV.UK task list for the transfer standards, POST-redirect-GET, errors beside their fields.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Body } from '../../http/forms.ts';
import { requirePersonAccess, requireUser } from '../../http/request.ts';
import type { Policy } from '../../http/types.ts';
import { registerTransfersApi } from './api.ts';
import { registerIncomingApi } from './api-incoming.ts';
import { outsideAges } from './lifecycle.ts';
import { registerTransferPointRoutes } from './points-routes.ts';
import { SUSPENDABLE_PARTS } from './rules.ts';
import {
  AssessmentInput,
  ShareInput,
  SuspensionDecisionInput,
  SuspensionInput,
  TransferRequestInput,
} from './schemas.ts';
import { INCOMING, STEPS } from './steps.ts';
import { submit } from './submit.ts';

/** The success banner after each save (issue 11 defect 8): ?saved=<key> on the redirect, its words here. */
const SAVED: Record<string, string> = {
  requested: 'Transfer decision recorded: complete the transfer standards below',
  summary: 'Transfer summary saved: it needs signing off by the team manager',
  'sign-off': 'Transfer summary signed off',
  'quality-assurance': 'Quality assurance of the file recorded',
  notices: 'Written notices sent',
  meeting: 'Handover meeting recorded',
  send: 'Transfer sent to the receiving team',
  cancel: 'Transfer cancelled',
  accept: 'Transfer accepted: allocate a worker below',
  return: 'Transfer returned to the originating team with the missing work',
  allocate: 'Worker allocated: the transfer is complete',
  escalate: 'Capacity block escalated to the service manager',
  share: 'Sharing of the transfer pack recorded',
  'task-done': 'Action marked done',
  'suspension-requested': 'Request to suspend part of the protocol sent for a decision',
  'suspension-decided': 'Decision on the suspension recorded',
  document: 'Document attached to the transfer',
};
/** The banner's words for the key in the address (an unknown key shows nothing). */
export function savedText(query: unknown): string | null {
  const key = (query as { saved?: unknown } | undefined)?.saved;
  return typeof key === 'string' && Object.hasOwn(SAVED, key) ? (SAVED[key] as string) : null;
}

type P = { personId: string };
type T = P & { transferId: string };
const V = 'transfers/views';

const hide = { hide: true };
const read = { policy: { capability: 'person:read' as const, person: 'personId' } };
const work = { policy: { capability: 'involvement:manage' as const, person: 'personId' } };
const manage = { policy: { capability: 'transfer:manage' as const, person: 'personId' } };
/** The incoming pages: transfer:manage with no person scoping (the service checks the transfer was sent here). */
const manageAny = { policy: { capability: 'transfer:manage' as const } };

export function registerTransferRoutes(app: FastifyInstance) {
  const { transfers } = app.services;

  app.get(
    '/transfers',
    // Every member of a team sees the transfers into and out of their teams (a receiving team's worker got 403 before
    // issue 11); the remit and allocation lists are for those who manage transfers.
    { config: { policy: { capability: 'transfer:read' } }, schema: hide },
    async (request, reply) => {
      const user = requireUser(request);
      const canManage = user.caps.has('transfer:manage');
      const [overview, remit, unallocated] = await Promise.all([
        transfers.overview(user),
        canManage ? transfers.remitList(user) : null,
        canManage ? transfers.unallocated(user) : null,
      ]);
      return reply.view(`${V}/index.njk`, {
        o: overview,
        remit,
        unallocated,
        suspensions: overview.suspensions,
        canManage,
      });
    },
  );

  app.get(
    '/transfers/timeliness',
    { config: { policy: { capability: 'transfer:oversee' } }, schema: hide },
    async (request, reply) =>
      reply.view(`${V}/timeliness.njk`, { rows: await transfers.timeliness(requireUser(request)) }),
  );

  registerContingencyPages(app);
  registerIncomingPages(app);
  registerTransferPages(app);
  registerRecordPages(app);
  registerTransfersApi(app);
  registerIncomingApi(app);
  registerTransferPointRoutes(app);
}

/** Contingency planning: requests to suspend part of the protocol, and their decisions. */
function registerContingencyPages(app: FastifyInstance) {
  const { transfers } = app.services;
  const ctx = () => ({ today: transfers.today() });
  const contingencyPage = async (request: FastifyRequest, reply: FastifyReply, extra: Record<string, unknown> = {}) => {
    const user = requireUser(request);
    return reply.view(`${V}/contingency.njk`, {
      rows: await transfers.suspensions(user),
      parts: Object.entries(SUSPENDABLE_PARTS).map(([value, text]) => ({ value, text })),
      teams: await app.services.people.formOptions(user).then((o) => o.teams),
      values: {},
      savedText: savedText(request.query),
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
    (request, reply) =>
      submit(
        request,
        reply,
        (body) => transfers.requestSuspension(requireUser(request), SuspensionInput.parse(body, ctx())),
        () => '/transfers/contingency?saved=suspension-requested',
        (extra) => contingencyPage(request, reply, extra),
      ),
  );
  app.post<{ Params: { suspensionId: string } }>(
    '/transfers/contingency/:suspensionId/decision',
    { config: { policy: { capability: 'contingency:decide' } }, schema: hide },
    (request, reply) =>
      submit(
        request,
        reply,
        (body) =>
          transfers.decideSuspension(
            requireUser(request),
            request.params.suspensionId,
            SuspensionDecisionInput.parse(body, ctx()),
          ),
        () => '/transfers/contingency?saved=suspension-decided',
        // The decision forms are one a row: what was typed is not put back into the request form.
        ({ values: _, ...extra }) => contingencyPage(request, reply, extra),
      ),
  );
}

/** A transfer into one of the user's teams from another authority on this installation. */
function registerIncomingPages(app: FastifyInstance) {
  const { transfers } = app.services;
  type I = { transferId: string };
  const incomingPage = async (
    request: FastifyRequest<{ Params: I }>,
    reply: FastifyReply,
    extra: Record<string, unknown> = {},
  ) => {
    const data = await transfers.incoming(requireUser(request), request.params.transferId);
    return reply.view(`${V}/incoming.njk`, { ...data, values: {}, savedText: savedText(request.query), ...extra });
  };
  app.get<{ Params: I }>('/transfers/incoming/:transferId', { config: manageAny, schema: hide }, (req, reply) =>
    incomingPage(req, reply),
  );
  for (const [path, { step }] of Object.entries(INCOMING))
    app.post<{ Params: I }>(
      `/transfers/incoming/:transferId/${path}`,
      { config: manageAny, schema: hide },
      (request, reply) => {
        const user = requireUser(request);
        const { transferId } = request.params;
        return submit(
          request,
          reply,
          (body) => transfers.actOnIncoming(user, transferId, (p) => step.take(transfers, user, p, transferId, body)),
          (done) =>
            done.toPersonId ? `/people/${done.toPersonId}` : `/transfers/incoming/${transferId}?saved=${path}`,
          (extra) => incomingPage(request, reply, extra),
        );
      },
    );
}

/** Requesting a transfer, its task list and each of its steps. */
function registerTransferPages(app: FastifyInstance) {
  const { transfers, documents } = app.services;
  const ctx = () => ({ today: transfers.today() });
  type New = { Params: P; Querystring: { involvement?: string } };
  const newPage = async (request: FastifyRequest<New>, reply: FastifyReply, extra: Record<string, unknown> = {}) => {
    const user = requireUser(request);
    const inv = typeof request.query.involvement === 'string' ? request.query.involvement : null;
    const data = await transfers.requestForm(user, requirePersonAccess(request), inv);
    return reply.view(`${V}/new.njk`, {
      ...data,
      suspensions: await transfers.activeSuspensions(user.authorityId, user.teamIds),
      values: { involvement_id: data.chosen?.id, to_team_id: data.proposed?.id },
      ...extra,
    });
  };
  app.get<New>('/people/:personId/transfers/new', { config: manage, schema: hide }, newPage);
  app.post<New>('/people/:personId/transfers', { config: manage, schema: hide }, (request, reply) => {
    const { personId } = request.params;
    return submit(
      request,
      reply,
      (body) => transfers.request(requireUser(request), personId, TransferRequestInput.parse(body, ctx())),
      (id) => `/people/${personId}/transfers/${id}?saved=requested`,
      (extra) => newPage(request, reply, extra),
    );
  });

  const transferPage = async (
    request: FastifyRequest<{ Params: T }>,
    reply: FastifyReply,
    extra: Record<string, unknown> = {},
  ) => {
    const user = requireUser(request);
    const data = await transfers.view(user, requirePersonAccess(request), request.params.transferId);
    // Its documents (the handover meeting's too: it is a step of the transfer, docs/decisions.md).
    const docTarget = await documents.transferTarget(user, requirePersonAccess(request), request.params.transferId);
    const docPanel = {
      ...(await documents.panel(user, docTarget)),
      intro: 'Documents about this transfer, such as the notes of the handover meeting.',
    };
    // A completed task is shown as done (who, when), not as its form again.
    const done = Object.fromEntries(data.checklist.map((t) => [t.key, t.status === 'completed']));
    const x = data.transfer;
    const remit =
      x.to_team_name && x.to_remit_min_age !== null && x.to_remit_max_age !== null && !x.to_authority_id
        ? {
            id: '',
            name: x.to_team_name,
            min: x.to_remit_min_age,
            max: x.to_remit_max_age,
            caseTypes: [],
            localityId: null,
          }
        : undefined;
    // Still open: the receiving team is told when the young person is outside its age range.
    const outside = x.status === 'completed' ? null : outsideAges(remit, data.person.date_of_birth, transfers.today());
    const outsideRemit =
      outside?.replace(/: choose a team .*$/, '. Check the team has agreed to take the case.') ?? null;
    return reply.view(`${V}/transfer.njk`, {
      ...data,
      done,
      outsideRemit,
      docPanel,
      values: {},
      savedText: savedText(request.query),
      ...extra,
    });
  };
  app.get<{ Params: T }>('/people/:personId/transfers/:transferId', { config: read, schema: hide }, (req, reply) =>
    transferPage(req, reply),
  );

  // Each step of the transfer: a POST that redirects back to the task list, or shows it again with the errors.
  const step = (
    path: string,
    config: { policy: Policy },
    run: (r: FastifyRequest<{ Params: T }>, b: Body) => unknown,
  ) =>
    app.post<{ Params: T }>(
      `/people/:personId/transfers/:transferId/${path}`,
      { config, schema: hide },
      (request, reply) =>
        submit(
          request,
          reply,
          async (body) => run(request, body),
          () => `/people/${request.params.personId}/transfers/${request.params.transferId}?saved=${path}`,
          (extra) => transferPage(request, reply, extra),
        ),
    );
  for (const [path, s] of Object.entries(STEPS))
    step(path, { policy: { capability: s.capability, person: 'personId' } }, (r, body) =>
      s.take(transfers, requireUser(r), r.params.personId, r.params.transferId, body),
    );
  step('share', manage, (r, body) =>
    transfers.sharePack(requireUser(r), requirePersonAccess(r), r.params.transferId, ShareInput.parse(body, ctx())),
  );
}

/** The pack and documents of a transfer, assessments, owned actions and the team leader managing a case. */
function registerRecordPages(app: FastifyInstance) {
  const { transfers } = app.services;
  const ctx = () => ({ today: transfers.today() });
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
      return reply.view(`${V}/pack.njk`, { pack });
    },
  );

  app.get<{ Params: P & { documentId: string } }>(
    '/people/:personId/letters/:documentId',
    { config: read, schema: hide },
    async (request, reply) => {
      const d = await transfers.document(requireUser(request), requirePersonAccess(request), request.params.documentId);
      return reply.type('text/plain; charset=utf-8').send(`${d.title}\nTo: ${d.recipient}\n\n${d.body}\n`);
    },
  );

  app.post<{ Params: P }>('/people/:personId/assessments', { config: work, schema: hide }, async (request, reply) => {
    const input = AssessmentInput.parse((request.body ?? {}) as Body, ctx());
    await transfers.recordAssessment(requireUser(request), request.params.personId, input);
    return reply.redirect(`/people/${request.params.personId}#involvements`, 303);
  });

  app.post<{ Params: P & { taskId: string } }>(
    '/people/:personId/tasks/:taskId/done',
    { config: work, schema: hide },
    async (request, reply) => {
      await transfers.completeTask(requireUser(request), request.params.personId, request.params.taskId);
      const back = (request.headers.referer ?? '').replace(/^https?:\/\/[^/]+/, '');
      const record = `/people/${request.params.personId}`;
      // Back to the transfer the action belongs to, with its banner; otherwise to the page it was done on.
      const transfer = new RegExp(`^${record}/transfers/[0-9a-f-]{36}(?=[?#]|$)`).exec(back)?.[0];
      return reply.redirect(
        transfer ? `${transfer}?saved=task-done#actions` : back.startsWith(record) ? back : record,
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
