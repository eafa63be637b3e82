// The joint transition plan's pages (the person's relationship policy): the plan, starting it early, its four
// forms (the plan, the post-18 owner, the Care Act three-part test, a decision to end with no post-18 owner) and
// the post-18 owner's confirmation at 18. Each save redirects with ?saved=<key>; bad input shows the form again.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { postForm } from '../../http/form-post.ts';
import type { Body } from '../../http/forms.ts';
import { requirePersonAccess, requireUser } from '../../http/request.ts';
import { registerPost18Api } from './api.ts';
import { CareActInput, DecisionInput, OwnerInput, PlanInput, SETTINGS } from './schemas.ts';

type P = { personId: string };
const hide = { hide: true };
const read = { policy: { capability: 'person:read' as const, person: 'personId' } };
const edit = { policy: { capability: 'person:edit' as const, person: 'personId' } };
const SAVED: Record<string, string> = {
  started: 'Joint transition plan started',
  plan: 'Transition plan saved',
  owner: 'Post-18 owner named',
  'care-act': 'Care Act three-part test recorded',
  decision: 'Decision recorded',
  handover: 'Handover confirmed: you hold the case after 18',
};

/** The forms: the page (under /transition-plan/), the template, the input, the service call, the saved key. */
const FORMS = {
  plan: { view: 'plan-form', input: PlanInput, call: 'savePlan', picks: 'pre18_owner_id' },
  'post18-owner': { view: 'owner-form', input: OwnerInput, call: 'nameOwner', picks: 'post18_owner_id' },
  'care-act': { view: 'care-act-form', input: CareActInput, call: 'recordCareAct', picks: null },
  decision: { view: 'decision-form', input: DecisionInput, call: 'recordDecision', picks: null },
} as const;
const SAVED_KEY: Record<keyof typeof FORMS, string> = {
  plan: 'plan',
  'post18-owner': 'owner',
  'care-act': 'care-act',
  decision: 'decision',
};

export function registerPost18Routes(app: FastifyInstance) {
  const { post18 } = app.services;
  const base = (id: string) => `/people/${id}/transition-plan`;

  app.get<{ Params: P }>('/people/:personId/transition-plan', { config: read, schema: hide }, async (req, reply) => {
    const user = requireUser(req);
    const data = await post18.get(user, requirePersonAccess(req), 'page');
    const key = String((req.query as Record<string, unknown>).saved ?? '');
    return reply.view('post18/views/plan.njk', { ...data, settings: SETTINGS, me: user.id, savedText: SAVED[key] });
  });

  app.post<{ Params: P }>(
    '/people/:personId/transition-plan/start',
    { config: edit, schema: hide },
    async (req, reply) => {
      const id = req.params.personId;
      return postForm(
        reply,
        (req.body ?? {}) as Body,
        async () => {
          await post18.startEarly(requireUser(req), id);
          return `${base(id)}?saved=started`;
        },
        async (shown) => {
          const data = await post18.get(requireUser(req), requirePersonAccess(req), 'page');
          return reply.view('post18/views/plan.njk', { ...data, ...shown, settings: SETTINGS });
        },
      );
    },
  );

  app.post<{ Params: P }>(
    '/people/:personId/transition-plan/handover',
    { config: edit, schema: hide },
    async (req, reply) => {
      const id = req.params.personId;
      await post18.confirmHandover(requireUser(req), id, Number((req.body as Body)?.version));
      return reply.redirect(`${base(id)}?saved=handover`, 303);
    },
  );

  for (const [path, form] of Object.entries(FORMS) as [keyof typeof FORMS, (typeof FORMS)[keyof typeof FORMS]][]) {
    const url = `/people/:personId/transition-plan/${path}`;
    /** The form's data: the plan as it stands (and the owner picker, searched with ?q=). */
    const page = async (req: FastifyRequest<{ Params: P }>, values: Body | null) => {
      const user = requireUser(req);
      const data = await post18.get(user, requirePersonAccess(req), 'page');
      const plan = data.plan as Record<string, unknown> | null;
      const current = form.picks
        ? ((values?.[form.picks] as string | undefined) ?? (plan?.[form.picks] as string))
        : null;
      const q = String((req.query as Record<string, unknown>).q ?? '');
      const staff = form.picks ? await post18.staff(user, q, current ?? null) : null;
      const fromPlan = plan
        ? {
            ...plan,
            impairment: yn(plan.impairment),
            outcomes_unable: yn(plan.outcomes_unable),
            wellbeing_impact: yn(plan.wellbeing_impact),
          }
        : {};
      return { ...data, settings: SETTINGS, staff, path, values: values ?? fromPlan };
    };
    app.get<{ Params: P }>(url, { config: edit, schema: hide }, async (req, reply) => {
      const data = await page(req, null);
      if (!data.plan) return reply.redirect(base(req.params.personId), 303);
      return reply.view(`post18/views/${form.view}.njk`, data);
    });
    app.post<{ Params: P }>(url, { config: edit, schema: hide }, async (req, reply) => {
      const id = req.params.personId;
      const body = (req.body ?? {}) as Body;
      return postForm(
        reply,
        body,
        async () => {
          const input = form.input.parse(body, post18.today());
          // biome-ignore lint/suspicious/noExplicitAny: each form's input goes to its own call (FORMS pairs them)
          await (post18[form.call] as (u: unknown, p: string, i: any) => Promise<void>).call(
            post18,
            requireUser(req),
            id,
            input,
          );
          return `${base(id)}?saved=${SAVED_KEY[path]}`;
        },
        async (shown) => reply.view(`post18/views/${form.view}.njk`, { ...(await page(req, shown.values)), ...shown }),
      );
    });
  }
  registerPost18Api(app);
}

const yn = (v: unknown) => (v === true ? 'yes' : v === false ? 'no' : undefined);
