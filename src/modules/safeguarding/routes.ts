// Exploitation screening pages: a record's screenings and events, screen a young person (the form, then the GOV.UK
// check answers page with the suggested level and its reasons, then save), one screening, confirm or change its
// level (then, if it will be shared, the sharing form), close its review, record the immediate referral, and
// record a missing episode, placement move or new intelligence (an early re-screen due today).
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { postForm, type Shown } from '../../http/form-post.ts';
import { type Body, dateInput, errorList, ValidationError } from '../../http/forms.ts';
import { requirePersonAccess, requireUser } from '../../http/request.ts';
import type { AuthUser } from '../../http/types.ts';
import { registerSafeguardingApi } from './api.ts';
import {
  ANSWER_WORDS,
  BASIS_WORDS,
  CloseInput,
  ConfirmInput,
  PLACE_KINDS,
  REASONS,
  RETURN_INTERVIEW,
  ReferralInput,
  RISK_KINDS,
  RiskEventInput,
  WHEN_WORDS,
} from './schemas.ts';

type PersonParams = { personId: string };
type SParams = PersonParams & { screeningId: string };
const hide = { hide: true };
const words = { reasons: REASONS, answerWords: ANSWER_WORDS, basisWords: BASIS_WORDS, whenWords: WHEN_WORDS };
const SAVED: Record<string, string> = {
  screened: 'Screening saved: the level proposed is awaiting confirmation',
  confirmed: 'Level confirmed',
  closed: 'Screening closed: no further concern',
  referral: 'Immediate referral recorded',
  event: 'Event recorded: an exploitation re-screen is due today',
};
const savedText = (q: unknown) => SAVED[String((q as Record<string, unknown>).saved ?? '')];

/** The form's fields a save keeps from the check answers page (everything but the CSRF token). */
const carried = (body: Body) =>
  Object.entries(body)
    .filter(([k]) => !['_csrf', '_change', 'proposed_level', 'proposed_reason'].includes(k))
    .flatMap(([k, v]) => (Array.isArray(v) ? v.map((x) => [k, String(x)]) : [[k, String(v ?? '')]]));

