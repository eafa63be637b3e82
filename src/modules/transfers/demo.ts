// Demo data for Kent team transfers: the demo council's transfer points (disabled children's teams → Young
// People's Team at 16 → Adult Transitions at 18; Children in Care → Leaving Care at 18), cases outside their
// team's remit or about to be, a child in need waiting for a worker, and transfers at every stage. The transfers
// are driven through the transfer service (backdated with the demo clock), so their checklist, notices, events,
// protocol steps, notifications and audit rows are the ones the service writes; the team manager of Disabled
// Children's Team North (team.manager@…) sees them on /transfers.
import type { Db, Tx } from '../../db/database.ts';
import { addDays } from '../../domain/calendar.ts';
import type { AuthUser } from '../../http/types.ts';
import { insertAudit } from '../audit/repository.ts';
import { authUserById } from '../auth/service.ts';
import { type DemoOrganisation, demoRecordCreated } from '../kit/demo.ts';
import { fakeNhsNumber, rng } from '../kit/fake.ts';
import type { TransferService } from './service.ts';

/** The demo clock (src/modules/demo/journeys.ts): the services' `now` moves to a past day and back. */
export interface DemoTransfersClock {
  on(day: string): void;
  reset(): void;
}

async function actor(db: Db, userId: string): Promise<AuthUser> {
  const u = await authUserById(db, userId);
  if (!u) throw new Error(`demo user ${userId} not found`);
  return u;
}

/** The date of birth of someone who turns `age` on `day` (28 February for a 29 February). */
function bornToTurn(age: number, day: string): string {
  const md = day.slice(5) === '02-29' ? '02-28' : day.slice(5);
  return `${String(Number(day.slice(0, 4)) - age).padStart(4, '0')}-${md}`;
}

interface DemoCase {
  key: string;
  given: string;
  family: string;
  dob: string;
  team: string;
  worker: string | null;
  statuses: string[];
  /** For a child waiting for a worker: since when. */
  waitingSince?: string;
}

