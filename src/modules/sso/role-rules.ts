// Which Handover roles a directory's app roles may give (issue 17 security review, F1). In a multi-tenant app each
// partner tenant's own administrator decides who holds which app role, so a token is trusted only so far: roles that
// administer the council (users, organisation, audit, retention) are given by hand in /admin/users and never by a
// token, and a partner organisation's tenant may give only the roles of people from outside agencies.
import { type Capability, isRole, ROLES } from '../../domain/roles.ts';

const HAND_ONLY_CAPS: readonly Capability[] = ['user:admin', 'org:admin', 'audit:read', 'retention:manage'];

/** The roles a partner organisation's tenant (one with a service) may map its app roles to. */
export const PARTNER_ROLES: readonly string[] = ['advice_giver', 'panel_member', 'setting_user'];

/** A role only an administrator gives, by hand: a sign-in neither gives nor takes it. */
export function handOnly(role: string): boolean {
  return isRole(role) && (ROLES[role].caps as readonly Capability[]).some((c) => HAND_ONLY_CAPS.includes(c));
}

/** Whether a token from this kind of tenant may give the role. */
export function tokenMayGive(role: string, partnerTenant: boolean): boolean {
  return isRole(role) && !handOnly(role) && (!partnerTenant || PARTNER_ROLES.includes(role));
}

const partnerLabels = () => PARTNER_ROLES.map((r) => ROLES[r as 'advice_giver'].label).join(', ');

/** Why a mapping to this role is refused for this kind of tenant, or null when it may be added. */
export function mappingRefusal(role: string, partnerTenant: boolean): string | null {
  if (!isRole(role)) return null;
  if (handOnly(role))
    return `${ROLES[role].label} is given by hand only, in Users: choose a role that does not administer the council`;
  if (partnerTenant && !PARTNER_ROLES.includes(role))
    return `A partner organisation’s tenant can only give roles for outside agencies: ${partnerLabels()}`;
  return null;
}
