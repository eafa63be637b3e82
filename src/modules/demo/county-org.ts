// The county's organisation: services, localities, hubs, and 14 kinds of team with their remits, and the staff
// who work in them, planned in memory and then written in one go.
import { randomUUID } from 'node:crypto';
import type { Tx } from '../../db/database.ts';
import type { PersonStatus, Role } from '../../domain/roles.ts';
import { FAMILY, int, pick, type Rng, STAFF_GIVEN } from '../kit/fake.ts';

export type ServiceKey = 'csc' | 'asc' | 'send' | 'nhs' | 'comm';

export const SERVICES: readonly {
  key: ServiceKey;
  name: string;
  kind: string;
  external?: boolean;
  head: { role: Role; title: string } | null;
  locality: { role: Role; title: string } | null;
}[] = [
  {
    key: 'csc',
    name: "Children's Social Care",
    kind: 'childrens',
    head: { role: 'service_manager', title: "Head of Children's Social Care" },
    locality: { role: 'service_manager', title: "Service Manager, Children's Social Care" },
  },
  {
    key: 'asc',
    name: 'Adult Social Care',
    kind: 'adult',
    head: { role: 'service_manager', title: 'Head of Adult Social Care' },
    locality: { role: 'service_manager', title: 'Service Manager, Adult Social Care' },
  },
  {
    key: 'send',
    name: 'SEND and Inclusion',
    kind: 'education',
    head: { role: 'send_manager', title: 'Head of SEND and Inclusion' },
    locality: { role: 'send_manager', title: 'SEND Manager' },
  },
  {
    key: 'nhs',
    name: 'Countyshire Community Health NHS Trust',
    kind: 'health',
    external: true,
    head: { role: 'service_manager', title: "Associate Director, Children's Community Health" },
    locality: { role: 'service_manager', title: 'Locality Clinical Manager' },
  },
  { key: 'comm', name: 'Joint Commissioning', kind: 'commissioning', head: null, locality: null },
];

export const LOCALITIES = ['North', 'South', 'East', 'West'] as const;
const HUBS_PER_LOCALITY = 2;

export type TeamKind =
  | 'assessment'
  | 'family-support'
  | 'child-protection'
  | 'disabled-children'
  | 'children-in-care'
  | 'young-people'
  | 'leaving-care'
  | 'transitions'
  | 'adult-ld'
  | 'send-statutory'
  | 'ed-psych'
  | 'send-hub'
  | 'paediatrics'
  | 'camhs';

interface KindSpec {
  name: string;
  service: ServiceKey;
  min: number;
  max: number;
  types: readonly PersonStatus[];
  /** Relative number of practitioners a team of this kind has. */
  staffWeight: number;
  workerTitles: readonly string[];
  managerTitle: string;
  reason: string;
}

