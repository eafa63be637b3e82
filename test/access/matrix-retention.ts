// Retention and legal hold (issue 15 item 11): the council's administrator only; no route opens a record.
import type { MatrixEntry } from './matrix.ts';

export const RETENTION_MATRIX: MatrixEntry[] = [
  { method: 'GET', url: '/admin/retention', capability: 'retention:manage' },
  { method: 'GET', url: '/admin/retention/schedules/:recordType', capability: 'retention:manage' },
  { method: 'POST', url: '/admin/retention/schedules/:recordType', capability: 'retention:manage', body: {} },
  { method: 'GET', url: '/admin/retention/settings', capability: 'retention:manage' },
  { method: 'POST', url: '/admin/retention/settings', capability: 'retention:manage', body: {} },
  { method: 'GET', url: '/admin/retention/holds', capability: 'retention:manage' },
  { method: 'GET', url: '/admin/retention/holds/new', capability: 'retention:manage' },
  { method: 'POST', url: '/admin/retention/holds', capability: 'retention:manage', body: {} },
  { method: 'GET', url: '/admin/retention/holds/:holdId/release', capability: 'retention:manage' },
  { method: 'POST', url: '/admin/retention/holds/:holdId/release', capability: 'retention:manage', body: {} },
  { method: 'GET', url: '/api/v1/retention', capability: 'retention:manage' },
  { method: 'PUT', url: '/api/v1/retention/schedules/:recordType', capability: 'retention:manage', body: {} },
  { method: 'PUT', url: '/api/v1/retention/settings', capability: 'retention:manage', body: {} },
  { method: 'GET', url: '/api/v1/legal-holds', capability: 'retention:manage' },
  { method: 'POST', url: '/api/v1/legal-holds', capability: 'retention:manage', body: {} },
  { method: 'POST', url: '/api/v1/legal-holds/:holdId/release', capability: 'retention:manage', body: {} },
];
