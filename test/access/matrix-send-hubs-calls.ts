// SEND hubs (issue 13 parts 7 and 8): the telephone advice log (the hub's staff, send-hub:work) and the hub
// dashboard (hub and locality managers, send-hub:manage). Each is scoped to the hubs the caller works in by the
// module (another hub is not found), not by a relationship to a young person; allowed calls here name a hub that
// does not exist (404, or 400 for the empty body), and /hubs/dashboard shows the hubs the caller works in.
import type { MatrixEntry } from './matrix.ts';

export const SEND_HUBS_CALLS_MATRIX: MatrixEntry[] = [
  { method: 'GET', url: '/hubs/:hubId/calls', capability: 'send-hub:work' },
  { method: 'GET', url: '/hubs/:hubId/calls/new', capability: 'send-hub:work' },
  { method: 'POST', url: '/hubs/:hubId/calls', capability: 'send-hub:work', body: {} },
  { method: 'GET', url: '/hubs/:hubId/calls/:callId', capability: 'send-hub:work' },
  { method: 'POST', url: '/hubs/:hubId/calls/:callId/follow-up-done', capability: 'send-hub:work', body: {} },
  { method: 'GET', url: '/api/v1/send/hubs/:hubId/calls', capability: 'send-hub:work' },
  { method: 'POST', url: '/api/v1/send/hubs/:hubId/calls', capability: 'send-hub:work', body: {} },
  { method: 'GET', url: '/api/v1/send/hubs/:hubId/calls/:callId', capability: 'send-hub:work' },
  {
    method: 'POST',
    url: '/api/v1/send/hubs/:hubId/calls/:callId/follow-up-done',
    capability: 'send-hub:work',
    body: {},
  },
  { method: 'GET', url: '/hubs/dashboard', capability: 'send-hub:manage' },
  { method: 'GET', url: '/hubs/:hubId/dashboard', capability: 'send-hub:manage' },
  { method: 'GET', url: '/hubs/:hubId/dashboard.csv', capability: 'send-hub:manage' },
  { method: 'GET', url: '/api/v1/send/hubs/:hubId/dashboard', capability: 'send-hub:manage' },
];
