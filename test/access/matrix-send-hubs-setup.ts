// SEND hubs (issue 13 part 1): Set up of hubs and localities in use, settings and their organisation accounts, for
// the council's IT administrator (org:admin), pages and API. An empty body is refused as bad input (nothing written);
// the service and account switches on a nil id are not found.
import type { MatrixEntry } from './matrix.ts';

const admin = 'org:admin' as const;

export const SEND_HUBS_SETUP_MATRIX: MatrixEntry[] = [
  { method: 'GET', url: '/admin/hubs', capability: admin },
  { method: 'GET', url: '/admin/hubs/:hubId', capability: admin },
  { method: 'POST', url: '/admin/hubs/:hubId', capability: admin, body: {} },
  { method: 'POST', url: '/admin/hubs/:hubId/services', capability: admin, body: {} },
  { method: 'POST', url: '/admin/hubs/:hubId/services/:serviceId/deactivate', capability: admin, body: {} },
  { method: 'POST', url: '/admin/hubs/:hubId/services/:serviceId/reactivate', capability: admin, body: {} },
  { method: 'GET', url: '/admin/localities/:localityId/send', capability: admin },
  { method: 'POST', url: '/admin/localities/:localityId/send', capability: admin, body: {} },
  { method: 'GET', url: '/admin/settings', capability: admin },
  { method: 'GET', url: '/admin/settings/new', capability: admin },
  { method: 'POST', url: '/admin/settings', capability: admin, body: {} },
  { method: 'GET', url: '/admin/settings/:settingId', capability: admin },
  { method: 'POST', url: '/admin/settings/:settingId', capability: admin, body: {} },
  { method: 'POST', url: '/admin/settings/:settingId/accounts', capability: admin, body: {} },
  { method: 'POST', url: '/admin/settings/:settingId/accounts/link', capability: admin, body: {} },
  { method: 'POST', url: '/admin/settings/:settingId/accounts/:userId/remove', capability: admin, body: {} },
  { method: 'GET', url: '/api/v1/send/hubs', capability: admin },
  { method: 'GET', url: '/api/v1/send/hubs/:hubId', capability: admin },
  { method: 'PUT', url: '/api/v1/send/hubs/:hubId', capability: admin, body: {} },
  { method: 'GET', url: '/api/v1/send/localities/:localityId', capability: admin },
  { method: 'PUT', url: '/api/v1/send/localities/:localityId', capability: admin, body: {} },
  { method: 'GET', url: '/api/v1/send/settings', capability: admin },
  { method: 'POST', url: '/api/v1/send/settings', capability: admin, body: {} },
  { method: 'GET', url: '/api/v1/send/settings/:settingId', capability: admin },
  { method: 'PUT', url: '/api/v1/send/settings/:settingId', capability: admin, body: {} },
  { method: 'POST', url: '/api/v1/send/settings/:settingId/accounts', capability: admin, body: {} },
  { method: 'DELETE', url: '/api/v1/send/settings/:settingId/accounts/:userId', capability: admin },
];
