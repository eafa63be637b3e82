// Documents (issue 11 capability 10): the record's documents follow the record's relationship rules; the advice
// giver's open only the request addressed to them.
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
];
