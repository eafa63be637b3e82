// The plan-changes pages under /ehc-plans/:planId: the plan's amendments and cessations, starting each, one
// amendment or cessation with its clocks and the forms that move it on, the printable notice of a decision to cease,
// and a plan transferred in. Every form posts, then redirects with ?saved=<key>; bad input or a change the protocol
// does not allow shows the page again with the GOV.UK error summary (400, 409), nothing written.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { CEASE_REASONS } from '../../domain/ehc-plan.ts';
import { Conflict } from '../../http/errors.ts';
import { formValues } from '../../http/form-post.ts';
import { type Body, errorList, ValidationError } from '../../http/forms.ts';
import { requireUser } from '../../http/request.ts';
import type { AuthUser } from '../../http/types.ts';
import { StaleVersion, staleForm } from '../../http/versions.ts';
import { registerPlanChangesApi } from './api.ts';
import { stepWords } from './read.ts';
import * as s from './schemas.ts';

const hide = { hide: true };
const manage = { policy: { capability: 'ehcp:manage' as const } };
const V = 'ehc-plan-changes/views/';

const SAVED: Record<string, string> = {
  started: 'Amendment started: edit the proposed amendments, then send them with the notice',
  sent: 'Proposals recorded as sent: the family has at least 15 days to make representations',
  representation: 'Representations recorded',
  prepared: 'Amended plan prepared for editing',
  amended: 'Amended plan issued',
  'not-amended': 'Decision not to amend recorded',
  withdrawn: 'Amendment withdrawn',
  proposed: 'Ceasing the plan proposed: consult the family and the setting',
  decided: 'Decision recorded',
  appeal: 'Appeal recorded: the plan is kept until it is decided',
  'appeal-outcome': 'Outcome of the appeal recorded',
  ceased: 'The plan has ceased',
  told: 'Recorded what the family was told',
};
const savedText = (q: unknown) => {
  const key = (q as { saved?: unknown } | undefined)?.saved;
  return typeof key === 'string' && Object.hasOwn(SAVED, key) ? SAVED[key] : null;
};
const OUTCOMES: Record<string, string> = {
  amended: 'Amended',
  not_amended: 'Not amended',
  withdrawn: 'Withdrawn',
  ceased: 'Ceased',
  maintained: 'Plan kept',
};
const STARTED: Record<string, string> = {
  review: 'From the annual review',
  coordinator: 'By the coordinator',
  age_25: 'Raised ahead of the end of the academic year of the 25th birthday',
};
const REASONS = CEASE_REASONS.map((r) => ({ value: String(r.code), text: `${r.code}: ${r.label}` }));
const FROM_WHOM = s.FROM_WHOM.map((v) => ({ value: v, text: s.FROM_WHOM_LABELS[v] }));

type PlanP = { planId: string };
type AmendP = PlanP & { amendmentId: string };
type CeaseP = PlanP & { cessationId: string };

/**
 * A form's POST: the change, then a redirect; a ValidationError (400), a stale version (409, staleForm's words) or
 * another Conflict (409, e.g. a step the protocol is not at) shows `again` with the error summary and what was typed.
 */
async function act(
  reply: FastifyReply,
  body: Body,
  o: { change: () => Promise<string>; again: (shown: object) => Promise<unknown>; reload: string },
) {
  try {
    return reply.redirect(await o.change(), 303);
  } catch (e) {
    const values = formValues(body);
    if (e instanceof ValidationError) {
      reply.code(400);
      return o.again({ values, errors: e.fields, errorList: errorList(e.fields) });
    }
    if (e instanceof StaleVersion) return staleForm(reply, e, o.reload, (shown) => o.again({ values, ...shown }));
    if (e instanceof Conflict) {
      reply.code(409);
      return o.again({ values, errors: {}, errorList: [{ text: e.message, href: '#main-content' }] });
    }
    throw e;
  }
}

type Page = (request: FastifyRequest, reply: FastifyReply, extra?: object) => Promise<unknown>;

/**
 * The form POSTs of one record's page (`url`): each parses its input, runs the change, and redirects back to the page
 * with ?saved=<key>; on bad input or a conflict the page is shown again.
 */
