// A team's remit and a user's roles in words, and the choices the Set up forms offer.
import { PERSON_STATUSES, type PersonStatus, ROLES, type Role, SERVICE_KINDS } from '../../domain/roles.ts';

/** 'ages 0–15; child in need, disabled' — a team's remit in words. */
export function remitLabel(team: { remit_min_age: number; remit_max_age: number; remit_case_types: string[] }) {
  // 'Child in need' reads 'child in need' mid-sentence; 'SEN support' and 'EHC plan' keep their capitals.
  const types = team.remit_case_types
    .map((t) => PERSON_STATUSES[t as PersonStatus] ?? t)
    .map((label) => (/^[A-Z][a-z]/.test(label) ? label[0]?.toLowerCase() + label.slice(1) : label));
  return `ages ${team.remit_min_age}–${team.remit_max_age}; ${types.length ? types.join(', ') : 'any case type'}`;
}

/** 'Social worker, Team manager' */
export function rolesLabel(roles: string[]) {
  return roles.map((r) => ROLES[r as Role]?.label ?? r).join(', ');
}

export const roleItems = Object.entries(ROLES).map(([value, r]) => ({ value, text: r.label }));
export const serviceKindItems = Object.entries(SERVICE_KINDS).map(([value, text]) => ({ value, text }));
export const caseTypeItems = Object.entries(PERSON_STATUSES).map(([value, text]) => ({ value, text }));
