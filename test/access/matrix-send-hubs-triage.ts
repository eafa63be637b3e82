// SEND hubs (issue 13 parts 4, 5, 6): triage meetings, outcomes, the Navigator, the locality team's answer and needs
// in context. Hub staff (send-hub:work) reach the hubs they work in (requireHub: a hub that is not theirs is not
// found); scheduling and marking a triage meeting held is a manager's (send-hub:manage). No route here is about a
// person by its address: the young person's record is read through the hub's scope, each read logged.
import type { MatrixEntry } from './matrix.ts';

const work = { capability: 'send-hub:work' as const };
const manage = { capability: 'send-hub:manage' as const };
const req = '/hubs/:hubId/requests/:requestId';
const api = '/api/v1/send/requests/:requestId';

export const SEND_HUBS_TRIAGE_MATRIX: MatrixEntry[] = [
  { method: 'GET', url: '/hubs/:hubId/triage', ...work },
  { method: 'POST', url: '/hubs/:hubId/triage', ...manage, body: {} },
  { method: 'GET', url: '/hubs/:hubId/triage/:meetingId', ...work },
  { method: 'POST', url: '/hubs/:hubId/triage/:meetingId/held', ...manage, body: {} },
  { method: 'GET', url: `${req}/outcome`, ...work },
  { method: 'POST', url: `${req}/outcome`, ...work, body: {} },
  { method: 'GET', url: `${req}/more-info`, ...work },
  { method: 'POST', url: `${req}/more-info`, ...work, body: {} },
  { method: 'GET', url: `${req}/navigator`, ...work },
  { method: 'POST', url: `${req}/navigator`, ...work, body: {} },
  { method: 'POST', url: `${req}/navigator/actions`, ...work, body: {} },
  { method: 'POST', url: `${req}/navigator/contacts`, ...work, body: {} },
  { method: 'POST', url: `${req}/navigator/started`, ...work, body: {} },
  { method: 'POST', url: `${req}/navigator/review`, ...work, body: {} },
  { method: 'GET', url: `${req}/locality`, ...work },
  { method: 'POST', url: `${req}/locality`, ...work, body: {} },
  { method: 'GET', url: `${req}/context`, ...work },
  { method: 'POST', url: `${api}/outcome`, ...work, body: {} },
  { method: 'POST', url: `${api}/more-info`, ...work, body: {} },
  { method: 'POST', url: `${api}/navigator`, ...work, body: {} },
  { method: 'POST', url: `${api}/support-started`, ...work, body: { started_on: 'not-a-date' } },
  { method: 'POST', url: `${api}/review`, ...work, body: {} },
  { method: 'POST', url: `${api}/locality`, ...work, body: {} },
  { method: 'POST', url: `${api}/actions`, ...work, body: {} },
  { method: 'POST', url: `${api}/contacts`, ...work, body: {} },
  { method: 'GET', url: `${api}/contacts`, ...work },
  { method: 'GET', url: `${api}/context`, ...work },
  { method: 'GET', url: '/api/v1/send/hubs/:hubId/triage-meetings', ...work },
  { method: 'POST', url: '/api/v1/send/hubs/:hubId/triage-meetings', ...manage, body: {} },
  { method: 'GET', url: '/api/v1/send/hubs/:hubId/triage-meetings/:meetingId', ...work },
  { method: 'POST', url: '/api/v1/send/hubs/:hubId/triage-meetings/:meetingId/held', ...manage, body: { next: 'x' } },
];
