// Information-sharing decisions (issue 12 part 10): a record's entries under its relationship rules, like case notes;
// the council's register (JSON and CSV) for whoever holds subject-access:manage (docs/decisions.md).
import type { MatrixEntry } from './matrix.ts';

export const SHARING_MATRIX: MatrixEntry[] = [
  { method: 'GET', url: '/api/v1/people/:personId/sharing', capability: 'person:read', person: true },
  { method: 'POST', url: '/api/v1/people/:personId/sharing', capability: 'person:edit', person: true, body: {} },
  { method: 'GET', url: '/api/v1/sharing', capability: 'subject-access:manage' },
  { method: 'GET', url: '/sharing/register.csv', capability: 'subject-access:manage' },
  { method: 'GET', url: '/people/:personId/sharing', capability: 'person:read', person: true },
  { method: 'GET', url: '/people/:personId/sharing/new', capability: 'person:edit', person: true },
  { method: 'POST', url: '/people/:personId/sharing', capability: 'person:edit', person: true, body: {} },
  { method: 'GET', url: '/people/:personId/sharing/:entryId/correct', capability: 'person:edit', person: true },
  { method: 'GET', url: '/sharing', capability: 'subject-access:manage' },
];
