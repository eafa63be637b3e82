// SEND hubs requests (issue 13 parts 2 and 3). A setting's account (support-request:submit) reaches /setting and
// its own settings' requests: routes with settingRequest open one request only to accounts of its setting (the
// matrix test makes one in a setting the caller belongs to and one in a setting it does not). Hub staff
// (send-hub:work) reach the hubs they work in (requireHub: another hub is "No hub with that reference", past the
// policy). Submitting through the API is open to any signed-in user: the body is read first, then the service
// decides (a setting's account or hub staff), so the matrix's empty body is refused as bad input.
import type { MatrixEntry } from './matrix.ts';

const submit = { capability: 'support-request:submit' as const };
const own = { capability: 'support-request:submit' as const, settingRequest: true };
const work = { capability: 'send-hub:work' as const };

export const SEND_HUBS_REQUESTS_MATRIX: MatrixEntry[] = [
  { method: 'GET', url: '/setting', ...submit },
  { method: 'GET', url: '/setting/requests/new', ...submit },
  { method: 'POST', url: '/setting/requests', ...submit, body: {} },
  { method: 'GET', url: '/setting/requests/:requestId', ...own },
  { method: 'GET', url: '/setting/requests/:requestId/confirmation', ...own },
  { method: 'GET', url: '/setting/requests/:requestId/consent', ...own },
  { method: 'POST', url: '/setting/requests/:requestId/consent', ...own, body: {} },
  { method: 'GET', url: '/hubs', ...work },
  { method: 'GET', url: '/hubs/:hubId', ...work },
  { method: 'GET', url: '/hubs/:hubId/requests/new', ...work },
  { method: 'POST', url: '/hubs/:hubId/requests', ...work, body: {} },
  { method: 'GET', url: '/hubs/:hubId/requests/:requestId', ...work },
  { method: 'POST', url: '/hubs/:hubId/requests/:requestId/consent', ...work, body: {} },
  { method: 'GET', url: '/api/v1/send/my-hubs', ...work },
  { method: 'GET', url: '/api/v1/send/hubs/:hubId/requests', ...work },
  { method: 'GET', url: '/api/v1/send/requests/:requestId', ...work },
  { method: 'POST', url: '/api/v1/send/requests', capability: null, body: {} },
  { method: 'GET', url: '/api/v1/setting/requests', ...submit },
  { method: 'GET', url: '/api/v1/setting/requests/:requestId', ...own },
  { method: 'POST', url: '/api/v1/setting/requests/:requestId/consent', ...own, body: {} },
];
