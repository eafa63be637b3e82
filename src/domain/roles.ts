// Roles grant capabilities; they never open a person's record on their own (design.md §7).
// Access to a record also needs a relationship: see modules/access/service.ts.

export const CAPABILITIES = [
  'person:read',
  'person:create',
  'person:edit',
  'involvement:manage',
  'breakglass:use',
  'org:admin',
  'user:admin',
  'audit:read',
  'alert:read',
  // Panels (16-17 forum, Transitions Governance Group, SEND board): see them, and run their meetings.
  'panel:read',
  'panel:manage',
  // Kent transfer protocol: see the transfers into and out of my teams (every member of a team, issue 11); request and
  // decide transfers; see transfer reports; decide contingency suspensions.
  'transfer:read',
  'transfer:manage',
  'transfer:oversee',
  'contingency:decide',
  // EHC needs assessments: run them (coordinators, SEND managers); see the weekly report (SEND managers).
  'ehcp:manage',
  'ehcp:report',
  // Retention schedules, automatic purge and legal holds on records (the council's administrator, quality.md R8).
  'retention:manage',
  // Subject access requests (quality.md R9): log them, review third parties' data, release the export.
  'subject-access:manage',
  // Transitional safeguarding (issue 12): see the council's places, peer groups, persons of concern and the board's
  // register (names only as far as relationships allow); keep those records; confirm a screening's level; the
  // cohort and system blocks; the Creative Solutions Board; the mentoring scheme.
  'safeguarding:read',
  'safeguarding:manage',
  'screening:confirm',
  'cohort:read',
  'solutions:manage',
  'mentoring:manage',
  // High Risk Exploitation Meetings and the Exploitation Hub: plan meetings, add members, chair (the exploitation
  // lead). Not panel:manage, which runs the 16-17 forum and its boards: their chairs must not reach these meetings.
  'exploitation-meetings:manage',
  // SEND Support Hubs (issue 13): work a hub's requests, triage, Navigator work and advice calls (hub staff of that
  // hub); set a hub's triage meetings and see its dashboard (hub and locality managers); a setting's organisation
  // account submits requests and sees only its own setting's requests and their status, never a record.
  'send-hub:work',
  'send-hub:manage',
  'support-request:submit',
  // The transitions radar (issue 14 part 1): who approaches 18 or 25 without what the rules require (managers).
  'radar:read',
] as const;
export type Capability = (typeof CAPABILITIES)[number];

/** What every caseworking role may do with a record. */
const CASEWORK = [
  'person:read',
  'person:create',
  'person:edit',
  'involvement:manage',
  'breakglass:use',
  'transfer:read',
  'safeguarding:read',
] as const;
/** A manager's casework: alerts, panels and transfers too. */
const MANAGING = [
  ...CASEWORK,
  'alert:read',
  'panel:read',
  'transfer:manage',
  'transfer:oversee',
  'screening:confirm',
  'cohort:read',
  'radar:read',
] as const;

export const ROLES = {
  social_worker: { label: 'Social worker', caps: CASEWORK },
  team_manager: { label: 'Team manager', caps: MANAGING },
  service_manager: {
    label: 'Service manager',
    caps: [...MANAGING, 'audit:read', 'subject-access:manage', 'safeguarding:manage'],
  },
  service_lead: { label: 'Service lead', caps: MANAGING },
  ehcp_coordinator: {
    label: 'EHCP coordinator',
    caps: ['person:read', 'person:create', 'person:edit', 'breakglass:use', 'ehcp:manage'],
  },
  send_manager: {
    label: 'SEND manager',
    caps: [...CASEWORK, 'alert:read', 'panel:read', 'ehcp:manage', 'ehcp:report', 'radar:read'],
  },
  advice_giver: { label: 'Advice giver (health, education)', caps: ['person:read'] },
  forum_chair: { label: 'Forum chair', caps: ['person:read', 'panel:read', 'panel:manage'] },
  // Panel members from other agencies: they open a record only through an agenda item (modules/access).
  commissioner: { label: 'Commissioner', caps: ['person:read', 'panel:read', 'safeguarding:read'] },
  panel_member: {
    label: 'Panel member (health, education, police, providers)',
    caps: ['person:read', 'panel:read', 'safeguarding:read'],
  },
  // Transitional safeguarding (Wiltshire): runs the High Risk Exploitation Meetings and the Exploitation Hub, the
  // Creative Solutions Board and the mentoring scheme; keeps places, peer groups and persons of concern.
  exploitation_lead: {
    label: 'Exploitation lead',
    caps: [
      ...CASEWORK,
      'alert:read',
      'panel:read',
      'exploitation-meetings:manage',
      'screening:confirm',
      'safeguarding:manage',
      'cohort:read',
      'solutions:manage',
      'mentoring:manage',
    ],
  },
  // Devon SEND Support Hubs (issue 13): the hub manager runs the hub (triage meetings, dashboard, escalations); hub
  // practitioners (Navigators) triage and coordinate support; a locality manager takes escalations and Further SEND
  // Support for the locality's two hubs; a setting's SENCO or head signs in with an organisation account.
  hub_manager: {
    label: 'SEND hub manager',
    caps: [...CASEWORK, 'alert:read', 'send-hub:work', 'send-hub:manage'],
  },
  hub_practitioner: { label: 'SEND hub practitioner (Navigator)', caps: [...CASEWORK, 'send-hub:work'] },
  locality_manager: {
    label: 'SEND locality manager',
    caps: [...CASEWORK, 'alert:read', 'panel:read', 'send-hub:work', 'send-hub:manage'],
  },
  setting_user: { label: 'Setting account (SENCO or head)', caps: ['support-request:submit'] },
  // Kent contingency planning: suspensions are decided by the Integrated Family Services Manager and brought to
  // the Assistant Director's attention.
  ifs_manager: {
    label: 'Integrated Family Services Manager',
    caps: ['person:read', 'alert:read', 'transfer:read', 'transfer:manage', 'transfer:oversee', 'contingency:decide'],
  },
  assistant_director: {
    label: 'Assistant Director',
    caps: ['person:read', 'alert:read', 'transfer:read', 'transfer:oversee'],
  },
  admin: {
    label: 'Council IT administrator',
    caps: ['org:admin', 'user:admin', 'audit:read', 'alert:read', 'retention:manage'],
  },
} as const satisfies Record<string, { label: string; caps: readonly Capability[] }>;

