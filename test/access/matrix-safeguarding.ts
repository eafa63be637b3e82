// Exploitation screenings (issue 12 part 2): a record's screenings under its relationship rules; confirming a level
// needs screening:confirm as well as the relationship; the instrument list needs only person:read.
import type { MatrixEntry } from './matrix.ts';

const screeningBody = { instrument_id: 'none', reason: 'first', answers: {} };

export const SAFEGUARDING_MATRIX: MatrixEntry[] = [
  { method: 'GET', url: '/api/v1/screening-instruments', capability: 'person:read' },
  { method: 'GET', url: '/api/v1/people/:personId/screenings', capability: 'person:read', person: true },
  { method: 'GET', url: '/api/v1/people/:personId/screenings/:screeningId', capability: 'person:read', person: true },
  {
    method: 'POST',
    url: '/api/v1/people/:personId/screenings',
    capability: 'person:edit',
    person: true,
    body: screeningBody,
  },
  {
    method: 'POST',
    url: '/api/v1/people/:personId/screenings/:screeningId/confirm',
    capability: 'screening:confirm',
    person: true,
    body: { level: 'none' },
  },
  {
    method: 'POST',
    url: '/api/v1/people/:personId/risk-events',
    capability: 'person:edit',
    person: true,
    body: { kind: 'missing_episode', occurred_on: '2099-01-01', details: 'x' },
  },
  { method: 'GET', url: '/people/:personId/screenings', capability: 'person:read', person: true },
  { method: 'GET', url: '/people/:personId/screenings/new', capability: 'person:edit', person: true },
  { method: 'POST', url: '/people/:personId/screenings/check', capability: 'person:edit', person: true, body: {} },
  { method: 'POST', url: '/people/:personId/screenings', capability: 'person:edit', person: true, body: {} },
  { method: 'GET', url: '/people/:personId/screenings/:screeningId', capability: 'person:read', person: true },
  {
    method: 'GET',
    url: '/people/:personId/screenings/:screeningId/confirm',
    capability: 'screening:confirm',
    person: true,
  },
  {
    method: 'POST',
    url: '/people/:personId/screenings/:screeningId/confirm',
    capability: 'screening:confirm',
    person: true,
    body: {},
  },
  {
    method: 'POST',
    url: '/people/:personId/screenings/:screeningId/close',
    capability: 'person:edit',
    person: true,
    body: {},
  },
  {
    method: 'POST',
    url: '/people/:personId/screenings/:screeningId/referral',
    capability: 'person:edit',
    person: true,
    body: {},
  },
  { method: 'GET', url: '/people/:personId/risk-events/new', capability: 'person:edit', person: true },
  { method: 'POST', url: '/people/:personId/risk-events', capability: 'person:edit', person: true, body: {} },
];