export function registerSafeguardingRoutes(app: FastifyInstance) {
  const { safeguarding } = app.services;
  const read = { policy: { capability: 'person:read' as const, person: 'personId' } };
  const edit = { policy: { capability: 'person:edit' as const, person: 'personId' } };
  const confirm = { policy: { capability: 'screening:confirm' as const, person: 'personId' } };

  const showForm = async (req: FastifyRequest, reply: FastifyReply, body: Body, shown?: Shown) => {
    const instrumentId = String(body.instrument_id ?? (req.query as Record<string, unknown>).instrument ?? '');
    const data = await safeguarding.form(requireUser(req), requirePersonAccess(req), instrumentId);
    const values = shown
      ? { ...shown.values, review_due: dateInput(body, 'review_due').parts }
      : { send_or_learning_disability: data.sendRecorded ? 'yes' : '' };
    return reply.view('safeguarding/views/new.njk', {
      ...data,
      ...words,
      placeKinds: PLACE_KINDS,
      riskKinds: RISK_KINDS,
      values,
      errors: shown?.errors ?? {},
      errorList: shown?.errorList,
    });
  };

  const showCheck = async (req: FastifyRequest, reply: FastifyReply, body: Body, shown?: Shown) => {
    const user = requireUser(req);
    const checked = await safeguarding.check(user, requirePersonAccess(req), body);
    const data = await safeguarding.form(user, requirePersonAccess(req), checked.instrument.id);
    return reply.view('safeguarding/views/check.njk', {
      ...data,
      ...checked,
      ...words,
      placeKinds: PLACE_KINDS,
      hidden: carried(body),
      values: shown?.values ?? {},
      errors: shown?.errors ?? {},
      errorList: shown?.errorList,
    });
  };

  app.get<{ Params: PersonParams }>(
    '/people/:personId/screenings',
    { config: read, schema: hide },
    async (req, reply) => {
      const data = await safeguarding.list(requireUser(req), requirePersonAccess(req), 'page');
      return reply.view('safeguarding/views/list.njk', {
        ...data,
        ...words,
        riskKinds: RISK_KINDS,
        returnInterview: RETURN_INTERVIEW,
        savedText: savedText(req.query),
      });
    },
  );

  app.get<{ Params: PersonParams }>('/people/:personId/screenings/new', { config: edit, schema: hide }, (req, reply) =>
    showForm(req, reply, {}),
  );

  app.post<{ Params: PersonParams }>(
    '/people/:personId/screenings/check',
    { config: edit, schema: hide },
    async (req, reply) => {
      const body = (req.body ?? {}) as Body;
      const { _csrf, _change, ...values } = body;
      if (_change) return showForm(req, reply, body, { values, errors: {}, errorList: [] });
      try {
        return await showCheck(req, reply, body);
      } catch (e) {
        if (!(e instanceof ValidationError)) throw e;
        reply.code(400);
        return showForm(req, reply, body, { values, errors: e.fields, errorList: errorList(e.fields) });
      }
    },
  );

  app.post<{ Params: PersonParams }>(
    '/people/:personId/screenings',
    { config: edit, schema: hide },
    async (req, reply) => {
      const id = req.params.personId;
      const body = (req.body ?? {}) as Body;
      return postForm(
        reply,
        body,
        async () => {
          const sid = await safeguarding.create(requireUser(req), id, body);
          return `/people/${id}/screenings/${sid}?saved=screened`;
        },
        async (shown) => {
          const { proposed_level: _l, proposed_reason: _r, ...rest } = body;
          try {
            return await showCheck(req, reply, rest as Body, shown);
          } catch (e) {
            if (!(e instanceof ValidationError)) throw e;
            return showForm(req, reply, body, shown);
          }
        },
      );
    },
  );

  app.get<{ Params: SParams }>(
    '/people/:personId/screenings/:screeningId',
    { config: read, schema: hide },
    async (req, reply) => {
      const user = requireUser(req);
      const data = await safeguarding.get(user, requirePersonAccess(req), req.params.screeningId, 'page');
      return reply.view('safeguarding/views/show.njk', {
        ...data,
        ...words,
        canConfirm: user.caps.has('screening:confirm') && data.state?.step === 'confirm_level',
        savedText: savedText(req.query),
        values: {},
        errors: {},
      });
    },
  );

  const confirmPage = async (req: FastifyRequest<{ Params: SParams }>, reply: FastifyReply, shown?: Shown) => {
    const data = await safeguarding.get(requireUser(req), requirePersonAccess(req), req.params.screeningId, 'page');
    return reply.view('safeguarding/views/confirm.njk', {
      ...data,
      ...words,
      values: shown?.values ?? { level: data.screening.proposed_level },
      errors: shown?.errors ?? {},
      errorList: shown?.errorList,
    });
  };

  app.get<{ Params: SParams }>(
    '/people/:personId/screenings/:screeningId/confirm',
    { config: confirm, schema: hide },
    (req, reply) => confirmPage(req, reply),
  );

  app.post<{ Params: SParams }>(
    '/people/:personId/screenings/:screeningId/confirm',
    { config: confirm, schema: hide },
    async (req, reply) => {
      const { personId, screeningId } = req.params;
      const body = (req.body ?? {}) as Body;
      return postForm(
        reply,
        body,
        async () => {
          const input = ConfirmInput.parse(body, { today: safeguarding.today() });
          await safeguarding.confirm(requireUser(req), personId, screeningId, input);
          return input.share
            ? `/people/${personId}/sharing/new?source=screening&sourceId=${screeningId}`
            : `/people/${personId}/screenings/${screeningId}?saved=confirmed`;
        },
        (shown) => confirmPage(req, reply, shown),
      );
    },
  );

  const screeningAction = (
    path: string,
    saved: string,
    act: (user: AuthUser, p: SParams, body: Body) => Promise<unknown>,
  ) =>
    app.post<{ Params: SParams }>(
      `/people/:personId/screenings/:screeningId/${path}`,
      { config: edit, schema: hide },
      async (req, reply) => {
        const body = (req.body ?? {}) as Body;
        return postForm(
          reply,
          body,
          async () => {
            await act(requireUser(req), req.params, body);
            return `/people/${req.params.personId}/screenings/${req.params.screeningId}?saved=${saved}`;
          },
          async (shown) => {
            const user = requireUser(req);
            const data = await safeguarding.get(user, requirePersonAccess(req), req.params.screeningId, 'page');
            return reply.view('safeguarding/views/show.njk', {
              ...data,
              ...words,
              canConfirm: user.caps.has('screening:confirm') && data.state?.step === 'confirm_level',
              ...shown,
            });
          },
        );
      },
    );
  screeningAction('close', 'closed', (user, p, body) =>
    safeguarding.close(user, p.personId, p.screeningId, CloseInput.parse(body, { today: safeguarding.today() }).reason),
  );
  screeningAction('referral', 'referral', (user, p, body) =>
    safeguarding.referral(user, p.personId, p.screeningId, ReferralInput.parse(body, { today: safeguarding.today() })),
  );

  const eventForm = async (req: FastifyRequest, reply: FastifyReply, shown?: Shown, body: Body = {}) => {
    const { person } = await safeguarding.list(requireUser(req), requirePersonAccess(req), 'page');
    const values = shown
      ? {
          ...shown.values,
          occurred_on: dateInput(body, 'occurred_on').parts,
          returned_on: dateInput(body, 'returned_on').parts,
        }
      : { kind: String((req.query as Record<string, unknown>).kind ?? '') };
    return reply.view('safeguarding/views/event.njk', {
      person,
      riskKinds: RISK_KINDS,
      returnInterview: RETURN_INTERVIEW,
      values,
      errors: shown?.errors ?? {},
      errorList: shown?.errorList,
    });
  };

  app.get<{ Params: PersonParams }>('/people/:personId/risk-events/new', { config: edit, schema: hide }, (req, reply) =>
    eventForm(req, reply),
  );

  app.post<{ Params: PersonParams }>(
    '/people/:personId/risk-events',
    { config: edit, schema: hide },
    async (req, reply) => {
      const id = req.params.personId;
      const body = (req.body ?? {}) as Body;
      return postForm(
        reply,
        body,
        async () => {
          await safeguarding.recordEvent(
            requireUser(req),
            id,
            RiskEventInput.parse(body, { today: safeguarding.today() }),
          );
          return `/people/${id}/screenings?saved=event`;
        },
        (shown) => eventForm(req, reply, shown, body),
      );
    },
  );

  registerSafeguardingApi(app);
}