const CSC_WORKERS = ['Social Worker', 'Senior Social Worker', 'Advanced Practitioner', 'Family Support Worker'];
export const KINDS: Record<TeamKind, KindSpec> = {
  assessment: {
    name: "Children's Assessment Team",
    service: 'csc',
    min: 0,
    max: 17,
    types: ['child_in_need', 'child_protection_plan'],
    staffWeight: 1.4,
    workerTitles: CSC_WORKERS,
    managerTitle: 'Team Manager',
    reason: 'Child and family assessment',
  },
  'family-support': {
    name: 'Family Support Team',
    service: 'csc',
    min: 0,
    max: 17,
    types: ['child_in_need'],
    staffWeight: 1.2,
    workerTitles: CSC_WORKERS,
    managerTitle: 'Team Manager',
    reason: 'Child in need plan',
  },
  'child-protection': {
    name: 'Child Protection Team',
    service: 'csc',
    min: 0,
    max: 17,
    types: ['child_protection_plan'],
    staffWeight: 1.4,
    workerTitles: CSC_WORKERS,
    managerTitle: 'Team Manager',
    reason: 'Child protection plan',
  },
  'disabled-children': {
    name: "Disabled Children's Team",
    service: 'csc',
    min: 0,
    max: 17,
    types: ['disabled', 'child_in_need', 'child_protection_plan', 'child_in_care'],
    staffWeight: 1.3,
    workerTitles: CSC_WORKERS,
    managerTitle: 'Team Manager',
    reason: "Disabled children's assessment and support",
  },
  'children-in-care': {
    name: 'Children in Care Team',
    service: 'csc',
    min: 0,
    max: 17,
    types: ['child_in_care'],
    staffWeight: 1.3,
    workerTitles: CSC_WORKERS,
    managerTitle: 'Team Manager',
    reason: 'Care plan for a child in care',
  },
  'young-people': {
    name: "Young People's Team",
    service: 'csc',
    min: 16,
    max: 17,
    types: ['child_in_need', 'child_protection_plan', 'child_in_care', 'disabled'],
    staffWeight: 1.0,
    workerTitles: CSC_WORKERS,
    managerTitle: 'Team Manager',
    reason: 'Support for a young person aged 16 or 17',
  },
  'leaving-care': {
    name: 'Leaving Care Team',
    service: 'csc',
    min: 16,
    max: 25,
    types: ['care_leaver'],
    staffWeight: 1.0,
    workerTitles: ['Personal Adviser', 'Senior Personal Adviser', 'Social Worker'],
    managerTitle: 'Team Manager',
    reason: 'Pathway plan',
  },
  transitions: {
    name: 'Adult Transitions Team',
    service: 'asc',
    min: 17,
    max: 25,
    types: ['disabled'],
    staffWeight: 1.0,
    workerTitles: ['Social Worker', 'Transitions Worker', 'Occupational Therapist'],
    managerTitle: 'Team Manager',
    reason: 'Preparing for adulthood: Care Act transition assessment',
  },
  'adult-ld': {
    name: 'Adult Learning Disability Team',
    service: 'asc',
    min: 18,
    max: 25,
    types: ['disabled'],
    staffWeight: 0.8,
    workerTitles: ['Social Worker', 'Community Care Worker'],
    managerTitle: 'Team Manager',
    reason: 'Care and support plan',
  },
  'send-statutory': {
    name: 'SEND Statutory Assessment Team',
    service: 'send',
    min: 0,
    max: 25,
    types: ['ehcp'],
    staffWeight: 1.0,
    workerTitles: ['EHCP Coordinator', 'Senior EHCP Coordinator'],
    managerTitle: 'SEND Team Manager',
    reason: 'EHC plan',
  },
  'ed-psych': {
    name: 'Educational Psychology Service',
    service: 'send',
    min: 0,
    max: 25,
    types: ['ehcp', 'sen_support'],
    staffWeight: 0.5,
    workerTitles: ['Educational Psychologist', 'Assistant Educational Psychologist'],
    managerTitle: 'Principal Educational Psychologist',
    reason: 'Educational psychology advice',
  },
  'send-hub': {
    name: 'SEND Support Hub',
    service: 'send',
    min: 0,
    max: 25,
    types: ['sen_support', 'ehcp'],
    staffWeight: 0.6,
    workerTitles: ['SEN Support Officer', 'Specialist Teacher'],
    managerTitle: 'Hub Lead',
    reason: 'SEN support',
  },
  paediatrics: {
    name: 'Community Paediatrics',
    service: 'nhs',
    min: 0,
    max: 18,
    types: [],
    staffWeight: 0.7,
    workerTitles: ['Community Paediatrician', 'Specialist Nurse', 'Speech and Language Therapist'],
    managerTitle: 'Clinical Lead',
    reason: 'Community paediatric review',
  },
  camhs: {
    name: 'Children and Young People’s Mental Health Service',
    service: 'nhs',
    min: 0,
    max: 17,
    types: [],
    staffWeight: 0.7,
    workerTitles: ['Clinical Psychologist', 'Mental Health Practitioner', 'Family Therapist'],
    managerTitle: 'Clinical Lead',
    reason: 'Emotional wellbeing and mental health support',
  },
};

/**
 * The order teams are created in: a round per locality of one team of each kind (most-used kinds first, and
 * the locality's first hub), then the second hub of each locality. A smaller `teams` takes a prefix, so even
 * 12 teams cover most kinds of service.
 */
const LOCALITY_KINDS: readonly TeamKind[] = [
  'assessment',
  'disabled-children',
  'children-in-care',
  'child-protection',
  'leaving-care',
  'transitions',
  'send-statutory',
  'send-hub',
  'paediatrics',
  'young-people',
  'family-support',
  'camhs',
  'adult-ld',
  'ed-psych',
];
export const MAX_COUNTY_TEAMS = LOCALITIES.length * LOCALITY_KINDS.length + LOCALITIES.length;

export interface TeamPlan {
  id: string;
  kind: TeamKind;
  name: string;
  locality: number;
  hub: number | null;
  workers: StaffPlan[];
  manager: StaffPlan | null;
}

export interface StaffPlan {
  id: string;
  role: Role;
  email: string;
  name: string;
  title: string;
  service: ServiceKey | null;
  team: TeamPlan | null;
  managerId: string | null;
  caseload: number;
}

