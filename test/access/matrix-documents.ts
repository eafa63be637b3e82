// Documents (issue 11 capability 10): the record's documents follow the record's relationship rules; the advice
// giver's open only the request addressed to them. A transfer's and a referral's follow the record's (who may
// upload is checked against the transfer or referral itself: src/modules/documents/targets.ts); a meeting item's
// follow the meeting's (panel:read to see, panel:manage to upload; the panel's membership is checked by its service).
import type { MatrixEntry } from './matrix.ts';

export const DOCUMENTS_MATRIX: MatrixEntry[] = [
  { method: 'GET', url: '/people/:personId/documents', capability: 'person:read', person: true },
  { method: 'POST', url: '/people/:personId/documents', capability: 'person:edit', person: true, body: {} },
  { method: 'GET', url: '/people/:personId/documents/:documentId', capability: 'person:read', person: true },
  { method: 'GET', url: '/advice/:requestId/documents', capability: null, adviceRequest: true },
  { method: 'POST', url: '/advice/:requestId/documents', capability: null, adviceRequest: true, body: {} },
  { method: 'GET', url: '/advice/:requestId/documents/:documentId', capability: null, adviceRequest: true },
  { method: 'GET', url: '/api/v1/people/:personId/documents', capability: 'person:read', person: true },
  { method: 'POST', url: '/api/v1/people/:personId/documents', capability: 'person:edit', person: true, body: {} },
  { method: 'GET', url: '/api/v1/people/:personId/documents/:documentId', capability: 'person:read', person: true },
  { method: 'GET', url: '/api/v1/advice-requests/:requestId/documents', capability: null, adviceRequest: true },
  {
    method: 'GET',
    url: '/api/v1/advice-requests/:requestId/documents/:documentId',
    capability: null,
    adviceRequest: true,
  },
  ...['transfers/:transferId', 'referrals/:referralId'].flatMap((t): MatrixEntry[] =>
    ['', '/api/v1'].flatMap((api): MatrixEntry[] => [
      { method: 'GET', url: `${api}/people/:personId/${t}/documents`, capability: 'person:read', person: true },
      {
        method: 'POST',
        url: `${api}/people/:personId/${t}/documents`,
        capability: 'person:read',
        person: true,
        body: {},
      },
      {
        method: 'GET',
        url: `${api}/people/:personId/${t}/documents/:documentId`,
        capability: 'person:read',
        person: true,
      },
    ]),
  ),
  ...['/panels/meetings/:meetingId/items/:itemId', '/api/v1/panel-meetings/:meetingId/items/:itemId'].flatMap(
    (base): MatrixEntry[] => [
      { method: 'GET', url: `${base}/documents`, capability: 'panel:read' },
      { method: 'POST', url: `${base}/documents`, capability: 'panel:manage', body: {} },
      { method: 'GET', url: `${base}/documents/:documentId`, capability: 'panel:read' },
    ],
  ),
];
