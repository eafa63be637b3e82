// Bulk reallocation, the owner pickers' search and the record bundle (issue 11 capabilities 12, 13 and 14): managing a team's caseload
// needs involvement:manage (the service also checks the caller manages that team); the staff search, casework.
import type { MatrixEntry } from './matrix.ts';

export const CASELOAD_MATRIX: MatrixEntry[] = [
  { method: 'GET', url: '/caseload', capability: 'involvement:manage' },
  { method: 'GET', url: '/teams/:teamId/workers/:workerId/reallocate', capability: 'involvement:manage' },
  { method: 'POST', url: '/teams/:teamId/workers/:workerId/reallocate', capability: 'involvement:manage', body: {} },
  { method: 'GET', url: '/api/v1/teams/:teamId/workers/:workerId/caseload', capability: 'involvement:manage' },
  {
    method: 'POST',
    url: '/api/v1/teams/:teamId/workers/:workerId/reallocations',
    capability: 'involvement:manage',
    body: {},
  },
  { method: 'GET', url: '/api/v1/staff/search', capability: 'person:edit' },
  // The record bundle (capability 14): a read of the record, logged as a print.
  { method: 'GET', url: '/people/:personId/bundle', capability: 'person:read', person: true },
];