export function planTeams(count: number): TeamPlan[] {
  const teams: TeamPlan[] = [];
  const add = (kind: TeamKind, locality: number, hub: number | null) => {
    const l = LOCALITIES[locality] as string;
    const name = hub === null ? `${l} ${KINDS[kind].name}` : `${KINDS[kind].name}: ${l} ${(hub % 2) + 1}`;
    teams.push({ id: randomUUID(), kind, name, locality, hub, workers: [], manager: null });
  };
  for (let l = 0; l < LOCALITIES.length; l++)
    for (const kind of LOCALITY_KINDS) add(kind, l, kind === 'send-hub' ? l * HUBS_PER_LOCALITY : null);
  for (let l = 0; l < LOCALITIES.length; l++) add('send-hub', l, l * HUBS_PER_LOCALITY + 1);
  return teams.slice(0, count);
}

/** Splits `total` in proportion to `weights` (largest remainder), at least `min` each. */
function apportion(total: number, weights: number[], min: number): number[] {
  const base = weights.map(() => min);
  const rest = total - min * weights.length;
  const sum = weights.reduce((a, b) => a + b, 0);
  const exact = weights.map((w) => (rest * w) / sum);
  const out = base.map((b, i) => b + Math.floor(exact[i] as number));
  let left = total - out.reduce((a, b) => a + b, 0);
  const order = exact.map((e, i) => [e - Math.floor(e), i] as const).sort((a, b) => b[0] - a[0]);
  for (const [, i] of order) {
    if (left-- <= 0) break;
    out[i] = (out[i] as number) + 1;
  }
  return out;
}

/** Staff: heads of service, locality managers, a manager per team, practitioners, forum chairs, IT admins. */
export function planStaff(r: Rng, total: number, teams: TeamPlan[], domain: string): StaffPlan[] {
  const usedServices = SERVICES.filter((s) => teams.some((t) => KINDS[t.kind].service === s.key));
  const usedLocalities = [...new Set(teams.map((t) => t.locality))];
  const admins = Math.max(1, Math.round(total / 250));
  const chairs = Math.max(1, Math.round(total / 500));
  const managers = usedServices.length * (1 + usedLocalities.length) + teams.length;
  const workers = total - admins - chairs - managers;
  if (workers < teams.length) {
    throw new RangeError(
      `staff must be at least ${admins + chairs + managers + teams.length} for ${teams.length} teams (got ${total})`,
    );
  }
  const staff: StaffPlan[] = [];
  const usedEmails = new Set<string>();
  const person = (role: Role, title: string, service: ServiceKey | null, managerId: string | null): StaffPlan => {
    const given = pick(r, STAFF_GIVEN);
    const family = pick(r, FAMILY);
    let local = `${given}.${family}`.toLowerCase();
    if (usedEmails.has(local)) local = `${local}.${staff.length + 1}`;
    usedEmails.add(local);
    const s: StaffPlan = {
      id: randomUUID(),
      role,
      email: `${local}@${domain}`,
      name: `${given} ${family}`,
      title,
      service,
      team: null,
      managerId,
      caseload: 0,
    };
    staff.push(s);
    return s;
  };
  const heads = new Map<ServiceKey, StaffPlan>();
  const localityManagers = new Map<string, StaffPlan>();
  for (const s of usedServices) {
    if (!s.head || !s.locality) continue;
    const head = person(s.head.role, s.head.title, s.key, null);
    heads.set(s.key, head);
    for (const l of usedLocalities)
      localityManagers.set(
        `${s.key}:${l}`,
        person(s.locality.role, `${s.locality.title}, ${LOCALITIES[l]}`, s.key, head.id),
      );
  }
  for (const t of teams) {
    const spec = KINDS[t.kind];
    const role: Role = spec.service === 'send' ? 'send_manager' : 'team_manager';
    t.manager = person(
      role,
      spec.managerTitle,
      spec.service,
      localityManagers.get(`${spec.service}:${t.locality}`)!.id,
    );
    t.manager.team = t;
  }
  const perTeam = apportion(
    workers,
    teams.map((t) => KINDS[t.kind].staffWeight),
    1,
  );
  for (const [i, t] of teams.entries()) {
    const spec = KINDS[t.kind];
    const role: Role =
      spec.service === 'send' ? 'ehcp_coordinator' : spec.service === 'nhs' ? 'advice_giver' : 'social_worker';
    for (let k = 0; k < (perTeam[i] as number); k++) {
      const w = person(role, pick(r, spec.workerTitles), spec.service, t.manager!.id);
      w.team = t;
      t.workers.push(w);
    }
  }
  const commissioner = heads.get('asc') ?? null;
  for (let i = 0; i < chairs; i++)
    person('forum_chair', 'Chair, 16-17 Transitions Forum', 'comm', commissioner?.id ?? null);
  for (let i = 0; i < admins; i++) person('admin', 'Systems Administrator', null, null);

  // Well-known sign-ins, one per role, for the README and the benchmarks: the social worker has a caseload in a
  // children's team, their manager and their manager's manager are the ones above them.
  const worker =
    teams.find((t) => t.kind === 'disabled-children')?.workers[0] ??
    teams.find((t) => KINDS[t.kind].service === 'csc')?.workers[0] ??
    staff.find((s) => s.role === 'social_worker');
  const named = new Map<StaffPlan, string>();
  if (worker) {
    named.set(worker, 'social.worker');
    const tm = staff.find((s) => s.id === worker.managerId);
    if (tm) named.set(tm, 'team.manager');
    const sm = tm && staff.find((s) => s.id === tm.managerId);
    if (sm) named.set(sm, 'service.manager');
  }
  const firstOf = (role: Role) => staff.find((s) => s.role === role && !named.has(s));
  for (const [role, local] of [
    ['send_manager', 'send.manager'],
    ['ehcp_coordinator', 'ehcp.coordinator'],
    ['advice_giver', 'advice.giver'],
    ['forum_chair', 'forum.chair'],
    ['admin', 'it.admin'],
    ['social_worker', 'social.worker'],
    ['team_manager', 'team.manager'],
    ['service_manager', 'service.manager'],
  ] as const) {
    if ([...named.values()].includes(local)) continue;
    const s = firstOf(role);
    if (s) named.set(s, local);
  }
  for (const [s, local] of named) s.email = `${local}@${domain}`;
  return staff;
}

