// The transitions radar (issue 14 part 1): for radar:read (team, service and SEND managers); each row is named only
// where the viewer's relationships open the record (test/radar.test.ts), so no route takes a person.
import type { MatrixEntry } from './matrix.ts';

export const RADAR_MATRIX: MatrixEntry[] = [
  { method: 'GET', url: '/radar', capability: 'radar:read' },
  { method: 'GET', url: '/radar.csv', capability: 'radar:read' },
  { method: 'GET', url: '/api/v1/radar', capability: 'radar:read' },
];
