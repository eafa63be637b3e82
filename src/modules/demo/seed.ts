// Demo data: a fictional council ("Demoshire") with staff in every role and young people aged 0-25.

import { sql } from 'kysely';
import type { Config } from '../../config.ts';
import type { Db, Executor } from '../../db/database.ts';
import { ageOn } from '../../domain/age.ts';
import { londonToday } from '../../domain/calendar.ts';
import type { PersonStatus, Role } from '../../domain/roles.ts';
import { createServices } from '../../services.ts';
import { insertAudit } from '../audit/repository.ts';
import { hashPassword } from '../auth/passwords.ts';
import { seedConsultationsDemo } from '../consultations/demo.ts';
import { seedContextualDemo } from '../contextual/demo.ts';
import { seedPlanChangesDemo } from '../ehc-plan-changes/demo.ts';
import { seedEhcPlansDemo } from '../ehc-plans/demo.ts';
import { seedEhcReviewsDemo } from '../ehc-reviews/demo.ts';
import { seedExploitationMeetingsDemo } from '../exploitation-meetings/demo.ts';
import { type DemoOrganisation, type DemoUser, demoRecordCreated } from '../kit/demo.ts';
import {
  FAMILY,
  fakeDob,
  fakeNhsNumber,
  fakeUpn,
  GIVEN,
  int,
  pick,
  type Rng,
  rng,
  SCHOOLS,
  STREETS,
} from '../kit/fake.ts';
import { seedMentoringDemo } from '../mentoring/demo.ts';
import { seedOrganisationLeads } from '../partners/demo.ts';
import { seedPost18Demo } from '../post18/demo.ts';
import { ProtocolRegistry } from '../protocols/registry.ts';
import { seedSafeguardingDemo } from '../safeguarding/demo.ts';
import { seedSendHubsDemo } from '../send-hubs/demo.ts';
import { seedSharingDemo } from '../sharing/demo.ts';
import { seedSolutionsDemo } from '../solutions/demo.ts';
import { seedTransfersDemo } from '../transfers/demo.ts';
import { seedTransitionsDemo } from '../transitions/demo.ts';
import { LEAVER_EMAIL, seedDemoDocument, seedDemoNotes, seedLeaverAction } from './casework.ts';
import { DemoClock, seedDevonCases, seedEhcpCases } from './journeys.ts';
import { seedDemoHubs } from './seed-hubs.ts';

export type { DemoOrganisation, DemoUser } from '../kit/demo.ts';

export const DEMO_PASSWORD = 'demo-handover-2026';
export const DEMO_AUTHORITY_CODE = 'DEMO';

const SERVICES = [
  { key: 'csc', name: "Children's Social Care", kind: 'childrens' },
  { key: 'asc', name: 'Adult Social Care', kind: 'adult' },
  { key: 'send', name: 'SEND and Inclusion', kind: 'education' },
  {
    key: 'nhs',
    name: 'Demoshire Community Health NHS Trust',
    kind: 'health',
    organisation: 'Demoshire Community Health NHS Trust',
    external: true,
  },
  { key: 'comm', name: 'Joint Commissioning', kind: 'commissioning' },
  {
    key: 'police',
    name: 'Demoshire Police',
    kind: 'police',
    organisation: 'Demoshire Police',
    external: true,
  },
] as const;

const LOCALITIES = ['North', 'South', 'East', 'West'] as const;

