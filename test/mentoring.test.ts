// The mentoring scheme (issue 12 part 7) through the API: a mentor whose check has expired cannot be matched (the
// message names the check and the date) and one expiring within 30 days is warned about; the route end to end
// (refer → match → sessions and goals → review → end with an outcome) moves the mentoring-referral protocol and
// keeps the status a projection of it; the review is a step deadline 3 months on, with its overdue ladder; who may
// record sessions (the mentor, the scheme, a worker with a relationship — not another member of staff); bad input
// names the field and writes nothing.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, test } from 'node:test';
import { sweepDue } from '../src/jobs/deadlines.ts';
import { sha256 } from '../src/modules/auth/service.ts';
import { registerProtocolTimers } from '../src/modules/protocols/timers.ts';
import { Browser, fixedClock, personInTeam, seedOrganisation, testApp, testDatabase, userByRole } from './helpers.ts';

const { db } = await testDatabase();
const org = await seedOrganisation(db, 'mnt');
const clock = fixedClock('2026-11-23T10:00:00Z');
const app = await testApp(db, { now: clock.now });
after(registerProtocolTimers(app.services.protocols));
const worker = userByRole(org, 'social_worker');
const lead = userByRole(org, 'exploitation_lead');
const stranger = userByRole(org, 'ehcp_coordinator');
const mentorUser = userByRole(org, 'team_manager');
const team = org.teams['dct-north'] as string;

async function tokenFor(userId: string) {
  const token = `hov_${randomBytes(16).toString('hex')}`;
  await db
    .insertInto('api_tokens')
    .values({ user_id: userId, token_hash: sha256(token), label: 'test' })
    .execute();
  return { authorization: `Bearer ${token}` };
}
const as = {
  worker: await tokenFor(worker.id),
  lead: await tokenFor(lead.id),
  stranger: await tokenFor(stranger.id),
  mentor: await tokenFor(mentorUser.id),
};

let serial = 0;
const person = () =>
  personInTeam(db, {
    authorityId: org.authorityId,
    team,
    worker: worker.id,
    caseNumber: `M-${++serial}`,
    givenName: 'Mia',
    familyName: `Mentee${serial}`,
    dateOfBirth: '2010-04-02',
  });

async function call(method: 'GET' | 'POST' | 'PUT', url: string, who: keyof typeof as, payload?: object) {
  const res = await app.inject({ method, url: `/api/v1${url}`, headers: as[who], payload });
  return { status: res.statusCode, body: res.json() };
}

async function mentor(over: Record<string, unknown> = {}, checks: Record<string, string> = {}) {
  const m = await call('POST', '/mentoring/mentors', 'lead', {
    kind: 'volunteer',
    name: `Volunteer ${++serial}`,
    contact: '01234 567890',
    organisation: 'Mentoring Charity',
    capacity: 2,
    areas: 'North',
    interests: 'Football',
    ...over,
  });
  assert.equal(m.status, 201, JSON.stringify(m.body));
  const expiry = {
    enhanced_dbs: '2028-01-01',
    references: '2028-01-01',
    safeguarding_training: '2028-01-01',
    ...checks,
  };
  for (const [check_type, expiry_date] of Object.entries(expiry)) {
    const c = await call('POST', `/mentoring/mentors/${m.body.id}/checks`, 'lead', {
      check_type,
      checked_date: '2025-01-10',
      expiry_date,
      reference: null,
    });
    assert.equal(c.status, 201, JSON.stringify(c.body));
  }
  return m.body.id as string;
}

async function refer(personId: string) {
  const r = await call('POST', `/people/${personId}/mentoring`, 'worker', {
    reason: 'Missing from home twice; older peers',
    hopes: 'A trusted adult outside the family',
    goals: ['Go to college 3 days a week', 'Join a football club'],
  });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  return r.body.id as string;
}

const referralUrl = (p: string, r: string) => `/mentoring/people/${p}/referrals/${r}`;

test('a mentor whose check has expired cannot be matched; one expiring within 30 days is warned about', async () => {
  const expired = await mentor({}, { enhanced_dbs: '2026-11-01' });
  const soon = await mentor({}, { safeguarding_training: '2026-12-10' });
  const p = await person();
  const r = await refer(p);
  const refused = await call('POST', `${referralUrl(p, r)}/match`, 'lead', {
    mentor_id: expired,
    match_date: '2026-11-23',
    version: 2,
  });
  assert.equal(refused.status, 400);
  assert.match(refused.body.fields.mentor_id, /enhanced DBS check expired on 1 November 2026/);
  const row = await db.selectFrom('mentoring_referrals').where('id', '=', r).selectAll().executeTakeFirstOrThrow();
  assert.equal(row.mentor_id, null, 'nothing written');
  assert.equal(row.status, 'waiting');

  const list = await call('GET', '/mentoring/mentors', 'lead');
  const s = list.body.items.find((m: { id: string }) => m.id === soon);
  assert.deepEqual(s.warnings, [`${s.name}’s safeguarding training expires on 10 December 2026`]);
  assert.equal(s.can_be_matched, true);
  const e = list.body.items.find((m: { id: string }) => m.id === expired);
  assert.equal(e.can_be_matched, false);
});

