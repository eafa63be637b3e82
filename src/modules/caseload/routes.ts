// Bulk reallocation pages: the teams a manager manages with each member's caseload (/caseload), one worker's cases,
// steps and actions with the choice of what to move and to whom (/teams/:teamId/workers/:workerId/reallocate), and
// the move itself (POST, then a success banner). The API is in api.ts.
import type { FastifyInstance } from 'fastify';
import { postForm } from '../../http/form-post.ts';
import type { Body } from '../../http/forms.ts';
import { requireUser } from '../../http/request.ts';
import { registerCaseloadApi } from './api.ts';
import { ReallocationInput } from './schemas.ts';
import { movedWords } from './service.ts';

type WorkerParams = { teamId: string; workerId: string };
const hide = { hide: true };
const manage = { policy: { capability: 'involvement:manage' as const } };

/** A count in the banner's address: a small whole number, anything else 0. */
const count = (v: unknown): number => (/^[0-9]{1,5}$/.test(String(v ?? '')) ? Number(v) : 0);

/** Checkbox values arrive as one string or several; the form shows them ticked again. */
const ticked = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : v ? [String(v)] : []);

export function registerCaseloadRoutes(app: FastifyInstance) {
  const { caseload } = app.services;

  app.get('/caseload', { config: manage, schema: hide }, async (request, reply) =>
    reply.view('caseload/views/teams.njk', { teams: await caseload.managedTeams(requireUser(request)) }),
  );

  const url = '/teams/:teamId/workers/:workerId/reallocate';
  app.get<{ Params: WorkerParams; Querystring: Record<string, string> }>(
    url,
    { config: manage, schema: hide },
    async (request, reply) => {
      const { teamId, workerId } = request.params;
      const q = request.query;
      const user = requireUser(request);
      const data = await caseload.caseload(user, teamId, workerId, String(q.q ?? ''));
      // The banner shows nothing from the address as it is: counts only as small whole numbers, and the receiver's
      // name looked up from their id among the team's caseworkers (an unknown id: no banner).
      const to = q.saved === 'moved' ? await caseload.receiver(user, teamId, String(q.to ?? '')) : undefined;
      const moved = to ? { cases: count(q.cases), steps: count(q.steps), actions: count(q.actions) } : null;
      return reply.view('caseload/views/reallocate.njk', {
        ...data,
        values: {},
        saved: moved && to ? `${movedWords(moved)} moved to ${to.display_name}` : null,
      });
    },
  );

  app.post<{ Params: WorkerParams }>(url, { config: manage, schema: hide }, async (request, reply) => {
    const { teamId, workerId } = request.params;
    const user = requireUser(request);
    const body = (request.body ?? {}) as Body;
    return postForm(
      reply,
      body,
      async () => {
        const m = await caseload.reallocate(user, teamId, workerId, ReallocationInput.parse(body, { today: '' }));
        const qs = new URLSearchParams({
          saved: 'moved',
          cases: String(m.cases),
          steps: String(m.steps),
          actions: String(m.actions),
          to: m.to.id,
        });
        return `/teams/${teamId}/workers/${workerId}/reallocate?${qs}`;
      },
      async (shown) => {
        const data = await caseload.caseload(user, teamId, workerId, '', String(body.to_user_id ?? '') || null);
        return reply.view('caseload/views/reallocate.njk', {
          ...data,
          ...shown,
          values: {
            ...shown.values,
            involvement_ids: ticked(body.involvement_ids),
            step_ids: ticked(body.step_ids),
            action_ids: ticked(body.action_ids),
          },
        });
      },
    );
  });

  registerCaseloadApi(app);
}
