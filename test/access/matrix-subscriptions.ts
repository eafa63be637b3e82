// Scheduled reports (issue 14 part 3): any signed-in user has their own subscriptions; subscribing also needs the
// list's own capability, checked by the service (test/subscriptions.test.ts), and a subscription is only ever its
// owner's (another user's is not found), so no route takes a person. The bodies name no list, so every call changes
// nothing.
import type { MatrixEntry } from './matrix.ts';

export const SUBSCRIPTIONS_MATRIX: MatrixEntry[] = [
  { method: 'GET', url: '/subscriptions', capability: null },
  { method: 'GET', url: '/subscriptions/new', capability: null },
  { method: 'POST', url: '/subscriptions', capability: null, body: {} },
  { method: 'GET', url: '/subscriptions/:id/unsubscribe', capability: null },
  { method: 'POST', url: '/subscriptions/:id/unsubscribe', capability: null, body: {} },
  { method: 'GET', url: '/api/v1/subscriptions', capability: null },
  {
    method: 'POST',
    url: '/api/v1/subscriptions',
    capability: null,
    body: { list: 'nonsense', frequency: 'weekly' },
  },
  { method: 'DELETE', url: '/api/v1/subscriptions/:id', capability: null },
];
