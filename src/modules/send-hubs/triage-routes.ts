// SEND hubs (issue 13 part 4): the triage pages. The hub's triage meetings (scheduled and marked held by a hub or
// locality manager), a meeting's agenda, the outcome form for a request, and the more-information form; the API is
// in triage-api.ts. Forms post and redirect with ?saved=<key>, or show the form again with an error summary.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { postForm, type Shown } from '../../http/form-post.ts';
import { type Body, dateInput } from '../../http/forms.ts';
import { requireUser } from '../../http/request.ts';
import { AREAS_OF_NEED } from './schemas-requests.ts';
import { InfoReceivedInput, MeetingHeldInput, MeetingInput, OutcomeInput, TRIAGE_OUTCOMES } from './schemas-triage.ts';
import * as triage from './triage.ts';
import { registerTriageApi, triageDeps } from './triage-api.ts';

const hide = { hide: true };
export const work = { policy: { capability: 'send-hub:work' as const } };
const manage = { policy: { capability: 'send-hub:manage' as const } };
const SAVED: Record<string, string> = {
  meeting: 'Triage meeting scheduled',
  held: 'Meeting marked held: the next one is scheduled a week later',
  heldonly: 'Meeting marked held',
  outcome: 'Triage outcome recorded: the setting has been told',
  info: 'Information recorded: the request is back on the triage agenda',
};
export const savedText = (req: FastifyRequest, saved: Record<string, string> = SAVED) =>
  saved[String((req.query as Record<string, unknown>)?.saved ?? '')];
type H = { hubId: string };
type M = H & { meetingId: string };
type R = H & { requestId: string };

/** A date as the GOV.UK date input's parts, to fill a form. */
export const parts = (iso: string | null) => {
  if (!iso) return {};
  const [year, month, day] = iso.split('-');
  return { day: String(Number(day)), month: String(Number(month)), year };
};
export const dated = (shown: Shown, body: Body, ...names: string[]) => ({
  ...shown.values,
  ...Object.fromEntries(names.map((n) => [n, dateInput(body, n).parts])),
});
const lists = { outcomes: TRIAGE_OUTCOMES, areas: AREAS_OF_NEED };

export function registerTriageRoutes(app: FastifyInstance): void {
  registerTriageApi(app);
  meetingPages(app);
  outcomePages(app);
}

function meetingPages(app: FastifyInstance) {
  const { ctx } = app.services.sendHubs;
  const list = async (req: FastifyRequest<{ Params: H }>, reply: FastifyReply, shown?: Shown) => {
    const data = await triage.meetings(ctx, requireUser(req), req.params.hubId);
    return reply.view('send-hubs/views/triage-meetings.njk', {
      ...data,
      values: shown?.values ?? { meeting_date: parts(data.nextDate) },
      errors: shown?.errors ?? {},
      errorList: shown?.errorList,
      savedText: savedText(req),
    });
  };
  app.get<{ Params: H }>('/hubs/:hubId/triage', { config: work, schema: hide }, (req, reply) => list(req, reply));
  app.post<{ Params: H }>('/hubs/:hubId/triage', { config: manage, schema: hide }, async (req, reply) => {
    const body = (req.body ?? {}) as Body;
    return postForm(
      reply,
      body,
      async () => {
        const input = MeetingInput.parse(body, { today: ctx.today() });
        const id = await triage.scheduleMeeting(ctx, requireUser(req), req.params.hubId, input);
        return `/hubs/${req.params.hubId}/triage/${id}?saved=meeting`;
      },
      (shown) => list(req, reply, { ...shown, values: dated(shown, body, 'meeting_date') }),
    );
  });
  app.get<{ Params: M }>('/hubs/:hubId/triage/:meetingId', { config: work, schema: hide }, async (req, reply) =>
    reply.view('send-hubs/views/triage-meeting.njk', {
      ...(await triage.meeting(ctx, requireUser(req), req.params.hubId, req.params.meetingId, 'page')),
      ...lists,
      savedText: savedText(req),
    }),
  );
  app.post<{ Params: M }>(
    '/hubs/:hubId/triage/:meetingId/held',
    { config: manage, schema: hide },
    async (req, reply) => {
      const input = MeetingHeldInput.parse((req.body ?? {}) as Body, { today: ctx.today() });
      const { hubId, meetingId } = req.params;
      const { nextId } = await triage.markHeld(ctx, requireUser(req), hubId, meetingId, input);
      return reply.redirect(
        nextId ? `/hubs/${hubId}/triage/${nextId}?saved=held` : `/hubs/${hubId}/triage/${meetingId}?saved=heldonly`,
        303,
      );
    },
  );
}

function outcomePages(app: FastifyInstance) {
  const { ctx } = app.services.sendHubs;
  const deps = triageDeps(app);
  const form = async (req: FastifyRequest<{ Params: R }>, reply: FastifyReply, shown?: Shown) => {
    const data = await triage.outcomeForm(ctx, requireUser(req), req.params.hubId, req.params.requestId);
    const meeting = String((req.query as Record<string, unknown>)?.meeting ?? '');
    return reply.view('send-hubs/views/triage-outcome.njk', {
      ...data,
      ...lists,
      values: shown?.values ?? { meeting_id: data.meetings.some((m) => m.id === meeting) ? meeting : '' },
      errors: shown?.errors ?? {},
      errorList: shown?.errorList,
    });
  };
  // The triage pages show the banner (the request's own page belongs to the requests part).
  const back = (p: R, saved: string) => `/hubs/${p.hubId}/triage?saved=${saved}`;
  app.get<{ Params: R }>('/hubs/:hubId/requests/:requestId/outcome', { config: work, schema: hide }, (req, reply) =>
    form(req, reply),
  );
  app.post<{ Params: R }>(
    '/hubs/:hubId/requests/:requestId/outcome',
    { config: work, schema: hide },
    async (req, reply) => {
      const body = (req.body ?? {}) as Body;
      return postForm(
        reply,
        body,
        async () => {
          const input = OutcomeInput.parse(body, { today: ctx.today() });
          await triage.recordOutcome(ctx, deps, requireUser(req), req.params.hubId, req.params.requestId, input);
          return input.meeting_id
            ? `/hubs/${req.params.hubId}/triage/${input.meeting_id}?saved=outcome`
            : back(req.params, 'outcome');
        },
        (shown) => form(req, reply, shown),
      );
    },
  );
  const infoForm = async (req: FastifyRequest<{ Params: R }>, reply: FastifyReply, shown?: Shown) => {
    const data = await triage.outcomeForm(ctx, requireUser(req), req.params.hubId, req.params.requestId);
    return reply.view('send-hubs/views/triage-more-info.njk', {
      hub: data.hub,
      request: data.request,
      values: shown?.values ?? { received_on: parts(ctx.today()) },
      errors: shown?.errors ?? {},
      errorList: shown?.errorList,
    });
  };
  app.get<{ Params: R }>('/hubs/:hubId/requests/:requestId/more-info', { config: work, schema: hide }, (req, reply) =>
    infoForm(req, reply),
  );
  app.post<{ Params: R }>(
    '/hubs/:hubId/requests/:requestId/more-info',
    { config: work, schema: hide },
    async (req, reply) => {
      const body = (req.body ?? {}) as Body;
      return postForm(
        reply,
        body,
        async () => {
          const input = InfoReceivedInput.parse(body, { today: ctx.today() });
          await triage.infoReceived(ctx, requireUser(req), req.params.hubId, req.params.requestId, input);
          return back(req.params, 'info');
        },
        (shown) => infoForm(req, reply, { ...shown, values: dated(shown, body, 'received_on') }),
      );
    },
  );
}
