// Pages for the panels of the Devon 16-17 transitions protocol: the list, the gap vs capacity register, a panel and
// its members, a meeting's agenda, decisions and minutes.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { requireUser } from '../../http/request.ts';
import { csvCell } from '../kit/csv.ts';
import { dateParts, formPoster, savedText } from './form-post.ts';
import { DecisionInput, LABELS, MeetingInput, MemberInput, MinutesInput } from './schemas.ts';

type N = { panelId: string };
type M = { meetingId: string };

const hide = { hide: true };
const panelRead = { policy: { capability: 'panel:read' as const } };
const panelManage = { policy: { capability: 'panel:manage' as const } };

export function registerPanelRoutes(app: FastifyInstance) {
  const { transitions } = app.services;

  app.get('/panels', { config: panelRead, schema: hide }, async (request, reply) =>
    reply.view('transitions/views/panels.njk', {
      panels: await transitions.panels(requireUser(request)),
      savedText: savedText(request.query),
    }),
  );
  app.post('/panels', { config: panelManage, schema: hide }, async (request, reply) => {
    await transitions.setUpPanels(requireUser(request));
    return reply.redirect('/panels?saved=panels', 303);
  });

  app.get('/panels/register', { config: panelRead, schema: hide }, async (request, reply) =>
    reply.view('transitions/views/register.njk', { rows: await transitions.register(requireUser(request)) }),
  );
  app.get('/panels/register.csv', { config: panelRead, schema: hide }, async (request, reply) => {
    const rows = await transitions.register(requireUser(request));
    const lines = [
      ['service', 'commissioning_area', 'issue_type', 'actions', 'open', 'overdue', 'young_people'].join(','),
      ...rows.map((r) =>
        [r.service, r.area, r.issue_type ?? '', r.total, r.open, r.overdue, r.people].map(csvCell).join(','),
      ),
    ];
    return reply
      .type('text/csv; charset=utf-8')
      .header('Content-Disposition', 'attachment; filename="gap-vs-capacity.csv"')
      .send(`${lines.join('\r\n')}\r\n`);
  });

  registerPanelPages(app);
}

/** A panel's page, its members and meetings; a meeting's agenda, decisions and minutes. */
function registerPanelPages(app: FastifyInstance) {
  const { transitions } = app.services;
  const post = formPoster(app, LABELS, () => transitions.today());

  const panelData = async (request: FastifyRequest<{ Params: N }>, values: Record<string, unknown> = {}) => ({
    ...(await transitions.panel(requireUser(request), request.params.panelId)),
    savedText: savedText(request.query),
    values,
  });
  app.get<{ Params: N }>('/panels/:panelId', { config: panelRead, schema: hide }, async (request, reply) =>
    reply.view('transitions/views/panel.njk', { ...LABELS, ...(await panelData(request)) }),
  );
  post<N, MemberInput>({
    url: '/panels/:panelId/members',
    config: panelManage,
    template: 'transitions/views/panel.njk',
    page: panelData,
    input: MemberInput,
    saved: 'member',
    run: async (request, input) => {
      await transitions.addMember(requireUser(request), request.params.panelId, input);
      return `/panels/${request.params.panelId}#members`;
    },
  });
  post<N, MeetingInput>({
    url: '/panels/:panelId/meetings',
    config: panelManage,
    template: 'transitions/views/panel.njk',
    page: (request, body) => panelData(request, dateParts(body, 'meeting_date')),
    input: MeetingInput,
    saved: 'meeting',
    run: async (request, input) =>
      `/panels/meetings/${await transitions.createMeeting(requireUser(request), request.params.panelId, input)}`,
  });

  const meetingData = async (request: FastifyRequest<{ Params: M }>, extra: Record<string, unknown> = {}) => {
    const user = requireUser(request);
    const data = await transitions.meeting(user, request.params.meetingId);
    const itemIds = data.items.map((i) => i.id);
    const docPanels = await app.services.documents.meetingPanels(user, data.meeting, itemIds);
    // A meeting still to come takes no decisions or minutes yet (issue 11 defect 5): the page says from when.
    return {
      ...data,
      toCome: data.meeting.meeting_date > transitions.today(),
      docPanels,
      savedText: savedText(request.query),
      values: {},
      ...extra,
    };
  };
  app.get<{ Params: M }>('/panels/meetings/:meetingId', { config: panelRead, schema: hide }, async (request, reply) =>
    reply.view('transitions/views/meeting.njk', { ...LABELS, ...(await meetingData(request)) }),
  );
  // Each agenda item has its own decision form: the error summary links to the fields of the item's form.
  post<M & { itemId: string }, DecisionInput>({
    url: '/panels/meetings/:meetingId/items/:itemId/decision',
    config: panelManage,
    template: 'transitions/views/meeting.njk',
    page: (request, body) =>
      meetingData(request, { itemId: request.params.itemId, values: dateParts(body, 'due_date') }),
    input: DecisionInput,
    saved: 'decision',
    run: async (request, input) => {
      const { meetingId, itemId } = request.params;
      await transitions.recordDecision(requireUser(request), meetingId, itemId, input);
      return `/panels/meetings/${meetingId}#item-${itemId}`;
    },
    errorHref: (request, href) =>
      href.replace(/^#([a-z_]+?)(-day)?$/, (_m, f: string, d?: string) => `#${f}-${request.params.itemId}${d ?? ''}`),
  });
  post<M, MinutesInput>({
    url: '/panels/meetings/:meetingId/minutes',
    config: panelManage,
    template: 'transitions/views/meeting.njk',
    page: (request, body) => meetingData(request, { minutesValue: body.minutes }),
    input: MinutesInput,
    saved: 'minutes',
    run: async (request, input) => {
      await transitions.saveMinutes(requireUser(request), request.params.meetingId, input);
      return `/panels/meetings/${request.params.meetingId}#minutes-heading`;
    },
  });
}
