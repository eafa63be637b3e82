// Joint transition plans (issue 12 part 8): a record's plan under its relationship rules, like case notes; reading
// needs person:read, every change person:edit (the service checks the post-18 owner for the handover itself).
import type { MatrixEntry } from './matrix.ts';

const plan = '/people/:personId/transition-plan';
const api = '/api/v1/people/:personId/transition-plan';
const forms = ['plan', 'post18-owner', 'care-act', 'decision'];

export const POST18_MATRIX: MatrixEntry[] = [
  { method: 'GET', url: plan, capability: 'person:read', person: true },
  { method: 'POST', url: `${plan}/start`, capability: 'person:edit', person: true, body: {} },
  { method: 'POST', url: `${plan}/handover`, capability: 'person:edit', person: true, body: {} },
  ...forms.flatMap((f): MatrixEntry[] => [
    { method: 'GET', url: `${plan}/${f}`, capability: 'person:edit', person: true },
    { method: 'POST', url: `${plan}/${f}`, capability: 'person:edit', person: true, body: {} },
  ]),
  { method: 'GET', url: api, capability: 'person:read', person: true },
  { method: 'POST', url: api, capability: 'person:edit', person: true, body: {} },
  { method: 'POST', url: `${api}/handover`, capability: 'person:edit', person: true, body: {} },
  ...forms.map(
    (f): MatrixEntry => ({ method: 'PUT', url: `${api}/${f}`, capability: 'person:edit', person: true, body: {} }),
  ),
];