/** Teams with their remits: age band, case types, locality. */
const TEAMS = [
  {
    key: 'dct-north',
    name: "Disabled Children's Team North",
    service: 'csc',
    min: 0,
    max: 15,
    types: ['child_in_need', 'child_protection_plan', 'child_in_care', 'disabled'],
    locality: 0,
  },
  {
    key: 'dct-south',
    name: "Disabled Children's Team South",
    service: 'csc',
    min: 0,
    max: 15,
    types: ['child_in_need', 'child_protection_plan', 'child_in_care', 'disabled'],
    locality: 1,
  },
  {
    key: 'ypt',
    name: "Young People's Team",
    service: 'csc',
    min: 16,
    max: 17,
    types: ['child_in_need', 'child_protection_plan', 'child_in_care', 'disabled'],
    locality: null,
  },
  {
    key: 'cic',
    name: 'Children in Care Team',
    service: 'csc',
    min: 0,
    max: 17,
    types: ['child_in_care'],
    locality: null,
  },
  {
    key: 'leaving-care',
    name: 'Leaving Care Team',
    service: 'csc',
    min: 16,
    max: 25,
    types: ['care_leaver'],
    locality: null,
  },
  {
    key: 'transitions',
    name: 'Adult Transitions Team',
    service: 'asc',
    min: 17,
    max: 25,
    types: ['disabled'],
    locality: null,
  },
  {
    key: 'send-statutory',
    name: 'SEND Statutory Assessment Team',
    service: 'send',
    min: 0,
    max: 25,
    types: ['ehcp', 'sen_support'],
    locality: null,
  },
  { key: 'paediatrics', name: 'Community Paediatrics', service: 'nhs', min: 0, max: 18, types: [], locality: null },
  // Transitional safeguarding (issue 12): the post-18 Exploitation Hub led by Adult Social Care, and the police's
  // exploitation team, a partner on the High Risk Exploitation Meetings.
  { key: 'exploitation-hub', name: 'Exploitation Hub', service: 'asc', min: 18, max: 25, types: [], locality: null },
  {
    key: 'police-exploitation',
    name: 'Exploitation Team',
    service: 'police',
    min: 0,
    max: 25,
    types: [],
    locality: null,
  },
] as const;

