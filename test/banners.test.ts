// Issue 11 defect 8: every save on the transfer, plan, panel and EHCP pages ends on the GOV.UK success banner
// (redirect with ?saved=<key>); only the module's own words are shown, never text from the address.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Browser, fixedClock, seedOrganisation, testApp, testDatabase, userByRole } from './helpers.ts';

const { db } = await testDatabase();
const org = await seedOrganisation(db, 'ban');
const app = await testApp(db, { now: fixedClock('2026-11-23T10:00:00Z').now });
const tm = userByRole(org, 'team_manager');
const sw = userByRole(org, 'social_worker');
const chair = userByRole(org, 'forum_chair');
const BANNER = /govuk-notification-banner--success/;

/** Follows a save's redirect: its address carries the key; the page shows the banner with `words`. */
async function banner(
  b: Browser,
  res: { statusCode: number; headers: Record<string, unknown>; body: string },
  key: string,
  words: RegExp,
) {
  assert.equal(res.statusCode, 303, res.body.slice(0, 300));
  const to = String(res.headers.location);
  assert.match(to, new RegExp(`[?&]saved=${key}(#|$)`), to);
  const page = await b.get(to);
  assert.match(page.body, BANNER, to);
  assert.match(page.body, words, to);
}

test('each step of a transfer ends on its banner; an unknown key shows none', async () => {
  const p = await db
    .insertInto('people')
    .values({
      authority_id: org.authorityId,
      case_number: 'BN-1',
      given_name: 'Ada',
      family_name: 'Banner',
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
  const m = new Browser(app);
  await m.login(tm.email);
  const w = new Browser(app);
  await w.login(sw.email);
  const made = await m.post(`/people/${p.id}/transfers`, {
    involvement_id: inv.id,
    to_team_id: org.teams.ypt as string,
    reason: 'Turned 16',
  });
  await banner(m, made, 'requested', /Transfer decision recorded/);
  const url = String(made.headers.location).split('?')[0] as string;
  const summary = {
    summary_updated_information: 'Settled',
    summary_important_dates: 'None',
    summary_urgent_actions: 'None',
  };
  await banner(w, await w.post(`${url}/summary`, summary), 'summary', /Transfer summary saved/);
  await banner(m, await m.post(`${url}/sign-off`, {}), 'sign-off', /Transfer summary signed off/);
  await banner(
    m,
    await m.post(`${url}/quality-assurance`, { qa_notes: 'Checked', qa_confirm: 'yes' }),
    'quality-assurance',
    /Quality assurance of the file recorded/,
  );
  await banner(w, await w.post(`${url}/notices`, {}), 'notices', /Written notices sent/);
  await banner(
    w,
    await w.post(`${url}/meeting`, { meeting_held: 'no', meeting_not_possible_reason: 'Carer away' }),
    'meeting',
    /Handover meeting recorded/,
  );
  await banner(m, await m.post(`${url}/send`, {}), 'send', /Transfer sent to the receiving team/);
  const odd = await m.get(`${url}?saved=%3Cscript%3Ealert(1)%3C%2Fscript%3E`);
  assert.doesNotMatch(odd.body, BANNER, 'an unknown key shows no banner');
  assert.ok(!odd.body.includes('alert(1)'), 'nothing from the address is shown');
});

test('panel saves end on their banners: panels set up, meeting planned, minutes saved', async () => {
  const c = new Browser(app);
  await c.login(chair.email);
  await banner(c, await c.post('/panels', {}), 'panels', /Panels set up/);
  const forum = await db
    .selectFrom('panels')
    .where('authority_id', '=', org.authorityId)
    .where('kind', '=', 'forum')
    .select('id')
    .executeTakeFirstOrThrow();
  const planned = await c.post(`/panels/${forum.id}/meetings`, {
    'meeting_date-day': '23',
    'meeting_date-month': '11',
    'meeting_date-year': '2026',
  });
  await banner(c, planned, 'meeting', /Meeting planned/);
  const meetingUrl = String(planned.headers.location).split('?')[0] as string;
  const v = await db
    .selectFrom('panel_meetings')
    .where('panel_id', '=', forum.id)
    .select('version')
    .executeTakeFirstOrThrow();
  await banner(
    c,
    await c.post(`${meetingUrl}/minutes`, { minutes: 'All attended', version: String(v.version) }),
    'minutes',
    /Minutes saved/,
  );
});
