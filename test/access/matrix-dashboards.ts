// Managers' dashboards (issue 14 part 2): the chooser for anyone signed in (it lists only the dashboards the caller may
// open, possibly none); team, service and council dashboards for radar:read, hub dashboards for send-hub:manage.
// Which scope a holder may open is the module's rule (src/modules/dashboards/access.ts, test/dashboards.test.ts): any
// other is "No dashboard with that reference", so no route takes a person.
import type { MatrixEntry } from './matrix.ts';

export const DASHBOARDS_MATRIX: MatrixEntry[] = [
  { method: 'GET', url: '/dashboards', capability: null },
  { method: 'GET', url: '/dashboards/council', capability: 'radar:read' },
  { method: 'GET', url: '/dashboards/council/:table.csv', capability: 'radar:read' },
  { method: 'GET', url: '/dashboards/team/:id', capability: 'radar:read' },
  { method: 'GET', url: '/dashboards/team/:id/:table.csv', capability: 'radar:read' },
  { method: 'GET', url: '/dashboards/service/:id', capability: 'radar:read' },
  { method: 'GET', url: '/dashboards/service/:id/:table.csv', capability: 'radar:read' },
  { method: 'GET', url: '/dashboards/hub/:id', capability: 'send-hub:manage' },
  { method: 'GET', url: '/dashboards/hub/:id/:table.csv', capability: 'send-hub:manage' },
  { method: 'GET', url: '/api/v1/dashboards', capability: null },
  { method: 'GET', url: '/api/v1/dashboards/council', capability: 'radar:read' },
  { method: 'GET', url: '/api/v1/dashboards/team/:id', capability: 'radar:read' },
  { method: 'GET', url: '/api/v1/dashboards/service/:id', capability: 'radar:read' },
  { method: 'GET', url: '/api/v1/dashboards/hub/:id', capability: 'send-hub:manage' },
];