export interface OrganisationIds {
  localityIds: string[];
  hubIds: string[];
  serviceIds: Record<ServiceKey, string>;
}

/** Fresh ids for the services, localities and hubs (teams and staff have theirs from planning). */
export function organisationIds(): OrganisationIds {
  return {
    localityIds: LOCALITIES.map(() => randomUUID()),
    hubIds: Array.from({ length: LOCALITIES.length * HUBS_PER_LOCALITY }, () => randomUUID()),
    serviceIds: Object.fromEntries(SERVICES.map((s) => [s.key, randomUUID()])) as Record<ServiceKey, string>,
  };
}

/** Writes the services, localities, hubs and teams of a new authority. */
export async function insertOrganisation(tx: Tx, aid: string, ids: OrganisationIds, teams: TeamPlan[]): Promise<void> {
  const { localityIds, hubIds, serviceIds } = ids;
  await tx
    .insertInto('services')
    .values(
      SERVICES.map((s) => ({
        id: serviceIds[s.key],
        authority_id: aid,
        name: s.name,
        kind: s.kind,
        organisation: s.external ? s.name : null,
        external: s.external ?? false,
      })),
    )
    .execute();
  await tx
    .insertInto('localities')
    .values(LOCALITIES.map((l, i) => ({ id: localityIds[i], authority_id: aid, name: `${l} Locality` })))
    .execute();
  await tx
    .insertInto('hubs')
    .values(
      hubIds.map((id, i) => {
        const l = Math.floor(i / HUBS_PER_LOCALITY);
        return {
          id,
          authority_id: aid,
          locality_id: localityIds[l] as string,
          name: `SEND Support Hub: ${LOCALITIES[l]} ${(i % HUBS_PER_LOCALITY) + 1}`,
        };
      }),
    )
    .execute();
  await tx
    .insertInto('teams')
    .values(
      teams.map((t) => {
        const spec = KINDS[t.kind];
        return {
          id: t.id,
          authority_id: aid,
          service_id: serviceIds[spec.service],
          name: t.name,
          remit_min_age: spec.min,
          remit_max_age: spec.max,
          remit_case_types: [...spec.types],
          locality_id: localityIds[t.locality] ?? null,
          hub_id: t.hub === null ? null : (hubIds[t.hub] ?? null),
        };
      }),
    )
    .execute();
}

/** Writes the staff and their team memberships. `r` draws their phone numbers. */
export async function insertStaff(
  tx: Tx,
  r: Rng,
  aid: string,
  serviceIds: Record<ServiceKey, string>,
  staff: StaffPlan[],
  passwordHash: string,
): Promise<void> {
  // Managers were planned before the people they manage, so each chunk's line managers already exist.
  for (let i = 0; i < staff.length; i += 500) {
    await tx
      .insertInto('users')
      .values(
        staff.slice(i, i + 500).map((s) => ({
          id: s.id,
          authority_id: aid,
          email: s.email,
          display_name: s.name,
          job_title: s.title,
          phone: `01632 960 ${String(int(r, 0, 999)).padStart(3, '0')}`,
          password_hash: passwordHash,
          roles: [s.role],
          line_manager_id: s.managerId,
          service_id: s.service ? serviceIds[s.service] : null,
        })),
      )
      .execute();
  }
  const members = staff.filter((s) => s.team);
  for (let i = 0; i < members.length; i += 2_000) {
    await tx
      .insertInto('team_members')
      .values(members.slice(i, i + 2_000).map((s) => ({ team_id: s.team!.id, user_id: s.id })))
      .execute();
  }
}