/** People, their statuses, a parent (letters only: no email address) and the involvement, in one transaction. */
async function insertCases(tx: Tx, org: DemoOrganisation, today: string, cases: DemoCase[]) {
  const ids: Record<string, { person: string; involvement: string }> = {};
  const r = rng(20261105);
  for (const [i, c] of cases.entries()) {
    const person = await tx
      .insertInto('people')
      .values({
        authority_id: org.authorityId,
        case_number: `HO${100301 + i}`,
        given_name: c.given,
        family_name: c.family,
        date_of_birth: c.dob,
        gender: i % 2 ? 'Male' : 'Female',
        nhs_number: fakeNhsNumber(r),
        address: `${12 + i} Transfer Lane, Demoton`,
        postcode: `ZZ${30 + i} 1AB`,
        locality_id: org.localityIds[0] ?? null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    for (const s of c.statuses)
      await tx
        .insertInto('person_statuses')
        .values({ authority_id: org.authorityId, person_id: person.id, status: s, start_date: addDays(today, -200) })
        .execute();
    await tx
      .insertInto('contacts')
      .values({
        authority_id: org.authorityId,
        person_id: person.id,
        name: `Robin ${c.family}`,
        relationship: 'Parent',
        address: `${12 + i} Transfer Lane, Demoton`,
        phone: '01632 960 456',
        parental_responsibility: true,
      })
      .execute();
    const inv = await tx
      .insertInto('involvements')
      .values({
        authority_id: org.authorityId,
        person_id: person.id,
        team_id: c.team,
        worker_id: c.worker,
        reason: c.statuses.includes('child_protection_plan') ? 'Child protection plan' : 'Assessment and support',
        start_date: addDays(today, -300),
        unallocated_since: c.waitingSince ? new Date(`${c.waitingSince}T09:00:00Z`) : null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await demoRecordCreated(tx, org.authorityId, person.id);
    ids[c.key] = { person: person.id, involvement: inv.id };
  }
  return ids;
}

/** The council's transfer points (Kent: at 16 and 18) and a worker in the Young People's Team; returns the worker. */
async function pointsAndWorker(
  tx: Tx,
  org: DemoOrganisation,
  t: Record<'dctNorth' | 'dctSouth' | 'ypt' | 'cic' | 'leavingCare' | 'adults', string>,
  smUserId: string,
  domain: string,
) {
  const { dctNorth, dctSouth, ypt, cic, leavingCare, adults } = t;
  const points = [
    { from: dctNorth, to: ypt, age: 16, type: null, note: "Disabled children's teams work with ages 0 to 15" },
    { from: dctSouth, to: ypt, age: 16, type: null, note: "Disabled children's teams work with ages 0 to 15" },
    { from: ypt, to: adults, age: 18, type: null, note: 'Adult services from 18' },
    { from: cic, to: leavingCare, age: 18, type: 'child_in_care', note: 'A child in care becomes a care leaver' },
  ];
  for (const p of points) {
    const row = await tx
      .insertInto('transfer_points')
      .values({
        authority_id: org.authorityId,
        from_team_id: p.from,
        to_team_id: p.to,
        direction: 'age',
        at_age: p.age,
        case_type: p.type,
        note: p.note,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await insertAudit(tx, {
      authorityId: org.authorityId,
      actorId: null,
      action: 'create',
      entity: 'transfer_point',
      entityId: row.id,
      detail: { demo: true },
    });
  }
  const manager = await tx.selectFrom('users').where('id', '=', smUserId).select('password_hash').executeTakeFirst();
  const email = `ypt.worker@${domain}`;
  const worker = await tx
    .insertInto('users')
    .values({
      authority_id: org.authorityId,
      email,
      display_name: 'Yemi Young-People-Worker',
      job_title: 'Social Worker, Young People’s Team',
      phone: '01632 960 000',
      password_hash: manager?.password_hash ?? null,
      roles: ['social_worker'],
      line_manager_id: smUserId,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await tx.insertInto('team_members').values({ team_id: ypt, user_id: worker.id }).execute();
  org.users.push({ role: 'social_worker', email, name: 'Yemi Young-People-Worker', id: worker.id });
  return worker.id;
}

/**
 * Seeds the transfers demo for the small demo council. `transfers` is the service built on `db` whose clock
 * is `clock`; `today` is the demo's day. Needs the demo teams and the team manager, service manager and social
 * worker of createDemoOrganisation; does nothing without them.
 */
export async function seedTransfersDemo(
  db: Db,
  transfers: TransferService,
  clock: DemoTransfersClock,
  org: DemoOrganisation,
  today: string,
): Promise<void> {
  const byRole = (role: string) => org.users.find((u) => u.role === role) ?? null;
  const tmUser = byRole('team_manager');
  const smUser = byRole('service_manager');
  const swUser = byRole('social_worker');
  const team = (key: string) => org.teams[key] ?? null;
  const [dctNorth, dctSouth, ypt, cic, leavingCare, adults] = [
    'dct-north',
    'dct-south',
    'ypt',
    'cic',
    'leaving-care',
    'transitions',
  ].map(team);
  if (!tmUser || !smUser || !swUser || !dctNorth || !dctSouth || !ypt || !cic || !leavingCare || !adults) return;
  const domain = tmUser.email.split('@')[1] as string;

  // ---- transfer points, a receiving worker and the cases: one transaction, like a council's import ----------

  const yptWorker = await db
    .transaction()
    .execute((tx) =>
      pointsAndWorker(tx, org, { dctNorth, dctSouth, ypt, cic, leavingCare, adults }, smUser.id, domain),
    );

  const sw = swUser.id;
  const dct = (key: string, given: string, family: string, turns16: number, statuses: string[]): DemoCase => ({
    key,
    given,
    family,
    dob: bornToTurn(16, addDays(today, turns16)),
    team: dctNorth,
    worker: sw,
    statuses,
  });
  const cases: DemoCase[] = [
    // About to leave the remit: 16 within 90 days (the transfer point proposes the Young People's Team).
    dct('soon', 'Maya', 'Okafor', 41, ['disabled', 'child_in_need']),
    // Outside the remit already: turned 16 three weeks ago and still in Disabled Children's Team North.
    dct('outside', 'Leo', 'Brennan', -21, ['disabled', 'child_in_need']),
    // A child in need waiting for a worker in Disabled Children's Team North.
    {
      key: 'waiting',
      given: 'Isla',
      family: 'Marsh',
      dob: bornToTurn(9, addDays(today, 120)),
      team: dctNorth,
      worker: null,
      statuses: ['child_in_need'],
      waitingSince: addDays(today, -12),
    },
    // In the Young People's Team and 18 within 90 days: proposed for Adult Transitions.
    {
      key: 'adult',
      given: 'Noah',
      family: 'Fairweather',
      dob: bornToTurn(18, addDays(today, 55)),
      team: ypt,
      worker: yptWorker,
      statuses: ['disabled'],
    },
    // The transfers, one at each stage.
    dct('requested', 'Aisha', 'Rahman', -5, ['disabled', 'child_in_need']),
    dct('half', 'Ben', 'Carter', 10, ['disabled', 'child_in_need']),
    dct('sent', 'Chloe', 'Dunn', -12, ['disabled', 'child_in_need']),
    dct('returned', 'Dev', 'Patel', -30, ['disabled', 'child_in_need']),
    dct('accepted', 'Ella', 'Hughes', -40, ['disabled', 'child_protection_plan']),
    dct('completed', 'Finn', 'Walsh', -60, ['disabled', 'child_protection_plan']),
  ];
  const ids = await db.transaction().execute((tx) => insertCases(tx, org, today, cases));

  await walkTransfers(db, transfers, clock, today, ids, { tm: tmUser.id, sm: smUser.id, sw, ypt, yptWorker });
}

/** Takes the demo transfers through the service, each step on its own (past) day, one at each stage. */
async function walkTransfers(
  db: Db,
  transfers: TransferService,
  clock: DemoTransfersClock,
  today: string,
  ids: Awaited<ReturnType<typeof insertCases>>,
  who: { tm: string; sm: string; sw: string; ypt: string; yptWorker: string },
) {
  const { ypt, yptWorker } = who;
  const [tm, sm, worker] = await Promise.all([actor(db, who.tm), actor(db, who.sm), actor(db, who.sw)]);
  const on = (days: number) => clock.on(addDays(today, -days));
  const request = async (key: string, days: number) => {
    on(days);
    const c = ids[key] as { person: string; involvement: string };
    const id = await transfers.request(tm, c.person, {
      involvement_id: c.involvement,
      to_team_id: ypt,
      reason: "Turned 16: the Young People's Team's remit (transfer point at 16)",
      // Some are requested a few days before the 16th birthday: the team manager confirms it knowingly.
      outside_remit: 'yes',
    });
    return { person: c.person, id };
  };
  type X = { person: string; id: string };
  const summary = async (x: X, days: number) => {
    on(days);
    await transfers.writeSummary(worker, x.person, x.id, {
      summary_updated_information: 'Settled at school and at home; short breaks twice a month.',
      summary_important_dates: 'Child in need review in three weeks; annual review of the EHC plan in the spring.',
      summary_urgent_actions: 'None',
    });
    await transfers.signOff(tm, x.person, x.id);
  };
  const ready = async (x: X, days: number) => {
    await summary(x, days + 1);
    on(days);
    await transfers.qualityAssure(tm, x.person, x.id, {
      qa_notes: 'Case notes, chronology and plan up to date; visits within timescales.',
      qa_confirm: 'yes',
    });
    await transfers.sendNotices(worker, x.person, x.id);
    await transfers.recordMeeting(worker, x.person, x.id, {
      meeting_held: 'yes',
      // Held on the day it is recorded: a handover meeting is recorded once it has happened (issue 11 defect 5).
      meeting_date: addDays(today, -days),
      meeting_not_possible_reason: null,
    });
  };
  const send = async (x: X, days: number) => {
    on(days);
    await transfers.send(tm, x.person, x.id);
  };

  try {
    await request('requested', 2);

    const half = await request('half', 6);
    await summary(half, 5);

    const sent = await request('sent', 14);
    await ready(sent, 12);
    await send(sent, 9);

    const returned = await request('returned', 21);
    await ready(returned, 19);
    await send(returned, 17);
    on(15);
    await transfers.returnTransfer(sm, returned.person, returned.id, {
      missing_work:
        'Update the chronology with the last three months\nRecord the outcome of the latest child in need review',
    });

    const accepted = await request('accepted', 27);
    await ready(accepted, 25);
    await send(accepted, 22);
    on(19);
    await transfers.accept(sm, accepted.person, accepted.id);

    const completed = await request('completed', 42);
    await ready(completed, 40);
    await send(completed, 36);
    on(33);
    await transfers.accept(sm, completed.person, completed.id);
    on(29);
    await transfers.allocate(sm, completed.person, completed.id, { worker_id: yptWorker });
  } finally {
    clock.reset();
  }
}
