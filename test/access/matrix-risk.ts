// The single view of risk (issue 12 part 9): read under the person's relationship rules; partner agencies' entries
// need only person:read with a relationship (docs/decisions.md).
import type { MatrixEntry } from './matrix.ts';

export const RISK_MATRIX: MatrixEntry[] = [
  { method: 'GET', url: '/people/:personId/risk', capability: 'person:read', person: true },
  { method: 'GET', url: '/people/:personId/risk/entries/new', capability: 'person:read', person: true },
  { method: 'POST', url: '/people/:personId/risk/entries', capability: 'person:read', person: true, body: {} },
  { method: 'GET', url: '/api/v1/people/:personId/risk', capability: 'person:read', person: true },
  { method: 'POST', url: '/api/v1/people/:personId/risk/entries', capability: 'person:read', person: true, body: {} },
];
