// Partner organisations (issue 17 part 5, src/modules/partners). organisationLead: the route is for a lead of an
// outside organisation, which no role makes anyone (the council's administrator chooses leads): every matrix caller
// is refused (403), and test/partners-members.test.ts proves a lead is let in. The inbox lists the caller's own
// organisation's requests (empty for everyone else); taking a request opens by addressee, like the advice request
// pages (a member of the request's inbox organisation is one of its addressees: test/partners-inbox.test.ts).
import type { MatrixEntry } from './matrix.ts';

const admin = 'org:admin' as const;
const lead = { capability: null, organisationLead: true } as const;
/** A body the API's schema accepts, so a refusal is the lead check's (403), not the schema's (400). */
const invite = { display_name: 'Matrix Member', email: 'matrix.member@partner.example', job_title: 'Nurse' };

export const PARTNERS_MATRIX: MatrixEntry[] = [
  { method: 'GET', url: '/organisation', ...lead },
  { method: 'POST', url: '/organisation/members', ...lead, body: {} },
  { method: 'POST', url: '/organisation/members/:userId/deactivate', ...lead, body: {} },
  { method: 'POST', url: '/organisation/members/:userId/lead', ...lead, body: {} },
  { method: 'GET', url: '/organisation/inbox', capability: null },
  { method: 'POST', url: '/organisation/inbox/:requestId/take', capability: null, adviceRequest: true, body: {} },
  { method: 'POST', url: '/organisation/inbox/:requestId/return', capability: null, adviceRequest: true, body: {} },
  { method: 'GET', url: '/api/v1/organisation', ...lead },
  { method: 'POST', url: '/api/v1/organisation/members', ...lead, body: invite },
  { method: 'POST', url: '/api/v1/organisation/members/:userId/deactivate', ...lead, body: {} },
  { method: 'POST', url: '/api/v1/organisation/members/:userId/lead', ...lead, body: {} },
  { method: 'GET', url: '/api/v1/organisation/inbox', capability: null },
  {
    method: 'POST',
    url: '/api/v1/organisation/inbox/:requestId/take',
    capability: null,
    adviceRequest: true,
    body: {},
  },
  {
    method: 'POST',
    url: '/api/v1/organisation/inbox/:requestId/return',
    capability: null,
    adviceRequest: true,
    body: {},
  },
  { method: 'GET', url: '/admin/services/:serviceId/leads', capability: admin },
  { method: 'POST', url: '/admin/services/:serviceId/leads', capability: admin, body: {} },
  { method: 'POST', url: '/admin/services/:serviceId/leads/:userId/remove', capability: admin, body: {} },
  { method: 'GET', url: '/api/v1/services/:serviceId/leads', capability: admin },
  { method: 'POST', url: '/api/v1/services/:serviceId/leads', capability: admin, body: {} },
  { method: 'DELETE', url: '/api/v1/services/:serviceId/leads/:userId', capability: admin },
];
