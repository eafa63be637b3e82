// The county-sized demo: a fictional shire county the size quality.md calls "county-sized" (about 30,000 young
// people, 8 hubs, 4 localities, 60 teams, 1,500 staff, 200,000 plan actions, 2,000,000 audit events), for
// benchmarks (P1, P2) and for trying Handover at scale.
//
// Built in one transaction, so a failed or interrupted build leaves nothing behind. Rows go in as one
// INSERT … SELECT FROM unnest(array per column) per table and chunk: one statement and one round trip per
// thousand people, whatever the column count, and no 65,535-parameter limit to work around.
// The same seed and sizes always generate the same organisation and people (only the uuids differ).
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { Db, Tx } from '../../db/database.ts';
import type { Database } from '../../db/schema.ts';
import { ageOn } from '../../domain/age.ts';
import { fromDayNumber, londonToday, toDayNumber } from '../../domain/calendar.ts';
import type { PersonStatus, Role } from '../../domain/roles.ts';
import { insertAudit } from '../audit/repository.ts';
import { FAMILY, fakeNhsNumber, fakeUpn, GIVEN, int, pick, type Rng, rng, STAFF_GIVEN } from './fake.ts';
import { generatePerson } from './seed.ts';

export interface CountySizes {
  people: number;
  staff: number;
  teams: number;
  /** Plan actions, spread over one person-led plan per young person. */
  actions: number;
  /** Audit events of a representative history (each goes through the hash-chain trigger). */
  audit: number;
}

/** quality.md, Performance: "County-sized". */
export const COUNTY_SIZES: Readonly<CountySizes> = Object.freeze({
  people: 30_000,
  staff: 1_500,
  teams: 60,
  actions: 200_000,
  audit: 2_000_000,
});
export const COUNTY_CODE = 'COUNTY';
export const COUNTY_NAME = 'Countyshire County Council';
export const COUNTY_EMAIL_DOMAIN = 'countyshire.example';
/** The audit entity that marks an authority as built by a demo builder, and so safe to replace. */
const DEMO_ENTITY = 'demo_organisation';

/** The well-known sign-ins, in the order they are listed. */
const NAMED_LOCALS = [
  'social.worker',
  'team.manager',
  'service.manager',
  'send.manager',
  'ehcp.coordinator',
  'advice.giver',
  'forum.chair',
  'it.admin',
] as const;

/** An authority with this code already exists and `replace` was not asked for. */
export class CountyExists extends Error {}
/** The authority with this code was not made by the demo builder, so it is never deleted. */
export class CountyNotDemo extends Error {}
/** The old demo could not be deleted (a table that refers to it and cannot be emptied); nothing was changed. */
export class CountyNotDeleted extends Error {}

export interface CountyProgress {
  phase: 'organisation' | 'staff' | 'people' | 'plans' | 'audit' | 'statistics';
  /** Staff, people and audit events written so far, out of `total` (their sum). No names: progress is printed. */
  done: number;
  total: number;
}

export interface BuildCountyOptions {
  /** One argon2 hash of DEMO_PASSWORD, shared by every member of staff (hashing 1,500 would take minutes). */
  passwordHash: string;
  /** The clock: ages, dates and timeline events are relative to it. */
  now: Date;
  sizes?: Partial<CountySizes>;
  seed?: number;
  code?: string;
  name?: string;
  emailDomain?: string;
  /** Delete an existing demo authority with the same code first, in the same transaction. */
  replace?: boolean;
  onProgress?: (p: CountyProgress) => void;
}

export interface CountyCounts {
  services: number;
  localities: number;
  hubs: number;
  teams: number;
  staff: number;
  teamMemberships: number;
  people: number;
  statuses: number;
  contacts: number;
  involvements: number;
  openInvolvements: number;
  allocated: number;
  unallocated: number;
  events: number;
  plans: number;
  actions: number;
  /** Plan actions not finished and past their due date. */
  overdueActions: number;
  /** Open plan actions with no owner (no person and no service). */
  unownedActions: number;
  audit: number;
}

export interface CountySignIn {
  role: Role;
  email: string;
  /** Open cases allocated to them. */
  caseload: number;
}

export interface CountySummary {
  authorityId: string;
  code: string;
  name: string;
  counts: CountyCounts;
  /** Every row written, all tables. */
  rows: number;
  /** The whole build, including deleting the old demo when replacing. */
  ms: number;
  /** Of ms, the time spent deleting the old demo (0 unless replacing). */
  deleteMs: number;
  /** Of ms, the time spent writing the audit history (a trigger computes each row's hash in turn). */
  auditMs: number;
  replaced: boolean;
  signIns: CountySignIn[];
}

// ---------------------------------------------------------------------------------------------------------------
// The organisation: services, localities, hubs, and 14 kinds of team with their remits.

type ServiceKey = 'csc' | 'asc' | 'send' | 'nhs' | 'comm';

