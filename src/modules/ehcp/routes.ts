// EHC needs assessment pages: the coordinator's (on the young person's record; the forms are in page-forms.ts),
// the advice pages (advice-routes.ts: the coordinator's view of advice, and the advice giver's, one request each,
// /advice/:requestId, never the record), the weekly report, and the invitation to set a password.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Config } from '../../config.ts';
import { requirePersonAccess, requireUser } from '../../http/request.ts';
import { registerAdvicePages } from './advice-routes.ts';
import { registerEhcpApi } from './api.ts';
import { registerInviteRoutes } from './invite-routes.ts';
import { ASSESSMENT_FORMS, type AssessmentForm, type Field, NEW_ASSESSMENT, posted, refused } from './page-forms.ts';

type P = { personId: string };
type A = P & { assessmentId: string };

const FORM = 'ehcp/views/form.njk';

/** The success banner on the assessment page after each save (issue 11 defect 8), by the key in ?saved=. */
const SAVED: Record<string, string> = {
  requested: 'Request for an EHC needs assessment recorded: the 6-week decision clock has started',
  decision: 'Decision recorded',
  advice: 'Request for advice sent',
  exceptions: 'Exception to the time limits recorded',
  draft: 'Draft plan served: the advice givers are asked to check it',
  final: 'Final plan recorded',
  'not-issuing': 'Decision not to issue a plan recorded',
  'delay-notice': 'Delay notice sent to the parents',
};
/** A form's key: the first part of its path ("advice/new" is "advice"). */
const savedKey = (path: string) => path.split('/')[0] as string;
const savedText = (query: unknown) => {
  const key = (query as { saved?: unknown } | undefined)?.saved;
  return typeof key === 'string' && Object.hasOwn(SAVED, key) ? (SAVED[key] as string) : null;
};

export function registerEhcpRoutes(app: FastifyInstance, config: Config) {
  const { ehcp } = app.services;
  const hide = { hide: true };
  const read = { policy: { capability: 'person:read' as const, person: 'personId' } };
  const manage = { policy: { capability: 'ehcp:manage' as const, person: 'personId' } };

  app.get('/ehcp', { config: { policy: { capability: 'ehcp:manage' } }, schema: hide }, async (request, reply) => {
    const user = requireUser(request);
    return reply.view('ehcp/views/index.njk', {
      assessments: await ehcp.mine(user),
      canReport: user.caps.has('ehcp:report'),
    });
  });

  app.get<{ Params: P }>('/people/:personId/ehcp', { config: read, schema: hide }, async (request, reply) => {
    const { person, assessments } = await ehcp.personAssessments(requireUser(request), requirePersonAccess(request));
    return reply.view('ehcp/views/person.njk', { person, assessments });
  });

  // ---- starting an assessment
  const newForm = (personId: string) => ({
    ...NEW_ASSESSMENT,
    action: `/people/${personId}/ehcp`,
    backHref: `/people/${personId}`,
  });
  app.get<{ Params: P }>('/people/:personId/ehcp/new', { config: manage, schema: hide }, async (request, reply) =>
    reply.view(FORM, { ...newForm(request.params.personId), values: {}, errors: {} }),
  );
  app.post<{ Params: P }>('/people/:personId/ehcp', { config: manage, schema: hide }, async (request, reply) => {
    const { personId } = request.params;
    return posted(
      request,
      reply,
      async (body) => {
        const x = NEW_ASSESSMENT.input.parse(body, { today: ehcp.today() });
        return `/people/${personId}/ehcp/${await ehcp.create(requireUser(request), personId, x)}?saved=requested`;
      },
      async (body, errors) =>
        reply.view(FORM, { ...newForm(personId), ...refused(reply, body, NEW_ASSESSMENT.fields, errors) }),
    );
  });

  app.get<{ Params: A }>(
    '/people/:personId/ehcp/:assessmentId',
    { config: read, schema: hide },
    async (request, reply) => {
      const d = await ehcp.assessment(requireUser(request), requirePersonAccess(request), request.params.assessmentId);
      return reply.view('ehcp/views/assessment.njk', { d, savedText: savedText(request.query) });
    },
  );

  /** A GET that shows a form and a POST that runs it: errors re-render with the summary; success redirects (PRG). */
  function assessmentForm(form: AssessmentForm) {
    const url = `/people/:personId/ehcp/:assessmentId/${form.path}`;
    const show = async (request: FastifyRequest<{ Params: A }>, fields: Field[], more: object) => {
      const d = await ehcp.assessment(requireUser(request), requirePersonAccess(request), request.params.assessmentId);
      return {
        title: form.title,
        intro: form.intro,
        submit: form.submit,
        fields,
        d,
        action: request.url.split('?')[0],
        values: {},
        errors: {},
        ...more,
      };
    };
    app.get<{ Params: A }>(url, { config: manage, schema: hide }, async (request, reply) =>
      reply.view(FORM, await show(request, await form.fields(ehcp, requireUser(request)), {})),
    );
    app.post<{ Params: A }>(url, { config: manage, schema: hide }, async (request, reply) => {
      const { personId, assessmentId } = request.params;
      const user = requireUser(request);
      return posted(
        request,
        reply,
        async (body) => {
          await form.run(ehcp, user, { personId, assessmentId }, body);
          return `/people/${personId}/ehcp/${assessmentId}?saved=${savedKey(form.path)}${form.anchor ?? ''}`;
        },
        async (body, errors) => {
          const fields = await form.fields(ehcp, user);
          return reply.view(FORM, await show(request, fields, refused(reply, body, fields, errors)));
        },
      );
    });
  }
  for (const form of ASSESSMENT_FORMS) assessmentForm(form);

  registerAdvicePages(app);
  registerInviteRoutes(app, config);
  registerEhcpApi(app);
}
