// Bulk reallocation and the owner pickers' search (issue 11 capabilities 12 and 13): managing a team's caseload
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
];
