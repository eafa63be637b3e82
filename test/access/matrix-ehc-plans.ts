// EHC plans (issue 20 parts 1, 7a): the caseload and changes need ehcp:manage; reading a plan needs person:read.
// A plan id names the young person, so the relationship is checked in the service: a plan in another council is not
// found, one of a young person the caller does not work with is refused (403) — test/ehc-plans.test.ts checks that.
// The record's own plans page and drafting from an assessment carry the person in the URL.
import type { MatrixEntry } from './matrix.ts';

const V = '/ehc-plans/:planId/versions/:versionId';
const A = '/api/v1/ehc-plans/:planId';
const forms = ['placement', 'needs', 'serve', 'issue'];

export const EHC_PLANS_MATRIX: MatrixEntry[] = [
  { method: 'GET', url: '/ehc-plans', capability: 'ehcp:manage' },
  { method: 'GET', url: '/people/:personId/ehc-plans', capability: 'person:read', person: true },
  { method: 'POST', url: '/people/:personId/ehc-plans', capability: 'ehcp:manage', person: true, body: {} },
  { method: 'GET', url: '/ehc-plans/:planId', capability: 'person:read' },
  { method: 'POST', url: '/ehc-plans/:planId/final', capability: 'ehcp:manage', body: {} },
  { method: 'GET', url: V, capability: 'person:read' },
  { method: 'GET', url: `${V}/pdf`, capability: 'person:read' },
  { method: 'GET', url: `${V}/sections/:section`, capability: 'ehcp:manage' },
  { method: 'POST', url: `${V}/sections/:section`, capability: 'ehcp:manage', body: {} },
  ...forms.flatMap((f): MatrixEntry[] => [
    { method: 'GET', url: `${V}/${f}`, capability: 'ehcp:manage' },
    { method: 'POST', url: `${V}/${f}`, capability: 'ehcp:manage', body: {} },
  ]),
  { method: 'GET', url: '/ehc-plans/:planId/withdraw', capability: 'ehcp:manage' },
  { method: 'POST', url: '/ehc-plans/:planId/withdraw', capability: 'ehcp:manage', body: {} },
  { method: 'GET', url: '/ehc-plans/:planId/representations', capability: 'ehcp:manage' },
  { method: 'POST', url: '/ehc-plans/:planId/representations', capability: 'ehcp:manage', body: {} },
  { method: 'GET', url: '/ehc-plans/:planId/consultations', capability: 'ehcp:manage' },
  { method: 'POST', url: '/ehc-plans/:planId/consultations', capability: 'ehcp:manage', body: {} },
  { method: 'GET', url: '/ehc-plans/:planId/consultations/:consultationId/response', capability: 'ehcp:manage' },
  {
    method: 'POST',
    url: '/ehc-plans/:planId/consultations/:consultationId/response',
    capability: 'ehcp:manage',
    body: {},
  },
  // API
  { method: 'GET', url: '/api/v1/ehc-plans', capability: 'ehcp:manage' },
  { method: 'POST', url: '/api/v1/ehc-plans', capability: 'ehcp:manage', body: {} },
  { method: 'GET', url: A, capability: 'person:read' },
  { method: 'GET', url: `${A}/versions/:versionId`, capability: 'person:read' },
  { method: 'GET', url: `${A}/versions/:versionId/pdf`, capability: 'person:read' },
  ...['sections/:section', 'placement', 'needs', 'serve', 'issue'].map(
    (p): MatrixEntry => ({ method: 'POST', url: `${A}/versions/:versionId/${p}`, capability: 'ehcp:manage', body: {} }),
  ),
  { method: 'POST', url: `${A}/final`, capability: 'ehcp:manage', body: {} },
  { method: 'POST', url: `${A}/withdraw`, capability: 'ehcp:manage', body: {} },
  { method: 'POST', url: `${A}/representations`, capability: 'ehcp:manage', body: {} },
  { method: 'POST', url: `${A}/consultations`, capability: 'ehcp:manage', body: {} },
  { method: 'POST', url: `${A}/consultations/:consultationId/response`, capability: 'ehcp:manage', body: {} },
];
