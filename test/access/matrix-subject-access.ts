// Subject access requests (issue 15 item 12, quality.md R9): a council-level job for whoever holds
// subject-access:manage (the service manager, docs/decisions.md), not casework, so no relationship to the young
// person is asked for; requests are found only in the caller's own council.
import type { MatrixEntry } from './matrix.ts';

const cap = 'subject-access:manage' as const;

export const SUBJECT_ACCESS_MATRIX: MatrixEntry[] = [
  { method: 'GET', url: '/subject-access', capability: cap },
  { method: 'GET', url: '/subject-access/new', capability: cap },
  { method: 'POST', url: '/subject-access', capability: cap, body: {} },
  { method: 'GET', url: '/subject-access/:requestId', capability: cap },
  { method: 'POST', url: '/subject-access/:requestId/release', capability: cap, body: {} },
  { method: 'GET', url: '/subject-access/:requestId/export.zip', capability: cap },
  { method: 'GET', url: '/subject-access/:requestId/extend', capability: cap },
  { method: 'POST', url: '/subject-access/:requestId/extend', capability: cap, body: {} },
  { method: 'GET', url: '/subject-access/:requestId/review', capability: cap },
  { method: 'POST', url: '/subject-access/:requestId/review', capability: cap, body: {} },
  { method: 'GET', url: '/api/v1/subject-access', capability: cap },
  { method: 'POST', url: '/api/v1/subject-access', capability: cap, body: {} },
  { method: 'GET', url: '/api/v1/subject-access/:requestId', capability: cap },
  { method: 'POST', url: '/api/v1/subject-access/:requestId/extension', capability: cap, body: {} },
  { method: 'PUT', url: '/api/v1/subject-access/:requestId/review', capability: cap, body: {} },
  { method: 'POST', url: '/api/v1/subject-access/:requestId/release', capability: cap, body: {} },
  { method: 'GET', url: '/api/v1/subject-access/:requestId/export', capability: cap },
];
