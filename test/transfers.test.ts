// Kent team remits and transfer protocol: pages, API, the never-unallocated rule in services and database.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import fc from 'fast-check';
import { sql } from 'kysely';
import type { Db } from '../src/db/database.ts';
import { capabilitiesOf } from '../src/domain/roles.ts';
import type { AuthUser } from '../src/http/types.ts';
import { sha256 } from '../src/modules/auth/service.ts';
import {
  checklist,
  checklistComplete,
  oneMonthBefore,
  proposeTeam,
  summaryRequired,
} from '../src/modules/transfers/rules.ts';
import { Browser, fixedClock, seedOrganisation, testApp, testDatabase, userByRole } from './helpers.ts';

const { db } = await testDatabase();
const org = await seedOrganisation(db, 'tr');
const clock = fixedClock('2026-11-23T10:00:00Z');
const app = await testApp(db, { now: clock.now });
const tm = userByRole(org, 'team_manager'); // DCT North
const sw = userByRole(org, 'social_worker'); // DCT North, managed by tm
const sm = userByRole(org, 'service_manager'); // Young People's Team
const dct = org.teams['dct-north'] as string;
const ypt = org.teams.ypt as string;

async function person(
  db: Db,
  opts: { dob: string; team: string; worker: string | null; status?: string; tag: string },
) {
  const p = await db
    .insertInto('people')
    .values({
      authority_id: org.authorityId,
      case_number: `TR-${opts.tag}`,
      given_name: 'Ada',
      family_name: `Kent${opts.tag}`,
      date_of_birth: opts.dob,
      locality_id: org.localityIds[0] ?? null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const inv = await db
    .insertInto('involvements')
    .values({
      authority_id: org.authorityId,
      person_id: p.id,
      team_id: opts.team,
      worker_id: opts.worker,
      reason: 'test',
      start_date: '2026-01-05',
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await db
    .insertInto('contacts')
    .values({
      authority_id: org.authorityId,
      person_id: p.id,
      name: 'Kim Kent',
      relationship: 'Mother',
      email: 'kim@example.com',
    })
    .execute();
  await db
    .insertInto('contacts')
    .values({
      authority_id: org.authorityId,
      person_id: p.id,
      name: 'Lee Kent',
      relationship: 'Father',
      address: '1 Road',
    })
    .execute();
  if (opts.status)
    await db
      .insertInto('person_statuses')
      .values({ authority_id: org.authorityId, person_id: p.id, status: opts.status, start_date: '2026-02-01' })
      .execute();
  return { id: p.id, inv: inv.id };
}

function authUser(u: { id: string; role: string }, teamIds: string[]): AuthUser {
  return {
    id: u.id,
    authorityId: org.authorityId,
    email: 'x@example.com',
    displayName: u.role,
    roles: [u.role],
    caps: capabilitiesOf([u.role]),
    teamIds,
  };
}

test('rules: summary needed when the latest assessment is over one month old; checklist; proposals', () => {
  assert.equal(oneMonthBefore('2026-03-31'), '2026-02-28');
  assert.equal(summaryRequired('2026-10-23', '2026-11-23'), false);
  assert.equal(summaryRequired('2026-10-22', '2026-11-23'), true);
  assert.equal(summaryRequired(null, '2026-11-23'), true);
  const base = {
    today: '2026-11-23',
    latestAssessment: '2026-11-20',
    summaryWritten: false,
    summarySignedOff: false,
    qualityAssured: true,
    noticesSent: true,
    meetingRecorded: true,
    openRemedialTasks: 0,
    suspended: [],
  };
  assert.equal(checklistComplete(checklist(base)), true);
  assert.equal(checklistComplete(checklist({ ...base, latestAssessment: '2026-01-01' })), false);
  assert.equal(
    checklistComplete(checklist({ ...base, meetingRecorded: false, suspended: ['handover_meeting'] })),
    true,
  );
  assert.equal(checklistComplete(checklist({ ...base, openRemedialTasks: 1 })), false);
  const teams = [
    { id: 'dct', name: 'DCT', min: 0, max: 15, caseTypes: ['disabled'], localityId: null },
    { id: 'ypt', name: 'YPT', min: 16, max: 17, caseTypes: ['disabled'], localityId: null },
    { id: 'adult', name: 'Adults', min: 18, max: 25, caseTypes: ['disabled'], localityId: null },
  ];
  const c = { dateOfBirth: '2010-06-01', statuses: ['disabled'], localityId: null };
  assert.equal(proposeTeam(teams, [], 'dct', c, '2026-11-23')?.id, 'ypt');
  assert.equal(proposeTeam(teams, [], 'ypt', c, '2028-06-01')?.id, 'adult');
});

test('a transfer from request to allocation through the pages, never leaving the child unallocated', async () => {
  const p = await person(db, { dob: '2010-06-01', team: dct, worker: sw.id, tag: 'A' });
  await db
    .insertInto('person_statuses')
    .values({
      authority_id: org.authorityId,
      person_id: p.id,
      status: 'child_protection_plan',
      start_date: '2026-02-01',
    })
    .execute();
  const b = new Browser(app);
  await b.login(tm.email);
  const list = await b.get('/transfers');
  assert.equal(list.statusCode, 200);
  assert.match(list.body, /KentA/);
  assert.match(list.body, /Young People(&#39;|')s Team/);
  const record = await b.get(`/people/${p.id}`);
  assert.match(record.body, new RegExp(`/people/${p.id}/transfers/new\\?involvement=${p.inv}`));
  const form = await b.get(`/people/${p.id}/transfers/new?involvement=${p.inv}`);
  assert.match(form.body, /The team remits propose Young People/);
  const bad = await b.post(`/people/${p.id}/transfers`, { involvement_id: p.inv, to_team_id: ypt, reason: '' });
  assert.equal(bad.statusCode, 400);
  assert.match(bad.body, /govuk-error-summary/);
  assert.match(bad.body, /href="#reason"/);
  const made = await b.post(`/people/${p.id}/transfers`, {
    involvement_id: p.inv,
    to_team_id: ypt,
    reason: 'Turned 16: Young People’s Team remit',
  });
  assert.equal(made.statusCode, 303);
  const url = String(made.headers.location).split('?')[0] as string;
  const x = url.split('/').pop() as string;

  const early = await b.post(`${url}/send`, {});
  assert.equal(early.statusCode, 400, 'the service refuses to send before the checklist is complete');
  assert.match(early.body, /Write the transfer summary: not done yet/);
  const page = await b.get(url);
  assert.match(page.body, /govuk-task-list/);
  assert.match(page.body, /There is no assessment on record/);

  // The allocated worker writes the summary; their manager signs it off and quality-assures the file (Kent 5.1).
  const w = new Browser(app);
  await w.login(sw.email);
  assert.equal(
    (
      await w.post(`${url}/summary`, {
        summary_updated_information: 'Stable',
        summary_important_dates: 'Review 1 Dec',
        summary_urgent_actions: 'None',
      })
    ).statusCode,
    303,
  );
  assert.equal((await b.post(`${url}/sign-off`, {})).statusCode, 303);
  assert.equal((await b.post(`${url}/quality-assurance`, { qa_notes: 'Checked', qa_confirm: 'yes' })).statusCode, 303);
  assert.equal((await b.post(`${url}/notices`, {})).statusCode, 303);
  assert.equal(
    (await b.post(`${url}/meeting`, { meeting_held: 'no', meeting_not_possible_reason: 'Carer in hospital' }))
      .statusCode,
    303,
  );
  const notices = await db.selectFrom('transfer_notices').where('transfer_id', '=', x).selectAll().execute();
  assert.deepEqual(notices.map((n) => n.channel).sort(), ['email', 'letter']);
  const mail = await db
    .selectFrom('outbox')
    .where('id', '=', notices.find((n) => n.channel === 'email')!.outbox_id!)
    .selectAll()
    .executeTakeFirstOrThrow();
  assert.ok(
    !mail.body.includes('KentA') && !mail.subject.includes('KentA'),
    'emails carry a reference, never the name',
  );
  assert.match(mail.body, /Young People/);
  assert.equal((await b.post(`${url}/send`, {})).statusCode, 303);

  // The receiving team (its manager: the service manager in the Young People's Team) can see it, and returns it.
  const r = new Browser(app);
  await r.login(sm.email);
  assert.equal((await r.get(url)).statusCode, 200);
  assert.equal((await r.post(`${url}/return`, { missing_work: 'Chronology\nUp-to-date CP plan' })).statusCode, 303);
  const tasks = await db.selectFrom('case_tasks').where('transfer_id', '=', x).selectAll().execute();
  assert.equal(tasks.length, 2);
  assert.ok(tasks.every((t) => t.owner_user_id === sw.id && t.due_date > '2026-11-23'));
  assert.equal((await b.post(`${url}/send`, {})).statusCode, 400, 'missing work blocks the resend');
  for (const t of tasks) assert.equal((await b.post(`/people/${p.id}/tasks/${t.id}/done`, {})).statusCode, 303);
  assert.equal((await b.post(`${url}/send`, {})).statusCode, 303);
  assert.equal((await r.post(`${url}/accept`, {})).statusCode, 303);
  // Accepted: the current worker keeps the case until the receiving worker is allocated.
  const open = await db
    .selectFrom('involvements')
    .where('person_id', '=', p.id)
    .where('end_date', 'is', null)
    .selectAll()
    .execute();
  assert.equal(open.length, 2);
  assert.equal(open.find((i) => i.team_id === dct)?.worker_id, sw.id);
  assert.equal((await r.post(`${url}/escalate`, { reason: 'No capacity this week' })).statusCode, 303);
  // The capacity block is a kent-capacity-escalation instance: a service manager owns it, with a deadline and a
  // ladder (the deadline rows belong to its step).
  const escalation = await db
    .selectFrom('capacity_escalations as e')
    .innerJoin('protocol_instances as i', 'i.id', 'e.protocol_instance_id')
    .innerJoin('protocol_steps as s', 's.id', 'i.current_step_id')
    .where('e.transfer_id', '=', x)
    .select(['i.id as instance_id', 'i.protocol_id', 's.id as step_id', 's.owner_user_id', 's.due_date'])
    .executeTakeFirstOrThrow();
  assert.equal(escalation.protocol_id, 'kent-capacity-escalation');
  assert.equal(escalation.owner_user_id, sm.id, 'the service manager of the receiving service owns it');
  assert.ok(escalation.due_date && escalation.due_date > '2026-11-23');
  const deadline = await db
    .selectFrom('deadlines')
    .where('subject_type', '=', 'protocol_step')
    .where('subject_id', '=', escalation.step_id)
    .orderBy('rung')
    .selectAll()
    .executeTakeFirstOrThrow();
  assert.ok(deadline.due_at > clock.now());
  const withEscalation = (await r.get(url)).body;
  assert.match(withEscalation, /Capacity escalations[\s\S]*No capacity this week/);
  const stepsPage = `/people/${p.id}/protocols/${escalation.instance_id}`;
  assert.ok(withEscalation.includes(`href="${stepsPage}"`), 'the open escalation links to its steps');
  assert.match((await r.get(stepsPage)).body, /Service manager resolves the capacity block/);
  assert.equal((await r.post(`${url}/allocate`, { worker_id: sm.id })).statusCode, 303);
  const after = await db
    .selectFrom('involvements')
    .where('person_id', '=', p.id)
    .where('end_date', 'is', null)
    .selectAll()
    .execute();
  assert.deepEqual(
    after.map((i) => [i.team_id, i.worker_id]),
    [[ypt, sm.id]],
  );
  const done = await db.selectFrom('transfers').where('id', '=', x).selectAll().executeTakeFirstOrThrow();
  assert.equal(done.status, 'completed');
  assert.ok(
    (await db.selectFrom('deadlines').where('id', '=', deadline.id).select('cancelled_at').executeTakeFirstOrThrow())
      .cancelled_at,
  );
  const resolved = await db
    .selectFrom('protocol_instances')
    .where('id', '=', escalation.instance_id)
    .select(['status', 'result'])
    .executeTakeFirstOrThrow();
  assert.deepEqual(resolved, { status: 'ended', result: 'resolved' }, 'the allocation resolves the capacity block');

  const pack = await r.get(`${url}/pack?format=json`);
  assert.equal(pack.statusCode, 200);
  assert.equal(JSON.parse(pack.body).person.case_number, 'TR-A');
  assert.match((await r.get(`${url}/pack?format=text`)).body, /TRANSFER PACK/);
  assert.equal(
    (
      await r.post(`${url}/share`, {
        with_whom: 'Otherton Council',
        purpose: 'Child moving',
        lawful_basis: 'Children Act 1989 s.47',
      })
    ).statusCode,
    303,
  );
  assert.equal(
    Number(
      (
        await db
          .selectFrom('information_sharing')
          .where('person_id', '=', p.id)
          .select(sql<number>`count(*)`.as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    ),
    1,
  );
  const timely = await b.get('/transfers/timeliness');
  assert.match(timely.body, /Young People/);
});

test('never unallocated: services give a domain error, the database refuses a direct write', async () => {
  const p = await person(db, { dob: '2012-01-01', team: dct, worker: sw.id, status: 'child_in_care', tag: 'B' });
  const b = new Browser(app);
  await b.login(tm.email);
  const inv = await db.selectFrom('involvements').where('id', '=', p.inv).selectAll().executeTakeFirstOrThrow();
  const res = await b.post(`/people/${p.id}/involvements/${p.inv}/allocate`, {
    worker_id: 'remove',
    reason: 'Worker left',
    version: String(inv.version),
  });
  assert.equal(res.statusCode, 400);
  assert.match(res.body, /must always have an allocated worker/);
  assert.equal((await b.post(`/people/${p.id}/involvements/${p.inv}/end`, {})).statusCode, 400);
  await assert.rejects(
    db.updateTable('involvements').set({ worker_id: null }).where('id', '=', p.inv).execute(),
    /never unallocated/,
  );
  const q = await person(db, { dob: '2012-01-01', team: dct, worker: null, tag: 'C' });
  const add = await b.post(`/people/${q.id}/statuses`, { status: 'child_protection_plan' });
  assert.equal(add.statusCode, 400);
  await assert.rejects(
    db
      .insertInto('person_statuses')
      .values({
        authority_id: org.authorityId,
        person_id: q.id,
        status: 'child_protection_plan',
        start_date: '2026-11-01',
      })
      .execute(),
    /never unallocated/,
  );
  // A child in need who cannot be allocated: the team leader takes it on, with visiting, review and oversight.
  assert.equal((await b.post(`/people/${q.id}/involvements/${q.inv}/team-leader`, {})).statusCode, 303);
  const kinds = (await db.selectFrom('case_tasks').where('involvement_id', '=', q.inv).select('kind').execute())
    .map((t) => t.kind)
    .sort();
  assert.deepEqual(kinds, ['oversight', 'review', 'visit']);
  const list = await b.get('/transfers');
  assert.match(list.body, /Team leader managing/);
});

test('contingency: a suspension request goes to the IFS manager, is decided, and shows while it applies', async () => {
  const ifs = await db
    .insertInto('users')
    .values({
      authority_id: org.authorityId,
      email: 'ifs@tr.example',
      display_name: 'Ifs Manager',
      roles: ['ifs_manager'],
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const ad = await db
    .insertInto('users')
    .values({
      authority_id: org.authorityId,
      email: 'ad@tr.example',
      display_name: 'Assistant Director',
      roles: ['assistant_director'],
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const svc = app.services.transfers;
  const manager = new Browser(app);
  await manager.login(tm.email);
  const bad = await manager.post('/transfers/contingency', {
    part: 'handover_meeting',
    reason: 'x',
    impact: 'y',
    mitigations: 'z',
    starts_date: '2026-11-23',
    ends_date: '2027-06-01',
  });
  assert.equal(bad.statusCode, 400);
  assert.match(bad.body, /href="#ends_date-day">The suspension must end on or after its start, and within 90 days/);
  assert.equal(
    (await db.selectFrom('protocol_suspensions').select('id').execute()).length,
    0,
    'nothing written on error',
  );
  const id = await svc.requestSuspension(authUser(tm, [dct]), {
    part: 'handover_meeting',
    team_id: dct,
    reason: 'Staff sickness',
    impact: 'No handover meetings',
    mitigations: 'Phone calls to carers',
    starts_date: '2026-11-23',
    ends_date: '2026-12-20',
  });
  const told = await db.selectFrom('notifications').where('user_id', 'in', [ifs.id, ad.id]).select('user_id').execute();
  assert.equal(told.length, 2);
  const { password_hash } = await db
    .selectFrom('users')
    .where('id', '=', tm.id)
    .select('password_hash')
    .executeTakeFirstOrThrow();
  await db.updateTable('users').set({ password_hash }).where('id', '=', ifs.id).execute();
  const decider = new Browser(app);
  await decider.login('ifs@tr.example');
  const undecided = await decider.post(`/transfers/contingency/${id}/decision`, {});
  assert.equal(undecided.statusCode, 400);
  assert.match(undecided.body, /Choose whether to approve or refuse the suspension/);
  assert.match(undecided.body, /Enter the reason for your decision/);
  await svc.decideSuspension(authUser({ id: ifs.id, role: 'ifs_manager' }, []), id, {
    decision: 'approved',
    decision_note: 'Agreed for four weeks',
  });
  const p = await person(db, { dob: '2010-03-01', team: dct, worker: sw.id, tag: 'D' });
  const b = new Browser(app);
  await b.login(tm.email);
  const form = await b.get(`/people/${p.id}/transfers/new`);
  assert.match(form.body, /Contingency plan in force/);
});

test('property: random transfers, allocations, de-allocations and status changes never leave a protected child unallocated', async () => {
  const svc = app.services;
  const tmU = authUser(tm, [dct]);
  const smU = authUser(sm, [ypt]);
  const violations = async () =>
    Number(
      (
        await sql<{ n: number }>`SELECT count(*) AS n FROM people p WHERE p.authority_id = ${org.authorityId}
          AND NOT person_is_allocated_if_protected(p.id)`.execute(db)
      ).rows[0]?.n,
    );
  const baseline = await violations();
  const kids: { id: string }[] = [];
  for (let i = 0; i < 4; i++)
    kids.push(await person(db, { dob: '2010-05-05', team: dct, worker: sw.id, tag: `P${i}` }));
  const op = fc.record({
    kind: fc.constantFrom('status', 'endStatus', 'deallocate', 'allocate', 'end', 'transfer'),
    who: fc.nat({ max: 3 }),
    status: fc.constantFrom('child_protection_plan', 'child_in_care', 'child_in_need'),
  });
  await fc.assert(
    fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 12 }), async (ops) => {
      for (const o of ops) {
        const k = kids[o.who] as { id: string };
        const invs = await db
          .selectFrom('involvements')
          .where('person_id', '=', k.id)
          .where('end_date', 'is', null)
          .selectAll()
          .execute();
        try {
          if (o.kind === 'status')
            await svc.people.addStatus(tmU, k.id, { status: o.status, start_date: svc.people.today() });
          else if (o.kind === 'endStatus') {
            const s = await db
              .selectFrom('person_statuses')
              .where('person_id', '=', k.id)
              .where('end_date', 'is', null)
              .select('id')
              .executeTakeFirst();
            if (s) await db.deleteFrom('person_statuses').where('id', '=', s.id).execute();
          } else if (o.kind === 'deallocate' || o.kind === 'allocate') {
            const inv = invs[0];
            if (inv) {
              const worker = o.kind === 'allocate' ? (inv.team_id === ypt ? sm.id : sw.id) : '';
              await svc.people.allocate(inv.team_id === ypt ? smU : tmU, k.id, inv.id, {
                worker_id: worker || null,
                remove: !worker,
                reason: worker ? null : 'Deallocated in the property test',
                version: inv.version,
              });
            }
          } else if (o.kind === 'end') {
            const inv = invs[invs.length - 1];
            if (inv && invs.length > 1) await svc.people.endInvolvement(tmU, k.id, inv.id);
          } else {
            const inv = invs.find((i) => i.team_id === dct);
            if (inv) {
              const live = await db
                .selectFrom('transfers')
                .where('from_involvement_id', '=', inv.id)
                .where('status', 'in', ['requested', 'sent', 'accepted'])
                .selectAll()
                .executeTakeFirst();
              if (!live)
                await svc.transfers.request(tmU, k.id, { involvement_id: inv.id, to_team_id: ypt, reason: 'property' });
              else if (live.status === 'requested') {
                await db
                  .updateTable('transfers')
                  .set({
                    summary_updated_information: 's',
                    summary_important_dates: 'd',
                    summary_urgent_actions: 'u',
                    summary_signed_off_at: clock.now(),
                    qa_at: clock.now(),
                    notices_sent_at: clock.now(),
                    meeting_not_possible_reason: 'n/a',
                  })
                  .where('id', '=', live.id)
                  .execute();
                await svc.transfers.send(tmU, k.id, live.id);
              } else if (live.status === 'sent') await svc.transfers.accept(smU, k.id, live.id);
              else await svc.transfers.allocate(smU, k.id, live.id, { worker_id: sm.id });
            }
          }
        } catch (e) {
          // Refusals are expected; a database refusal means the services let a violation through.
          assert.ok(
            !/never unallocated/.test(String((e as Error).message)) ||
              /must always have|Allocate a worker/.test(String((e as Error).message)),
            `${o.kind}: ${String(e)}`,
          );
        }
        assert.equal(await violations(), baseline, `after ${o.kind}`);
      }
    }),
    { numRuns: 25 },
  );
});

test('across authorities on this installation: shared when sent, returned, accepted, and the case moves with its history', async () => {
  const org2 = await seedOrganisation(db, 'tr2');
  const sm2 = userByRole(org2, 'service_manager'); // Young People's Team of the second authority
  const ypt2 = org2.teams.ypt as string;
  const p = await person(db, {
    dob: '2010-04-01',
    team: dct,
    worker: sw.id,
    status: 'child_protection_plan',
    tag: 'X',
  });
  await db
    .insertInto('events')
    .values({ authority_id: org.authorityId, person_id: p.id, kind: 'note', title: 'Home visit', detail: 'All well' })
    .execute();
  // No UPN, and SEN2's reason why: the reason moves with the record.
  await db.updateTable('people').set({ upn: null, upn_unknown: 'UN3' }).where('id', '=', p.id).execute();
  // A case note with a correction: both versions move with the case.
  const caseNote = await db
    .insertInto('case_notes')
    .values({ authority_id: org.authorityId, person_id: p.id, version: 2, created_by: sw.id })
    .returning('id')
    .executeTakeFirstOrThrow();
  const noteVersion = (version: number, what: string, reason: string | null) => ({
    authority_id: org.authorityId,
    note_id: caseNote.id,
    person_id: p.id,
    version,
    note_type: 'visit' as const,
    contact_date: '2026-11-20',
    contact_time: '10:00',
    what_happened: what,
    significant: version === 2,
    summary: version === 2 ? 'Disclosed worry about moving' : null,
    correction_reason: reason,
    written_by: sw.id,
  });
  await db
    .insertInto('case_note_versions')
    .values([noteVersion(1, 'Visited at home', null), noteVersion(2, 'Visited at home with mum', 'Mum was there')])
    .execute();
  const b = new Browser(app);
  await b.login(tm.email);
  const form = await b.get(`/people/${p.id}/transfers/new?involvement=${p.inv}`);
  assert.match(form.body, /Another authority: Test Council tr2/);
  const made = await b.post(`/people/${p.id}/transfers`, {
    involvement_id: p.inv,
    to_team_id: ypt2,
    reason: 'Moving to tr2',
  });
  assert.equal(made.statusCode, 303);
  const url = String(made.headers.location).split('?')[0] as string;
  const x = url.split('/').pop() as string;
  const row = await db.selectFrom('transfers').where('id', '=', x).selectAll().executeTakeFirstOrThrow();
  assert.equal(row.to_authority_id, org2.authorityId);
  const inst = row.protocol_instance_id as string;
  const open = () => app.services.protocols.openStepKey(db, inst);
  assert.equal(await open(), 'summary', 'the engine started and moved past the decision in the same transaction');
  assert.match((await b.get(url)).body, new RegExp(`/people/${p.id}/protocols/${inst}`));

  // The second authority sees nothing before it is sent.
  const r = new Browser(app);
  await r.login(sm2.email);
  assert.doesNotMatch((await r.get('/transfers')).body, /KentX/);
  assert.equal((await r.get(`/transfers/incoming/${x}`)).statusCode, 404);

  const w = new Browser(app);
  await w.login(sw.email);
  await w.post(`${url}/summary`, {
    summary_updated_information: 'Moving',
    summary_important_dates: 'CP review 3 Dec',
    summary_urgent_actions: 'None',
  });
  assert.equal(await open(), 'sign_off');
  await b.post(`${url}/sign-off`, {});
  await b.post(`${url}/quality-assurance`, { qa_notes: 'Checked', qa_confirm: 'yes' });
  await b.post(`${url}/notices`, {});
  await b.post(`${url}/meeting`, { meeting_held: 'no', meeting_not_possible_reason: 'Family already moved' });
  assert.equal(await open(), 'send');
  const mine = await app.services.protocols.waitingOn(authUser(tm, [dct]));
  assert.ok(
    mine.some((s) => s.instance_id === inst && s.step_key === 'send'),
    'My work shows the send step',
  );
  assert.equal((await b.post(`${url}/send`, {})).statusCode, 303);
  assert.equal(await open(), 'receiving_decision');
  const shared = await db.selectFrom('information_sharing').where('person_id', '=', p.id).selectAll().execute();
  assert.equal(shared.length, 1);
  assert.match(shared[0]!.with_whom, /Test Council tr2/);

  // The receiving authority's team manager: listed, the pack, not the sending record itself.
  const list = await r.get('/transfers');
  assert.match(list.body, new RegExp(`/transfers/incoming/${x}`));
  const page = await r.get(`/transfers/incoming/${x}`);
  assert.equal(page.statusCode, 200);
  assert.match(page.body, /CP review 3 Dec/);
  assert.notEqual((await r.get(`/people/${p.id}`)).statusCode, 200);
  assert.equal((await r.post(`/transfers/incoming/${x}/return`, { missing_work: 'Chronology' })).statusCode, 303);
  assert.equal(await open(), 'remedial_work');
  const task = await db.selectFrom('case_tasks').where('transfer_id', '=', x).selectAll().executeTakeFirstOrThrow();
  assert.equal(task.authority_id, org.authorityId);
  await b.post(`/people/${p.id}/tasks/${task.id}/done`, {});
  assert.equal(await open(), 'send', 'the missing work done, the checklist still complete: back to sending');
  assert.equal((await b.post(`${url}/send`, {})).statusCode, 303);
  assert.equal((await r.post(`/transfers/incoming/${x}/accept`, {})).statusCode, 303);
  assert.equal(await open(), 'allocation');
  const still = await db
    .selectFrom('involvements')
    .where('person_id', '=', p.id)
    .where('end_date', 'is', null)
    .selectAll()
    .execute();
  assert.deepEqual(
    still.map((i) => i.worker_id),
    [sw.id],
    'the sending worker keeps the case until allocation',
  );

  const done = await r.post(`/transfers/incoming/${x}/allocate`, { worker_id: sm2.id });
  assert.equal(done.statusCode, 303);
  const after = await db.selectFrom('transfers').where('id', '=', x).selectAll().executeTakeFirstOrThrow();
  assert.equal(after.status, 'completed');
  const copyId = after.to_person_id as string;
  assert.equal(done.headers.location, `/people/${copyId}`);
  const copy = await db.selectFrom('people').where('id', '=', copyId).selectAll().executeTakeFirstOrThrow();
  assert.equal(copy.authority_id, org2.authorityId);
  assert.deepEqual([copy.upn, copy.upn_unknown], [null, 'UN3']);
  const copied = {
    statuses: await db
      .selectFrom('person_statuses')
      .where('person_id', '=', copyId)
      .where('end_date', 'is', null)
      .select('status')
      .execute(),
    contacts: await db.selectFrom('contacts').where('person_id', '=', copyId).select('name').execute(),
    events: await db.selectFrom('events').where('person_id', '=', copyId).select(['title', 'authority_id']).execute(),
    involvements: await db
      .selectFrom('involvements')
      .where('person_id', '=', copyId)
      .where('end_date', 'is', null)
      .selectAll()
      .execute(),
  };
  assert.deepEqual(
    copied.statuses.map((s) => s.status),
    ['child_protection_plan'],
  );
  assert.equal(copied.contacts.length, 2);
  assert.ok(
    copied.events.some((e) => e.title === 'Home visit'),
    'the timeline moves with the case',
  );
  assert.ok(copied.events.some((e) => /Transferred in from Test Council/.test(e.title)));
  const notes = await db
    .selectFrom('case_notes as n')
    .innerJoin('case_note_versions as v', 'v.note_id', 'n.id')
    .where('n.person_id', '=', copyId)
    .orderBy('v.version')
    .select(['n.authority_id', 'n.version as current', 'v.version', 'v.what_happened', 'v.correction_reason'])
    .execute();
  assert.deepEqual(
    notes.map((n) => [n.authority_id === org2.authorityId, n.current, n.version, n.what_happened, n.correction_reason]),
    [
      [true, 2, 1, 'Visited at home', null],
      [true, 2, 2, 'Visited at home with mum', 'Mum was there'],
    ],
    'the case notes move with every version',
  );
  assert.match((await r.get(`/people/${copyId}/notes`)).body, /Disclosed worry about moving/);
  assert.ok(copied.events.every((e) => e.authority_id === org2.authorityId));
  assert.deepEqual(
    copied.involvements.map((i) => [i.team_id, i.worker_id]),
    [[ypt2, sm2.id]],
  );
  const closed = await db
    .selectFrom('involvements')
    .where('person_id', '=', p.id)
    .where('end_date', 'is', null)
    .execute();
  assert.equal(closed.length, 0, 'the sending record is closed as transferred out');
  const sharing = await db
    .selectFrom('information_sharing')
    .where('person_id', 'in', [p.id, copyId])
    .select('authority_id')
    .execute();
  // The pack at each send (twice), and the record at completion.
  assert.equal(sharing.filter((s) => s.authority_id === org.authorityId).length, 3);
  assert.equal(sharing.filter((s) => s.authority_id === org2.authorityId).length, 1);
  const audits = await db
    .selectFrom('audit_log')
    .where('action', 'in', ['transfer-out', 'transfer-in'])
    .where('detail', '@>', JSON.stringify({ transfer_id: x }))
    .select(['authority_id', 'action'])
    .execute();
  assert.deepEqual(audits.map((a) => `${a.action}:${a.authority_id === org.authorityId ? 1 : 2}`).sort(), [
    'transfer-in:2',
    'transfer-out:1',
  ]);
  const ended = await db.selectFrom('protocol_instances').where('id', '=', inst).selectAll().executeTakeFirstOrThrow();
  assert.equal(ended.status, 'ended');
  assert.equal(ended.result, 'transferred');
  assert.equal((await r.get(`/people/${copyId}`)).statusCode, 200);
  const violations = await sql<{
    n: number;
  }>`SELECT count(*)::int AS n FROM people p WHERE p.id IN (${p.id}, ${copyId}) AND NOT person_is_allocated_if_protected(p.id)`.execute(
    db,
  );
  assert.equal(violations.rows[0]?.n, 0);
});

test('on the protocol engine: drawn and listed, not decided by hand, and an overdue step escalates to the service manager', async () => {
  const p = await person(db, { dob: '2010-07-01', team: dct, worker: sw.id, tag: 'E' });
  const id = await app.services.transfers.request(authUser(tm, [dct]), p.id, {
    involvement_id: p.inv,
    to_team_id: ypt,
    reason: 'Engine',
  });
  const t = await db.selectFrom('transfers').where('id', '=', id).selectAll().executeTakeFirstOrThrow();
  const step = await db
    .selectFrom('protocol_steps')
    .where('instance_id', '=', t.protocol_instance_id as string)
    .where('status', '=', 'open')
    .selectAll()
    .executeTakeFirstOrThrow();
  assert.equal(step.step_key, 'summary');
  assert.equal(step.owner_user_id, sw.id);
  assert.ok(step.due_date);
  const b = new Browser(app);
  await b.login(tm.email);
  assert.equal((await b.get('/protocols/kent-team-transfer')).statusCode, 200);
  const manual = await b.post(`/people/${p.id}/protocols/${t.protocol_instance_id}/steps/${step.id}/decide`, {
    outcome: 'written',
    version: String(step.version),
  });
  assert.equal(manual.statusCode, 409, 'the transfer drives its protocol; nobody decides its steps by hand');
  await db.transaction().execute((tx) => app.services.protocols.fireRung(tx, step.id, 1));
  const escalated = await db
    .selectFrom('protocol_steps')
    .where('id', '=', step.id)
    .selectAll()
    .executeTakeFirstOrThrow();
  assert.equal(escalated.escalations, 1);
  assert.match(escalated.owner_label, /Service manager/i);
});

test('across councils entirely through the API: the sending council prepares and sends, the receiving council accepts and allocates', async () => {
  const org2 = await seedOrganisation(db, 'tr3');
  const tm2 = userByRole(org2, 'team_manager'); // DCT North of the second council
  const sw2 = userByRole(org2, 'social_worker'); // DCT North of the second council
  const dct2 = org2.teams['dct-north'] as string;
  const p = await person(db, {
    dob: '2012-03-01',
    team: dct,
    worker: sw.id,
    status: 'child_protection_plan',
    tag: 'API',
  });
  await db
    .insertInto('events')
    .values({ authority_id: org.authorityId, person_id: p.id, kind: 'note', title: 'School visit', detail: 'Settled' })
    .execute();
  const tokenFor = async (userId: string) => {
    const token = `hov_${randomBytes(16).toString('hex')}`;
    await db
      .insertInto('api_tokens')
      .values({ user_id: userId, token_hash: sha256(token), label: 'test' })
      .execute();
    return token;
  };
  const sending = await tokenFor(tm.id);
  const writer = await tokenFor(sw.id);
  const receiving = await tokenFor(tm2.id);
  const api = (token: string, method: 'GET' | 'POST', url: string, payload?: Record<string, unknown>) =>
    app.inject({
      method,
      url,
      headers: { authorization: `Bearer ${token}` },
      ...(method === 'POST' ? { payload: payload ?? {} } : {}),
    });

  // The sending council's team manager: request, complete the checklist, send.
  const made = await api(sending, 'POST', `/api/v1/people/${p.id}/transfers`, {
    involvement_id: p.inv,
    to_team_id: dct2,
    reason: 'The family moved to tr3',
  });
  assert.equal(made.statusCode, 201, made.body);
  const x = made.json().id as string;
  const base = `/api/v1/people/${p.id}/transfers/${x}`;
  const incoming = `/api/v1/transfers/incoming/${x}`;

  // Nothing is shared with the receiving council before it is sent.
  assert.equal((await api(receiving, 'GET', incoming)).statusCode, 404);
  assert.equal((await api(receiving, 'POST', `${incoming}/accept`)).statusCode, 404);
  const before = (await api(receiving, 'GET', '/api/v1/transfers/incoming')).json();
  assert.ok(!before.items.some((i: { id: string }) => i.id === x));

  const steps: [string, Record<string, unknown>][] = [
    [
      'summary',
      {
        summary_updated_information: 'Moved with mother',
        summary_important_dates: 'CP review 9 Dec',
        summary_urgent_actions: 'None',
      },
    ],
    ['sign-off', {}],
    ['quality-assurance', { qa_notes: 'Checked', qa_confirm: 'yes' }],
    ['notices', {}],
    ['meeting', { meeting_held: 'no', meeting_not_possible_reason: 'Family already moved' }],
  ];
  for (const [step, body] of steps) {
    // The allocated worker writes the summary: its writer may not also quality-assure the file.
    const res = await api(step === 'summary' ? writer : sending, 'POST', `${base}/${step}`, body);
    assert.equal(res.statusCode, 200, `${step}: ${res.body}`);
  }
  assert.equal((await api(sending, 'GET', base)).json().checklist_complete, true);
  const sent = await api(sending, 'POST', `${base}/send`);
  assert.equal(sent.statusCode, 200, sent.body);
  assert.equal(sent.json().status, 'sent');

  // The receiving council cannot use the sending council's person-scoped API, nor the sender the incoming one.
  assert.equal((await api(receiving, 'GET', base)).statusCode, 404);
  assert.equal((await api(sending, 'GET', incoming)).statusCode, 404, 'not addressed to the sending council');
  assert.equal((await api(receiving, 'GET', `/api/v1/transfers/incoming/${crypto.randomUUID()}`)).statusCode, 404);

  // The receiving council's team manager: the list, then the detail (logged in the sending council's record).
  const listed = (await api(receiving, 'GET', '/api/v1/transfers/incoming')).json().items;
  const item = listed.find((i: { id: string }) => i.id === x);
  assert.ok(item, 'listed for the receiving team manager');
  assert.equal(item.case_number, 'TR-API');
  assert.equal(item.status, 'sent');
  assert.match(item.from_authority, /Test Council tr/);
  assert.equal(item.person_id, null);
  assert.equal(item.given_name, undefined, 'the list carries a case reference, not the name');
  const detail = await api(receiving, 'GET', incoming);
  assert.equal(detail.statusCode, 200, detail.body);
  const d = detail.json();
  assert.equal(d.summary.important_dates, 'CP review 9 Dec');
  assert.deepEqual(d.may, { accept: true, allocate: false });
  assert.deepEqual(
    d.statuses.map((s: { status: string }) => s.status),
    ['child_protection_plan'],
  );
  assert.ok(d.workers.some((w: { id: string }) => w.id === sw2.id));
  assert.equal(d.contacts, undefined, 'no more than the incoming page shows');
  const logged = await db
    .selectFrom('access_log')
    .where('person_id', '=', p.id)
    .where('user_id', '=', tm2.id)
    .select(['authority_id', 'channel', 'purpose'])
    .execute();
  assert.deepEqual(logged, [{ authority_id: org.authorityId, channel: 'api', purpose: 'incoming-transfer' }]);

  // Refusals: a return with no missing work, a stale version.
  const empty = await api(receiving, 'POST', `${incoming}/return`, { missing_work: '' });
  assert.equal(empty.statusCode, 400);
  assert.ok(empty.json().fields.missing_work);
  assert.equal((await api(receiving, 'POST', `${incoming}/accept`, { version: d.version + 1 })).statusCode, 409);

  const accepted = await api(receiving, 'POST', `${incoming}/accept`, { version: d.version });
  assert.equal(accepted.statusCode, 200, accepted.body);
  assert.equal(accepted.json().status, 'accepted');
  assert.equal(accepted.json().person_id, null);
  assert.equal((await api(receiving, 'POST', `${incoming}/accept`)).statusCode, 409, 'already accepted');
  assert.equal(
    (await api(receiving, 'POST', `${incoming}/return`, { missing_work: 'Chronology' })).statusCode,
    409,
    'too late to return',
  );
  const open = await db
    .selectFrom('involvements')
    .where('person_id', '=', p.id)
    .where('end_date', 'is', null)
    .select('worker_id')
    .execute();
  assert.deepEqual(
    open.map((i) => i.worker_id),
    [sw.id],
    'the sending worker keeps the case until allocation',
  );
  assert.equal((await api(receiving, 'GET', incoming)).json().may.allocate, true);

  const notMember = await api(receiving, 'POST', `${incoming}/allocation`, { worker_id: sw.id });
  assert.equal(notMember.statusCode, 400);
  assert.ok(notMember.json().fields.worker_id);
  const allocated = await api(receiving, 'POST', `${incoming}/allocation`, {
    worker_id: sw2.id,
    version: accepted.json().version,
  });
  assert.equal(allocated.statusCode, 200, allocated.body);
  assert.equal(allocated.json().status, 'completed');
  const copyId = allocated.json().person_id as string;
  assert.ok(copyId);
  assert.equal((await api(receiving, 'POST', `${incoming}/allocation`, { worker_id: sw2.id })).statusCode, 409);

  // The person exists in the receiving council, with the history, allocated in the receiving team.
  const copy = await db.selectFrom('people').where('id', '=', copyId).selectAll().executeTakeFirstOrThrow();
  assert.equal(copy.authority_id, org2.authorityId);
  const record = await api(receiving, 'GET', `/api/v1/people/${copyId}`);
  assert.equal(record.statusCode, 200, record.body);
  const r = record.json();
  assert.ok(
    r.timeline.some((e: { title: string }) => e.title === 'School visit'),
    'the timeline moves with the case',
  );
  assert.ok(r.timeline.some((e: { title: string }) => /Transferred in from Test Council/.test(e.title)));
  assert.deepEqual(
    r.involvements
      .filter((i: { end_date: string | null }) => !i.end_date)
      .map((i: { team_id: string; worker_id: string }) => [i.team_id, i.worker_id]),
    [[dct2, sw2.id]],
  );
  assert.deepEqual(
    r.statuses.filter((s: { end_date: string | null }) => !s.end_date).map((s: { status: string }) => s.status),
    ['child_protection_plan'],
  );
  const finished = (await api(receiving, 'GET', '/api/v1/transfers/incoming')).json().items;
  assert.equal(finished.find((i: { id: string }) => i.id === x)?.person_id, copyId);

  // Never unallocated: the sending record closed as transferred out, both records pass the database check.
  const stillOpen = await db
    .selectFrom('involvements')
    .where('person_id', '=', p.id)
    .where('end_date', 'is', null)
    .execute();
  assert.equal(stillOpen.length, 0);
  const violations = await sql<{
    n: number;
  }>`SELECT count(*)::int AS n FROM people p WHERE p.id IN (${p.id}, ${copyId}) AND NOT person_is_allocated_if_protected(p.id)`.execute(
    db,
  );
  assert.equal(violations.rows[0]?.n, 0);

  // The sharing is recorded in both councils: the pack at the send and the record at completion, and its receipt.
  const sharing = await db
    .selectFrom('information_sharing')
    .where('person_id', 'in', [p.id, copyId])
    .select(['authority_id', 'person_id'])
    .execute();
  assert.equal(sharing.filter((s) => s.authority_id === org.authorityId && s.person_id === p.id).length, 2);
  assert.equal(sharing.filter((s) => s.authority_id === org2.authorityId && s.person_id === copyId).length, 1);
  const audits = await db
    .selectFrom('audit_log')
    .where('action', 'in', ['transfer-out', 'transfer-in'])
    .where('detail', '@>', JSON.stringify({ transfer_id: x }))
    .select(['authority_id', 'action'])
    .execute();
  assert.deepEqual(audits.map((a) => `${a.action}:${a.authority_id === org.authorityId ? 1 : 2}`).sort(), [
    'transfer-in:2',
    'transfer-out:1',
  ]);
});
