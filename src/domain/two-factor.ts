// Who must give a second factor after their password (issue 17): pure, so the rule is tested on its own.
// Single sign-on never asks: the organisation's identity provider does its own multi-factor authentication.

/**
 * Roles held only by people from outside agencies: an advice giver (health, education) and a panel member (health,
 * education, police, providers) come from partner organisations, and a setting account is a school's SENCO or head.
 * Someone whose every role is one of these signs in from outside the council's directory, whatever service they sit in.
 */
export const OUTSIDE_AGENCY_ROLES: readonly string[] = ['advice_giver', 'panel_member', 'setting_user'];

export interface SecondFactorSubject {
  roles: readonly string[];
  /** The user's service is an outside organisation's (services.external): an NHS trust, a police force. */
  serviceExternal: boolean;
}

/** A local (password) account needs a second factor: outside organisations' accounts, and every administrator. */
export function needsSecondFactor(subject: SecondFactorSubject): boolean {
  if (subject.roles.includes('admin')) return true;
  if (subject.serviceExternal) return true;
  if (subject.roles.includes('setting_user')) return true;
  return subject.roles.length > 0 && subject.roles.every((r) => OUTSIDE_AGENCY_ROLES.includes(r));
}