test('refer → match → sessions and goals → review → end with an outcome, on the protocol', async () => {
  clock.set('2026-11-23T10:00:00Z');
  const m = await mentor({ kind: 'staff', user_email: mentorUser.email, organisation: null });
  const p = await person();
  const r = await refer(p);
  let got = (await call('GET', `/people/${p}/mentoring`, 'worker')).body.items[0];
  assert.deepEqual([got.status, got.step, got.due, got.goals.length], ['waiting', 'match', '2026-12-14', 2]);

  const matched = await call('POST', `${referralUrl(p, r)}/match`, 'lead', {
    mentor_id: m,
    match_date: '2026-11-23',
    version: got.version,
  });
  assert.equal(matched.status, 200, JSON.stringify(matched.body));
  got = matched.body.referral;
  // The review is due 13 weeks (3 months) after the match.
  assert.deepEqual(
    [got.status, got.step, got.due, got.mentor.id],
    ['active', 'mentoring', '2026-02-22'.replace('2026', '2027'), m],
  );

  // The mentor (a member of staff with no relationship) records a session; another member of staff cannot.
  const session = { session_date: '2026-11-23', attended: true, not_attended_reason: null, notes: 'Went bowling' };
  assert.equal((await call('POST', `${referralUrl(p, r)}/sessions`, 'mentor', session)).status, 201);
  assert.equal((await call('POST', `${referralUrl(p, r)}/sessions`, 'stranger', session)).status, 403);
  const missed = await call('POST', `${referralUrl(p, r)}/sessions`, 'worker', { ...session, attended: false });
  assert.equal(missed.status, 400);
  assert.match(missed.body.fields.not_attended_reason, /Enter why the young person did not attend/);
  const goal = got.goals[0];
  const progress = await call('PUT', `${referralUrl(p, r)}/goals/${goal.id}`, 'mentor', {
    progress: 'some',
    progress_note: 'Two days a week so far',
    version: goal.version,
  });
  assert.equal(progress.status, 200, JSON.stringify(progress.body));
  got = progress.body.referral;
  assert.equal(got.sessions.length, 1);
  assert.equal(got.goals[0].progress, 'some');

  clock.set('2027-02-15T10:00:00Z');
  const reviewed = await call('POST', `${referralUrl(p, r)}/review`, 'lead', { version: got.version });
  assert.equal(reviewed.status, 200, JSON.stringify(reviewed.body));
  assert.equal(reviewed.body.referral.due, '2027-05-17', 'the next review 13 weeks after this one');

  const ended = await call('POST', `${referralUrl(p, r)}/end`, 'lead', {
    outcome: 'partly_met',
    end_date: '2027-02-15',
    notes: 'College going well; club not yet',
    version: reviewed.body.referral.version,
  });
  assert.equal(ended.status, 200, JSON.stringify(ended.body));
  got = ended.body.referral;
  assert.deepEqual([got.status, got.step, got.outcome], ['ended', null, 'partly_met']);
  const inst = await db
    .selectFrom('protocol_instances')
    .innerJoin('mentoring_referrals as r', 'r.protocol_instance_id', 'protocol_instances.id')
    .where('r.id', '=', r)
    .select(['protocol_instances.protocol_id', 'protocol_instances.status', 'protocol_instances.result'])
    .executeTakeFirstOrThrow();
  assert.deepEqual(inst, { protocol_id: 'mentoring-referral', status: 'ended', result: 'partly_met' });
  // Once ended, sessions are refused.
  assert.equal((await call('POST', `${referralUrl(p, r)}/sessions`, 'mentor', session)).status, 409);
  const events = await db
    .selectFrom('events')
    .where('person_id', '=', p)
    .where('kind', '=', 'mentoring')
    .select('title')
    .execute();
  assert.ok(events.length >= 5);
  const audit = await db
    .selectFrom('audit_log')
    .where('person_id', '=', p)
    .where('action', 'like', 'mentoring.%')
    .select('action')
    .execute();
  assert.deepEqual(
    new Set(audit.map((a) => a.action)),
    new Set([
      'mentoring.referred',
      'mentoring.matched',
      'mentoring.session',
      'mentoring.goal',
      'mentoring.reviewed',
      'mentoring.ended',
    ]),
  );
  clock.set('2026-11-23T10:00:00Z');
});

