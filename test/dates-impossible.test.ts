// Issue 11 defect 5, dates that cannot be: a handover meeting dated in the future, decisions or minutes for a panel
// meeting that has not happened yet, and a follow-up email dated after today (it would start the statutory
// 5-working-day clock late) are refused with a message naming the field and the fix; nothing is written.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { StepDef } from '../src/domain/protocol/definition.ts';
import { readDecision } from '../src/modules/protocols/forms.ts';
import { cumbriaAdviceQueryV2 } from '../src/protocols/cumbria-advice-query-v2.ts';
import { Browser, fixedClock, seedOrganisation, testApp, testDatabase, userByRole } from './helpers.ts';

const { db } = await testDatabase();
const org = await seedOrganisation(db, 'dates');
const app = await testApp(db, { now: fixedClock('2026-11-23T10:00:00Z').now }); // Monday 23 November 2026
const tm = userByRole(org, 'team_manager');
const sw = userByRole(org, 'social_worker');
const chair = userByRole(org, 'forum_chair');

const parts = (field: string, iso: string) => {
  const [y, m, d] = iso.split('-');
  return { [`${field}-day`]: String(Number(d)), [`${field}-month`]: String(Number(m)), [`${field}-year`]: y as string };
};

test('a handover meeting dated in the future is refused (the page and the API read the same declared input)', async () => {
  const p = await db
    .insertInto('people')
    .values({
      authority_id: org.authorityId,
      case_number: 'DT-1',
      given_name: 'Ada',
      family_name: 'Dates',
      date_of_birth: '2010-03-01',
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const inv = await db
    .insertInto('involvements')
    .values({
      authority_id: org.authorityId,
      person_id: p.id,
      team_id: org.teams['dct-north'] as string,
      worker_id: sw.id,
      reason: 'test',
      start_date: '2026-01-05',
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const b = new Browser(app);
  await b.login(tm.email);
  const made = await b.post(`/people/${p.id}/transfers`, {
    involvement_id: inv.id,
    to_team_id: org.teams.ypt as string,
    reason: 'Turned 16',
  });
  assert.equal(made.statusCode, 303, made.body);
  const url = String(made.headers.location).split('?')[0] as string;
  const future = await b.post(`${url}/meeting`, { meeting_held: 'yes', ...parts('meeting_date', '2026-11-24') });
  assert.equal(future.statusCode, 400);
  assert.match(future.body, /href="#meeting_date(-day)?"/);
  assert.match(
    future.body,
    /The date of the handover meeting must be today or in the past: record the meeting once it has been held/,
  );
  const x = await db
    .selectFrom('transfers')
    .where('person_id', '=', p.id)
    .select(['meeting_date'])
    .executeTakeFirstOrThrow();
  assert.equal(x.meeting_date, null, 'nothing written');
  const today = await b.post(`${url}/meeting`, { meeting_held: 'yes', ...parts('meeting_date', '2026-11-23') });
  assert.equal(today.statusCode, 303, 'a meeting held today is fine');
});

test('decisions and minutes for a panel meeting that has not happened yet are refused', async () => {
  const c = new Browser(app);
  await c.login(chair.email);
  assert.equal((await c.post('/panels', {})).statusCode, 303);
  const forum = await db
    .selectFrom('panels')
    .where('authority_id', '=', org.authorityId)
    .where('kind', '=', 'forum')
    .select('id')
    .executeTakeFirstOrThrow();
  const planned = await c.post(`/panels/${forum.id}/meetings`, parts('meeting_date', '2026-12-10'));
  assert.equal(planned.statusCode, 303, planned.body);
  const meetingUrl = String(planned.headers.location).split(/[?#]/)[0] as string;
  const page = await c.get(meetingUrl);
  assert.match(page.body, /The minutes can be recorded from 10 December 2026, once the meeting has been held/);
  assert.doesNotMatch(page.body, /Save minutes/, 'no form for a meeting still to come');
  const decided = await c.post(`${meetingUrl}/items/${crypto.randomUUID()}/decision`, { decision: 'Agreed' });
  assert.equal(decided.statusCode, 400);
  assert.match(
    decided.body,
    /This meeting is on 10 December 2026: record its decisions on or after that day, once it has been held/,
  );
  const minutes = await c.post(`${meetingUrl}/minutes`, { minutes: 'Attended by all', version: '1' });
  assert.equal(minutes.statusCode, 400);
  assert.match(minutes.body, /href="#minutes"/);
  assert.match(minutes.body, /record its minutes on or after that day/);
  const m = await db
    .selectFrom('panel_meetings')
    .where('panel_id', '=', forum.id)
    .select(['minutes', 'status'])
    .executeTakeFirstOrThrow();
  assert.equal(m.minutes, null, 'nothing written');
});

test('a follow-up email dated after today is refused: its date starts the statutory clock', () => {
  const step = cumbriaAdviceQueryV2.steps.find((s) => s.id === 'log_follow_up') as unknown as StepDef;
  const body = { advice_giver: crypto.randomUUID(), what_is_needed: 'Clarify the provision', outcome: 'sent' };
  const tomorrow = readDecision(step, { ...body, ...parts('email_date', '2026-11-24') }, 'sent', '2026-11-23');
  assert.equal(
    tomorrow.errors.email_date,
    'Date of the email must be today or in the past: record it once it has happened',
  );
  const today = readDecision(step, { ...body, ...parts('email_date', '2026-11-23') }, 'sent', '2026-11-23');
  assert.deepEqual(today.errors, {});
  assert.equal(today.values.email_date, '2026-11-23');
});
