// Partner organisations' pages: the lead's "My organisation" (members, invite, deactivate, make a lead), the team
// inbox every member sees (take a request), and the council administrator's choice of an organisation's leads.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { postForm, type Shown } from '../../http/form-post.ts';
import { type Body, ValidationError } from '../../http/forms.ts';
import { requireAdviceAccess, requireUser } from '../../http/request.ts';
import type { AdviceAccess, AuthUser } from '../../http/types.ts';
import { registerPartnersApi } from './api.ts';
import { LeadInput, MemberInviteInput } from './schemas.ts';

const hide = { hide: true };
const signedIn = { policy: { capability: null } };
const admin = { policy: { capability: 'org:admin' as const } };
const addressee = { policy: { capability: null, adviceRequest: 'requestId' } };

const SAVED: Record<string, string> = {
  invited: 'Invitation sent: an email with a link to set their password has gone to them',
  deactivated: 'Member deactivated: they can no longer sign in, and requests they had taken are back in the inbox',
  lead: 'Lead added: they can now manage the organisation’s members',
  taken: 'Request taken: it is yours to answer, and its reminders come to you',
  returned: 'Request put back in the inbox: the organisation’s lead holds it until someone takes it',
  'lead-added': 'Lead added: the organisation has a team inbox',
  'lead-removed': 'Lead removed',
};
/** A button's error (no field of its own on the page) links to the list of members. */
const toMembers = (shown: Shown): Shown => ({
  ...shown,
  errorList: shown.errorList.map((e) => ({ ...e, href: '#members' })),
});
const savedText = (req: FastifyRequest) => SAVED[String((req.query as Record<string, unknown>)?.saved ?? '')];

/** A button's POST: change and redirect, or the page again (400) with the message in the error summary. */
async function buttonPost(reply: FastifyReply, change: () => Promise<string>, again: (shown: Shown) => unknown) {
  return postForm(reply, {}, change, again);
}

export function registerPartnersRoutes(app: FastifyInstance) {
  const { partners } = app.services;

  const orgPage = async (req: FastifyRequest, reply: FastifyReply, shown?: Shown) =>
    reply.view('partners/views/organisation.njk', {
      ...(await partners.members(requireUser(req))),
      values: shown?.values ?? {},
      errors: shown?.errors ?? {},
      errorList: shown?.errorList,
      savedText: shown ? undefined : savedText(req),
    });

  app.get('/organisation', { config: signedIn, schema: hide }, (req, reply) => orgPage(req, reply));

  app.post('/organisation/members', { config: signedIn, schema: hide }, async (req, reply) => {
    const body = (req.body ?? {}) as Body;
    const user = requireUser(req);
    return postForm(
      reply,
      body,
      async () => {
        const { input, errors } = MemberInviteInput.read(body, { today: partners.today() });
        // A non-lead is refused before the input is judged.
        await partners.members(user);
        if (Object.keys(errors).length) throw new ValidationError(errors);
        await partners.inviteMember(user, input);
        return '/organisation?saved=invited';
      },
      (shown) => orgPage(req, reply, shown),
    );
  });

  type MemberP = { Params: { userId: string } };
  app.post<MemberP>('/organisation/members/:userId/deactivate', { config: signedIn, schema: hide }, (req, reply) =>
    buttonPost(
      reply,
      async () => {
        await partners.deactivateMember(requireUser(req), req.params.userId);
        return '/organisation?saved=deactivated';
      },
      (shown) => orgPage(req, reply, toMembers(shown)),
    ),
  );
  app.post<MemberP>('/organisation/members/:userId/lead', { config: signedIn, schema: hide }, (req, reply) =>
    buttonPost(
      reply,
      async () => {
        await partners.makeLead(requireUser(req), req.params.userId);
        return '/organisation?saved=lead';
      },
      (shown) => orgPage(req, reply, toMembers(shown)),
    ),
  );

  inboxPages(app);
  adminPages(app);
  registerPartnersApi(app);
}

/** The team inbox every member sees: take a request, put it back. */
function inboxPages(app: FastifyInstance) {
  const { partners } = app.services;
  const inboxPage = async (req: FastifyRequest, reply: FastifyReply, shown?: Shown) => {
    const data = await partners.inbox(requireUser(req));
    return reply.view('partners/views/inbox.njk', {
      me: requireUser(req).id,
      organisation: data?.organisation ?? null,
      items: data?.items ?? [],
      errorList: shown?.errorList,
      savedText: shown ? undefined : savedText(req),
    });
  };
  app.get('/organisation/inbox', { config: signedIn, schema: hide }, (req, reply) => inboxPage(req, reply));

  for (const [path, saved, run] of [
    ['take', 'taken', (u: AuthUser, a: AdviceAccess) => partners.take(u, a)],
    ['return', 'returned', (u: AuthUser, a: AdviceAccess) => partners.giveBack(u, a)],
  ] as const)
    app.post<{ Params: { requestId: string } }>(
      `/organisation/inbox/:requestId/${path}`,
      { config: addressee, schema: hide },
      (req, reply) =>
        buttonPost(
          reply,
          async () => {
            await run(requireUser(req), requireAdviceAccess(req));
            return `/organisation/inbox?saved=${saved}`;
          },
          (shown) =>
            inboxPage(req, reply, { ...shown, errorList: shown.errorList.map((e) => ({ ...e, href: '#inbox' })) }),
        ),
    );
}

/** The council's administrator: who leads an outside organisation. */
function adminPages(app: FastifyInstance) {
  const { partners } = app.services;
  type ServiceP = { Params: { serviceId: string } };
  const page = async (req: FastifyRequest<ServiceP>, reply: FastifyReply, shown?: Shown) =>
    reply.view('partners/views/leads.njk', {
      ...(await partners.leadsPage(requireUser(req), req.params.serviceId)),
      values: shown?.values ?? {},
      errors: shown?.errors ?? {},
      errorList: shown?.errorList,
      savedText: shown ? undefined : savedText(req),
    });

  app.get<ServiceP>('/admin/services/:serviceId/leads', { config: admin, schema: hide }, (req, reply) =>
    page(req, reply),
  );
  app.post<ServiceP>('/admin/services/:serviceId/leads', { config: admin, schema: hide }, async (req, reply) => {
    const body = (req.body ?? {}) as Body;
    return postForm(
      reply,
      body,
      async () => {
        await partners.addLead(
          requireUser(req),
          req.params.serviceId,
          LeadInput.parse(body, { today: partners.today() }),
        );
        return `/admin/services/${req.params.serviceId}/leads?saved=lead-added`;
      },
      (shown) => page(req, reply, shown),
    );
  });
  app.post<{ Params: { serviceId: string; userId: string } }>(
    '/admin/services/:serviceId/leads/:userId/remove',
    { config: admin, schema: hide },
    (req, reply) =>
      buttonPost(
        reply,
        async () => {
          await partners.removeLead(requireUser(req), req.params.serviceId, req.params.userId);
          return `/admin/services/${req.params.serviceId}/leads?saved=lead-removed`;
        },
        (shown) => page(req, reply, shown),
      ),
  );
}
