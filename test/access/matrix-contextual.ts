// Contextual safeguarding, the cohort and the system blocks register (issue 12 parts 3 and 11): places, peer groups
// and persons of concern for safeguarding:read (keeping them, safeguarding:manage); a young person's links under
// their relationship rules; the cohort and the register for cohort:read.
import type { MatrixEntry } from './matrix.ts';

export const CONTEXTUAL_MATRIX: MatrixEntry[] = [
  ...['/places', '/peer-groups'].flatMap((p): MatrixEntry[] => [
    { method: 'GET', url: p, capability: 'safeguarding:read' },
    { method: 'GET', url: `${p}/new`, capability: 'safeguarding:manage' },
    { method: 'POST', url: p, capability: 'safeguarding:manage', body: {} },
    { method: 'GET', url: `${p}/:id`, capability: 'safeguarding:read' },
    { method: 'GET', url: `${p}/:id/edit`, capability: 'safeguarding:manage' },
    { method: 'POST', url: `${p}/:id`, capability: 'safeguarding:manage', body: {} },
    { method: 'POST', url: `${p}/:id/close`, capability: 'safeguarding:manage', body: {} },
    { method: 'POST', url: `${p}/:id/concerns`, capability: 'safeguarding:manage', body: {} },
    { method: 'GET', url: `/api/v1${p}`, capability: 'safeguarding:read' },
    { method: 'GET', url: `/api/v1${p}/:id`, capability: 'safeguarding:read' },
    { method: 'POST', url: `/api/v1${p}`, capability: 'safeguarding:manage', body: {} },
  ]),
  { method: 'GET', url: '/persons-of-concern', capability: 'safeguarding:read' },
  { method: 'GET', url: '/persons-of-concern/new', capability: 'safeguarding:manage' },
  { method: 'POST', url: '/persons-of-concern', capability: 'safeguarding:manage', body: {} },
  { method: 'GET', url: '/persons-of-concern/:id/edit', capability: 'safeguarding:manage' },
  { method: 'POST', url: '/persons-of-concern/:id', capability: 'safeguarding:manage', body: {} },
  { method: 'GET', url: '/api/v1/persons-of-concern', capability: 'safeguarding:read' },
  { method: 'POST', url: '/api/v1/persons-of-concern', capability: 'safeguarding:manage', body: {} },
  { method: 'GET', url: '/people/:personId/contextual', capability: 'person:read', person: true },
  { method: 'POST', url: '/people/:personId/contextual', capability: 'person:edit', person: true, body: {} },
  { method: 'POST', url: '/people/:personId/contextual/unlink', capability: 'person:edit', person: true, body: {} },
  { method: 'POST', url: '/people/:personId/system-blocks', capability: 'person:edit', person: true, body: {} },
  { method: 'GET', url: '/api/v1/people/:personId/contextual-links', capability: 'person:read', person: true },
  {
    method: 'POST',
    url: '/api/v1/people/:personId/contextual-links',
    capability: 'person:edit',
    person: true,
    body: {},
  },
  { method: 'GET', url: '/cohort', capability: 'cohort:read' },
  { method: 'GET', url: '/cohort.csv', capability: 'cohort:read' },
  { method: 'GET', url: '/api/v1/cohort', capability: 'cohort:read' },
  { method: 'GET', url: '/system-blocks', capability: 'cohort:read' },
  { method: 'GET', url: '/system-blocks/new', capability: 'cohort:read' },
  { method: 'POST', url: '/system-blocks', capability: 'cohort:read', body: {} },
  { method: 'POST', url: '/system-blocks/:id/resolve', capability: 'cohort:read', body: {} },
  { method: 'GET', url: '/system-blocks.csv', capability: 'cohort:read' },
  { method: 'GET', url: '/api/v1/system-blocks', capability: 'cohort:read' },
  { method: 'POST', url: '/api/v1/system-blocks', capability: 'cohort:read', body: {} },
];
