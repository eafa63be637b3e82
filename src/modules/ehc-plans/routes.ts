// The EHC plan pages (issue 20): the SEND manager's caseload (/ehc-plans), a young person's plans and drafting one
// from the assessment's advice (/people/:personId/ehc-plans), the plan page (/ehc-plans/:planId, with the other
// modules' panels), section edits of the version being edited, its forms (forms.ts), the printable page and the
// PDF of any version. Reads need a relationship with the young person (checked by the service: the URL names the
// plan); changes need ehcp:manage as well.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { PLAN_SECTIONS } from '../../domain/ehc-plan.ts';
import { postForm } from '../../http/form-post.ts';
import type { Body, FieldErrors } from '../../http/forms.ts';
import { requirePersonAccess, requireUser } from '../../http/request.ts';
import { staleForm } from '../../http/versions.ts';
import { registerEhcPlansApi } from './api.ts';
import { sectionKey } from './drafting.ts';
import { type Params, PLAN_FORMS, type PlanForm, SAVED } from './forms.ts';
import { CASELOAD_FILTERS, type CaseloadFilter, DraftPlanInput, PlanVersionInput, SectionInput } from './schemas.ts';

const FORM = 'ehc-plans/views/form.njk';
const hide = { hide: true };
const read = { policy: { capability: 'person:read' as const } };
const manage = { policy: { capability: 'ehcp:manage' as const } };

const savedText = (query: unknown) => {
  const key = (query as { saved?: unknown } | undefined)?.saved;
  return typeof key === 'string' && Object.hasOwn(SAVED, key) ? (SAVED[key] as string) : null;
};

/** Date fields back into their day/month/year parts, for the form shown again. */
function shownValues(body: Body) {
  const values: Record<string, unknown> = { ...body };
  for (const name of ['served_date', 'final_date', 'received_date', 'sent_date', 'responded_date', 'withdrawn_date'])
    if (body[`${name}-day`] !== undefined)
      values[name] = { day: body[`${name}-day`], month: body[`${name}-month`], year: body[`${name}-year`] };
  return values;
}

/** Runs a page form: redirect with the banner; bad input → the form again (400); stale → the form again (409). */
async function runForm(
  reply: FastifyReply,
  body: Body,
  change: () => Promise<string>,
  again: (errors: FieldErrors, list: { text: string; href: string }[], code: number) => unknown,
  reload: string,
) {
  try {
    return await postForm(reply, body, change, (shown) => again(shown.errors, shown.errorList, 400));
  } catch (e) {
    return staleForm(reply, e, reload, (shown) => again(shown.errors, shown.errorList, 409));
  }
}

