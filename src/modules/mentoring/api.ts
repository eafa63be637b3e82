// JSON API for the mentoring scheme (/api/v1): mentors and their checks, a young person's referrals with their
// match, goals, sessions and ending. Same service, access rules and logging as the pages.
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { Created, DateStr, errors, Id, Nullable, PersonParams } from '../../http/api-schema.ts';
import { type Body, ValidationError } from '../../http/forms.ts';
import { requirePersonAccess, requireUser } from '../../http/request.ts';
import type { AuthUser } from '../../http/types.ts';
import {
  CHECK_TYPES,
  CheckInput,
  DeclineInput,
  EndInput,
  GoalInput,
  MatchInput,
  MentorInput,
  OUTCOMES,
  PROGRESS,
  ReferralInput,
  ReviewInput,
  SessionInput,
  STATUSES,
} from './schemas.ts';
import type { MentoringService } from './service.ts';

/** The referral's API body: the form's fields, with the goals as a list instead of one a line. */
const ReferralApiBody = Type.Object(
  {
    ...ReferralInput.schema.properties,
    goals: Type.Array(Type.String({ minLength: 1, maxLength: 500 }), { minItems: 1, maxItems: 20 }),
  },
  { additionalProperties: false, required: ReferralInput.schema.required },
);

const tags = ['mentoring'];
// biome-ignore lint/suspicious/noExplicitAny: each action reads its own declaration's input
type Act = any;
const codes = (o: Record<string, string>, description: string) =>
  Type.Union(
    Object.keys(o).map((k) => Type.Literal(k)),
    {
      description: `${description}: ${Object.entries(o)
        .map(([k, v]) => `${k} (${v})`)
        .join(', ')}`,
    },
  );

const Check = Type.Object({
  check_type: codes(CHECK_TYPES, 'The check'),
  expires_on: Nullable(DateStr),
  state: Type.Union(
    ['missing', 'expired', 'expiring', 'valid'].map((s) => Type.Literal(s)),
    {
      description: 'expiring: within 30 days',
    },
  ),
});
const Mentor = Type.Object({
  id: Id,
  kind: Type.String({ description: 'staff or volunteer' }),
  user_id: Nullable(Id),
  name: Type.String(),
  contact: Nullable(Type.String()),
  organisation: Nullable(Type.String()),
  capacity: Type.Integer(),
  active_matches: Type.Integer(),
  areas: Nullable(Type.String()),
  interests: Nullable(Type.String()),
  checks: Type.Array(Check),
  can_be_matched: Type.Boolean(),
  why_not: Nullable(Type.String({ description: 'Why the mentor cannot be matched today' })),
  warnings: Type.Array(Type.String(), { description: 'Checks expiring within 30 days' }),
});
const Goal = Type.Object({
  id: Id,
  goal: Type.String(),
  progress: codes(PROGRESS, 'Progress'),
  progress_note: Nullable(Type.String()),
  version: Type.Integer(),
});
const Session = Type.Object({
  id: Id,
  held_on: DateStr,
  attended: Type.Boolean(),
  not_attended_reason: Nullable(Type.String()),
  notes: Nullable(Type.String()),
  recorded_by: Type.String(),
});
const Referral = Type.Object({
  id: Id,
  referred_on: DateStr,
  referred_by: Type.String(),
  reason: Type.String(),
  hopes: Type.String(),
  status: codes(STATUSES, 'Where the referral is (from its protocol instance)'),
  step: Nullable(Type.String({ description: 'The open step of mentoring-referral: match or mentoring' })),
  due: Nullable(DateStr),
  mentor: Nullable(Type.Object({ id: Id, name: Type.String() })),
  matched_on: Nullable(DateStr),
  ended_on: Nullable(DateStr),
  outcome: Nullable(codes(OUTCOMES, 'How the mentoring ended')),
  outcome_notes: Nullable(Type.String()),
  declined_reason: Nullable(Type.String()),
  version: Type.Integer({ description: 'Send it with a match, decline, review or end' }),
  goals: Type.Array(Goal),
  sessions: Type.Array(Session),
});

