// Annual reviews of EHC plans and phase transfers (issue 20 part 2, 4, 7c). The coordinator's and SEND manager's
// routes need ehcp:manage; the plan's young person is checked in the service (a plan id names them), so a plan in
// another council is not found and one of a young person the caller does not work with is refused. The advice
// giver's routes are open to any signed-in user and answer only requests addressed to them (else not found).
import type { MatrixEntry } from './matrix.ts';

const stages = ['arrange', 'advice', 'circulate', 'meeting', 'report', 'decision'];

export const EHC_REVIEWS_MATRIX: MatrixEntry[] = [
  { method: 'GET', url: '/ehc-plans/:planId/reviews', capability: 'ehcp:manage' },
  { method: 'GET', url: '/ehc-plans/:planId/reviews/:reviewId', capability: 'ehcp:manage' },
  ...stages.map(
    (s): MatrixEntry => ({
      method: 'POST',
      url: `/ehc-plans/:planId/reviews/:reviewId/${s}`,
      capability: 'ehcp:manage',
      body: {},
    }),
  ),
  { method: 'GET', url: '/ehc-plans/phase-transfers', capability: 'ehcp:manage' },
  { method: 'GET', url: '/ehc-plans/review-advice', capability: null },
  { method: 'GET', url: '/ehc-plans/review-advice/:requestId', capability: null },
  { method: 'POST', url: '/ehc-plans/review-advice/:requestId', capability: null, body: {} },
  { method: 'GET', url: '/api/v1/ehc-plans/:planId/reviews', capability: 'ehcp:manage' },
  { method: 'GET', url: '/api/v1/ehc-plans/:planId/reviews/:reviewId', capability: 'ehcp:manage' },
  ...[...stages.filter((s) => s !== 'advice'), 'advice-requests'].map(
    (s): MatrixEntry => ({
      method: 'POST',
      url: `/api/v1/ehc-plans/:planId/reviews/:reviewId/${s}`,
      capability: 'ehcp:manage',
      body: {},
    }),
  ),
  { method: 'GET', url: '/api/v1/ehc-reviews', capability: 'ehcp:manage' },
  { method: 'GET', url: '/api/v1/ehc-reviews/advice-requests', capability: null },
  { method: 'GET', url: '/api/v1/ehc-reviews/advice-requests/:requestId', capability: null },
  { method: 'POST', url: '/api/v1/ehc-reviews/advice-requests/:requestId/answer', capability: null, body: {} },
  { method: 'GET', url: '/api/v1/phase-transfers', capability: 'ehcp:manage' },
];
