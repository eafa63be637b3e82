// EHC plan changes (issue 20): amendments, cessations and a plan transferred in. Every route needs ehcp:manage; the
// plan's young person is checked in the service (a plan id, not a person id, is in the path), so a caller without a
// relationship gets 403 there, and a plan that is not in their council 404 ("No EHC plan with that reference").
import type { MatrixEntry } from './matrix.ts';

const m = (method: MatrixEntry['method'], url: string): MatrixEntry => ({
  method,
  url,
  capability: 'ehcp:manage',
  ...(method === 'POST' ? { body: {} } : {}),
});

export const EHC_PLAN_CHANGES_MATRIX: MatrixEntry[] = [
  m('GET', '/ehc-plans/:planId/changes'),
  m('GET', '/ehc-plans/:planId/amendments/new'),
  m('POST', '/ehc-plans/:planId/amendments'),
  m('GET', '/ehc-plans/:planId/cessation/new'),
  m('POST', '/ehc-plans/:planId/cessation'),
  m('GET', '/ehc-plans/:planId/amendments/:amendmentId'),
  m('POST', '/ehc-plans/:planId/amendments/:amendmentId/send'),
  m('POST', '/ehc-plans/:planId/amendments/:amendmentId/representations'),
  m('POST', '/ehc-plans/:planId/amendments/:amendmentId/prepare-final'),
  m('POST', '/ehc-plans/:planId/amendments/:amendmentId/issue'),
  m('POST', '/ehc-plans/:planId/amendments/:amendmentId/not-amended'),
  m('POST', '/ehc-plans/:planId/amendments/:amendmentId/withdraw'),
  m('GET', '/ehc-plans/:planId/cessation/:cessationId'),
  m('GET', '/ehc-plans/:planId/cessation/:cessationId/notice'),
  m('GET', '/ehc-plans/:planId/cessation/:cessationId/notice.pdf'),
  m('POST', '/ehc-plans/:planId/cessation/:cessationId/decision'),
  m('POST', '/ehc-plans/:planId/cessation/:cessationId/appeal'),
  m('POST', '/ehc-plans/:planId/cessation/:cessationId/appeal-outcome'),
  m('POST', '/ehc-plans/:planId/cessation/:cessationId/cease'),
  m('GET', '/ehc-plans/:planId/transfer'),
  m('POST', '/ehc-plans/:planId/transfer/told'),
  m('GET', '/api/v1/ehc-plans/:planId/amendments'),
  m('POST', '/api/v1/ehc-plans/:planId/amendments'),
  m('GET', '/api/v1/ehc-plans/:planId/amendments/:amendmentId'),
  m('POST', '/api/v1/ehc-plans/:planId/amendments/:amendmentId/send'),
  m('POST', '/api/v1/ehc-plans/:planId/amendments/:amendmentId/representations'),
  m('POST', '/api/v1/ehc-plans/:planId/amendments/:amendmentId/issue'),
  m('POST', '/api/v1/ehc-plans/:planId/amendments/:amendmentId/not-amended'),
  m('GET', '/api/v1/ehc-plans/:planId/cessations'),
  m('POST', '/api/v1/ehc-plans/:planId/cessations'),
  m('GET', '/api/v1/ehc-plans/:planId/cessations/:cessationId'),
  m('POST', '/api/v1/ehc-plans/:planId/cessations/:cessationId/decision'),
  m('POST', '/api/v1/ehc-plans/:planId/cessations/:cessationId/appeal'),
  m('POST', '/api/v1/ehc-plans/:planId/cessations/:cessationId/appeal-outcome'),
  m('POST', '/api/v1/ehc-plans/:planId/cessations/:cessationId/cease'),
  m('GET', '/api/v1/ehc-plans/:planId/transfer'),
  m('POST', '/api/v1/ehc-plans/:planId/transfer/told'),
];
