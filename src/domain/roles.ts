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
] as const;
export type Capability = (typeof CAPABILITIES)[number];

export const ROLES = {
  social_worker: {
    label: 'Social worker',
    caps: ['person:read', 'person:create', 'person:edit', 'involvement:manage', 'breakglass:use'],
  },
  team_manager: {
    label: 'Team manager',
    caps: ['person:read', 'person:create', 'person:edit', 'involvement:manage', 'breakglass:use', 'alert:read'],
  },
  service_manager: {
    label: 'Service manager',
    caps: [
      'person:read',
      'person:create',
      'person:edit',
      'involvement:manage',
      'breakglass:use',
      'alert:read',
      'audit:read',
    ],
  },
  service_lead: {
    label: 'Service lead',
    caps: ['person:read', 'person:create', 'person:edit', 'involvement:manage', 'breakglass:use', 'alert:read'],
  },
  ehcp_coordinator: {
    label: 'EHCP coordinator',
    caps: ['person:read', 'person:create', 'person:edit', 'breakglass:use'],
  },
  send_manager: {
    label: 'SEND manager',
    caps: ['person:read', 'person:create', 'person:edit', 'involvement:manage', 'breakglass:use', 'alert:read'],
  },
  advice_giver: { label: 'Advice giver (health, education)', caps: ['person:read'] },
  forum_chair: { label: 'Forum chair', caps: ['person:read'] },
  admin: { label: 'Council IT administrator', caps: ['org:admin', 'user:admin', 'audit:read', 'alert:read'] },
} as const satisfies Record<string, { label: string; caps: readonly Capability[] }>;

export type Role = keyof typeof ROLES;
export const ROLE_NAMES = Object.keys(ROLES) as Role[];

export function isRole(value: string): value is Role {
  return Object.hasOwn(ROLES, value);
}

export function capabilitiesOf(roles: readonly string[]): Set<Capability> {
  const caps = new Set<Capability>();
  for (const r of roles) if (isRole(r)) for (const c of ROLES[r].caps) caps.add(c);
  return caps;
}

export const PERSON_STATUSES = {
  child_in_need: 'Child in need',
  child_protection_plan: 'Child protection plan',
  child_in_care: 'Child in care',
  care_leaver: 'Care leaver',
  disabled: 'Disabled',
  sen_support: 'SEN support',
  ehcp: 'EHC plan',
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