function formPosts<Pm extends PlanP>(app: FastifyInstance, url: string, page: Page, back: (p: Pm) => string) {
  const svc = app.services.ehcPlanChanges;
  return <I>(
    path: string,
    decl: { parse(b: Body, c: { today: string }): I },
    run: (u: AuthUser, p: Pm, x: I) => Promise<unknown>,
    saved: string,
  ) =>
    app.post(`${url}/${path}`, { config: manage, schema: hide }, async (request, reply) => {
      const p = request.params as Pm;
      const body = (request.body ?? {}) as Body;
      return act(reply, body, {
        change: async () => {
          await run(requireUser(request), p, decl.parse(body, { today: svc.today() }));
          return `${back(p)}?saved=${saved}`;
        },
        again: (shown) => page(request, reply, shown),
        reload: back(p),
      });
    });
}

export function registerPlanChangesRoutes(app: FastifyInstance) {
  const svc = app.services.ehcPlanChanges;

  app.get<{ Params: PlanP }>('/ehc-plans/:planId/changes', { config: manage, schema: hide }, async (request, reply) => {
    const r = await svc.changes(requireUser(request), request.params.planId, 'page');
    return reply.view(`${V}changes.njk`, { ...r, outcomeWords: OUTCOMES, savedText: savedText(request.query) });
  });

  startForm(app, {
    path: 'amendments',
    view: 'start-amendment.njk',
    decl: s.AmendmentStart,
    start: (u, planId, x) => svc.startAmendment(u, planId, x),
    saved: 'started',
  });
  startForm(app, {
    path: 'cessation',
    view: 'start-cessation.njk',
    more: { reasons: REASONS },
    decl: s.CessationStart,
    start: (u, planId, x) => svc.startCessation(u, planId, x),
    saved: 'proposed',
  });

  registerAmendmentPages(app);
  registerCessationPages(app);
  registerTransferPages(app);
  registerPlanChangesApi(app);
}

/** The page that starts an amendment or a cessation (`/ehc-plans/:planId/<path>/new`) and its POST. */
function startForm<I>(
  app: FastifyInstance,
  o: {
    path: 'amendments' | 'cessation';
    view: string;
    more?: object;
    decl: { parse(b: Body, c: { today: string }): I };
    start(u: AuthUser, planId: string, x: I): Promise<string>;
    saved: string;
  },
) {
  const svc = app.services.ehcPlanChanges;
  const show = async (reply: FastifyReply, user: AuthUser, planId: string, shown: object = {}) =>
    reply.view(`${V}${o.view}`, { plan: (await svc.changes(user, planId, 'page')).plan, ...o.more, ...shown });
  app.get<{ Params: PlanP }>(`/ehc-plans/:planId/${o.path}/new`, { config: manage, schema: hide }, (request, reply) =>
    show(reply, requireUser(request), request.params.planId),
  );
  app.post<{ Params: PlanP }>(`/ehc-plans/:planId/${o.path}`, { config: manage, schema: hide }, (request, reply) => {
    const user = requireUser(request);
    const { planId } = request.params;
    const body = (request.body ?? {}) as Body;
    return act(reply, body, {
      change: async () =>
        `/ehc-plans/${planId}/${o.path}/${await o.start(user, planId, o.decl.parse(body, { today: svc.today() }))}?saved=${o.saved}`,
      again: (shown) => show(reply, user, planId, shown),
      reload: `/ehc-plans/${planId}/${o.path}/new`,
    });
  });
}

