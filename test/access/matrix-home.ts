// My work as JSON (issue 11 defect 2): any signed-in user, their own work only.
import type { MatrixEntry } from './matrix.ts';

export const HOME_MATRIX: MatrixEntry[] = [{ method: 'GET', url: '/api/v1/my-work', capability: null }];
