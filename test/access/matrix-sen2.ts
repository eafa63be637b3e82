// The SEN2 return (issue 14 part 4, src/modules/sen2): the council's statutory return, for whoever holds ehcp:report
// (the SEND manager). The page, the downloads (exports of personal data, logged per young person) and the API.
import type { MatrixEntry } from './matrix.ts';

export const SEN2_MATRIX: MatrixEntry[] = [
  { method: 'GET', url: '/reports/sen2', capability: 'ehcp:report' },
  { method: 'GET', url: '/reports/sen2/download/:what', capability: 'ehcp:report' },
  { method: 'GET', url: '/api/v1/reports/sen2', capability: 'ehcp:report' },
  { method: 'GET', url: '/api/v1/reports/sen2/:what', capability: 'ehcp:report' },
];