export async function createDemoOrganisation(
  db: Db,
  opts: { code?: string; name?: string; passwordHash: string; emailDomain?: string },
): Promise<DemoOrganisation> {
  const domain = opts.emailDomain ?? 'demoshire.example';
  return db.transaction().execute(async (tx) => {
    const authority = await tx
      .insertInto('authorities')
      .values({ code: opts.code ?? DEMO_AUTHORITY_CODE, name: opts.name ?? 'Demoshire County Council' })
      .returning('id')
      .executeTakeFirstOrThrow();
    const authorityId = authority.id;
    const serviceIds: Record<string, string> = {};
    for (const s of SERVICES) {
      const row = await tx
        .insertInto('services')
        .values({
          authority_id: authorityId,
          name: s.name,
          kind: s.kind,
          organisation: 'organisation' in s ? s.organisation : null,
          external: 'external' in s ? s.external : false,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      serviceIds[s.key] = row.id;
    }
    const localityIds: string[] = [];
    for (const [i, l] of LOCALITIES.entries()) {
      const loc = await tx
        .insertInto('localities')
        .values({ authority_id: authorityId, name: `${l} Locality` })
        .returning('id')
        .executeTakeFirstOrThrow();
      localityIds.push(loc.id);
      const hubNames = [`${l} Hub ${2 * i + 1}`, `${l} Hub ${2 * i + 2}`];
      for (const h of hubNames)
        await tx
          .insertInto('hubs')
          .values({ authority_id: authorityId, locality_id: loc.id, name: `SEND Support Hub: ${h}` })
          .execute();
      const team = await tx
        .insertInto('teams')
        .values({
          authority_id: authorityId,
          service_id: serviceIds.send as string,
          name: `${l} Locality SEND Team`,
          remit_min_age: 0,
          remit_max_age: 25,
          remit_case_types: ['sen_support', 'ehcp'],
          locality_id: loc.id,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      serviceIds[`locality-team-${i}`] = team.id;
    }
    const teams: Record<string, string> = {};
    for (const t of TEAMS) {
      const row = await tx
        .insertInto('teams')
        .values({
          authority_id: authorityId,
          service_id: serviceIds[t.service] as string,
          name: t.name,
          remit_min_age: t.min,
          remit_max_age: t.max,
          remit_case_types: [...t.types],
          locality_id: t.locality === null ? null : (localityIds[t.locality] ?? null),
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      teams[t.key] = row.id;
    }

    const users: DemoUser[] = [];
    const addUser = async (u: {
      role: Role;
      local: string;
      name: string;
      title: string;
      team?: string;
      manager?: string;
      service?: string;
    }) => {
      const row = await tx
        .insertInto('users')
        .values({
          authority_id: authorityId,
          email: `${u.local}@${domain}`,
          display_name: u.name,
          job_title: u.title,
          phone: '01632 960 000',
          password_hash: opts.passwordHash,
          roles: [u.role],
          line_manager_id: u.manager ?? null,
          service_id: u.service ? (serviceIds[u.service] ?? null) : null,
          // The time of this insert, not of the transaction: ensureDemo lists an existing demo's staff in the order
          // they were made (the first team manager is the first one made, as for a demo built in this process).
          created_at: sql<Date>`clock_timestamp()`,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      if (u.team)
        await tx
          .insertInto('team_members')
          .values({ team_id: teams[u.team] as string, user_id: row.id })
          .execute();
      users.push({ role: u.role, email: `${u.local}@${domain}`, name: u.name, id: row.id });
      return row.id;
    };
    const sm = await addUser({
      role: 'service_manager',
      local: 'service.manager',
      name: 'Helen Service-Manager',
      title: "Head of Disabled Children's Services",
      team: 'ypt',
      service: 'csc',
    });
    const tm = await addUser({
      role: 'team_manager',
      local: 'team.manager',
      name: 'Marcus Team-Manager',
      title: 'Team Manager',
      team: 'dct-north',
      manager: sm,
      service: 'csc',
    });
    await addUser({
      role: 'social_worker',
      local: 'social.worker',
      name: 'Sam Social-Worker',
      title: 'Social Worker',
      team: 'dct-north',
      manager: tm,
      service: 'csc',
    });
    const sendm = await addUser({
      role: 'send_manager',
      local: 'send.manager',
      name: 'Priya SEND-Manager',
      title: 'SEND Manager',
      team: 'send-statutory',
      service: 'send',
    });
    await addUser({
      role: 'ehcp_coordinator',
      local: 'ehcp.coordinator',
      name: 'Jo EHCP-Coordinator',
      title: 'EHCP Coordinator',
      team: 'send-statutory',
      manager: sendm,
      service: 'send',
    });
    const lead = await addUser({
      role: 'team_manager',
      local: 'paediatrics.lead',
      name: 'Raj Clinical-Lead',
      title: 'Clinical Lead, Community Paediatrics',
      team: 'paediatrics',
      service: 'nhs',
    });
    const fionaId = await addUser({
      role: 'advice_giver',
      local: 'advice.giver',
      name: 'Fiona Advice-Giver',
      title: 'Community Paediatrician',
      team: 'paediatrics',
      manager: lead,
      service: 'nhs',
    });
    await addUser({
      role: 'forum_chair',
      local: 'forum.chair',
      name: 'Gareth Forum-Chair',
      title: 'Chair, 16-17 Transitions Forum',
      service: 'asc',
    });
    await addUser({
      role: 'exploitation_lead',
      local: 'exploitation.lead',
      name: 'Ayesha Exploitation-Lead',
      title: 'Transitional Safeguarding Lead, chair of the High Risk Exploitation Meeting',
      team: 'exploitation-hub',
      service: 'asc',
    });
    const danId = await addUser({
      role: 'panel_member',
      local: 'police.officer',
      name: 'Dan Police-Officer',
      title: 'Detective Constable, Exploitation Team',
      team: 'police-exploitation',
      service: 'police',
    });
    await addUser({ role: 'admin', local: 'it.admin', name: 'Nadia IT-Admin', title: 'Systems Administrator' });
    const hubs = await seedDemoHubs(
      tx,
      authorityId,
      localityIds,
      serviceIds.send as string,
      (u) =>
        addUser({ ...u, team: undefined }).then(async (id) => {
          if (u.team) await tx.insertInto('team_members').values({ team_id: u.team, user_id: id }).execute();
          return id;
        }),
      domain,
    );
    // Each outside organisation has a lead, so a team inbox (issue 17): Fiona for the NHS trust, Dan for the police.
    await seedOrganisationLeads(tx, authorityId, [
      [serviceIds.nhs, fionaId],
      [serviceIds.police, danId],
    ]);
    await insertAudit(tx, {
      authorityId,
      actorId: null,
      action: 'create',
      entity: 'demo_organisation',
      entityId: authorityId,
    });
    return { authorityId, localityIds, teams, users, ...hubs };
  });
}

export interface GeneratedPerson {
  given_name: string;
  family_name: string;
  date_of_birth: string;
  gender: string;
  nhs_number: string;
  upn: string | null;
  address: string;
  postcode: string;
  school: string | null;
  statuses: PersonStatus[];
}

/** One fictional young person aged 0-25 on `today`, with statuses that fit their age. */
export function generatePerson(r: Rng, today: string, serial: number): GeneratedPerson {
  const age = int(r, 0, 25);
  const dob = fakeDob(r, today, age, age);
  const statuses: PersonStatus[] = [];
  if (r() < 0.5) statuses.push('disabled');
  const social = r();
  if (age < 18) {
    if (social < 0.35) statuses.push('child_in_need');
    else if (social < 0.5) statuses.push('child_protection_plan');
    else if (social < 0.65) statuses.push('child_in_care');
  } else if (social < 0.2) statuses.push('care_leaver');
  const send = r();
  if (send < 0.25) statuses.push('ehcp');
  else if (send < 0.45 && age < 19) statuses.push('sen_support');
  return {
    given_name: pick(r, GIVEN),
    family_name: pick(r, FAMILY),
    date_of_birth: dob,
    gender: pick(r, ['Female', 'Male', 'Female', 'Male', 'Non-binary']),
    nhs_number: fakeNhsNumber(r),
    upn: age >= 4 && age <= 19 ? fakeUpn(r, serial) : null,
    address: `${int(r, 1, 199)} ${pick(r, STREETS)}, Demoton`,
    postcode: `ZZ${int(r, 1, 99)} ${int(r, 1, 9)}${pick(r, ['AA', 'AB', 'BD', 'XY'])}`,
    school: age >= 4 && age <= 18 ? pick(r, SCHOOLS) : null,
    statuses,
  };
}

/** The team whose remit fits a person, the way a council would place them. */
export function teamFor(org: DemoOrganisation, p: GeneratedPerson, today: string, r: Rng): string {
  const age = Number(today.slice(0, 4)) - Number(p.date_of_birth.slice(0, 4));
  if (p.statuses.includes('care_leaver')) return org.teams['leaving-care'] as string;
  if (age >= 18) return org.teams.transitions as string;
  if (p.statuses.includes('child_in_care') && r() < 0.5) return org.teams.cic as string;
  if (age >= 16) return org.teams.ypt as string;
  return (r() < 0.5 ? org.teams['dct-north'] : org.teams['dct-south']) as string;
}

export async function insertDemoPerson(
  tx: Executor,
  org: DemoOrganisation,
  p: GeneratedPerson,
  caseNumber: string,
  teamId: string,
  workerId: string | null,
  today: string,
  r: Rng,
) {
  const person = await tx
    .insertInto('people')
    .values({
      authority_id: org.authorityId,
      case_number: caseNumber,
      given_name: p.given_name,
      family_name: p.family_name,
      date_of_birth: p.date_of_birth,
      gender: p.gender,
      nhs_number: p.nhs_number,
      upn: p.upn,
      address: p.address,
      postcode: p.postcode,
      school: p.school,
      locality_id: pick(r, org.localityIds),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  for (const s of p.statuses) {
    await tx
      .insertInto('person_statuses')
      .values({
        authority_id: org.authorityId,
        person_id: person.id,
        status: s,
        start_date: p.date_of_birth > '2024-01-01' ? p.date_of_birth : '2024-01-01',
      })
      .execute();
  }
  await tx
    .insertInto('contacts')
    .values({
      authority_id: org.authorityId,
      person_id: person.id,
      name: `${pick(r, ['Kim', 'Lee', 'Chris', 'Pat', 'Robin'])} ${p.family_name}`,
      relationship: pick(r, ['Mother', 'Father', 'Foster carer', 'Grandparent']),
      phone: '01632 960 123',
      parental_responsibility: r() < 0.8,
    })
    .execute();
  await tx
    .insertInto('involvements')
    .values({
      authority_id: org.authorityId,
      person_id: person.id,
      team_id: teamId,
      worker_id: workerId,
      reason: p.statuses.includes('child_protection_plan') ? 'Child protection plan' : 'Assessment and support',
      start_date: today > '2026-01-01' ? '2026-01-05' : today,
    })
    .execute();
  await demoRecordCreated(tx, org.authorityId, person.id);
  return person.id;
}

export interface EnsureDemoOptions {
  config: Config;
  /** The clock (default: the real one). Demo actions are backdated from its day. */
  now?: () => Date;
}

/** A young person aged between `min` and `max` on `today`, drawn from the same generator as everyone else. */
export function personAged(r: Rng, today: string, serial: number, min: number, max: number): GeneratedPerson {
  for (;;) {
    const p = generatePerson(r, today, serial);
    const age = ageOn(p.date_of_birth, today);
    if (age >= min && age <= max) return p;
  }
}

/**
 * Creates the small demo the first time Handover starts; afterwards just lists its sign-ins. Devon 16-17
 * transitions cases and EHC needs assessments are driven through the real services (createServices), so their
 * steps, deadlines, timeline events, notifications, emails and audit rows are the ones the services write.
 */
export async function ensureDemo(db: Db, opts: EnsureDemoOptions): Promise<{ users: DemoUser[]; created: boolean }> {
  const realNow = opts.now ?? (() => new Date());
  const today = londonToday(realNow());
  const existing = await db
    .selectFrom('authorities')
    .where('code', '=', DEMO_AUTHORITY_CODE)
    .select('id')
    .executeTakeFirst();
  if (existing) {
    const rows = await db
      .selectFrom('users')
      .where('authority_id', '=', existing.id)
      .where('email', 'like', '%@demoshire.example')
      .orderBy('created_at')
      .orderBy('id')
      .select(['id', 'email', 'display_name', 'roles'])
      .execute();
    return {
      users: rows.map((u) => ({ id: u.id, email: u.email, name: u.display_name, role: u.roles[0] as Role })),
      created: false,
    };
  }
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  const org = await createDemoOrganisation(db, { passwordHash });
  const r = rng(20261122);
  const worker = org.users.find((u) => u.role === 'social_worker')?.id ?? null;
  const manager = org.users.find((u) => u.role === 'service_manager')?.id ?? null;
  const coordinator = org.users.find((u) => u.role === 'ehcp_coordinator')?.id ?? null;
  const devonPeople: string[] = [];
  const ehcpPeople: string[] = [];
  const samPeople: string[] = [];
  const leaverPeople: string[] = [];
  let leaverId = '';
  await db.transaction().execute(async (tx) => {
    // The service lead of Children's Social Care: the Devon protocol escalates to them (steps 6-8).
    const csc = await tx
      .selectFrom('users')
      .where('id', '=', manager as string)
      .select('service_id')
      .executeTakeFirstOrThrow();
    const lead = await tx
      .insertInto('users')
      .values({
        authority_id: org.authorityId,
        email: 'service.lead@demoshire.example',
        display_name: 'Tom Service-Lead',
        job_title: "Service Lead, Children's Social Care",
        phone: '01632 960 000',
        password_hash: passwordHash,
        roles: ['service_lead'],
        line_manager_id: manager,
        service_id: csc.service_id,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await tx
      .insertInto('team_members')
      .values({ team_id: org.teams.ypt as string, user_id: lead.id })
      .execute();
    org.users.splice(3, 0, {
      role: 'service_lead',
      email: 'service.lead@demoshire.example',
      name: 'Tom Service-Lead',
      id: lead.id,
    });
    for (let i = 0; i < 60; i++) {
      const p = generatePerson(r, today, i);
      const team = i < 12 ? (org.teams['dct-north'] as string) : teamFor(org, p, today, r);
      // The demo social worker holds a caseload; a few of their team's children wait for allocation, but never a
      // child on a protection plan or in care (Kent transfer protocol): they get a worker from the team.
      let allocated = i < 10 ? worker : null;
      if (!allocated && (p.statuses.includes('child_protection_plan') || p.statuses.includes('child_in_care'))) {
        const member = await tx
          .selectFrom('team_members')
          .where('team_id', '=', team)
          .select('user_id')
          .orderBy('user_id')
          .executeTakeFirst();
        allocated = member?.user_id ?? worker;
      }
      const id = await insertDemoPerson(tx, org, p, `HO${100001 + i}`, team, allocated, today, r);
      // The demo's case notes are about school-age children (they mention school and the school bus).
      const age = ageOn(p.date_of_birth, today);
      if (allocated && allocated === worker && age >= 5 && age <= 15) samPeople.push(id);
    }
    // 16-17 year olds in the Young People's Team, allocated to the demo social worker: the Devon cases.
    for (let i = 0; i < DEVON_DEMO_CASES; i++) {
      const p = personAged(r, today, 100 + i, 16, 17);
      if (!p.statuses.includes('disabled')) p.statuses.push('disabled');
      devonPeople.push(
        await insertDemoPerson(tx, org, p, `HO${100101 + i}`, org.teams.ypt as string, worker, today, r),
      );
    }
    // Children with an EHC needs assessment, with the SEND statutory team and a parent who has an email address.
    for (let i = 0; i < 6; i++) {
      const p = personAged(r, today, 200 + i, 4, 15);
      const id = await insertDemoPerson(
        tx,
        org,
        p,
        `HO${100201 + i}`,
        org.teams['send-statutory'] as string,
        coordinator,
        today,
        r,
      );
      await tx
        .insertInto('contacts')
        .values({
          authority_id: org.authorityId,
          person_id: id,
          name: `Alex ${p.family_name}`,
          relationship: 'Parent',
          email: `parent.${100201 + i}@example.org`,
          parental_responsibility: true,
        })
        .execute();
      ehcpPeople.push(id);
    }
    // A second caseworker in the demo social worker's team, who is leaving: their young people are for the team
    // manager to reallocate (Team caseloads), and the receiver then finds them in My work.
    leaverId = await addLeavingWorker(tx, org, passwordHash, worker);
    for (let i = 0; i < 3; i++) {
      const p = personAged(r, today, 300 + i, 13, 15);
      leaverPeople.push(
        await insertDemoPerson(tx, org, p, `HO${100401 + i}`, org.teams['dct-north'] as string, leaverId, today, r),
      );
    }
  });
  const { registry, problems } = await ProtocolRegistry.load(opts.config.protocolsDir);
  for (const p of problems) console.warn(`Protocol file not loaded: ${p.file}: ${p.problems.join('; ')}`);
  await registry.sync(db);
  const clock = new DemoClock(realNow);
  const services = createServices(db, opts.config, clock.now, registry);
  await seedTransitionsDemo(db, org, today, services.transitions, clock);
  const run = { db, services, clock, org, today };
  await seedDevonCases(run, devonPeople);
  await seedEhcpCases(run, ehcpPeople);
  // About 200 EHC plans at every point before the reviews' and plan changes' demos (issue 20 part 8).
  await seedEhcPlansDemo({ db, ehcp: services.ehcp, plans: services.ehcPlans, clock, org, today });
  // Annual reviews on the demo plans (issue 20): after the plans' demo, before the plan changes'.
  await seedEhcReviewsDemo(db, services.ehcReviews, clock, org, today);
  // Plan changes (issue 20): amendments waiting and late, plans ceased with SEN2 reasons, a notice pending, 25th birthdays.
  await seedPlanChangesDemo(db, services.ehcPlanChanges, clock, org, today);
  await seedTransfersDemo(db, services.transfers, clock, org, today);
  if (worker) {
    await seedDemoNotes(run, worker, samPeople);
    if (samPeople[0]) await seedDemoDocument(run, worker, samPeople[0]);
  }
  if (leaverPeople[0]) await seedLeaverAction(run, leaverId, leaverPeople[0]);
  // The exploitation cohort, screened at every level and stage (issue 12 part 2); later demos pick from it.
  await seedSafeguardingDemo(db, services.safeguarding, clock, org, today);
  // Places of concern, a peer group and system blocks linked to that cohort (issue 12 parts 3 and 11).
  await seedContextualDemo(db, services, org);
  // The High Risk Exploitation Meeting: one held two weeks ago with its actions, the next planned (issue 12 part 4).
  await seedExploitationMeetingsDemo(db, services.exploitationMeetings, clock, org.authorityId);
  // Joint transition plans for the screened 16-17 year olds, one escalated at 17½ (issue 12 part 8).
  await seedPost18Demo(db, services, clock, org.authorityId);
  // The Creative Solutions Board, the mentoring scheme and information-sharing records (issue 12 parts 5, 7, 10).
  await seedSolutionsDemo(db, services.solutions, clock, org.authorityId);
  await seedMentoringDemo(db, services.mentoring, clock, org.authorityId);
  await seedSharingDemo(db, services.sharing, clock, org.authorityId);
  // Consultation forums: one naming a cohort young person, one not, with advice and owned follow-ups (part 6).
  await seedConsultationsDemo(db, services.consultations, clock, org.authorityId);
  // The SEND Support Hubs of a Devon-like county: 8 hubs, 40 settings, about 300 requests at every stage, weekly
  // triage meetings and a month of advice calls (issue 13 part 10).
  await seedSendHubsDemo(db, services.sendHubs.ctx, clock, org);
  return { users: org.users, created: true };
}

/** The leaving worker: a social worker in the Disabled Children's Team North, managed by its team manager. */
async function addLeavingWorker(tx: Executor, org: DemoOrganisation, passwordHash: string, like: string | null) {
  const sam = await tx
    .selectFrom('users')
    .where('id', '=', like as string)
    .select(['service_id', 'line_manager_id'])
    .executeTakeFirstOrThrow();
  const row = await tx
    .insertInto('users')
    .values({
      authority_id: org.authorityId,
      email: LEAVER_EMAIL,
      display_name: 'Kit Leaving-Worker',
      job_title: 'Social Worker (leaving at the end of the month)',
      phone: '01632 960 000',
      password_hash: passwordHash,
      roles: ['social_worker'],
      line_manager_id: sam.line_manager_id,
      service_id: sam.service_id,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await tx
    .insertInto('team_members')
    .values({ team_id: org.teams['dct-north'] as string, user_id: row.id })
    .execute();
  org.users.push({ role: 'social_worker', email: LEAVER_EMAIL, name: 'Kit Leaving-Worker', id: row.id });
  return row.id;
}

/** Devon cases: one waiting at each of the 21 steps, and three that have ended. */
const DEVON_DEMO_CASES = 24;
