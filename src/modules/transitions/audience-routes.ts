// Pages and API for the summary a worker writes for the Transitions Governance Group or the SEND board (issue 9
// finding 2). Saving runs the identifier detector; each finding is listed GOV.UK style, to change or confirm.
import { Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { type Body, text } from '../../http/forms.ts';
import { requirePersonAccess, requireUser } from '../../http/request.ts';
import { assertAudience } from './audience.ts';
import { formPoster } from './form-post.ts';
import { PANEL_NAMES } from './panels.ts';
import { AudienceSummaryInput, NEEDS_CATEGORIES, SUMMARY_MAX } from './schemas.ts';

type S = { personId: string; audience: string };

const read = { policy: { capability: 'person:read' as const, person: 'personId' } };
const edit = { policy: { capability: 'person:edit' as const, person: 'personId' } };
const url = '/people/:personId/plan/panel-summaries/:audience';
const Summary = Type.Object({
  audience: Type.String(),
  summary: Type.Union([Type.String(), Type.Null()]),
  needs_categories: Type.Array(Type.String()),
  version: Type.Union([Type.Integer(), Type.Null()]),
});
const Params = Type.Object({ personId: Type.String({ format: 'uuid' }), audience: Type.String() });

export function registerAudienceRoutes(app: FastifyInstance) {
  const { transitions, people } = app.services;

  const page = async (request: FastifyRequest<{ Params: S }>, values: Body | null) => {
    const audience = assertAudience(request.params.audience);
    const user = requireUser(request);
    const person = (await people.record(user, requirePersonAccess(request), 'page')).person;
    const saved = await transitions.audienceSummary(user, request.params.personId, audience);
    const draft = values ? text(values, 'summary') : '';
    const list = (v: unknown) => (Array.isArray(v) ? v.map(String) : v ? [String(v)] : []);
    return {
      person,
      audience,
      panelName: PANEL_NAMES[audience],
      categories: NEEDS_CATEGORIES,
      summaryMax: SUMMARY_MAX,
      saved,
      findings: values && draft ? await transitions.audienceFindings(user, draft) : [],
      values: values
        ? { summary: draft, needs_categories: list(values.needs_categories), confirm: list(values.confirm) }
        : { summary: saved?.summary ?? '', needs_categories: saved?.needs_categories ?? [], confirm: [] },
    };
  };

  app.get<{ Params: S }>(url, { config: edit, schema: { hide: true } }, async (request, reply) =>
    reply.view('transitions/views/audience-summary.njk', await page(request, null)),
  );
  formPoster(app, {}, () => transitions.today())<S, AudienceSummaryInput>({
    url,
    config: edit,
    template: 'transitions/views/audience-summary.njk',
    page,
    input: AudienceSummaryInput,
    run: async (request, input) => {
      const { personId, audience } = request.params;
      await transitions.saveAudienceSummary(requireUser(request), personId, assertAudience(audience), input);
      return `/people/${personId}/plan?saved=panel-summary`;
    },
  });

  registerAudienceApi(app);
}

/** The API: read the summary written for a panel, and write it. */
function registerAudienceApi(app: FastifyInstance) {
  const { transitions, people } = app.services;

  app.get<{ Params: S }>(
    `/api/v1${url}`,
    {
      config: read,
      schema: {
        tags: ['panels'],
        summary: 'The summary written for the Governance Group (governance) or the SEND board (send_board)',
        params: Params,
        response: { 200: Summary },
      },
    },
    async (request) => {
      const audience = assertAudience(request.params.audience);
      await people.record(requireUser(request), requirePersonAccess(request), 'api');
      const s = await transitions.audienceSummary(requireUser(request), request.params.personId, audience);
      return {
        audience,
        summary: s?.summary ?? null,
        needs_categories: s?.needs_categories ?? [],
        version: s?.version ?? null,
      };
    },
  );
  app.put<{ Params: S }>(
    `/api/v1${url}`,
    {
      config: edit,
      schema: {
        tags: ['panels'],
        summary:
          'Write the summary for a pseudonymised panel. The identifier detector checks it: each finding comes back as a field error "confirm-N"; change the text, or send its confirm value in `confirm` to record that it does not identify anyone.',
        params: Params,
        body: AudienceSummaryInput.schema,
      },
    },
    async (request, reply) => {
      const audience = assertAudience(request.params.audience);
      const input = AudienceSummaryInput.parse(request.body as Body, { today: transitions.today() });
      await transitions.saveAudienceSummary(requireUser(request), request.params.personId, audience, input);
      return reply.code(204).send();
    },
  );
}
