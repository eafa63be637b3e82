// The mentoring scheme's pages: the overview, the mentors (with their checks), a young person's mentoring page
// and referral form, the scheme's page for one referral (match, decline, review, end) and the session form; and
// its API (api.ts). Forms post and redirect with ?saved=<key>, or show the form again with an error summary.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { postForm, type Shown } from '../../http/form-post.ts';
import { type Body, dateInput } from '../../http/forms.ts';
import { requirePersonAccess, requireUser } from '../../http/request.ts';
import { registerMentoringApi } from './api.ts';
import {
  CHECK_TYPES,
  CheckInput,
  DeclineInput,
  EndInput,
  MatchInput,
  MENTOR_KINDS,
  MentorInput,
  OUTCOMES,
  PROGRESS,
  ReferralInput,
  ReviewInput,
  SessionInput,
  STATUSES,
} from './schemas.ts';

const hide = { hide: true };
const manage = { policy: { capability: 'mentoring:manage' as const } };
const scheme = {
  policy: { capability: 'mentoring:manage' as const, person: 'personId', relationship: 'not-needed' as const },
};
const session = { policy: { capability: null, person: 'personId', relationship: 'not-needed' as const } };
const lists = {
  kinds: MENTOR_KINDS,
  checkTypes: CHECK_TYPES,
  outcomes: OUTCOMES,
  progress: PROGRESS,
  statuses: STATUSES,
};
const SAVED: Record<string, string> = {
  mentor: 'Mentor added',
  check: 'Check recorded',
  referred: 'Referral made: the exploitation lead will match a mentor',
  matched: 'Matched with a mentor',
  declined: 'Referral declined',
  reviewed: 'Review recorded: the next review is due in 3 months',
  ended: 'Mentoring ended',
  session: 'Session recorded',
};
const saved = (req: FastifyRequest) => SAVED[String((req.query as Record<string, unknown>)?.saved ?? '')];
type P = { personId: string };
type R = P & { referralId: string };
const dated = (shown: Shown, body: Body, ...names: string[]) => ({
  ...shown.values,
  ...Object.fromEntries(names.map((n) => [n, dateInput(body, n).parts])),
});

export function registerMentoringRoutes(app: FastifyInstance) {
  registerMentoringApi(app);
  mentorPages(app);
  personPages(app);
  schemePages(app);
}

function mentorPages(app: FastifyInstance) {
  const { mentoring } = app.services;
  app.get('/mentoring', { config: manage, schema: hide }, async (req, reply) =>
    reply.view('mentoring/views/overview.njk', {
      ...(await mentoring.overview(requireUser(req))),
      ...lists,
      savedText: saved(req),
    }),
  );
  app.get('/mentoring/mentors/new', { config: manage, schema: hide }, async (_req, reply) =>
    reply.view('mentoring/views/mentor-new.njk', { ...lists, values: {} }),
  );
  app.post('/mentoring/mentors', { config: manage, schema: hide }, async (req, reply) => {
    const body = (req.body ?? {}) as Body;
    return postForm(
      reply,
      body,
      async () => {
        const id = await mentoring.addMentor(requireUser(req), MentorInput.parse(body, mentoring.today()));
        return `/mentoring/mentors/${id}?saved=mentor`;
      },
      (shown) => reply.view('mentoring/views/mentor-new.njk', { ...lists, ...shown }),
    );
  });
  app.get<{ Params: { mentorId: string } }>(
    '/mentoring/mentors/:mentorId',
    { config: manage, schema: hide },
    async (req, reply) =>
      reply.view('mentoring/views/mentor.njk', {
        ...lists,
        mentor: await mentoring.mentor(requireUser(req), req.params.mentorId),
        values: {},
        savedText: saved(req),
      }),
  );
  app.post<{ Params: { mentorId: string } }>(
    '/mentoring/mentors/:mentorId/checks',
    { config: manage, schema: hide },
    async (req, reply) => {
      const body = (req.body ?? {}) as Body;
      const id = req.params.mentorId;
      return postForm(
        reply,
        body,
        async () => {
          await mentoring.addCheck(requireUser(req), id, CheckInput.parse(body, mentoring.today()));
          return `/mentoring/mentors/${id}?saved=check`;
        },
        async (shown) =>
          reply.view('mentoring/views/mentor.njk', {
            ...lists,
            ...shown,
            mentor: await mentoring.mentor(requireUser(req), id),
            values: dated(shown, body, 'checked_date', 'expiry_date'),
          }),
      );
    },
  );
}

