// JSON API for the panels of the Devon 16-17 transitions protocol (/api/v1): the forum referral form, the panels,
// meetings and their agendas, decisions and the gap vs capacity register. Same services and access rules as the
// pages; the bodies are the inputs declared in schemas.ts.
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { apiRoutes } from '../../http/api-routes.ts';
import { DateStr, errors, Id, Nullable, PersonParams } from '../../http/api-schema.ts';
import { requireUser } from '../../http/request.ts';
import { changeRoute } from './api.ts';
import { DecisionInput, ForumReferralInput, MeetingInput } from './schemas.ts';

const Panel = Type.Object({
  id: Id,
  name: Type.String(),
  kind: Type.String(),
  pseudonymised: Type.Boolean(),
  member: Type.Boolean(),
  open_items: Type.Integer(),
  next_meeting: Nullable(DateStr),
});
const Facts = Type.Object({
  age: Type.Integer(),
  turns_18: Type.String(),
  needs: Type.Array(Type.String()),
  missing_outcomes: Type.Array(Type.String()),
  steps: Type.Array(Type.Object({ step: Type.String(), entered_on: DateStr, decided_on: Nullable(DateStr) })),
});
const Meeting = Type.Object({
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
      facts: Type.Optional(Nullable(Facts)),
      status: Type.String(),
      decisions: Type.Array(Type.Object({ id: Id, decision: Type.String(), action_id: Nullable(Id) })),
    }),
  ),
});
const RegisterRow = Type.Object({
  service: Type.String(),
  area: Type.String(),
  issue_type: Nullable(Type.String()),
  total: Type.Integer(),
  open: Type.Integer(),
  overdue: Type.Integer(),
  people: Type.Integer(),
});

export function registerPanelsApi(app: FastifyInstance) {
  const { transitions } = app.services;
  const edit = { policy: { capability: 'person:edit' as const, person: 'personId' } };
  const panelRead = { policy: { capability: 'panel:read' as const } };
  const panelManage = { policy: { capability: 'panel:manage' as const } };
  const ctx = () => ({ today: transitions.today() });
  const api = apiRoutes(app, ['panels']);

  api.add(
    '/api/v1/people/:personId/forum-referrals',
    'The 16-17 transitions forum referral form: puts the case on the forum’s agenda',
    edit,
    ForumReferralInput,
    (user, body, p) => transitions.referToForum(user, p.personId as string, ForumReferralInput.parse(body, ctx())),
    PersonParams,
  );
  api.list(
    '/api/v1/panels',
    'The 16-17 forum, the Transitions Governance Group and the SEND board',
    panelRead,
    Panel,
    async (user) =>
      (await transitions.panels(user)).map((p) => ({
        ...p,
        member: Boolean(p.member),
        open_items: Number(p.open_items ?? 0),
        next_meeting: p.next_meeting ?? null,
      })),
  );
  api.add(
    '/api/v1/panels/:panelId/meetings',
    'Plan a meeting: the cases waiting for one go on its agenda',
    panelManage,
    MeetingInput,
    (user, body, p) => transitions.createMeeting(user, p.panelId as string, MeetingInput.parse(body, ctx())),
    Type.Object({ panelId: Id }),
  );

  api.list(
    '/api/v1/panels/register',
    'Gap vs capacity register across cases, by service and commissioning area (counts only)',
    panelRead,
    RegisterRow,
    (user) => transitions.register(user),
  );
  registerMeetingApi(app);
}

/** A meeting and its agenda; a decision on an agenda item. */
function registerMeetingApi(app: FastifyInstance) {
  const { transitions } = app.services;
  const panelRead = { policy: { capability: 'panel:read' as const } };
  const panelManage = { policy: { capability: 'panel:manage' as const } };

  app.get<{ Params: { meetingId: string } }>(
    '/api/v1/panel-meetings/:meetingId',
    {
      config: panelRead,
      schema: {
        tags: ['panels'],
        summary:
          'A meeting and its agenda. On the Governance Group and the SEND board each item has structured facts (age, months to 18, needs categories, outcomes not met, step dates) and the summary written and checked for that panel: no free text from the plan.',
        params: Type.Object({ meetingId: Id }),
        response: { 200: Meeting, ...errors },
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
  changeRoute(
    app,
    'POST',
    '/api/v1/panel-meetings/:meetingId/items/:itemId/decisions',
    {
      tags: ['panels'],
      summary:
        'Record a decision on an agenda item; on the forum it can create an owned action on the young person’s plan',
      config: panelManage,
      params: Type.Object({ meetingId: Id, itemId: Id }),
    },
    DecisionInput,
    () => transitions.today(),
    (user, p, input) => transitions.recordDecision(user, p.meetingId as string, p.itemId as string, input),
  );
}