type MentorView = Awaited<ReturnType<MentoringService['mentors']>>[number];
const mentor = (m: MentorView) => ({
  id: m.id,
  kind: m.kind,
  user_id: m.user_id,
  name: m.name,
  contact: m.contact,
  organisation: m.organisation,
  capacity: m.capacity,
  active_matches: m.active_matches,
  areas: m.areas,
  interests: m.interests,
  checks: m.statuses.map((s) => ({ check_type: s.type, expires_on: s.expires_on, state: s.state })),
  can_be_matched: m.problem === null,
  why_not: m.problem,
  warnings: m.warnings,
});
type ReferralView = Awaited<ReturnType<MentoringService['referrals']['forPerson']>>['referrals'][number];
export const referral = (r: ReferralView) => ({
  id: r.id,
  referred_on: r.referred_on,
  referred_by: r.referrer,
  reason: r.reason,
  hopes: r.hopes,
  status: r.status,
  step: r.state?.step ?? null,
  due: r.state?.due ?? null,
  mentor: r.mentor_id ? { id: r.mentor_id, name: r.mentor_name ?? '' } : null,
  matched_on: r.matched_on,
  ended_on: r.ended_on,
  outcome: r.outcome,
  outcome_notes: r.outcome_notes,
  declined_reason: r.declined_reason,
  version: r.version,
  goals: r.goals,
  sessions: r.sessions,
});

const manage = { policy: { capability: 'mentoring:manage' as const } };
/** The scheme acts on any young person in the council: no relationship needed, the read is still logged. */
const scheme = {
  policy: { capability: 'mentoring:manage' as const, person: 'personId', relationship: 'not-needed' as const },
};
/** The mentor, the scheme or someone who works with the young person: the service decides which. */
const session = { policy: { capability: null, person: 'personId', relationship: 'not-needed' as const } };
const MentorParams = Type.Object({ mentorId: Id });
const ReferralParams = Type.Object({ personId: Id, referralId: Id });
const GoalParams = Type.Object({ personId: Id, referralId: Id, goalId: Id });
const Done = Type.Object({ referral: Referral });

export function registerMentoringApi(app: FastifyInstance) {
  mentorsApi(app);
  referralsApi(app);
  schemeApi(app);
}

function mentorsApi(app: FastifyInstance) {
  const { mentoring } = app.services;
  const schema = (summary: string, extra: Record<string, unknown>) => ({ tags, summary, ...extra });
  app.get(
    '/api/v1/mentoring/mentors',
    {
      config: manage,
      schema: schema('Mentors, their checks and capacity', {
        response: { 200: Type.Object({ items: Type.Array(Mentor) }), ...errors },
      }),
    },
    async (request) => ({ items: (await mentoring.mentors(requireUser(request))).map(mentor) }),
  );
  app.post(
    '/api/v1/mentoring/mentors',
    {
      config: manage,
      schema: schema('Add a mentor: a member of staff (by sign-in email) or a vetted volunteer', {
        body: MentorInput.schema,
        response: { 201: Created, ...errors },
      }),
    },
    async (request, reply) => {
      const input = MentorInput.parse(request.body as Body, mentoring.today());
      return reply.code(201).send({ id: await mentoring.addMentor(requireUser(request), input) });
    },
  );
  app.get(
    '/api/v1/mentoring/mentors/:mentorId',
    { config: manage, schema: schema('A mentor', { params: MentorParams, response: { 200: Mentor, ...errors } }) },
    async (request) =>
      mentor(await mentoring.mentor(requireUser(request), (request.params as { mentorId: string }).mentorId)),
  );
  app.post(
    '/api/v1/mentoring/mentors/:mentorId/checks',
    {
      config: manage,
      schema: schema('Record a check (enhanced DBS, references, safeguarding training) with its expiry', {
        params: MentorParams,
        body: CheckInput.schema,
        response: { 201: Created, ...errors },
      }),
    },
    async (request, reply) => {
      const input = CheckInput.parse(request.body as Body, mentoring.today());
      const { mentorId } = request.params as { mentorId: string };
      return reply.code(201).send({ id: await mentoring.addCheck(requireUser(request), mentorId, input) });
    },
  );
}

