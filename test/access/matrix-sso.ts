// Single sign-on (issue 17 parts 1, 2 and 5): the public sign-in routes (404 when OIDC is not configured, as in the
// matrix run) and the user administrator's set-up (user:admin), pages and API. Empty bodies are refused as bad input
// (nothing written); removals and decisions on a nil id are not found.
import type { MatrixEntry } from './matrix.ts';

const admin = 'user:admin' as const;

export const SSO_MATRIX: MatrixEntry[] = [
  { method: 'GET', url: '/auth/oidc/start', capability: 'public' },
  { method: 'GET', url: '/auth/oidc/callback', capability: 'public' },
  { method: 'GET', url: '/admin/single-sign-on', capability: admin },
  { method: 'POST', url: '/admin/single-sign-on/tenants', capability: admin, body: {} },
  { method: 'POST', url: '/admin/single-sign-on/tenants/:tenantId/remove', capability: admin, body: {} },
  { method: 'POST', url: '/admin/single-sign-on/role-mappings', capability: admin, body: {} },
  { method: 'POST', url: '/admin/single-sign-on/role-mappings/:mappingId/remove', capability: admin, body: {} },
  { method: 'GET', url: '/admin/single-sign-on/requests/:requestId', capability: admin },
  { method: 'POST', url: '/admin/single-sign-on/requests/:requestId/approve', capability: admin, body: {} },
  { method: 'POST', url: '/admin/single-sign-on/requests/:requestId/refuse', capability: admin, body: {} },
  { method: 'GET', url: '/api/v1/sso/tenants', capability: admin },
  { method: 'POST', url: '/api/v1/sso/tenants', capability: admin, body: {} },
  { method: 'DELETE', url: '/api/v1/sso/tenants/:tenantId', capability: admin },
  { method: 'GET', url: '/api/v1/sso/role-mappings', capability: admin },
  { method: 'POST', url: '/api/v1/sso/role-mappings', capability: admin, body: {} },
  { method: 'DELETE', url: '/api/v1/sso/role-mappings/:mappingId', capability: admin },
  { method: 'GET', url: '/api/v1/sso/access-requests', capability: admin },
  { method: 'POST', url: '/api/v1/sso/access-requests/:requestId/approve', capability: admin, body: {} },
  { method: 'POST', url: '/api/v1/sso/access-requests/:requestId/refuse', capability: admin, body: {} },
];
