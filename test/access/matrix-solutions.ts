// The Creative Solutions Board (issue 12 part 5): a record's board cases and referrals under its relationship
// rules; the board's pages and decisions for solutions:manage, reaching a referred case without a relationship
// (the person must be in the council; the service finds the case or answers 404); the pseudonymised register.
import type { MatrixEntry } from './matrix.ts';

const board = { capability: 'solutions:manage' as const, person: true, relationshipNotNeeded: true };

export const SOLUTIONS_MATRIX: MatrixEntry[] = [
  { method: 'GET', url: '/people/:personId/solutions', capability: 'person:read', person: true },
  { method: 'GET', url: '/people/:personId/solutions/new', capability: 'person:edit', person: true },
  { method: 'POST', url: '/people/:personId/solutions', capability: 'person:edit', person: true, body: {} },
  { method: 'GET', url: '/solutions', capability: 'solutions:manage' },
  { method: 'GET', url: '/people/:personId/board/:caseId', ...board },
  { method: 'GET', url: '/people/:personId/board/:caseId/consider', ...board },
  { method: 'POST', url: '/people/:personId/board/:caseId/consider', ...board, body: {} },
  { method: 'GET', url: '/people/:personId/board/:caseId/review', ...board },
  { method: 'POST', url: '/people/:personId/board/:caseId/review', ...board, body: {} },
  { method: 'GET', url: '/solutions/register', capability: 'safeguarding:read' },
  { method: 'GET', url: '/solutions/register.csv', capability: 'safeguarding:read' },
  { method: 'GET', url: '/api/v1/people/:personId/solutions', capability: 'person:read', person: true },
  { method: 'POST', url: '/api/v1/people/:personId/solutions', capability: 'person:edit', person: true, body: {} },
  { method: 'POST', url: '/api/v1/people/:personId/solutions/:caseId/consider', ...board, body: {} },
  { method: 'POST', url: '/api/v1/people/:personId/solutions/:caseId/review', ...board, body: {} },
  { method: 'GET', url: '/api/v1/solutions/register', capability: 'safeguarding:read' },
];