export function registerEhcPlanRoutes(app: FastifyInstance) {
  const { ehcPlans, ehcp } = app.services;
  const today = () => ({ today: ehcPlans.today() });

  app.get('/ehc-plans', { config: manage, schema: hide }, async (request, reply) => {
    const q = request.query as { filter?: string; page?: string };
    const filter = (CASELOAD_FILTERS as readonly string[]).includes(q.filter ?? '')
      ? (q.filter as CaseloadFilter)
      : 'all';
    const page = Math.max(1, Math.min(10_000, Number.parseInt(q.page ?? '1', 10) || 1));
    const data = await ehcPlans.caseload(requireUser(request), filter, page);
    return reply.view('ehc-plans/views/caseload.njk', { ...data, filter });
  });

  // ---- a young person's plans, and drafting one from an assessment's advice
  type P = { personId: string };
  const personRead = { policy: { capability: 'person:read' as const, person: 'personId' } };
  const personManage = { policy: { capability: 'ehcp:manage' as const, person: 'personId' } };
  const personPage = async (request: FastifyRequest<{ Params: P }>) => {
    const user = requireUser(request);
    const { person, assessments } = await ehcp.personAssessments(user, requirePersonAccess(request));
    const plans = await ehcPlans.forPerson(user.authorityId, person.id);
    const draftable = assessments.filter(
      (a) => a.decision_to_assess === 'assess' && !a.draft_served_date && !a.final_issued_date && !a.not_issue_date,
    );
    return { person, plans, draftable, canManage: user.caps.has('ehcp:manage') };
  };
  app.get<{ Params: P }>('/people/:personId/ehc-plans', { config: personRead, schema: hide }, async (request, reply) =>
    reply.view('ehc-plans/views/person.njk', { ...(await personPage(request)), values: {}, errors: {} }),
  );
  app.post<{ Params: P }>(
    '/people/:personId/ehc-plans',
    { config: personManage, schema: hide },
    async (request, reply) => {
      const body = (request.body ?? {}) as Body;
      return postForm(
        reply,
        body,
        async () => {
          const x = DraftPlanInput.parse(body, today());
          const { planId } = await ehcPlans.draftFromAdvice(requireUser(request), x, request.params.personId);
          return `/ehc-plans/${planId}?saved=drafted`;
        },
        async (shown) => reply.view('ehc-plans/views/person.njk', { ...(await personPage(request)), ...shown }),
      );
    },
  );

  // ---- the plan page
  type PP = { planId: string };
  app.get<{ Params: PP }>('/ehc-plans/:planId', { config: read, schema: hide }, async (request, reply) => {
    const user = requireUser(request);
    const d = await ehcPlans.planPage(user, request.params.planId, 'page');
    const panels = await ehcPlans.panelsFor(d.plan.id, user);
    return reply.view('ehc-plans/views/plan.njk', {
      d,
      panels,
      canManage: user.caps.has('ehcp:manage'),
      savedText: savedText(request.query),
    });
  });
  app.post<{ Params: PP }>('/ehc-plans/:planId/final', { config: manage, schema: hide }, async (request, reply) => {
    const x = PlanVersionInput.parse((request.body ?? {}) as Body, today());
    await ehcPlans.prepareFinal(requireUser(request), request.params.planId, x.version);
    return reply.redirect(`/ehc-plans/${request.params.planId}?saved=final`, 303);
  });

  // ---- a version: printable page, PDF, section edits
  type V = { planId: string; versionId: string };
  app.get<{ Params: V }>(
    '/ehc-plans/:planId/versions/:versionId',
    { config: read, schema: hide },
    async (request, reply) => {
      const view = await ehcPlans.versionView(
        requireUser(request),
        request.params.planId,
        request.params.versionId,
        'print',
      );
      return reply.view('ehc-plans/views/print.njk', view);
    },
  );
  app.get<{ Params: V }>(
    '/ehc-plans/:planId/versions/:versionId/pdf',
    { config: read, schema: hide },
    async (request, reply) => {
      const pdf = await ehcPlans.pdf(requireUser(request), request.params.planId, request.params.versionId, 'export');
      return reply
        .type('application/pdf')
        .header('content-disposition', `attachment; filename="ehc-plan-${request.params.versionId.slice(0, 8)}.pdf"`)
        .send(pdf);
    },
  );

  type S = V & { section: string };
  const sectionUrl = '/ehc-plans/:planId/versions/:versionId/sections/:section';
  const sectionPage = async (request: FastifyRequest<{ Params: S }>, more: object) => {
    const key = sectionKey(request.params.section);
    const view = await ehcPlans.versionView(
      requireUser(request),
      request.params.planId,
      request.params.versionId,
      'page',
    );
    const section = PLAN_SECTIONS.find((s) => s.key === key)!;
    return { ...view, section, text: view.version.sections.find((s) => s.key === key)?.text ?? '', ...more };
  };
  app.get<{ Params: S }>(sectionUrl, { config: manage, schema: hide }, async (request, reply) =>
    reply.view('ehc-plans/views/section.njk', await sectionPage(request, { errors: {} })),
  );
  app.post<{ Params: S }>(sectionUrl, { config: manage, schema: hide }, async (request, reply) => {
    const { planId, versionId } = request.params;
    const body = (request.body ?? {}) as Body;
    return runForm(
      reply,
      body,
      async () => {
        const key = sectionKey(request.params.section);
        await ehcPlans.editSection(requireUser(request), planId, versionId, key, SectionInput.parse(body, today()));
        return `/ehc-plans/${planId}?saved=section#section-${key}`;
      },
      async (errors, list, code) => {
        reply.code(code);
        return reply.view(
          'ehc-plans/views/section.njk',
          await sectionPage(request, { errors, errorList: list, typed: body.text }),
        );
      },
      `/ehc-plans/${planId}/versions/${versionId}/sections/${request.params.section}`,
    );
  });

  for (const form of PLAN_FORMS) planForm(app, form);
  registerEhcPlansApi(app);
}

/** A GET that shows one of the plan's forms and a POST that runs it. */
function planForm(app: FastifyInstance, form: PlanForm) {
  const { ehcPlans } = app.services;
  const url = `/ehc-plans/:planId/${form.path}`;
  const show = async (request: FastifyRequest<{ Params: Params }>, more: object) => {
    const d = await ehcPlans.planPage(requireUser(request), request.params.planId, 'page');
    return {
      d,
      title: form.title,
      intro: form.intro,
      submit: form.submit,
      fields: form.fields(d),
      version: form.version(d, request.params),
      action: request.url.split('?')[0],
      values: form.initial?.(d, request.params) ?? {},
      errors: {},
      ...more,
    };
  };
  app.get<{ Params: Params }>(url, { config: manage, schema: hide }, async (request, reply) =>
    reply.view(FORM, await show(request, {})),
  );
  app.post<{ Params: Params }>(url, { config: manage, schema: hide }, async (request, reply) => {
    const body = (request.body ?? {}) as Body;
    return runForm(
      reply,
      body,
      async () => {
        await form.run(ehcPlans, requireUser(request), request.params, body, { today: ehcPlans.today() });
        return `/ehc-plans/${request.params.planId}?saved=${form.saved}`;
      },
      async (errors, list, code) => {
        reply.code(code);
        return reply.view(FORM, await show(request, { values: shownValues(body), errors, errorList: list }));
      },
      request.url.split('?')[0] as string,
    );
  });
}
