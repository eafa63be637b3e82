// JSON API for plans and actions, referrals, escalations and panels (/api/v1). Same services and access rules
// as the pages. Deciding a protocol step uses the protocol API (/api/v1/people/:personId/protocols/…).
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { Body } from '../../http/forms.ts';
import { requirePersonAccess, requireUser } from '../../http/request.ts';

const Id = Type.String({ format: 'uuid' });
const Nullable = <T extends ReturnType<typeof Type.String>>(t: T) => Type.Union([t, Type.Null()]);
const DateStr = Type.String({ description: 'YYYY-MM-DD', examples: ['2027-01-15'] });
const ErrorBody = Type.Object({
  statusCode: Type.Integer(),
  error: Type.String(),
  message: Type.String(),
  fields: Type.Optional(Type.Record(Type.String(), Type.String())),
});
const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody };
const Created = Type.Object({ id: Id });
const PersonParams = Type.Object({ personId: Id });

const Action = Type.Object({
  id: Id,
  description: Type.String(),
  goal_id: Nullable(Id),
  owner_user_id: Nullable(Id),
  owner_service_id: Nullable(Id),
  owner: Nullable(Type.String({ description: 'the named owner, or the service with nobody named yet' })),
  due_date: Nullable(DateStr),
  status: Type.String(),
  evidence: Nullable(Type.String()),
  issue_type: Nullable(Type.String({ description: 'gap or capacity' })),
  unowned: Type.Boolean(),
  overdue: Type.Boolean(),
  stalled: Type.Boolean({ description: 'open and not updated for the plan’s stall_days' }),
  protocol_instance_id: Nullable(Id),
  version: Type.Integer(),
});
const Referral = Type.Object({
  id: Id,
  action_id: Nullable(Id),
  to_user_id: Nullable(Id),
  to_service_id: Nullable(Id),
  to: Type.String(),
  reason: Type.String(),
  basis: Type.String({ description: 'consent or lawful_basis' }),
  basis_detail: Type.String(),
  status: Type.String({
    description: 'sent, accepted, declined, successful or withdrawn: where its referral-chase instance is',
  }),
  responses: Type.Array(Type.String(), {
    description: 'the responses it can take now (the outcomes of its chase’s open step)',
  }),
  protocol_instance_id: Id,
  decline_reason: Nullable(Type.String()),
  response_due: Type.Union([DateStr, Type.Null()]),
  due_rule: Type.String({ description: 'the rule the response date came from' }),
  overdue: Type.Boolean(),
  escalations: Type.Integer({ description: 'times the chase went past the referrer (to their line manager and on)' }),
  version: Type.Integer(),
});
const PlanBody = Type.Object(
  {
    what_matters: Type.Optional(Type.String()),
    hopes: Type.Optional(Type.String()),
    needs: Type.Optional(Type.String()),
    stall_days: Type.Optional(Type.Integer()),
    pathway_agreed: Type.Optional(Type.Boolean()),
    provision_in_place: Type.Optional(Type.Boolean()),
    risk_plan_agreed: Type.Optional(Type.Boolean()),
    barriers_unlocked: Type.Optional(Type.Boolean()),
    commissioning_resolved: Type.Optional(Type.Boolean()),
    version: Type.Optional(Type.Integer({ description: 'required when the plan exists' })),
  },
  { additionalProperties: false },
);
const ActionBody = Type.Object(
  {
    description: Type.String(),
    goal_id: Type.Optional(Nullable(Type.String())),
    owner_user_id: Type.Optional(Nullable(Type.String())),
    owner_service_id: Type.Optional(Nullable(Type.String())),
    due_date: Type.Optional(Nullable(Type.String())),
    status: Type.Optional(Type.String()),
    evidence: Type.Optional(Nullable(Type.String())),
    issue_type: Type.Optional(Nullable(Type.String())),
    issue_service_id: Type.Optional(Nullable(Type.String())),
    commissioning_area: Type.Optional(Nullable(Type.String())),
    version: Type.Optional(Type.Integer()),
  },
  { additionalProperties: false },
);

