// SEND hubs (issue 13 parts 4, 5, 6): the Navigator's page for a request (Navigator, support plan actions, contact
// log, support started, review), the locality team's answer to a referral, and needs in context; their API is in
// navigator-api.ts. Forms post and redirect with ?saved=<key>, or show the page again with an error summary.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { postForm, type Shown } from '../../http/form-post.ts';
import type { Body } from '../../http/forms.ts';
import { requireUser } from '../../http/request.ts';
import type { AuthUser } from '../../http/types.ts';
import { needsInContext } from './context.ts';
import * as nav from './navigator.ts';
import { registerNavigatorApi } from './navigator-api.ts';
import { AREAS_OF_NEED } from './schemas-requests.ts';
import {
  CONTACT_METHODS,
  CONTACT_WITH,
  ContactInput,
  LOCALITY_DECISIONS,
  LocalityInput,
  NavigatorInput,
  REVIEW_DECISIONS,
  SupportActionInput,
  SupportReviewInput,
  SupportStartedInput,
} from './schemas-triage.ts';
import { triageDeps } from './triage-api.ts';
import { answerReferral, localityPage } from './triage-locality.ts';
import { dated, parts, savedText, work } from './triage-routes.ts';

const hide = { hide: true };
const SAVED: Record<string, string> = {
  navigator: 'Navigator saved: the support is now theirs',
  action: 'Action added to the support plan',
  contact: 'Contact recorded',
  started: 'Support started: the review is due',
  reviewed: 'Review recorded',
  locality: 'Answer recorded',
};
type R = { hubId: string; requestId: string };
const lists = {
  contactWith: CONTACT_WITH,
  contactMethods: CONTACT_METHODS,
  decisions: REVIEW_DECISIONS,
  localityDecisions: LOCALITY_DECISIONS,
  areas: AREAS_OF_NEED,
};
const DATES = ['due_date', 'contact_on', 'started_on', 'review_date', 'next_review'];

export function registerNavigatorRoutes(app: FastifyInstance): void {
  registerNavigatorApi(app);
  navigatorPages(app);
  localityPages(app);
  app.get<{ Params: R }>(
    '/hubs/:hubId/requests/:requestId/context',
    { config: work, schema: hide },
    async (req, reply) =>
      reply.view('send-hubs/views/context-needs.njk', {
        ...(await needsInContext(
          app.services.sendHubs.ctx,
          requireUser(req),
          req.params.hubId,
          req.params.requestId,
          'page',
        )),
        areas: AREAS_OF_NEED,
      }),
  );
}

function navigatorPages(app: FastifyInstance) {
  const { ctx } = app.services.sendHubs;
  const deps = triageDeps(app);
  const page = async (req: FastifyRequest<{ Params: R }>, reply: FastifyReply, shown?: Shown) => {
    const data = await nav.navigatorPage(ctx, requireUser(req), req.params.hubId, req.params.requestId, 'page');
    return reply.view('send-hubs/views/navigator-request.njk', {
      ...data,
      ...lists,
      values: shown?.values ?? { contact_on: parts(ctx.today()), started_on: parts(ctx.today()) },
      errors: shown?.errors ?? {},
      errorList: shown?.errorList,
      savedText: savedText(req, SAVED),
    });
  };
  app.get<{ Params: R }>('/hubs/:hubId/requests/:requestId/navigator', { config: work, schema: hide }, (req, reply) =>
    page(req, reply),
  );
  const post = (
    path: string,
    saved: string,
    act: (user: AuthUser, p: R, body: Body, today: { today: string }) => Promise<unknown>,
  ) =>
    app.post<{ Params: R }>(
      `/hubs/:hubId/requests/:requestId/navigator${path}`,
      { config: work, schema: hide },
      async (req, reply) => {
        const body = (req.body ?? {}) as Body;
        const p = req.params;
        return postForm(
          reply,
          body,
          async () => {
            await act(requireUser(req), p, body, { today: ctx.today() });
            return `/hubs/${p.hubId}/requests/${p.requestId}/navigator?saved=${saved}`;
          },
          (shown) => page(req, reply, { ...shown, values: dated(shown, body, ...DATES) }),
        );
      },
    );
  post('', 'navigator', (user, p, body, t) =>
    nav.changeNavigator(ctx, user, p.hubId, p.requestId, NavigatorInput.parse(body, t)),
  );
  post('/actions', 'action', (user, p, body, t) =>
    nav.addSupportAction(ctx, deps, user, p.hubId, p.requestId, SupportActionInput.parse(body, t)),
  );
  post('/contacts', 'contact', (user, p, body, t) =>
    nav.addContact(ctx, user, p.hubId, p.requestId, ContactInput.parse(body, t)),
  );
  post('/started', 'started', (user, p, body, t) =>
    nav.supportStarted(ctx, user, p.hubId, p.requestId, SupportStartedInput.parse(body, t)),
  );
  post('/review', 'reviewed', (user, p, body, t) =>
    nav.review(ctx, deps, user, p.hubId, p.requestId, SupportReviewInput.parse(body, t)),
  );
}

function localityPages(app: FastifyInstance) {
  const { ctx } = app.services.sendHubs;
  const page = async (req: FastifyRequest<{ Params: R }>, reply: FastifyReply, shown?: Shown) =>
    reply.view('send-hubs/views/triage-locality.njk', {
      ...(await localityPage(ctx, requireUser(req), req.params.hubId, req.params.requestId, 'page')),
      ...lists,
      values: shown?.values ?? {},
      errors: shown?.errors ?? {},
      errorList: shown?.errorList,
      savedText: savedText(req, SAVED),
    });
  app.get<{ Params: R }>('/hubs/:hubId/requests/:requestId/locality', { config: work, schema: hide }, (req, reply) =>
    page(req, reply),
  );
  app.post<{ Params: R }>(
    '/hubs/:hubId/requests/:requestId/locality',
    { config: work, schema: hide },
    async (req, reply) => {
      const body = (req.body ?? {}) as Body;
      const p = req.params;
      return postForm(
        reply,
        body,
        async () => {
          const input = LocalityInput.parse(body, { today: ctx.today() });
          await answerReferral(ctx, requireUser(req), p.hubId, p.requestId, input);
          return `/hubs/${p.hubId}/requests/${p.requestId}/locality?saved=locality`;
        },
        (shown) => page(req, reply, shown),
      );
    },
  );
}