export type Role = keyof typeof ROLES;
export const ROLE_NAMES = Object.keys(ROLES) as Role[];

export function isRole(value: string): value is Role {
  return Object.hasOwn(ROLES, value);
}

/**
 * How a role reaches a young person's record (issue 9, finding 5):
 * - 'relationship': through the relationships in modules/access (allocated worker, involved team, line manager,
 *   open protocol step, named-case panel agenda, referral, incoming transfer);
 * - 'advice-request': only the advice requests addressed to the user (/advice/:requestId), never the record, whatever
 *   teams or panels they sit in;
 * - 'none': no record at all (council IT).
 * Someone with several roles gets the widest: an advice giver who is also a social worker keeps the relationships.
 */
export const RECORD_REACH: Record<Role, 'relationship' | 'advice-request' | 'none'> = {
  social_worker: 'relationship',
  team_manager: 'relationship',
  service_manager: 'relationship',
  service_lead: 'relationship',
  ehcp_coordinator: 'relationship',
  send_manager: 'relationship',
  advice_giver: 'advice-request',
  forum_chair: 'relationship',
  commissioner: 'relationship',
  panel_member: 'relationship',
  exploitation_lead: 'relationship',
  hub_manager: 'relationship',
  hub_practitioner: 'relationship',
  locality_manager: 'relationship',
  setting_user: 'none',
  ifs_manager: 'relationship',
  assistant_director: 'relationship',
  admin: 'none',
};

/** Whether the relationships of modules/access open records for someone with these roles (see RECORD_REACH). */
export function opensRecordsByRelationship(roles: readonly string[]): boolean {
  return roles.some((r) => isRole(r) && RECORD_REACH[r] === 'relationship');
}

export function capabilitiesOf(roles: readonly string[]): Set<Capability> {
  const caps = new Set<Capability>();
  for (const r of roles) if (isRole(r)) for (const c of ROLES[r].caps) caps.add(c);
  return caps;
}

/**
 * Case roles: roles whose capabilities open young people's records (person:read). Granting one, or adding teams
 * to someone who holds one, gives access to case records, so it is audited as `user.roles_changed` and alerted.
 */
export function isCaseRole(role: string): boolean {
  return isRole(role) && (ROLES[role].caps as readonly Capability[]).includes('person:read');
}

export const PERSON_STATUSES = {
  child_in_need: 'Child in need',
  child_protection_plan: 'Child protection plan',
  child_in_care: 'Child in care',
  care_leaver: 'Care leaver',
  disabled: 'Disabled',
  sen_support: 'SEN support',
  ehcp: 'EHC plan',
  emotional_wellbeing: 'Emotional wellbeing support (CAMHS or another service)',
} as const;
export type PersonStatus = keyof typeof PERSON_STATUSES;

export const SERVICE_KINDS = {
  childrens: "Children's social care",
  adult: 'Adult social care',
  education: 'Education',
  health: 'Health',
  commissioning: 'Commissioning',
  specialist: 'Specialist service',
  provider: 'Provider',
  police: 'Police',
  voluntary: 'Voluntary sector',
  school: 'School or setting',
} as const;
