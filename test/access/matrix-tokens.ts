// API tokens (issue 9, finding 9): your own tokens on /account and /api/v1/tokens; an administrator revokes a
// token of a user in their council from the user's Set up page.
import type { MatrixEntry } from './matrix.ts';

export const TOKEN_MATRIX: MatrixEntry[] = [
  { method: 'GET', url: '/account', capability: null },
  { method: 'POST', url: '/account/tokens/:tokenId/revoke', capability: null },
  { method: 'POST', url: '/admin/users/:userId/tokens/:tokenId/revoke', capability: 'user:admin' },
  { method: 'GET', url: '/api/v1/tokens', capability: null },
  { method: 'DELETE', url: '/api/v1/tokens/:tokenId', capability: null },
];