const SERVICES: readonly {
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

const LOCALITIES = ['North', 'South', 'East', 'West'] as const;
const HUBS_PER_LOCALITY = 2;

type TeamKind =
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
const KINDS: Record<TeamKind, KindSpec> = {
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

interface TeamPlan {
  id: string;
  kind: TeamKind;
  name: string;
  locality: number;
  hub: number | null;
  workers: StaffPlan[];
  manager: StaffPlan | null;
}

interface StaffPlan {
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

function planTeams(count: number): TeamPlan[] {
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
function planStaff(r: Rng, total: number, teams: TeamPlan[], domain: string): StaffPlan[] {
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

// ---------------------------------------------------------------------------------------------------------------
// Bulk writing: one INSERT … SELECT FROM unnest(…) per table and chunk.

type Row<T extends keyof Database> = { [K in keyof Database[T]]?: unknown };

/** Rows of one table held as one array per column, ready for unnest. */
class Columns<T extends keyof Database> {
  readonly data: Record<string, unknown[]>;
  length = 0;
  constructor(
    readonly table: T,
    /** PostgreSQL type of each column, e.g. { person_id: 'uuid' }. */
    readonly types: { [K in keyof Database[T]]?: string },
  ) {
    this.data = Object.fromEntries(Object.keys(types).map((k) => [k, []]));
  }
  push(row: Row<T>) {
    for (const k in this.data) (this.data[k] as unknown[]).push((row as Record<string, unknown>)[k] ?? null);
    this.length++;
  }
  async insert(tx: Tx): Promise<void> {
    if (this.length === 0) return;
    const names = Object.keys(this.data);
    const types = this.types as Record<string, string>;
    await sql`INSERT INTO ${sql.table(this.table)} (${sql.join(names.map((n) => sql.ref(n)))})
      SELECT * FROM unnest(${sql.join(names.map((n) => sql`${this.data[n]}::${sql.raw(types[n] as string)}[]`))})`.execute(
      tx,
    );
  }
}

const peopleColumns = () =>
  new Columns('people', {
    id: 'uuid',
    authority_id: 'uuid',
    case_number: 'text',
    given_name: 'text',
    family_name: 'text',
    preferred_name: 'text',
    date_of_birth: 'date',
    gender: 'text',
    nhs_number: 'text',
    upn: 'text',
    address: 'text',
    postcode: 'text',
    school: 'text',
    locality_id: 'uuid',
    created_at: 'timestamptz',
    updated_at: 'timestamptz',
  });
const statusColumns = () =>
  new Columns('person_statuses', {
    authority_id: 'uuid',
    person_id: 'uuid',
    status: 'text',
    start_date: 'date',
    end_date: 'date',
  });
const contactColumns = () =>
  new Columns('contacts', {
    authority_id: 'uuid',
    person_id: 'uuid',
    name: 'text',
    relationship: 'text',
    phone: 'text',
    email: 'text',
    address: 'text',
    parental_responsibility: 'boolean',
  });
const involvementColumns = () =>
  new Columns('involvements', {
    authority_id: 'uuid',
    person_id: 'uuid',
    team_id: 'uuid',
    worker_id: 'uuid',
    reason: 'text',
    start_date: 'date',
    end_date: 'date',
    created_at: 'timestamptz',
  });
const eventColumns = () =>
  new Columns('events', {
    authority_id: 'uuid',
    person_id: 'uuid',
    at: 'timestamptz',
    kind: 'text',
    title: 'text',
    detail: 'text',
    actor_id: 'uuid',
  });

// ---------------------------------------------------------------------------------------------------------------
// People: who they are, which teams work with them, their contacts and their timeline.

const DAY_MS = 86_400_000;
/** Share of open involvements with an allocated worker; the rest wait on their team's unallocated list. */
const ALLOCATED_SHARE = 0.88;
const CHUNK = 1_000;

const CARER_GIVEN = ['Kim', 'Lee', 'Chris', 'Pat', 'Robin', 'Jamie', 'Morgan', 'Sasha', 'Toni', 'Jordan'] as const;

const EVENT_TEMPLATES: Record<ServiceKey, readonly (readonly [string, string])[]> = {
  csc: [
    ['visit', 'Home visit'],
    ['visit', 'Statutory visit'],
    ['meeting', 'Strategy discussion'],
    ['meeting', 'Core group meeting'],
    ['review', 'Child in need review'],
    ['note', 'Case note'],
    ['note', 'Phone call with parent or carer'],
    ['note', 'Email from school'],
  ],
  asc: [
    ['meeting', 'Transition planning meeting'],
    ['visit', 'Care Act assessment visit'],
    ['review', 'Care and support plan review'],
    ['note', 'Case note'],
  ],
  send: [
    ['referral', 'Request for EHC needs assessment received'],
    ['note', 'Advice requested from educational psychology'],
    ['meeting', 'Annual review meeting'],
    ['review', 'Draft EHC plan issued'],
    ['note', 'Case note'],
  ],
  nhs: [
    ['visit', 'Clinic appointment'],
    ['note', 'Developmental assessment'],
    ['note', 'Letter to GP'],
  ],
  comm: [['note', 'Case note']],
};

interface Batch {
  people: Columns<'people'>;
  statuses: Columns<'person_statuses'>;
  contacts: Columns<'contacts'>;
  involvements: Columns<'involvements'>;
  events: Columns<'events'>;
}

const newBatch = (): Batch => ({
  people: peopleColumns(),
  statuses: statusColumns(),
  contacts: contactColumns(),
  involvements: involvementColumns(),
  events: eventColumns(),
});

async function insertBatch(tx: Tx, b: Batch): Promise<void> {
  // Parents before children: involvements, statuses, contacts and events refer to people.
  await b.people.insert(tx);
  await b.statuses.insert(tx);
  await b.contacts.insert(tx);
  await b.involvements.insert(tx);
  await b.events.insert(tx);
}

interface PeopleContext {
  r: Rng;
  authorityId: string;
  localityIds: string[];
  teams: TeamPlan[];
  today: string;
  todayDay: number;
  now: Date;
  nhsSeen: Set<string>;
  upnSeen: Set<string>;
  counts: CountyCounts;
  /** A time on a day (UTC day number, ms after midnight), never after now: nothing is recorded in the future. */
  at(day: number, ms: number): Date;
}

/** The team of a kind that serves a locality (a hub in it for hub teams), else any team of that kind. */
function teamOfKind(ctx: PeopleContext, kind: TeamKind, locality: number, age: number): TeamPlan | null {
  const spec = KINDS[kind];
  if (age < spec.min || age > spec.max) return null;
  const all = ctx.teams.filter((t) => t.kind === kind);
  if (all.length === 0) return null;
  const local = all.filter((t) => t.locality === locality);
  return pick(ctx.r, local.length ? local : all);
}

/** The kinds of team working with someone now, most significant first, the way a council would place them. */
function kindsFor(r: Rng, age: number, statuses: readonly PersonStatus[]): TeamKind[] {
  const has = (s: PersonStatus) => statuses.includes(s);
  const kinds: TeamKind[] = [];
  if (has('care_leaver')) kinds.push('leaving-care');
  else if (age >= 18) kinds.push(has('disabled') ? (age <= 20 ? 'transitions' : 'adult-ld') : 'transitions');
  else if (has('child_protection_plan')) kinds.push('child-protection');
  else if (has('child_in_care')) kinds.push(age >= 16 && r() < 0.4 ? 'young-people' : 'children-in-care');
  else if (has('disabled')) kinds.push(age >= 16 && r() < 0.4 ? 'young-people' : 'disabled-children');
  else if (has('child_in_need')) kinds.push(age >= 16 ? 'young-people' : r() < 0.5 ? 'assessment' : 'family-support');
  else if (has('ehcp')) kinds.push('send-statutory');
  else if (has('sen_support')) kinds.push('send-hub');
  else kinds.push(r() < 0.6 ? 'assessment' : 'paediatrics');
  if (has('ehcp')) kinds.push('send-statutory');
  if (has('sen_support')) kinds.push('send-hub');
  if (has('ehcp') && r() < 0.2) kinds.push('ed-psych');
  if (age <= 18 && r() < 0.2) kinds.push('paediatrics');
  if (age <= 17 && r() < 0.08) kinds.push('camhs');
  if (age === 17 && has('disabled') && r() < 0.5) kinds.push('transitions');
  return kinds;
}

const between = (r: Rng, lo: number, hi: number) => (hi <= lo ? lo : int(r, lo, hi));

function addPerson(ctx: PeopleContext, b: Batch, serial: number): void {
  const { r, authorityId, counts } = ctx;
  const p = generatePerson(r, ctx.today, serial);
  // 30,000 draws from the 999 test range collide a few hundred times: redraw, the index is unique.
  while (ctx.nhsSeen.has(p.nhs_number)) p.nhs_number = fakeNhsNumber(r);
  ctx.nhsSeen.add(p.nhs_number);
  if (p.upn !== null) {
    while (ctx.upnSeen.has(p.upn)) p.upn = fakeUpn(r, serial);
    ctx.upnSeen.add(p.upn);
  }
  const id = randomUUID();
  const age = ageOn(p.date_of_birth, ctx.today);
  const dobDay = toDayNumber(p.date_of_birth);
  const locality = int(r, 0, ctx.localityIds.length - 1);

  // Teams working with them now; the first is the lead involvement.
  const teams: TeamPlan[] = [];
  for (const kind of kindsFor(r, age, p.statuses)) {
    const t = teamOfKind(ctx, kind, locality, age);
    if (t && !teams.includes(t)) teams.push(t);
  }
  if (teams.length === 0) {
    const fits = ctx.teams.filter((t) => age >= KINDS[t.kind].min && age <= KINDS[t.kind].max);
    teams.push(pick(r, fits.length ? fits : ctx.teams));
  }
  let firstDay = ctx.todayDay;
  let lead: StaffPlan | null = null;
  const serviceOfLead = KINDS[(teams[0] as TeamPlan).kind].service;
  for (const [i, t] of teams.entries()) {
    const start = between(r, Math.max(dobDay, ctx.todayDay - 4 * 365), ctx.todayDay);
    const worker = r() < ALLOCATED_SHARE ? pick(r, t.workers) : null;
    if (worker) {
      worker.caseload++;
      counts.allocated++;
    } else counts.unallocated++;
    if (i === 0) lead = worker;
    firstDay = Math.min(firstDay, start);
    b.involvements.push({
      authority_id: authorityId,
      person_id: id,
      team_id: t.id,
      worker_id: worker?.id ?? null,
      reason: KINDS[t.kind].reason,
      start_date: fromDayNumber(start),
      end_date: null,
      created_at: ctx.at(start, 9 * 3_600_000),
    });
    counts.openInvolvements++;
    // An earlier, closed episode with the same team for some: history on the record and in the reports.
    if (r() < 0.15 && start - dobDay > 120) {
      const s = between(r, Math.max(dobDay, start - 3 * 365), start - 90);
      const e = between(r, s + 30, start - 1);
      b.involvements.push({
        authority_id: authorityId,
        person_id: id,
        team_id: t.id,
        worker_id: pick(r, t.workers).id,
        reason: KINDS[t.kind].reason,
        start_date: fromDayNumber(s),
        end_date: fromDayNumber(e),
        created_at: ctx.at(s, 9 * 3_600_000),
      });
      firstDay = Math.min(firstDay, s);
    }
  }
  const createdAt = ctx.at(firstDay, 9 * 3_600_000 + int(r, 0, 8 * 3_600_000));

  b.people.push({
    id,
    authority_id: authorityId,
    case_number: `HO${100001 + serial}`,
    given_name: p.given_name,
    family_name: p.family_name,
    preferred_name: r() < 0.05 ? pick(r, GIVEN) : null,
    date_of_birth: p.date_of_birth,
    gender: p.gender,
    nhs_number: p.nhs_number,
    upn: p.upn,
    address: p.address,
    postcode: p.postcode,
    school: p.school,
    locality_id: ctx.localityIds[locality],
    created_at: createdAt,
    updated_at: createdAt,
  });

  for (const s of p.statuses) {
    // A care leaver's status starts at 18; others within the last five years (never before birth).
    const start =
      s === 'care_leaver'
        ? Math.min(dobDay + 6575, ctx.todayDay)
        : between(r, Math.max(dobDay, ctx.todayDay - 5 * 365), ctx.todayDay);
    if (s === 'child_protection_plan' && start - dobDay > 60 && r() < 0.5) {
      // Stepped up from a child in need plan.
      const was = between(r, Math.max(dobDay, start - 2 * 365), start - 1);
      b.statuses.push({
        authority_id: authorityId,
        person_id: id,
        status: 'child_in_need',
        start_date: fromDayNumber(was),
        end_date: fromDayNumber(start - 1),
      });
    }
    b.statuses.push({
      authority_id: authorityId,
      person_id: id,
      status: s,
      start_date: fromDayNumber(start),
      end_date: null,
    });
  }

  const carers = age >= 18 ? int(r, 0, 2) : int(r, 1, 3);
  const inCare = p.statuses.includes('child_in_care');
  for (let k = 0; k < carers; k++) {
    const relationship =
      k === 0 && inCare ? 'Foster carer' : pick(r, ['Mother', 'Father', 'Grandparent', 'Step-parent', 'Aunt or uncle']);
    const family = relationship === 'Foster carer' ? pick(r, FAMILY) : p.family_name;
    b.contacts.push({
      authority_id: authorityId,
      person_id: id,
      name: `${pick(r, CARER_GIVEN)} ${family}`,
      relationship,
      phone: `01632 960 ${String(int(r, 0, 999)).padStart(3, '0')}`,
      email: r() < 0.3 ? `carer${serial}.${k}@example.com` : null,
      address: relationship === 'Foster carer' ? null : p.address,
      parental_responsibility: relationship === 'Mother' || relationship === 'Father' ? r() < 0.95 : r() < 0.3,
    });
  }

  // The timeline: created, allocated, then casework events spread up to now, oldest first.
  const lo = createdAt.getTime();
  const hi = ctx.now.getTime();
  const times = Array.from({ length: int(r, 1, 9) }, () => lo + Math.floor(r() * (hi - lo))).sort((a, b) => a - b);
  b.events.push({
    authority_id: authorityId,
    person_id: id,
    at: createdAt,
    kind: 'record',
    title: 'Record created (demo data)',
    detail: null,
    actor_id: null,
  });
  const templates = EVENT_TEMPLATES[serviceOfLead];
  for (const [k, t] of times.entries()) {
    const [kind, title] =
      k === 0 && lead
        ? (['allocation', `Allocated to ${lead.name}`] as const)
        : (pick(r, templates) as [string, string]);
    b.events.push({
      authority_id: authorityId,
      person_id: id,
      at: new Date(t),
      kind,
      title,
      detail: kind === 'note' && r() < 0.5 ? 'Summary recorded (demo data).' : null,
      actor_id: lead?.id ?? null,
    });
  }
}

// ---------------------------------------------------------------------------------------------------------------

async function findAuthority(db: Db | Tx, code: string) {
  return db.selectFrom('authorities').where('code', '=', code).select(['id', 'name']).executeTakeFirst();
}

/** The authority with this code, if any. */
export async function countyExists(db: Db, code = COUNTY_CODE): Promise<boolean> {
  return Boolean(await findAuthority(db, code));
}

/** Deleted in a fixed order by deleteDemoAuthority; any other table with an authority_id is found at run time. */
const CORE_TABLES = new Set([
  'people',
  'person_statuses',
  'contacts',
  'involvements',
  'events',
  'break_glass',
  'alerts',
  'users',
  'teams',
  'hubs',
  'localities',
  'services',
]);

/**
 * Deletes a demo authority and everything in it. Refuses any authority the demo builder did not create.
 * The audit and access logs are append-only and have no foreign keys: their rows about the demo stay.
 */
async function deleteDemoAuthority(tx: Tx, authorityId: string, code: string): Promise<void> {
  const made = await tx
    .selectFrom('audit_log')
    .where('entity', '=', DEMO_ENTITY)
    .where('action', '=', 'create')
    .where('entity_id', '=', authorityId)
    .select('seq')
    .executeTakeFirst();
  if (!made) {
    throw new CountyNotDemo(
      `Authority ${code} was not created as demo data, so it will not be deleted. Use another code for the demo.`,
    );
  }
  // Tables added by other capabilities (plans, protocols, transfers, …) first, found in the catalogue: every table
  // with an authority_id that references authorities. Their foreign keys among themselves decide the order, so
  // retry until all are empty; a delete refused by a foreign key is undone to a savepoint and tried again later.
  const owned = await sql<{ name: string }>`
    SELECT DISTINCT c.conrelid::regclass::text AS name
    FROM pg_constraint c
    JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = ANY (c.conkey)
    WHERE c.contype = 'f' AND c.confrelid = 'authorities'::regclass AND a.attname = 'authority_id'`.execute(tx);
  let pending = owned.rows.map((r) => r.name).filter((t) => !CORE_TABLES.has(t));
  while (pending.length) {
    const refused: string[] = [];
    let last: unknown = null;
    for (const table of pending) {
      await sql`SAVEPOINT demo_delete`.execute(tx);
      try {
        // The name comes from the catalogue, already quoted where needed.
        await sql`DELETE FROM ${sql.raw(table)} WHERE authority_id = ${authorityId}`.execute(tx);
        await sql`RELEASE SAVEPOINT demo_delete`.execute(tx);
      } catch (e) {
        if ((e as { code?: string }).code !== '23503') throw e;
        await sql`ROLLBACK TO SAVEPOINT demo_delete`.execute(tx);
        refused.push(table);
        last = e;
      }
    }
    if (refused.length === pending.length) throw last;
    pending = refused;
  }
  // Then the core: people cascade to statuses, contacts, involvements, events and break-glass grants; users to
  // team memberships, sessions and API tokens. Deleting the users is the slow step (about half a minute for the
  // county): each one is checked against events.actor_id and involvements.worker_id, which have no index for it.
  await tx.deleteFrom('people').where('authority_id', '=', authorityId).execute();
  await tx.deleteFrom('alerts').where('authority_id', '=', authorityId).execute();
  await tx.deleteFrom('break_glass').where('authority_id', '=', authorityId).execute();
  await tx.deleteFrom('involvements').where('authority_id', '=', authorityId).execute();
  await tx.deleteFrom('events').where('authority_id', '=', authorityId).execute();
  await tx.deleteFrom('users').where('authority_id', '=', authorityId).execute();
  await tx.deleteFrom('teams').where('authority_id', '=', authorityId).execute();
  await tx.deleteFrom('hubs').where('authority_id', '=', authorityId).execute();
  await tx.deleteFrom('localities').where('authority_id', '=', authorityId).execute();
  await tx.deleteFrom('services').where('authority_id', '=', authorityId).execute();
  await tx.deleteFrom('authorities').where('id', '=', authorityId).execute();
  await insertAudit(tx, {
    authorityId,
    actorId: null,
    action: 'delete',
    entity: DEMO_ENTITY,
    entityId: authorityId,
    detail: { code, scale: 'county' },
  });
}

function resolveSizes(sizes: Partial<CountySizes> = {}): CountySizes {
  const s = { ...COUNTY_SIZES, ...sizes };
  for (const [k, v] of Object.entries(s)) {
    if (!Number.isInteger(v) || v < 1) throw new RangeError(`${k} must be a whole number of at least 1 (got ${v})`);
  }
  if (s.teams > MAX_COUNTY_TEAMS) throw new RangeError(`teams must be at most ${MAX_COUNTY_TEAMS} (got ${s.teams})`);
  return s;
}

// ---------------------------------------------------------------------------------------------------------------
// Plans and the audit history, set-based in SQL: one statement each (the audit in chunks). The "random" choices
// hash the young person's case number, so the same seed and sizes give the same plans.

const AUDIT_CHUNK = 250;

const ACTION_DESCRIPTIONS = [
  'Money skills course',
  'Find supported accommodation from 18',
  'Care Act transition assessment',
  'Travel training to college',
  'Register with an adult GP and annual health check',
  'Apply for Personal Independence Payment',
  'College place and transport from September',
  'Short breaks review',
  'Mental capacity assessment for tenancy decisions',
  'Work experience placement',
  'Transfer to adult learning disability health team',
  'Personal budget and direct payments setup',
] as const;

/** One person-led plan per young person, and `actions` plan actions spread across them. */
async function insertPlans(
  tx: Tx,
  authorityId: string,
  today: string,
  actions: number,
): Promise<Pick<CountyCounts, 'plans' | 'actions' | 'overdueActions' | 'unownedActions'>> {
  // Statistics for the rows just written (visible to this transaction), or the planner loops over them blind.
  await sql`ANALYZE people, involvements`.execute(tx);
  // The plan's author: the worker on the young person's earliest open, allocated involvement (null: nobody yet).
  const plans = await sql`
    INSERT INTO plans (authority_id, person_id, what_matters, hopes, needs, provision_in_place, pathway_agreed,
      created_by, created_at, updated_at)
    SELECT p.authority_id, p.id,
      (ARRAY['My friends and my music', 'My family and my dog', 'Football and gaming', 'Art, drama and my cat'])
        [1 + abs(hashtext(p.case_number)) % 4],
      (ARRAY['To go to college near home', 'To live with friends', 'To get a job', 'To stay close to my family'])
        [1 + abs(hashtext(p.case_number || 'h')) % 4],
      (ARRAY['Supported living from 18', 'Help managing money', 'Travel training', 'Personal care at home'])
        [1 + abs(hashtext(p.case_number || 'n')) % 4],
      abs(hashtext(p.case_number || 'p')) % 3 = 0,
      abs(hashtext(p.case_number || 'w')) % 2 = 0,
      lead.worker_id, lead.created_at, lead.created_at
    FROM people p
    JOIN (
      SELECT DISTINCT ON (i.person_id) i.person_id, i.worker_id, i.created_at FROM involvements i
      WHERE i.authority_id = ${authorityId} AND i.end_date IS NULL
      ORDER BY i.person_id, i.worker_id IS NULL, i.start_date
    ) lead ON lead.person_id = p.id
    WHERE p.authority_id = ${authorityId}`.execute(tx);
  await sql`ANALYZE plans`.execute(tx);
  // Spread `actions` evenly: plan k (in case-number order) gets floor((k+1)A/n) - floor(kA/n) of them.
  const written = await sql<{ overdue: number; unowned: number; n: number }>`
    WITH pl AS (
      SELECT pl.id, pl.person_id, pl.created_by, p.case_number, pl.created_at,
        row_number() OVER (ORDER BY p.case_number) - 1 AS k, count(*) OVER () AS total
      FROM plans pl JOIN people p ON p.id = pl.person_id
      WHERE pl.authority_id = ${authorityId}
    ),
    svc AS (SELECT array_agg(id ORDER BY name) AS ids FROM services WHERE authority_id = ${authorityId}),
    ins AS (
      INSERT INTO plan_actions (authority_id, plan_id, person_id, description, owner_user_id, owner_service_id,
        due_date, status, issue_type, commissioning_area, created_at, updated_at)
      SELECT ${authorityId}::uuid, pl.id, pl.person_id,
        (${[...ACTION_DESCRIPTIONS]}::text[])[1 + (x.h / 7) % ${ACTION_DESCRIPTIONS.length}],
        CASE WHEN x.h % 100 < 12 THEN NULL ELSE pl.created_by END,
        CASE WHEN x.h % 100 BETWEEN 4 AND 11 THEN svc.ids[1 + (x.h / 11) % cardinality(svc.ids)] END,
        ${today}::date + ((x.h / 13) % 150 - 40)::int,
        (ARRAY['done', 'done', 'in_progress', 'in_progress', 'in_progress', 'not_started', 'not_started',
          'not_started', 'cancelled', 'in_progress'])[1 + (x.h / 17) % 10],
        CASE WHEN x.h % 100 < 4 THEN (ARRAY['gap', 'capacity'])[1 + (x.h / 19) % 2] END,
        CASE WHEN x.h % 100 < 4 THEN 'Supported living' END,
        pl.created_at, pl.created_at
      FROM pl, svc,
        LATERAL generate_series(1, ((pl.k + 1) * ${actions} / pl.total - pl.k * ${actions} / pl.total)::int) g,
        LATERAL (SELECT abs(hashtext(pl.case_number || ':' || g)) AS h) x
      RETURNING owner_user_id, owner_service_id, due_date, status
    )
    SELECT count(*)::int AS n,
      count(*) FILTER (WHERE status IN ('not_started', 'in_progress') AND due_date < ${today}::date)::int AS overdue,
      count(*) FILTER (WHERE status IN ('not_started', 'in_progress') AND owner_user_id IS NULL
        AND owner_service_id IS NULL)::int AS unowned
    FROM ins`.execute(tx);
  const w = written.rows[0] as { overdue: number; unowned: number; n: number };
  return {
    plans: Number(plans.numAffectedRows ?? 0),
    actions: w.n,
    overdueActions: w.overdue,
    unownedActions: w.unowned,
  };
}

/**
 * `count` audit events of a representative history: staff creating, updating and deciding on the county's records
 * (people, timeline, plans, protocol steps, involvements), in small statements on one connection. The trigger
 * chains each row.
 */
async function insertAuditHistory(
  db: Db,
  authorityId: string,
  count: number,
  onProgress: (done: number) => void,
): Promise<void> {
  await db.connection().execute(async (conn) => {
    // Numbered people and staff to draw from, on this connection only.
    await sql`CREATE TEMP TABLE demo_audit_people ON COMMIT PRESERVE ROWS AS
      SELECT (row_number() OVER (ORDER BY case_number) - 1)::int AS n, id FROM people
      WHERE authority_id = ${authorityId}`.execute(conn);
    await sql`CREATE TEMP TABLE demo_audit_staff ON COMMIT PRESERVE ROWS AS
      SELECT (row_number() OVER (ORDER BY email) - 1)::int AS n, id FROM users
      WHERE authority_id = ${authorityId}`.execute(conn);
    await sql`ALTER TABLE demo_audit_people ADD PRIMARY KEY (n)`.execute(conn);
    await sql`ALTER TABLE demo_audit_staff ADD PRIMARY KEY (n)`.execute(conn);
    await sql`ANALYZE demo_audit_people, demo_audit_staff`.execute(conn);
    const sizes = await sql<{ p: number; u: number }>`
      SELECT (SELECT count(*) FROM demo_audit_people)::int AS p, (SELECT count(*) FROM demo_audit_staff)::int AS u`.execute(
      conn,
    );
    const { p: np, u: nu } = sizes.rows[0] as { p: number; u: number };
    try {
      for (let from = 1; from <= count; from += AUDIT_CHUNK) {
        const to = Math.min(count, from + AUDIT_CHUNK - 1);
        await sql`
          INSERT INTO audit_log (authority_id, actor_id, action, entity, entity_id, person_id, detail)
          SELECT ${authorityId}::uuid, u.id,
            (ARRAY['update', 'create', 'update', 'decide', 'allocate', 'update', 'create', 'update', 'create',
              'update'])[1 + g % 10],
            (ARRAY['person', 'event', 'plan_action', 'protocol_step', 'involvement', 'contact', 'plan_action',
              'plan', 'referral', 'person'])[1 + g % 10],
            p.id::text, p.id, jsonb_build_object('demo', 'county', 'n', g)
          FROM generate_series(${from}::bigint, ${to}::bigint) g
          JOIN demo_audit_people p ON p.n = (g * 104729) % ${np}
          JOIN demo_audit_staff u ON u.n = (g * 7919) % ${nu}
          ORDER BY g`.execute(conn);
        if (to % 10_000 < AUDIT_CHUNK || to === count) onProgress(to);
      }
    } finally {
      await sql`DROP TABLE IF EXISTS demo_audit_people, demo_audit_staff`.execute(conn);
    }
  });
}

/** Builds a county-sized demo authority. Throws CountyExists if the code is taken and `replace` is not set. */
export async function buildCounty(db: Db, opts: BuildCountyOptions): Promise<CountySummary> {
  const started = performance.now();
  const sizes = resolveSizes(opts.sizes);
  const code = opts.code ?? COUNTY_CODE;
  const name = opts.name ?? COUNTY_NAME;
  const domain = opts.emailDomain ?? COUNTY_EMAIL_DOMAIN;
  const r = rng(opts.seed ?? 20261123);
  const now = opts.now;
  const today = londonToday(now);
  const progress = opts.onProgress ?? (() => {});
  const total = sizes.staff + sizes.people + sizes.audit;

  const teams = planTeams(sizes.teams);
  const staff = planStaff(r, sizes.staff, teams, domain);
  const localityIds = LOCALITIES.map(() => randomUUID());
  const hubIds = Array.from({ length: LOCALITIES.length * HUBS_PER_LOCALITY }, () => randomUUID());
  const serviceIds = Object.fromEntries(SERVICES.map((s) => [s.key, randomUUID()])) as Record<ServiceKey, string>;
  const counts: CountyCounts = {
    services: SERVICES.length,
    localities: localityIds.length,
    hubs: hubIds.length,
    teams: teams.length,
    staff: staff.length,
    teamMemberships: staff.filter((s) => s.team).length,
    people: sizes.people,
    statuses: 0,
    contacts: 0,
    involvements: 0,
    openInvolvements: 0,
    allocated: 0,
    unallocated: 0,
    events: 0,
    plans: 0,
    actions: 0,
    overdueActions: 0,
    unownedActions: 0,
    audit: sizes.audit,
  };
  let replaced = false;
  let deleteMs = 0;

  const authorityId = await db.transaction().execute(async (tx) => {
    // One builder per code at a time; the unique code would stop a second one, but only after all its work.
    await sql`SELECT pg_advisory_xact_lock(hashtext(${`demo-county:${code}`}))`.execute(tx);
    progress({ phase: 'organisation', done: 0, total });
    const existing = await findAuthority(tx, code);
    if (existing && !opts.replace) {
      throw new CountyExists(`Authority ${code} (${existing.name}) already exists.`);
    }
    if (existing) {
      const t = performance.now();
      try {
        await deleteDemoAuthority(tx, existing.id, code);
      } catch (e) {
        if (e instanceof CountyNotDemo || !(e as { code?: string }).code) throw e;
        throw new CountyNotDeleted(
          `Could not delete the old ${code} demo, so nothing was changed: ${(e as Error).message}`,
        );
      }
      replaced = true;
      deleteMs = performance.now() - t;
    }
    const authority = await tx
      .insertInto('authorities')
      .values({ code, name })
      .returning('id')
      .executeTakeFirstOrThrow();
    const aid = authority.id;
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

    progress({ phase: 'staff', done: 0, total });
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
            password_hash: opts.passwordHash,
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
    progress({ phase: 'staff', done: staff.length, total });

    const ctx: PeopleContext = {
      r,
      authorityId: aid,
      localityIds,
      teams,
      today,
      todayDay: toDayNumber(today),
      now,
      nhsSeen: new Set(),
      upnSeen: new Set(),
      counts,
      at: (day, ms) => new Date(Math.min(day * DAY_MS + ms, now.getTime())),
    };
    // Generate the next chunk while the database writes this one; the connection runs them in order.
    let writing: Promise<void> = Promise.resolve();
    for (let start = 0; start < sizes.people; start += CHUNK) {
      const b = newBatch();
      const end = Math.min(sizes.people, start + CHUNK);
      for (let i = start; i < end; i++) addPerson(ctx, b, i);
      counts.statuses += b.statuses.length;
      counts.contacts += b.contacts.length;
      counts.involvements += b.involvements.length;
      counts.events += b.events.length;
      const next = insertBatch(tx, b);
      next.catch(() => {}); // awaited below; this only stops an early failure counting as unhandled
      await writing;
      progress({ phase: 'people', done: staff.length + start, total });
      writing = next;
    }
    await writing;
    progress({ phase: 'people', done: staff.length + sizes.people, total });
    progress({ phase: 'plans', done: staff.length + sizes.people, total });
    Object.assign(counts, await insertPlans(tx, aid, today, sizes.actions));

    await insertAudit(tx, {
      authorityId: aid,
      actorId: null,
      action: 'create',
      entity: DEMO_ENTITY,
      entityId: aid,
      detail: { code, scale: 'county', people: sizes.people, staff: staff.length, teams: teams.length },
    });
    return aid;
  });

  // The audit history after the build's transaction: each row updates the chain head (trigger), and every
  // version of that row a statement makes stays until it commits, so the cost of a statement grows with the
  // square of its rows. Small statements, each its own transaction, run at tens of thousands of rows a second
  // (about 2,000 a second in chunks of 20,000). Audit rows are append-only with no foreign keys, so an interrupted
  // build leaves a shorter history whose chain still verifies.
  const auditStarted = performance.now();
  await insertAuditHistory(db, authorityId, sizes.audit, (done) =>
    progress({ phase: 'audit', done: staff.length + sizes.people + done, total }),
  );
  const auditMs = performance.now() - auditStarted;

  // Fresh statistics, so the first queries against the new rows get the plans they will have in normal use.
  progress({ phase: 'statistics', done: total, total });
  await sql`ANALYZE people, person_statuses, contacts, involvements, events, users, team_members, teams, plans, plan_actions, audit_log`.execute(
    db,
  );

  const rows =
    1 +
    counts.services +
    counts.localities +
    counts.hubs +
    counts.teams +
    counts.staff +
    counts.teamMemberships +
    counts.people +
    counts.statuses +
    counts.contacts +
    counts.involvements +
    counts.events +
    counts.plans +
    counts.actions +
    counts.audit +
    1; // the audit row
  const signIns = NAMED_LOCALS.flatMap((local) => {
    const s = staff.find((x) => x.email === `${local}@${domain}`);
    return s ? [{ role: s.role, email: s.email, caseload: s.caseload }] : [];
  });
  return {
    authorityId,
    code,
    name,
    counts,
    rows,
    ms: performance.now() - started,
    deleteMs,
    auditMs,
    replaced,
    signIns,
  };
}