/** JSON nulls become absent form fields for the shared validators. */
const clean = (body: unknown): Body =>
  Object.fromEntries(Object.entries((body ?? {}) as Record<string, unknown>).filter(([, v]) => v !== null)) as Body;

export function registerTransitionsApi(app: FastifyInstance) {
  const { transitions } = app.services;
  const read = { policy: { capability: 'person:read' as const, person: 'personId' } };
  const edit = { policy: { capability: 'person:edit' as const, person: 'personId' } };

  app.get<{ Params: { personId: string } }>(
    '/api/v1/people/:personId/plan',
    {
      config: read,
      schema: {
        tags: ['plans'],
        summary:
          'The person-led plan: the young person’s words, goals, actions (unowned, overdue, stalled), reviews, outcomes and the 18th birthday countdown',
        params: PersonParams,
        response: {
          200: Type.Object({
            plan: Type.Union([
              Type.Object({
                id: Id,
                what_matters: Nullable(Type.String()),
                hopes: Nullable(Type.String()),
                needs: Nullable(Type.String()),
                stall_days: Type.Integer(),
                version: Type.Integer(),
              }),
              Type.Null(),
            ]),
            eighteenth_birthday: DateStr,
            days_to_18: Type.Integer(),
            provision_warning: Type.Boolean({ description: 'provision not in place within 6 months of 18' }),
            outcomes: Type.Array(Type.Object({ key: Type.String(), label: Type.String(), met: Type.Boolean() })),
            goals: Type.Array(Type.Object({ id: Id, goal: Type.String(), outcome: Nullable(Type.String()) })),
            actions: Type.Array(Action),
            reviews: Type.Array(
              Type.Object({
                id: Id,
                review_date: DateStr,
                attendees: Type.String(),
                notes: Type.String(),
                issues_persist: Type.Boolean(),
              }),
            ),
            counts: Type.Object({ unowned: Type.Integer(), overdue: Type.Integer(), stalled: Type.Integer() }),
          }),
          ...errors,
        },
      },
    },
    async (request) => {
      const d = await transitions.plan(requireUser(request), requirePersonAccess(request), 'api');
      return {
        plan: d.plan,
        eighteenth_birthday: d.eighteenth,
        days_to_18: d.daysTo18,
        provision_warning: d.provisionWarning,
        outcomes: d.outcomes,
        goals: d.goals,
        actions: d.actions.map((a) => ({ ...a, owner: a.ownerLabel })),
        reviews: d.reviews,
        counts: d.counts,
      };
    },
  );

  app.put<{ Params: { personId: string } }>(
    '/api/v1/people/:personId/plan',
    {
      config: edit,
      schema: {
        tags: ['plans'],
        summary: 'Create or update the plan (send the version you read to update; 409 if it changed)',
        params: PersonParams,
        body: PlanBody,
        response: { 204: Type.Null(), ...errors },
      },
    },
    async (request, reply) => {
      await transitions.savePlan(requireUser(request), request.params.personId, clean(request.body));
      return reply.code(204).send();
    },
  );

  app.post<{ Params: { personId: string } }>(
    '/api/v1/people/:personId/plan/goals',
    {
      config: edit,
      schema: {
        tags: ['plans'],
        summary: 'Add a goal',
        params: PersonParams,
        body: Type.Object(
          { goal: Type.String(), outcome: Type.Optional(Type.String()) },
          { additionalProperties: false },
        ),
        response: { 201: Created, ...errors },
      },
    },
    async (request, reply) =>
      reply
        .code(201)
        .send({ id: await transitions.addGoal(requireUser(request), request.params.personId, clean(request.body)) }),
  );

  app.post<{ Params: { personId: string } }>(
    '/api/v1/people/:personId/plan/actions',
    {
      config: edit,
      schema: {
        tags: ['plans'],
        summary: 'Add an action: an owner (a named person, or a service with nobody named yet), a due date, a status',
        params: PersonParams,
        body: ActionBody,
        response: { 201: Created, ...errors },
      },
    },
    async (request, reply) =>
      reply
        .code(201)
        .send({ id: await transitions.addAction(requireUser(request), request.params.personId, clean(request.body)) }),
  );

  app.put<{ Params: { personId: string; actionId: string } }>(
    '/api/v1/people/:personId/plan/actions/:actionId',
    {
      config: edit,
      schema: {
        tags: ['plans'],
        summary: 'Update an action (send the version you read; 409 if it changed)',
        params: Type.Object({ personId: Id, actionId: Id }),
        body: ActionBody,
        response: { 204: Type.Null(), ...errors },
      },
    },
    async (request, reply) => {
      await transitions.updateAction(
        requireUser(request),
        request.params.personId,
        request.params.actionId,
        clean(request.body),
      );
      return reply.code(204).send();
    },
  );

  app.post<{ Params: { personId: string; actionId: string } }>(
    '/api/v1/people/:personId/plan/actions/:actionId/escalation',
    {
      config: read,
      schema: {
        tags: ['plans'],
        summary:
          'Start the Devon 16-17 transitions protocol for an action with no owner (service managers and leads, once the usual routes are exhausted). Returns the protocol instance; decide its steps with the protocol API.',
        params: Type.Object({ personId: Id, actionId: Id }),
        body: Type.Object(
          { routes_tried: Type.String(), involvement_id: Type.Optional(Type.String()) },
          { additionalProperties: false },
        ),
        response: { 201: Created, ...errors },
      },
    },
    async (request, reply) =>
      reply.code(201).send({
        id: await transitions.escalateAction(
          requireUser(request),
          request.params.personId,
          request.params.actionId,
          clean(request.body),
        ),
      }),
  );

  app.post<{ Params: { personId: string } }>(
    '/api/v1/people/:personId/plan/reviews',
    {
      config: edit,
      schema: {
        tags: ['plans'],
        summary: 'Record a review of the plan with the young person, family and teams',
        params: PersonParams,
        body: Type.Object(
          {
            review_date: Type.Optional(Type.String()),
            attendees: Type.String(),
            notes: Type.String(),
            issues_persist: Type.Optional(Type.Boolean()),
          },
          { additionalProperties: false },
        ),
        response: { 201: Created, ...errors },
      },
    },
    async (request, reply) =>
      reply
        .code(201)
        .send({ id: await transitions.addReview(requireUser(request), request.params.personId, clean(request.body)) }),
  );

  app.get<{ Params: { personId: string } }>(
    '/api/v1/people/:personId/referrals',
    {
      config: read,
      schema: {
        tags: ['referrals'],
        summary: 'Referrals for a young person, with their response dates and the rule each came from',
        params: PersonParams,
        response: { 200: Type.Object({ items: Type.Array(Referral) }), ...errors },
      },
    },
    async (request) => {
      const d = await transitions.plan(requireUser(request), requirePersonAccess(request), 'api');
      return {
        items: d.referrals.map((r) => ({ ...r, to: r.to_user_name ?? `${r.to_service_name} (nobody named yet)` })),
      };
    },
  );

  app.post<{ Params: { personId: string } }>(
    '/api/v1/people/:personId/referrals',
    {
      config: edit,
      schema: {
        tags: ['referrals'],
        summary:
          'Refer to a service or a person: reason, consent or lawful basis; the response is due when the referral-chase protocol says (10 working days built in; a council may change it) unless response_due is given, then chased and escalated',
        params: PersonParams,
        body: Type.Object(
          {
            to_service_id: Type.Optional(Type.String()),
            to_user_id: Type.Optional(Type.String()),
            action_id: Type.Optional(Type.String()),
            reason: Type.String(),
            basis: Type.String({ description: 'consent or lawful_basis' }),
            basis_detail: Type.String(),
            response_due: Type.Optional(Type.String()),
          },
          { additionalProperties: false },
        ),
        response: { 201: Created, ...errors },
      },
    },
    async (request, reply) =>
      reply
        .code(201)
        .send({ id: await transitions.refer(requireUser(request), request.params.personId, clean(request.body)) }),
  );

  app.post<{ Params: { personId: string; referralId: string } }>(
    '/api/v1/people/:personId/referrals/:referralId/response',
    {
      config: read,
      schema: {
        tags: ['referrals'],
        summary:
          'Record the response: accepted, declined (with a reason), successful (the linked action gets the owner) or withdrawn',
        params: Type.Object({ personId: Id, referralId: Id }),
        body: Type.Object(
          { status: Type.String(), decline_reason: Type.Optional(Type.String()), version: Type.Integer() },
          { additionalProperties: false },
        ),
        response: { 204: Type.Null(), ...errors },
      },
    },
    async (request, reply) => {
      await transitions.respond(
        requireUser(request),
        request.params.personId,
        request.params.referralId,
        clean(request.body),
      );
      return reply.code(204).send();
    },
  );

  app.post<{ Params: { personId: string } }>(
    '/api/v1/people/:personId/forum-referrals',
    {
      config: edit,
      schema: {
        tags: ['panels'],
        summary: 'The 16-17 transitions forum referral form: puts the case on the forum’s agenda',
        params: PersonParams,
        body: Type.Object(
          {
            question: Type.String(),
            needs: Type.Optional(Type.String()),
            blocked_by: Type.String(),
            routes_tried: Type.String(),
            issue_type: Type.String({ description: 'gap, capacity or unclear' }),
          },
          { additionalProperties: false },
        ),
        response: { 201: Created, ...errors },
      },
    },
    async (request, reply) =>
      reply.code(201).send({
        id: await transitions.referToForum(requireUser(request), request.params.personId, clean(request.body)),
      }),
  );

  const panelRead = { policy: { capability: 'panel:read' as const } };
  const panelManage = { policy: { capability: 'panel:manage' as const } };

  app.get(
    '/api/v1/panels',
    {
      config: panelRead,
      schema: {
        tags: ['panels'],
        summary: 'The 16-17 forum, the Transitions Governance Group and the SEND board',
        response: {
          200: Type.Object({
            items: Type.Array(
              Type.Object({
                id: Id,
                name: Type.String(),
                kind: Type.String(),
                pseudonymised: Type.Boolean(),
                member: Type.Boolean(),
                open_items: Type.Integer(),
                next_meeting: Nullable(DateStr),
              }),
            ),
          }),
          ...errors,
        },
      },
    },
    async (request) => ({
      items: (await transitions.panels(requireUser(request))).map((p) => ({
        ...p,
        member: Boolean(p.member),
        open_items: Number(p.open_items ?? 0),
        next_meeting: p.next_meeting ?? null,
      })),
    }),
  );

  app.post<{ Params: { panelId: string } }>(
    '/api/v1/panels/:panelId/meetings',
    {
      config: panelManage,
      schema: {
        tags: ['panels'],
        summary: 'Plan a meeting: the cases waiting for one go on its agenda',
        params: Type.Object({ panelId: Id }),
        body: Type.Object({ meeting_date: Type.String() }, { additionalProperties: false }),
        response: { 201: Created, ...errors },
      },
    },
    async (request, reply) =>
      reply.code(201).send({
        id: await transitions.createMeeting(requireUser(request), request.params.panelId, clean(request.body)),
      }),
  );

  app.get<{ Params: { meetingId: string } }>(
    '/api/v1/panel-meetings/:meetingId',
    {
      config: panelRead,
      schema: {
        tags: ['panels'],
        summary:
          'A meeting and its agenda. On the Governance Group and the SEND board each item has structured facts (age, months to 18, needs categories, outcomes not met, step dates) and the summary written and checked for that panel: no free text from the plan.',
        params: Type.Object({ meetingId: Id }),
        response: {
          200: Type.Object({
            id: Id,
            panel: Type.String(),
            meeting_date: DateStr,
            status: Type.String(),
            minutes: Nullable(Type.String()),
            pseudonymised: Type.Boolean(),
            items: Type.Array(
              Type.Object({
                id: Id,
                label: Type.String({ description: 'the name on the forum; "Young person A" on pseudonymised panels' }),
                person_id: Type.Optional(Id),
                question: Type.Optional(Type.String()),
                summary: Type.Optional(Nullable(Type.String({ description: 'written for this panel' }))),
                facts: Type.Optional(
                  Type.Union([
                    Type.Object({
                      age: Type.Integer(),
                      turns_18: Type.String(),
                      needs: Type.Array(Type.String()),
                      missing_outcomes: Type.Array(Type.String()),
                      steps: Type.Array(
                        Type.Object({ step: Type.String(), entered_on: DateStr, decided_on: Nullable(DateStr) }),
                      ),
                    }),
                    Type.Null(),
                  ]),
                ),
                status: Type.String(),
                decisions: Type.Array(Type.Object({ id: Id, decision: Type.String(), action_id: Nullable(Id) })),
              }),
            ),
          }),
          ...errors,
        },
      },
    },
    async (request) => {
      const d = await transitions.meeting(requireUser(request), request.params.meetingId);
      return {
        id: d.meeting.id,
        panel: d.meeting.panel_name,
        meeting_date: d.meeting.meeting_date,
        status: d.meeting.status,
        minutes: d.meeting.minutes,
        pseudonymised: d.meeting.pseudonymised,
        items: d.items.map((i) => ({
          id: i.id,
          label: i.label,
          ...('person_id' in i
            ? { person_id: i.person_id, question: i.question }
            : { question: i.question, summary: i.summary, facts: i.facts }),
          status: i.status,
          decisions: i.decisions.map((x) => ({ id: x.id, decision: x.decision, action_id: x.action_id })),
        })),
      };
    },
  );

  app.post<{ Params: { meetingId: string; itemId: string } }>(
    '/api/v1/panel-meetings/:meetingId/items/:itemId/decisions',
    {
      config: panelManage,
      schema: {
        tags: ['panels'],
        summary:
          'Record a decision on an agenda item; on the forum it can create an owned action on the young person’s plan',
        params: Type.Object({ meetingId: Id, itemId: Id }),
        body: Type.Object(
          {
            decision: Type.String(),
            action_description: Type.Optional(Type.String()),
            owner_user_id: Type.Optional(Type.String()),
            owner_service_id: Type.Optional(Type.String()),
            due_date: Type.Optional(Type.String()),
            close_item: Type.Optional(Type.Boolean()),
          },
          { additionalProperties: false },
        ),
        response: { 204: Type.Null(), ...errors },
      },
    },
    async (request, reply) => {
      await transitions.recordDecision(
        requireUser(request),
        request.params.meetingId,
        request.params.itemId,
        clean(request.body),
      );
      return reply.code(204).send();
    },
  );

  app.get(
    '/api/v1/panels/register',
    {
      config: panelRead,
      schema: {
        tags: ['panels'],
        summary: 'Gap vs capacity register across cases, by service and commissioning area (counts only)',
        response: {
          200: Type.Object({
            items: Type.Array(
              Type.Object({
                service: Type.String(),
                area: Type.String(),
                issue_type: Nullable(Type.String()),
                total: Type.Integer(),
                open: Type.Integer(),
                overdue: Type.Integer(),
                people: Type.Integer(),
              }),
            ),
          }),
          ...errors,
        },
      },
    },
    async (request) => ({ items: await transitions.register(requireUser(request)) }),
  );
}
