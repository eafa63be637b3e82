// Consultation forums (issue 12 part 6): the pages and API for anyone who reads records (person:read; the service
// decides which consultations each may see: a named one only with a relationship to the young person, or the forum);
// the forum's advice and follow-ups for solutions:manage. No route is scoped to a person by its address.
import type { MatrixEntry } from './matrix.ts';

export const CONSULTATIONS_MATRIX: MatrixEntry[] = [
  { method: 'GET', url: '/consultations', capability: 'person:read' },
  { method: 'GET', url: '/consultations/new', capability: 'person:read' },
  { method: 'POST', url: '/consultations', capability: 'person:read', body: {} },
  { method: 'GET', url: '/consultations/:id', capability: 'person:read' },
  { method: 'POST', url: '/consultations/:id/advice', capability: 'solutions:manage', body: {} },
  { method: 'POST', url: '/consultations/:id/follow-ups', capability: 'solutions:manage', body: {} },
  { method: 'POST', url: '/consultations/:id/follow-ups/:followUpId/done', capability: 'person:read', body: {} },
  { method: 'GET', url: '/api/v1/consultations', capability: 'person:read' },
  { method: 'POST', url: '/api/v1/consultations', capability: 'person:read', body: {} },
  { method: 'GET', url: '/api/v1/consultations/:id', capability: 'person:read' },
  { method: 'POST', url: '/api/v1/consultations/:id/advice', capability: 'solutions:manage', body: {} },
  { method: 'POST', url: '/api/v1/consultations/:id/follow-ups', capability: 'solutions:manage', body: {} },
  {
    method: 'POST',
    url: '/api/v1/consultations/:id/follow-ups/:followUpId/done',
    capability: 'person:read',
    body: {},
  },
];
