// Matrix entries for the EHCP module (src/modules/ehcp). adviceRequest: the route opens one advice request, and
// only to whom it is addressed (the giver, whoever is now responsible, or the giver's line manager).
import type { MatrixEntry } from './matrix.ts';

const A = '/people/:personId/ehcp/:assessmentId';
const forms = ['decision', 'advice/new', 'exceptions/new', 'draft', 'final', 'not-issuing', 'delay-notice'];
const API = '/api/v1/people/:personId/ehcp-assessments';

export const EHCP_MATRIX: MatrixEntry[] = [
  { method: 'GET', url: '/ehcp', capability: 'ehcp:manage' },
  { method: 'GET', url: '/people/:personId/ehcp', capability: 'person:read', person: true },
  { method: 'GET', url: '/people/:personId/ehcp/new', capability: 'ehcp:manage', person: true },
  { method: 'POST', url: '/people/:personId/ehcp', capability: 'ehcp:manage', person: true, body: {} },
  { method: 'GET', url: A, capability: 'person:read', person: true },
  ...forms.flatMap((f): MatrixEntry[] => [
    { method: 'GET', url: `${A}/${f}`, capability: 'ehcp:manage', person: true },
    { method: 'POST', url: `${A}/${f}`, capability: 'ehcp:manage', person: true, body: {} },
  ]),
  { method: 'GET', url: `${A}/advice/:requestId`, capability: 'person:read', person: true },
  { method: 'POST', url: `${A}/advice/:requestId/query`, capability: 'ehcp:manage', person: true, body: {} },
  { method: 'GET', url: '/advice', capability: null },
  { method: 'GET', url: '/advice/:requestId', capability: null, adviceRequest: true },
  { method: 'POST', url: '/advice/:requestId/advice', capability: null, adviceRequest: true, body: {} },
  { method: 'POST', url: '/advice/:requestId/draft-feedback', capability: null, adviceRequest: true, body: {} },
  { method: 'GET', url: '/reports/ehcp-weekly', capability: 'ehcp:report' },
  { method: 'GET', url: '/reports/ehcp-weekly.csv', capability: 'ehcp:report' },
  { method: 'GET', url: '/invite/done', capability: 'public' },
  { method: 'GET', url: '/invite/:token', capability: 'public' },
  { method: 'POST', url: '/invite/:token', capability: 'public' },
  { method: 'GET', url: API, capability: 'person:read', person: true },
  { method: 'POST', url: API, capability: 'ehcp:manage', person: true, body: {} },
  { method: 'GET', url: `${API}/:assessmentId`, capability: 'person:read', person: true },
  { method: 'POST', url: `${API}/:assessmentId/decision`, capability: 'ehcp:manage', person: true, body: {} },
  { method: 'POST', url: `${API}/:assessmentId/advice-requests`, capability: 'ehcp:manage', person: true, body: {} },
  { method: 'POST', url: `${API}/:assessmentId/exceptions`, capability: 'ehcp:manage', person: true, body: {} },
  { method: 'GET', url: '/api/v1/advice-requests', capability: null },
  { method: 'GET', url: '/api/v1/advice-requests/:requestId', capability: null, adviceRequest: true },
  { method: 'POST', url: '/api/v1/advice-requests/:requestId/advice', capability: null, adviceRequest: true, body: {} },
  { method: 'GET', url: '/api/v1/ehcp/follow-ups', capability: 'ehcp:report' },
  { method: 'GET', url: '/api/v1/reports/ehcp-weekly', capability: 'ehcp:report' },
  { method: 'GET', url: '/api/v1/reports/ehcp-weekly.csv', capability: 'ehcp:report' },
];
