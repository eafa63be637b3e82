// SEND hubs (issue 13 part 7): the telephone advice log's pages, for the hub's staff (send-hub:work; another hub's
// log is not found). The log with its filters (month, topic, who called) and counts; logging a call (the search for
// a young person to link is a POST, so no name is ever in an address); a call's page with "mark follow-up done".
// The JSON API is calls-api.ts.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { addDays } from '../../domain/calendar.ts';
import { postForm, type Shown } from '../../http/form-post.ts';
import { type Body, dateInput, errorList, text, UUID, ValidationError } from '../../http/forms.ts';
import { requireUser } from '../../http/request.ts';
import { callFormChoices, callLog, followUpDone, logCall, personPicker, showCall } from './calls.ts';
import { registerCallsApi } from './calls-api.ts';
import { CALL_TOPIC_LABELS, CALLER_TYPE_LABELS, CallFilterInput, CallInput } from './schemas-calls.ts';

type HubParams = { hubId: string };
type CallParams = HubParams & { callId: string };
const hide = { hide: true };
const work = { policy: { capability: 'send-hub:work' as const } };
const SAVED: Record<string, string> = { logged: 'Advice call logged', done: 'Follow-up marked done' };
/** The form's "keep the call anonymous" choice. */
const ANONYMOUS = 'anonymous';
const FIELD_ORDER = [
  'caller_type',
  'setting_id',
  'called_on',
  'topic',
  'advice',
  'signposted_to',
  'follow_up',
  'follow_up_owner_id',
  'follow_up_due',
  'person_id',
];
const query = (req: FastifyRequest) => (req.query ?? {}) as Record<string, unknown>;
const saved = (req: FastifyRequest) => SAVED[String(query(req).saved ?? '')];
const labels = {
  topicLabels: CALL_TOPIC_LABELS,
  callerLabels: CALLER_TYPE_LABELS,
};

/** The last 12 months as YYYY-MM, newest first (the month filter's choices). */
function recentMonths(today: string): string[] {
  const months: string[] = [];
  let d = `${today.slice(0, 7)}-01`;
  for (let i = 0; i < 12; i++) {
    months.push(d.slice(0, 7));
    d = `${addDays(d, -1).slice(0, 7)}-01`;
  }
  return months;
}

export function registerCallsRoutes(app: FastifyInstance) {
  const { ctx } = app.services.sendHubs;

  app.get<{ Params: HubParams }>('/hubs/:hubId/calls', { config: work, schema: hide }, async (req, reply) => {
    const q = query(req);
    const raw = { month: q.month ?? '', topic: q.topic ?? '', caller_type: q.caller_type ?? '' };
    const read = CallFilterInput.read(raw, { today: ctx.today() });
    const data = await callLog(ctx, requireUser(req), req.params.hubId, read.input as CallFilterInput);
    const bad = Object.keys(read.errors).length > 0;
    if (bad) reply.code(400);
    return reply.view('send-hubs/views/calls-list.njk', {
      ...data,
      ...labels,
      months: withMonth(recentMonths(ctx.today()), data.filter.month),
      values: raw,
      errors: read.errors,
      errorList: bad ? errorList(read.errors) : null,
      savedText: saved(req),
    });
  });

  const callForm = async (
    req: FastifyRequest<{ Params: HubParams }>,
    reply: FastifyReply,
    values: Body,
    shown: Partial<Shown> = {},
    search = '',
  ) => {
    const user = requireUser(req);
    const chosen = typeof values.person_id === 'string' && UUID.test(values.person_id) ? values.person_id : null;
    const [choices, people] = await Promise.all([
      callFormChoices(ctx, user, req.params.hubId),
      personPicker(ctx, user, search, chosen),
    ]);
    return reply.view('send-hubs/views/calls-new.njk', { ...choices, ...labels, ...shown, values, people, search });
  };

  app.get<{ Params: HubParams }>('/hubs/:hubId/calls/new', { config: work, schema: hide }, async (req, reply) =>
    callForm(req, reply, { called_on: dateParts(ctx.today()) }),
  );

  app.post<{ Params: HubParams }>('/hubs/:hubId/calls', { config: work, schema: hide }, async (req, reply) => {
    const body = (req.body ?? {}) as Body;
    const values = {
      ...body,
      called_on: dateInput(body, 'called_on').parts,
      follow_up_due: dateInput(body, 'follow_up_due').parts,
    };
    // "Find" searches the young people the user may open and shows the form again, writing nothing.
    if (body.find !== undefined) return callForm(req, reply, values, {}, text(body, 'who'));
    const chosen = text(body, 'person_id');
    return postForm(
      reply,
      body,
      async () => {
        const read = CallInput.read({ ...body, person_id: chosen === ANONYMOUS ? '' : chosen }, { today: ctx.today() });
        if (!chosen) read.errors.person_id = 'Choose the young person, or choose to keep the call anonymous';
        if (Object.keys(read.errors).length) throw new ValidationError(read.errors);
        const id = await logCall(ctx, requireUser(req), req.params.hubId, read.input as CallInput);
        return `/hubs/${req.params.hubId}/calls/${id}?saved=logged`;
      },
      (shown) => callForm(req, reply, values, { ...shown, errorList: ordered(shown) }, text(body, 'who')),
    );
  });

  app.get<{ Params: CallParams }>('/hubs/:hubId/calls/:callId', { config: work, schema: hide }, async (req, reply) => {
    const data = await showCall(ctx, requireUser(req), req.params.hubId, req.params.callId, 'page');
    return reply.view('send-hubs/views/calls-show.njk', {
      ...data,
      ...labels,
      today: ctx.today(),
      savedText: saved(req),
    });
  });

  app.post<{ Params: CallParams }>(
    '/hubs/:hubId/calls/:callId/follow-up-done',
    { config: work, schema: hide },
    async (req, reply) => {
      const { hubId, callId } = req.params;
      try {
        await followUpDone(ctx, requireUser(req), hubId, callId);
      } catch (e) {
        if (!(e instanceof ValidationError)) throw e;
        reply.code(400);
        const data = await showCall(ctx, requireUser(req), hubId, callId, 'page');
        return reply.view('send-hubs/views/calls-show.njk', {
          ...data,
          ...labels,
          today: ctx.today(),
          errors: e.fields,
          errorList: errorList(e.fields),
        });
      }
      return reply.redirect(`/hubs/${hubId}/calls/${callId}?saved=done`, 303);
    },
  );

  registerCallsApi(app);
}

/** The month chosen is offered even when older than the last 12. */
function withMonth(months: string[], month: string | null): string[] {
  return month && !months.includes(month) ? [...months, month] : months;
}

/** A YYYY-MM-DD date as the GOV.UK date input's parts. */
function dateParts(date: string) {
  const [year, month, day] = date.split('-');
  return { day: String(Number(day)), month: String(Number(month)), year };
}

/** The error summary in the order of the form's fields, each date linked to its first box. */
function ordered(shown: Shown) {
  const errors = Object.fromEntries(
    FIELD_ORDER.filter((k) => shown.errors[k]).map((k) => [k, shown.errors[k] as string]),
  );
  return errorList(errors).map((e) =>
    e.href === '#called_on' || e.href === '#follow_up_due' ? { ...e, href: `${e.href}-day` } : e,
  );
}