function personPages(app: FastifyInstance) {
  const { mentoring } = app.services;
  const read = { policy: { capability: 'person:read' as const, person: 'personId' } };
  const edit = { policy: { capability: 'person:edit' as const, person: 'personId' } };
  app.get<{ Params: P }>('/people/:personId/mentoring', { config: read, schema: hide }, async (req, reply) => {
    const user = requireUser(req);
    const data = await mentoring.referrals.forPerson(user, requirePersonAccess(req), 'page');
    return reply.view('mentoring/views/person.njk', {
      ...data,
      ...lists,
      manages: user.caps.has('mentoring:manage'),
      canRefer: user.caps.has('person:edit'),
      savedText: saved(req),
    });
  });
  const form = async (req: FastifyRequest<{ Params: P }>, reply: FastifyReply, extra: object = {}) => {
    const data = await mentoring.referrals.forPerson(requireUser(req), requirePersonAccess(req), 'page');
    return reply.view('mentoring/views/refer.njk', { person: data.person, values: {}, ...extra });
  };
  app.get<{ Params: P }>('/people/:personId/mentoring/new', { config: edit, schema: hide }, (req, reply) =>
    form(req, reply),
  );
  app.post<{ Params: P }>('/people/:personId/mentoring', { config: edit, schema: hide }, async (req, reply) => {
    const body = (req.body ?? {}) as Body;
    const id = req.params.personId;
    return postForm(
      reply,
      body,
      async () => {
        await mentoring.referrals.refer(requireUser(req), id, ReferralInput.parse(body, mentoring.today()));
        return `/people/${id}/mentoring?saved=referred`;
      },
      (shown) => form(req, reply, shown),
    );
  });
}

function schemePages(app: FastifyInstance) {
  const { mentoring } = app.services;
  const base = '/mentoring/people/:personId/referrals/:referralId';
  const page = async (
    req: FastifyRequest<{ Params: R }>,
    reply: FastifyReply,
    extra: Partial<Shown> & { form?: string } = {},
  ) => {
    const user = requireUser(req);
    const data = await mentoring.referrals.one(user, requirePersonAccess(req), req.params.referralId, 'page', 'manage');
    const mentors = await mentoring.mentors(user);
    // The match form's radios: every active mentor (one who cannot be matched is refused with the reason).
    const choices = Object.fromEntries(
      mentors.filter((m) => m.active).map((m) => [m.id, `${m.name} (${MENTOR_KINDS[m.kind].toLowerCase()})`]),
    );
    return reply.view('mentoring/views/referral.njk', {
      ...data,
      ...lists,
      mentors,
      choices,
      values: {},
      ...extra,
      savedText: saved(req),
    });
  };
  app.get<{ Params: R }>(base, { config: scheme, schema: hide }, (req, reply) => page(req, reply));
  const actions = {
    match: (req: FastifyRequest<{ Params: R }>, body: Body) =>
      mentoring.referrals.match(
        requireUser(req),
        req.params.personId,
        req.params.referralId,
        MatchInput.parse(body, mentoring.today()),
      ),
    decline: (req: FastifyRequest<{ Params: R }>, body: Body) =>
      mentoring.referrals.decline(
        requireUser(req),
        req.params.personId,
        req.params.referralId,
        DeclineInput.parse(body, mentoring.today()),
      ),
    review: (req: FastifyRequest<{ Params: R }>, body: Body) =>
      mentoring.referrals.review(
        requireUser(req),
        req.params.personId,
        req.params.referralId,
        ReviewInput.parse(body, mentoring.today()).version,
      ),
    end: (req: FastifyRequest<{ Params: R }>, body: Body) =>
      mentoring.referrals.end(
        requireUser(req),
        req.params.personId,
        req.params.referralId,
        EndInput.parse(body, mentoring.today()),
      ),
  } as const;
  const savedKey = { match: 'matched', decline: 'declined', review: 'reviewed', end: 'ended' } as const;
  for (const [name, act] of Object.entries(actions) as [
    keyof typeof actions,
    (typeof actions)[keyof typeof actions],
  ][]) {
    app.post<{ Params: R }>(`${base}/${name}`, { config: scheme, schema: hide }, async (req, reply) => {
      const body = (req.body ?? {}) as Body;
      return postForm(
        reply,
        body,
        async () => {
          await act(req, body);
          return `/mentoring/people/${req.params.personId}/referrals/${req.params.referralId}?saved=${savedKey[name]}`;
        },
        (shown) => page(req, reply, { ...shown, values: dated(shown, body, 'match_date', 'end_date'), form: name }),
      );
    });
  }
  const sessionForm = async (req: FastifyRequest<{ Params: R }>, reply: FastifyReply, extra: object = {}) => {
    const data = await mentoring.referrals.one(
      requireUser(req),
      requirePersonAccess(req),
      req.params.referralId,
      'page',
      'session',
    );
    return reply.view('mentoring/views/session.njk', { ...data, values: {}, ...extra, savedText: saved(req) });
  };
  app.get<{ Params: R }>(`${base}/sessions/new`, { config: session, schema: hide }, (req, reply) =>
    sessionForm(req, reply),
  );
  app.post<{ Params: R }>(`${base}/sessions`, { config: session, schema: hide }, async (req, reply) => {
    const body = (req.body ?? {}) as Body;
    const { personId, referralId } = req.params;
    return postForm(
      reply,
      body,
      async () => {
        const input = SessionInput.parse(body, mentoring.today());
        await mentoring.referrals.addSession(requireUser(req), personId, referralId, input);
        return `/mentoring/people/${personId}/referrals/${referralId}/sessions/new?saved=session`;
      },
      (shown) => sessionForm(req, reply, { ...shown, values: dated(shown, body, 'session_date') }),
    );
  });
}
