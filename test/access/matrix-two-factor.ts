// Two-factor sign-in (issue 17): the second step of signing in is public (the challenge cookie is the only key, and
// it opens nothing but these pages); your own status and recovery codes; an administrator's status and reset.
import type { MatrixEntry } from './matrix.ts';

export const TWO_FACTOR_MATRIX: MatrixEntry[] = [
  { method: 'GET', url: '/login/two-factor', capability: 'public' },
  { method: 'POST', url: '/login/two-factor', capability: 'public' },
  { method: 'GET', url: '/login/two-factor/recovery', capability: 'public' },
  { method: 'POST', url: '/login/two-factor/recovery', capability: 'public' },
  { method: 'GET', url: '/login/two-factor/set-up', capability: 'public' },
  { method: 'POST', url: '/login/two-factor/set-up', capability: 'public' },
  { method: 'POST', url: '/login/two-factor/set-up/continue', capability: 'public' },
  { method: 'GET', url: '/account/two-factor', capability: null },
  // An empty body: "enter the code" (400), so an allowed call changes nothing.
  { method: 'POST', url: '/account/two-factor/recovery-codes', capability: null, body: {} },
  { method: 'GET', url: '/admin/users/:userId/two-factor', capability: 'user:admin' },
  { method: 'POST', url: '/admin/users/:userId/two-factor/reset', capability: 'user:admin' },
  { method: 'GET', url: '/api/v1/users/:userId/two-factor', capability: 'user:admin' },
];