function referralsApi(app: FastifyInstance) {
  const { mentoring } = app.services;
  app.get(
    '/api/v1/people/:personId/mentoring',
    {
      config: { policy: { capability: 'person:read' as const, person: 'personId' } },
      schema: {
        tags,
        summary: 'The young person’s mentoring referrals, mentor, goals and sessions (the read is logged)',
        params: PersonParams,
        response: { 200: Type.Object({ items: Type.Array(Referral) }), ...errors },
      },
    },
    async (request) => {
      const r = await mentoring.referrals.forPerson(requireUser(request), requirePersonAccess(request), 'api');
      return { items: r.referrals.map(referral) };
    },
  );
  app.post(
    '/api/v1/people/:personId/mentoring',
    {
      config: { policy: { capability: 'person:edit' as const, person: 'personId' } },
      schema: {
        tags,
        summary: 'Refer the young person for a mentor (goals as a list); starts the mentoring-referral protocol',
        params: PersonParams,
        body: ReferralApiBody,
        response: { 201: Created, ...errors },
      },
    },
    async (request, reply) => {
      const body = request.body as Body & { goals: string[] };
      // The form takes the goals one a line; the API takes a list, each goal kept as sent (less end spaces).
      if (body.goals.some((g) => /[\r\n]/.test(g)))
        throw new ValidationError({ goals: 'Goals must each be one line: send each goal as its own item' });
      const input = ReferralInput.parse({ ...body, goals: body.goals.join('\n') }, mentoring.today());
      const { personId } = request.params as { personId: string };
      return reply.code(201).send({ id: await mentoring.referrals.refer(requireUser(request), personId, input) });
    },
  );
}

/** Reads one referral back after a change. */
async function after(
  app: FastifyInstance,
  request: Parameters<typeof requireUser>[0],
  referralId: string,
  who: 'manage' | 'session',
) {
  const r = await app.services.mentoring.referrals.one(
    requireUser(request),
    requirePersonAccess(request),
    referralId,
    'api',
    who,
  );
  return { referral: referral(r.referral) };
}

function schemeApi(app: FastifyInstance) {
  const { mentoring } = app.services;
  const base = '/api/v1/mentoring/people/:personId/referrals/:referralId';
  const actions = [
    [
      'match',
      'Match with a mentor who has capacity and in-date checks (refused with the check and date otherwise)',
      MatchInput,
      (u: AuthUser, p: string, id: string, i: Act) => mentoring.referrals.match(u, p, id, i),
    ],
    [
      'decline',
      'Decline a referral waiting for a match, with a reason',
      DeclineInput,
      (u: AuthUser, p: string, id: string, i: Act) => mentoring.referrals.decline(u, p, id, i),
    ],
    [
      'review',
      'Record the 3-monthly review: mentoring continues, the next review is due in 3 months',
      ReviewInput,
      (u: AuthUser, p: string, id: string, i: Act) => mentoring.referrals.review(u, p, id, i.version),
    ],
    [
      'end',
      'End the mentoring with an outcome and notes',
      EndInput,
      (u: AuthUser, p: string, id: string, i: Act) => mentoring.referrals.end(u, p, id, i),
    ],
  ] as const;
  for (const [name, summary, decl, act] of actions) {
    app.post(
      `${base}/${name}`,
      {
        config: scheme,
        schema: { tags, summary, params: ReferralParams, body: decl.schema, response: { 200: Done, ...errors } },
      },
      async (request) => {
        const { personId, referralId } = request.params as { personId: string; referralId: string };
        await act(requireUser(request), personId, referralId, decl.parse(request.body as Body, mentoring.today()));
        return after(app, request, referralId, 'manage');
      },
    );
  }
  app.post(
    `${base}/sessions`,
    {
      config: session,
      schema: {
        tags,
        summary: 'Record a session (the mentor, the scheme, or someone who works with the young person)',
        params: ReferralParams,
        body: SessionInput.schema,
        response: { 201: Created, ...errors },
      },
    },
    async (request, reply) => {
      const input = SessionInput.parse(request.body as Body, mentoring.today());
      const { personId, referralId } = request.params as { personId: string; referralId: string };
      return reply
        .code(201)
        .send({ id: await mentoring.referrals.addSession(requireUser(request), personId, referralId, input) });
    },
  );
  app.put(
    `${base}/goals/:goalId`,
    {
      config: session,
      schema: {
        tags,
        summary: 'Record a goal’s progress',
        params: GoalParams,
        body: GoalInput.schema,
        response: { 200: Done, ...errors },
      },
    },
    async (request) => {
      const input = GoalInput.parse(request.body as Body, mentoring.today());
      const { personId, referralId, goalId } = request.params as {
        personId: string;
        referralId: string;
        goalId: string;
      };
      await mentoring.referrals.updateGoal(requireUser(request), personId, referralId, goalId, input);
      return after(app, request, referralId, 'session');
    },
  );
}
