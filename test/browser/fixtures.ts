// A small, fixed caseload for the browser tests, written straight into the test database.
// Every name and identifier is fictional: LA code 999 UPNs, NHS numbers from the 999 test range.
import type { Db } from '../../src/db/database.ts';
import { upnCheckLetter } from '../../src/domain/identifiers.ts';
import type { PersonStatus } from '../../src/domain/roles.ts';
import type { DemoOrganisation } from '../../src/modules/demo/seed.ts';
import { userByRole } from '../helpers.ts';

/** The clock every browser test runs on: Monday 23 November 2026, 10:00 London time. */
export const TODAY = '2026-11-23T10:00:00Z';

/** A valid NHS number (modulus 11) in the 999 range, built from 9 digits. */
function nhsNumber(first9: string): string {
  let sum = 0;
  for (let i = 0; i < 9; i++) sum += Number(first9[i]) * (10 - i);
  const check = 11 - (sum % 11);
  if (check === 10) throw new Error(`${first9} has no valid NHS check digit`);
  return `${first9}${check === 11 ? 0 : check}`;
}

function upn(body12: string): string {
  const letter = upnCheckLetter(body12);
  if (!letter) throw new Error(`${body12} is not a UPN body`);
  return `${letter}${body12}`;
}

export interface FixturePerson {
  id: string;
  givenName: string;
  familyName: string;
  fullName: string;
  dateOfBirth: string;
  caseNumber: string;
  nhsNumber: string;
  upn: string | null;
}

interface PersonSpec {
  givenName: string;
  familyName: string;
  preferredName?: string;
  dateOfBirth: string;
  caseNumber: string;
  nhsNumber: string;
  upn: string | null;
  school?: string;
  statuses: PersonStatus[];
  contact: { name: string; relationship: string; phone: string; parentalResponsibility: boolean };
  team: string;
  workerId: string | null;
  reason: string;
}

async function insertPerson(db: Db, org: DemoOrganisation, s: PersonSpec): Promise<FixturePerson> {
  return db.transaction().execute(async (tx) => {
    const { id } = await tx
      .insertInto('people')
      .values({
        authority_id: org.authorityId,
        case_number: s.caseNumber,
        given_name: s.givenName,
        family_name: s.familyName,
        preferred_name: s.preferredName ?? null,
        date_of_birth: s.dateOfBirth,
        gender: 'Female',
        nhs_number: s.nhsNumber,
        upn: s.upn,
        address: '12 Test Street, Demoton',
        postcode: 'ZZ1 1AA',
        school: s.school ?? null,
        locality_id: org.localityIds[0] ?? null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    for (const status of s.statuses) {
      await tx
        .insertInto('person_statuses')
        .values({ authority_id: org.authorityId, person_id: id, status, start_date: '2025-03-01' })
        .execute();
    }
    await tx
      .insertInto('contacts')
      .values({
        authority_id: org.authorityId,
        person_id: id,
        name: s.contact.name,
        relationship: s.contact.relationship,
        phone: s.contact.phone,
        parental_responsibility: s.contact.parentalResponsibility,
      })
      .execute();
    const teamId = org.teams[s.team];
    if (!teamId) throw new Error(`no team ${s.team} in the test organisation`);
    await tx
      .insertInto('involvements')
      .values({
        authority_id: org.authorityId,
        person_id: id,
        team_id: teamId,
        worker_id: s.workerId,
        reason: s.reason,
        start_date: '2026-01-05',
      })
      .execute();
    await tx
      .insertInto('events')
      .values({
        authority_id: org.authorityId,
        person_id: id,
        at: '2026-01-05T09:30:00Z',
        kind: 'record',
        title: 'Record created',
        detail: 'Referral from school nurse',
        actor_id: null,
      })
      .execute();
    return {
      id,
      givenName: s.givenName,
      familyName: s.familyName,
      fullName: `${s.givenName} ${s.familyName}`,
      dateOfBirth: s.dateOfBirth,
      caseNumber: s.caseNumber,
      nhsNumber: s.nhsNumber,
      upn: s.upn,
    };
  });
}

export interface Caseload {
  /** Allocated to the social worker (Disabled Children's Team North). */
  allocated: FixturePerson;
  /** In the social worker's team, waiting for a worker. */
  waiting: FixturePerson;
  /** Same family name as `allocated`, but only Disabled Children's Team South works with him. */
  elsewhere: FixturePerson;
}

/**
 * Three young people: the demo social worker (Sam, Disabled Children's Team North) has one allocated,
 * one waiting in their team, and no relationship at all with the third.
 */
export async function seedCaseload(db: Db, org: DemoOrganisation): Promise<Caseload> {
  const worker = userByRole(org, 'social_worker');
  const allocated = await insertPerson(db, org, {
    givenName: 'Amara',
    familyName: 'Quillfeather',
    preferredName: 'Mara',
    dateOfBirth: '2012-05-14',
    caseNumber: 'HO900001',
    nhsNumber: nhsNumber('999000001'),
    upn: upn('999123420001'),
    school: 'Demoton Academy',
    statuses: ['child_in_need', 'disabled'],
    contact: { name: 'Kim Quillfeather', relationship: 'Mother', phone: '01632 960 123', parentalResponsibility: true },
    team: 'dct-north',
    workerId: worker.id,
    reason: 'Assessment and support',
  });
  const waiting = await insertPerson(db, org, {
    givenName: 'Cerys',
    familyName: 'Ashdown',
    dateOfBirth: '2019-10-02',
    caseNumber: 'HO900002',
    nhsNumber: nhsNumber('999000002'),
    upn: upn('999123420002'),
    statuses: ['sen_support'],
    contact: { name: 'Pat Ashdown', relationship: 'Father', phone: '01632 960 456', parentalResponsibility: true },
    team: 'dct-north',
    workerId: null,
    reason: 'Short breaks assessment',
  });
  const elsewhere = await insertPerson(db, org, {
    givenName: 'Bryn',
    familyName: 'Quillfeather',
    dateOfBirth: '2015-09-02',
    caseNumber: 'HO900003',
    nhsNumber: nhsNumber('999000003'),
    upn: upn('999123420003'),
    statuses: ['child_protection_plan'],
    contact: {
      name: 'Robin Quillfeather',
      relationship: 'Grandparent',
      phone: '01632 960 789',
      parentalResponsibility: false,
    },
    team: 'dct-south',
    workerId: null,
    reason: 'Child protection plan',
  });
  return { allocated, waiting, elsewhere };
}
