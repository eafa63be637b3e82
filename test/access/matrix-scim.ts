// Provisioning (issue 17 part 3): the council administrator's page (user:admin), and the SCIM endpoint, which only the
// directory's bearer secret opens (capability 'provisioning': every user's token, whatever the role, gets 401).
import type { MatrixEntry } from './matrix.ts';

const admin = 'user:admin' as const;
const provisioning = 'provisioning' as const;

export const SCIM_MATRIX: MatrixEntry[] = [
  { method: 'GET', url: '/admin/provisioning', capability: admin },
  { method: 'POST', url: '/admin/provisioning/secrets', capability: admin, body: {} },
  { method: 'POST', url: '/admin/provisioning/secrets/:secretId/revoke', capability: admin, body: {} },
  { method: 'POST', url: '/admin/provisioning/departments', capability: admin, body: {} },
  { method: 'POST', url: '/admin/provisioning/departments/:mappingId/remove', capability: admin, body: {} },
  { method: 'POST', url: '/admin/provisioning/existing-staff', capability: admin, body: {} },
  { method: 'GET', url: '/scim/v2/ServiceProviderConfig', capability: provisioning },
  { method: 'GET', url: '/scim/v2/ResourceTypes', capability: provisioning },
  { method: 'GET', url: '/scim/v2/Schemas', capability: provisioning },
  { method: 'GET', url: '/scim/v2/Users', capability: provisioning },
  { method: 'POST', url: '/scim/v2/Users', capability: provisioning, body: {} },
  { method: 'GET', url: '/scim/v2/Users/:id', capability: provisioning },
  { method: 'PUT', url: '/scim/v2/Users/:id', capability: provisioning, body: {} },
  { method: 'PATCH', url: '/scim/v2/Users/:id', capability: provisioning, body: {} },
  { method: 'DELETE', url: '/scim/v2/Users/:id', capability: provisioning },
];