test('the review is a step deadline: overdue, the exploitation lead is reminded', async () => {
  clock.set('2026-11-23T10:00:00Z');
  const m = await mentor();
  const p = await person();
  const r = await refer(p);
  await call('POST', `${referralUrl(p, r)}/match`, 'lead', { mentor_id: m, match_date: '2026-11-23', version: 2 });
  const step = await db
    .selectFrom('protocol_steps as s')
    .innerJoin('mentoring_referrals as r', 'r.protocol_instance_id', 's.instance_id')
    .where('r.id', '=', r)
    .where('s.status', '=', 'open')
    .select(['s.id', 's.step_key', 's.due_date', 's.due_rule'])
    .executeTakeFirstOrThrow();
  assert.deepEqual([step.step_key, step.due_date], ['mentoring', '2027-02-22']);
  assert.match(step.due_rule ?? '', /3 months/);
  clock.set('2027-02-23T09:00:00Z');
  const swept = await sweepDue(db, clock.now());
  assert.equal(swept.failed, 0);
  const fired = await db
    .selectFrom('deadlines')
    .where('subject_id', '=', step.id)
    .where('fired_at', 'is not', null)
    .select('rung')
    .execute();
  assert.ok(fired.length >= 1, 'the first rung fired');
  const told = await db
    .selectFrom('notifications')
    .where('user_id', '=', lead.id)
    .where('message', 'like', 'Overdue%')
    .select('message')
    .execute();
  assert.ok(
    told.some((t) => /Review the mentoring/.test(t.message)),
    JSON.stringify(told),
  );
  clock.set('2026-11-23T10:00:00Z');
});

test('access: only the scheme matches; a stranger cannot refer or read; a declined referral ends with its reason', async () => {
  const p = await person();
  assert.equal((await call('GET', `/people/${p}/mentoring`, 'stranger')).status, 403);
  assert.equal(
    (await call('POST', `/people/${p}/mentoring`, 'stranger', { reason: 'x', hopes: 'y', goals: ['z'] })).status,
    403,
  );
  const r = await refer(p);
  assert.equal((await call('POST', `${referralUrl(p, r)}/decline`, 'worker', { reason: 'x', version: 2 })).status, 403);
  const bad = await call('POST', `${referralUrl(p, r)}/decline`, 'lead', { reason: '', version: 2 });
  assert.equal(bad.status, 400);
  const ok = await call('POST', `${referralUrl(p, r)}/decline`, 'lead', {
    reason: 'Already has a youth worker',
    version: 2,
  });
  assert.equal(ok.status, 200, JSON.stringify(ok.body));
  assert.deepEqual(
    [ok.body.referral.status, ok.body.referral.declined_reason],
    ['declined', 'Already has a youth worker'],
  );
  const logged = await db
    .selectFrom('access_log')
    .where('person_id', '=', p)
    .where('purpose', '=', 'mentoring')
    .select('user_id')
    .execute();
  assert.ok(
    logged.some((l) => l.user_id === lead.id),
    'the scheme’s read is logged',
  );
});

test('the API takes the goals as a list, each kept as sent; a goal with a line break is refused by field', async () => {
  const p = await person();
  const broken = await call('POST', `/people/${p}/mentoring`, 'worker', {
    reason: 'Older peers',
    hopes: 'A trusted adult',
    goals: ['Go to college\r\nJoin a club'],
  });
  assert.equal(broken.status, 400);
  assert.match(broken.body.fields.goals, /each be one line/);
  assert.equal((await call('GET', `/people/${p}/mentoring`, 'worker')).body.items.length, 0, 'nothing written');
  const ok = await call('POST', `/people/${p}/mentoring`, 'worker', {
    reason: 'Older peers',
    hopes: 'A trusted adult',
    goals: ['Two  spaces\tand a tab', 'Join a club'],
  });
  assert.equal(ok.status, 201, JSON.stringify(ok.body));
  const got = (await call('GET', `/people/${p}/mentoring`, 'worker')).body.items[0];
  assert.deepEqual(got.goals.map((g: { goal: string }) => g.goal).sort(), ['Join a club', 'Two  spaces\tand a tab']);
});

test('the scheme overview names the young people with open referrals, and logs a read of each', async () => {
  const p = await person();
  await refer(p);
  const b = new Browser(app);
  await b.login(lead.email);
  const page = await b.get('/mentoring');
  assert.equal(page.statusCode, 200);
  const header = await db.selectFrom('people').where('id', '=', p).select('family_name').executeTakeFirstOrThrow();
  assert.ok(page.body.includes(header.family_name), 'named on the overview');
  const logged = await db
    .selectFrom('access_log')
    .where('person_id', '=', p)
    .where('user_id', '=', lead.id)
    .where('purpose', '=', 'mentoring-scheme')
    .select('id')
    .execute();
  assert.equal(logged.length, 1);
});