function registerAmendmentPages(app: FastifyInstance) {
  const svc = app.services.ehcPlanChanges;
  const url = '/ehc-plans/:planId/amendments/:amendmentId';
  const page = async (request: FastifyRequest, reply: FastifyReply, extra: object = {}) => {
    const { planId, amendmentId } = request.params as AmendP;
    const r = await svc.amendment(requireUser(request), planId, amendmentId, 'page');
    return reply.view(`${V}amendment.njk`, {
      ...r,
      stepWords: stepWords(r.state.step),
      overdue: Boolean(r.state.step && r.state.due && r.state.due < svc.today()),
      outcomeWords: OUTCOMES,
      fromWhom: FROM_WHOM,
      fromWhomWords: s.FROM_WHOM_LABELS,
      savedText: savedText(request.query),
      ...extra,
    });
  };
  app.get(url, { config: manage, schema: hide }, (request, reply) => page(request, reply));
  const post = formPosts<AmendP>(app, url, page, (p) => `/ehc-plans/${p.planId}/amendments/${p.amendmentId}`);
  post('send', s.SendProposals, (u, p, x) => svc.sendProposals(u, p.planId, p.amendmentId, x), 'sent');
  post(
    'representations',
    s.RepresentationInput,
    (u, p, x) => svc.recordRepresentation(u, p.planId, p.amendmentId, x),
    'representation',
  );
  post(
    'prepare-final',
    s.VersionOnly,
    (u, p, x) => svc.prepareFinal(u, p.planId, p.amendmentId, x.version),
    'prepared',
  );
  post('issue', s.IssueAmended, (u, p, x) => svc.issueAmended(u, p.planId, p.amendmentId, x), 'amended');
  post('not-amended', s.NotAmend, (u, p, x) => svc.notAmend(u, p.planId, p.amendmentId, x), 'not-amended');
  post(
    'withdraw',
    s.VersionOnly,
    (u, p, x) => svc.withdrawAmendment(u, p.planId, p.amendmentId, x.version),
    'withdrawn',
  );
}

function registerCessationPages(app: FastifyInstance) {
  const svc = app.services.ehcPlanChanges;
  const url = '/ehc-plans/:planId/cessation/:cessationId';
  const load = (request: FastifyRequest, channel: 'page' | 'print') => {
    const { planId, cessationId } = request.params as CeaseP;
    return svc.cessation(requireUser(request), planId, cessationId, channel);
  };
  const page = async (request: FastifyRequest, reply: FastifyReply, extra: object = {}) => {
    const r = await load(request, 'page');
    return reply.view(`${V}cessation.njk`, {
      ...r,
      stepWords: stepWords(r.state.step),
      overdue: Boolean(r.state.step && r.state.due && r.state.due < svc.today()),
      outcomeWords: OUTCOMES,
      startedWords: STARTED,
      savedText: savedText(request.query),
      ...extra,
    });
  };
  app.get(url, { config: manage, schema: hide }, (request, reply) => page(request, reply));
  app.get(`${url}/notice`, { config: manage, schema: hide }, async (request, reply) => {
    const r = await load(request, 'print');
    if (!r.cessation.notice_date) throw new Conflict('No notice has been sent: record the decision to cease first.');
    return reply.view(`${V}notice.njk`, r);
  });
  app.get(`${url}/notice.pdf`, { config: manage, schema: hide }, async (request, reply) => {
    const { planId, cessationId } = request.params as CeaseP;
    const pdf = await svc.ceaseNoticePdf(requireUser(request), planId, cessationId);
    return reply
      .type('application/pdf')
      .header('content-disposition', `attachment; filename="notice-to-cease-${cessationId.slice(0, 8)}.pdf"`)
      .send(pdf);
  });
  const post = formPosts<CeaseP>(app, url, page, (p) => `/ehc-plans/${p.planId}/cessation/${p.cessationId}`);
  post('decision', s.CessationDecision, (u, p, x) => svc.decideCessation(u, p.planId, p.cessationId, x), 'decided');
  post('appeal', s.AppealLodged, (u, p, x) => svc.appealLodged(u, p.planId, p.cessationId, x), 'appeal');
  post(
    'appeal-outcome',
    s.AppealDecided,
    (u, p, x) => svc.appealDecided(u, p.planId, p.cessationId, x),
    'appeal-outcome',
  );
  post('cease', s.CeasePlan, (u, p, x) => svc.ceasePlan(u, p.planId, p.cessationId, x), 'ceased');
}

function registerTransferPages(app: FastifyInstance) {
  const svc = app.services.ehcPlanChanges;
  const page = async (request: FastifyRequest, reply: FastifyReply, extra: object = {}) => {
    const r = await svc.transferIn(requireUser(request), (request.params as PlanP).planId, 'page');
    return reply.view(`${V}transfer.njk`, { ...r, savedText: savedText(request.query), ...extra });
  };
  app.get('/ehc-plans/:planId/transfer', { config: manage, schema: hide }, (request, reply) => page(request, reply));
  const post = formPosts<PlanP>(app, '/ehc-plans/:planId/transfer', page, (p) => `/ehc-plans/${p.planId}/transfer`);
  post('told', s.TransferTold, (u, p, x) => svc.recordTransferTold(u, p.planId, x), 'told');
}
