// Case notes and the chronology (issue 11 capability 9): the same relationship rules as the record itself.
import type { MatrixEntry } from './matrix.ts';

export const NOTES_MATRIX: MatrixEntry[] = [
  { method: 'GET', url: '/people/:personId/notes', capability: 'person:read', person: true },
  { method: 'GET', url: '/people/:personId/notes/new', capability: 'person:edit', person: true },
  { method: 'POST', url: '/people/:personId/notes', capability: 'person:edit', person: true, body: {} },
  { method: 'POST', url: '/people/:personId/notes/draft', capability: 'person:edit', person: true, body: {} },
  { method: 'POST', url: '/people/:personId/notes/draft/discard', capability: 'person:edit', person: true, body: {} },
  { method: 'GET', url: '/api/v1/people/:personId/notes/draft', capability: 'person:edit', person: true },
  { method: 'PUT', url: '/api/v1/people/:personId/notes/draft', capability: 'person:edit', person: true, body: {} },
  { method: 'DELETE', url: '/api/v1/people/:personId/notes/draft', capability: 'person:edit', person: true },
  { method: 'GET', url: '/people/:personId/notes/:noteId', capability: 'person:read', person: true },
  { method: 'GET', url: '/people/:personId/notes/:noteId/correct', capability: 'person:edit', person: true },
  {
    method: 'POST',
    url: '/people/:personId/notes/:noteId/corrections',
    capability: 'person:edit',
    person: true,
    body: {},
  },
  { method: 'GET', url: '/people/:personId/chronology', capability: 'person:read', person: true },
  { method: 'GET', url: '/api/v1/people/:personId/notes', capability: 'person:read', person: true },
  { method: 'POST', url: '/api/v1/people/:personId/notes', capability: 'person:edit', person: true, body: {} },
  { method: 'GET', url: '/api/v1/people/:personId/notes/:noteId', capability: 'person:read', person: true },
  {
    method: 'POST',
    url: '/api/v1/people/:personId/notes/:noteId/corrections',
    capability: 'person:edit',
    person: true,
    body: {},
  },
  { method: 'GET', url: '/api/v1/people/:personId/chronology', capability: 'person:read', person: true },
];
