// Issue 11 defect 6, separation of duties in a Kent transfer (shared/seeds: "Summaries must be signed off by the Team
// Manager ... the case file should be quality assured by the supervising manager"): the summary's writer cannot
// also quality-assure the file; completed tasks show as done, not as live forms; a case outside the receiving
// team's age range is refused until the team manager confirms it, and the transfer page warns of it.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Browser, fixedClock, seedOrganisation, testApp, testDatabase, userByRole } from './helpers.ts';

const { db } = await testDatabase();
const org = await seedOrganisation(db, 'sep');
const app = await testApp(db, { now: fixedClock('2026-11-23T10:00:00Z').now, config: { logLevel: 'error' } });
const tm = userByRole(org, 'team_manager'); // DCT North (0 to 15)
const sw = userByRole(org, 'social_worker'); // DCT North, managed by tm
const dct = org.teams['dct-north'] as string;
const ypt = org.teams.ypt as string; // Young People's Team (16 to 17)

async function person(tag: string, dob: string) {
  const p = await db
    .insertInto('people')
    .values({
      authority_id: org.authorityId,
      case_number: `SEP-${tag}`,
      given_name: 'Ada',
      family_name: `Sep${tag}`,
      date_of_birth: dob,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const inv = await db
    .insertInto('involvements')
    .values({
      authority_id: org.authorityId,
      person_id: p.id,
      team_id: dct,
      worker_id: sw.id,
      reason: 'test',
      start_date: '2026-01-05',
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { id: p.id, inv: inv.id };
}

const summary = {
  summary_updated_information: 'Settled at home',
  summary_important_dates: 'Review 3 December',
  summary_urgent_actions: 'None',
};

async function requested(b: Browser, p: { id: string; inv: string }) {
  const made = await b.post(`/people/${p.id}/transfers`, {
    involvement_id: p.inv,
    to_team_id: ypt,
    reason: 'Turned 16',
  });
  assert.equal(made.statusCode, 303, made.body);
  return String(made.headers.location).split('?')[0] as string;
}

test('the manager who wrote the summary cannot also quality-assure the file; the page says who should', async () => {
  const p = await person('A', '2010-03-01');
  const m = new Browser(app);
  await m.login(tm.email);
  const url = await requested(m, p);
  assert.equal((await m.post(`${url}/summary`, summary)).statusCode, 303);
  const page = await m.get(url);
  assert.match(page.body, /You wrote the transfer summary, so another manager quality-assures the file/);
  assert.doesNotMatch(page.body, /Record quality assurance/);
  const refused = await m.post(`${url}/quality-assurance`, { qa_notes: 'Checked', qa_confirm: 'yes' });
  assert.equal(refused.statusCode, 400);
  assert.match(refused.body, /govuk-error-summary/);
  assert.match(refused.body, /href="#qa_notes"/);
  assert.match(refused.body, /You wrote the transfer summary, so another manager must quality-assure the file/);
  const row = await db.selectFrom('transfers').where('person_id', '=', p.id).selectAll().executeTakeFirstOrThrow();
  assert.equal(row.qa_at, null, 'nothing written');
  assert.equal(row.summary_written_by, tm.id);
});

test('the allocated worker writes the summary and their supervising manager quality-assures it', async () => {
  const p = await person('B', '2010-03-01');
  const m = new Browser(app);
  await m.login(tm.email);
  const url = await requested(m, p);
  const w = new Browser(app);
  await w.login(sw.email);
  assert.equal((await w.post(`${url}/summary`, summary)).statusCode, 303);
  assert.equal((await m.post(`${url}/sign-off`, {})).statusCode, 303);
  assert.equal((await m.post(`${url}/quality-assurance`, { qa_notes: 'Checked', qa_confirm: 'yes' })).statusCode, 303);
  // The API refuses the writer too (the same service).
  const row = await db.selectFrom('transfers').where('person_id', '=', p.id).selectAll().executeTakeFirstOrThrow();
  assert.equal(row.summary_written_by, sw.id);
  assert.equal(row.qa_by, tm.id);
});

test('completed checklist tasks show as done, with who and when, not as live forms', async () => {
  const p = await person('C', '2010-03-01');
  const m = new Browser(app);
  await m.login(tm.email);
  const url = await requested(m, p);
  const w = new Browser(app);
  await w.login(sw.email);
  await w.post(`${url}/summary`, summary);
  await m.post(`${url}/sign-off`, {});
  await m.post(`${url}/quality-assurance`, { qa_notes: 'Chronology up to date', qa_confirm: 'yes' });
  await w.post(`${url}/notices`, {});
  await w.post(`${url}/meeting`, { meeting_held: 'no', meeting_not_possible_reason: 'Carer in hospital' });
  const page = (await m.get(url)).body;
  for (const live of [
    'Sign off the summary as team manager',
    'Record quality assurance',
    'Send the written notices',
    'Record the meeting',
  ])
    assert.ok(!page.includes(live), `${live}: a done task is not offered again`);
  assert.match(page, /Signed off by [^<]+ on 23 November 2026/);
  assert.match(page, /Quality-assured by [^<]+ on 23 November 2026[^<]*: Chronology up to date/);
  assert.match(page, /Not possible: Carer in hospital/);
  assert.match(page, /Written by/);
  assert.match(page, /Send the transfer to Young People/);
});

test('a 15-year-old into the 16 to 17 team: refused until confirmed, then the transfer page warns', async () => {
  const p = await person('D', '2011-06-01'); // 15 on 23 November 2026
  const m = new Browser(app);
  await m.login(tm.email);
  const form = { involvement_id: p.inv, to_team_id: ypt, reason: 'Planned move before the birthday' };
  const refused = await m.post(`/people/${p.id}/transfers`, form);
  assert.equal(refused.statusCode, 400);
  assert.match(refused.body, /href="#outside_remit"/);
  assert.match(refused.body, /The young person is 15 and Young People(&#39;|’|')s Team works with ages 16 to 17/);
  assert.equal((await db.selectFrom('transfers').where('person_id', '=', p.id).select('id').execute()).length, 0);
  const made = await m.post(`/people/${p.id}/transfers`, { ...form, outside_remit: 'yes' });
  assert.equal(made.statusCode, 303, made.body);
  const page = await m.get(String(made.headers.location).split('?')[0] as string);
  assert.match(page.body, /govuk-warning-text/);
  assert.match(page.body, /Outside the receiving team’s remit/);
  const audit = await db
    .selectFrom('audit_log')
    .where('entity', '=', 'transfer')
    .where('action', '=', 'create')
    .select('detail')
    .execute();
  assert.ok(audit.some((a) => (a.detail as { outside_remit?: boolean }).outside_remit === true));
});
