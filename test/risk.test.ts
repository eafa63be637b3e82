// The single view of risk (issue 12 part 9): every section from real rows, one access-log row per read (page and
// API), the screenings chart with its table; a partner (a police officer on a named-case panel with the young
// person on its agenda) adds an entry under their own agency; without that relationship they are refused.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { screeningChart, trendWords } from '../src/modules/risk/chart.ts';
import { Browser, userByRole } from './helpers.ts';
import { notesSetup } from './notes-setup.ts';

const { db, app, org, worker, person, workerApi, accessRows } = await notesSetup('rsk');
const police = userByRole(org, 'panel_member');
const A = org.authorityId;

async function screening(personId: string, on: string, level: string, confirmed: boolean) {
  const rank = ['low', 'medium', 'high'].indexOf(level);
  await db
    .insertInto('screenings')
    .values({
      authority_id: A,
      person_id: personId,
      instrument_id: 'child-exploitation',
      instrument_version: 1,
      screened_on: on,
      age_at_screening: 15,
      send_or_learning_disability: false,
      answers: JSON.stringify({}),
      suggested_level: level,
      proposed_level: level,
      proposed_rank: rank,
      proposed_by: worker.id,
      confirmed_level: confirmed ? level : null,
      confirmed_rank: confirmed ? rank : null,
      confirmed_by: confirmed ? worker.id : null,
      review_due: '2027-02-20',
    })
    .execute();
}

/** A named-case panel with the police officer on it, and the young person on its agenda with a decision. */
async function onAgenda(personId: string) {
  const panel =
    (await db
      .selectFrom('panels')
      .where('authority_id', '=', A)
      .where('kind', '=', 'forum')
      .select('id')
      .executeTakeFirst()) ??
    (await db
      .insertInto('panels')
      .values({ authority_id: A, kind: 'forum', name: 'Exploitation meeting', pseudonymised: false })
      .returning('id')
      .executeTakeFirstOrThrow());
  await db
    .insertInto('panel_members')
    .values({ panel_id: panel.id, user_id: police.id, area: 'specialist' })
    .onConflict((oc) => oc.doNothing())
    .execute();
  const meeting = await db
    .insertInto('panel_meetings')
    .values({ authority_id: A, panel_id: panel.id, meeting_date: '2026-11-18' })
    .returning('id')
    .executeTakeFirstOrThrow();
  const item = await db
    .insertInto('panel_items')
    .values({
      authority_id: A,
      panel_id: panel.id,
      meeting_id: meeting.id,
      person_id: personId,
      source: 'referral_form',
      question: 'Is she being groomed at the station?',
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const decision = await db
    .insertInto('panel_decisions')
    .values({
      authority_id: A,
      item_id: item.id,
      meeting_id: meeting.id,
      decision: 'Disruption plan at the station',
      decided_by: worker.id,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return decision.id;
}

async function fullRecord() {
  const id = await person();
  await screening(id, '2026-06-01', 'low', true);
  await screening(id, '2026-11-20', 'high', false);
  await db
    .insertInto('risk_events')
    .values({
      authority_id: A,
      person_id: id,
      kind: 'missing_episode',
      occurred_on: '2026-11-10',
      returned_on: '2026-11-11',
      return_interview: 'offered_declined',
      details: 'Found in the next town',
      recorded_by: worker.id,
    })
    .execute();
  const place = await db
    .insertInto('places')
    .values({ authority_id: A, name: 'Station car park', area: 'Trowbridge', kind: 'transport', created_by: worker.id })
    .returning('id')
    .executeTakeFirstOrThrow();
  await db
    .insertInto('place_people')
    .values({ authority_id: A, place_id: place.id, person_id: id, linked_by: worker.id })
    .execute();
  const group = await db
    .insertInto('peer_groups')
    .values({ authority_id: A, name: 'Park group', area: 'Trowbridge', created_by: worker.id })
    .returning('id')
    .executeTakeFirstOrThrow();
  await db
    .insertInto('peer_group_people')
    .values({ authority_id: A, peer_group_id: group.id, person_id: id, linked_by: worker.id })
    .execute();
  const poc = await db
    .insertInto('persons_of_concern')
    .values({
      authority_id: A,
      name: 'Adult Z',
      aliases: 'Zed',
      description: 'Drives her about',
      created_by: worker.id,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await db
    .insertInto('concern_links')
    .values({ authority_id: A, person_of_concern_id: poc.id, person_id: id, linked_by: worker.id })
    .execute();
  await db
    .insertInto('person_statuses')
    .values({ authority_id: A, person_id: id, status: 'sen_support', start_date: '2025-09-01' })
    .execute();
  const decisionId = await onAgenda(id);
  return { id, decisionId };
}

test('the single view shows each section from real rows and logs one read', async () => {
  const { id } = await fullRecord();
  const b = new Browser(app);
  await b.login(worker.email);
  const before = (await accessRows(id, 'risk-view')).length;
  const page = await b.get(`/people/${id}/risk`);
  assert.equal(page.statusCode, 200, page.body.slice(0, 400));
  assert.equal((await accessRows(id, 'risk-view')).length, before + 1);
  for (const text of [
    /<svg class="app-risk-chart"[^>]*role="img"/,
    /2 screenings\. First Low on 2026-06-01; latest High on 2026-11-20; the level has risen\./,
    /High \(proposed\)/,
    /Low \(confirmed\)/,
    /Missing episode<\/strong>, 10 November 2026, returned 11 November 2026/,
    /Station car park, Trowbridge/,
    /Park group, Trowbridge/,
    /Adult Z \(also known as Zed\): Drives her about/,
    /<\/strong>, meeting of 18 November 2026: Is she being groomed at the station\?/,
    /Decided: Disruption plan at the station/,
    /SEN support: from 1 September 2025 \(open\)/,
  ])
    assert.match(page.body, text);
  const record = await b.get(`/people/${id}`);
  assert.match(record.body, new RegExp(`href="/people/${id}/risk"`));

  const api = await app.inject({ method: 'GET', url: `/api/v1/people/${id}/risk`, headers: workerApi });
  assert.equal(api.statusCode, 200, api.body);
  const v = api.json();
  assert.equal(v.screenings.length, 2);
  assert.equal(v.events[0].kind, 'missing_episode');
  assert.equal(v.places[0].name, 'Station car park');
  assert.equal(v.meetings[0].decisions[0].decision, 'Disruption plan at the station');
  assert.equal(v.statuses[0].status, 'sen_support');
  assert.equal((await accessRows(id, 'risk-view')).filter((r) => r.channel === 'api').length, 1);
});

test('a partner on the meeting adds an entry under their agency; without the relationship they are refused', async () => {
  const { id } = await fullRecord();
  const stranger = await person();
  const b = new Browser(app);
  await b.login(police.email);
  const form = await b.get(`/people/${id}/risk/entries/new`);
  assert.equal(form.statusCode, 200, form.body.slice(0, 300));
  const bad = await b.post(`/people/${id}/risk/entries`, { what: '' });
  assert.equal(bad.statusCode, 400);
  assert.match(bad.body, /Enter what happened or what is known/);
  assert.match(bad.body, /Choose whether this is evidence or intelligence/);
  assert.match(bad.body, /govuk-input--error/);
  const saved = await b.post(`/people/${id}/risk/entries`, {
    'occurred_on-day': '21',
    'occurred_on-month': '11',
    'occurred_on-year': '2026',
    what: 'Seen in a car with Adult Z at 2am',
    source: 'intelligence',
  });
  assert.equal(saved.statusCode, 303, saved.body.slice(0, 400));
  const view = await b.get(`/people/${id}/risk?saved=entry`);
  assert.match(view.body, /Entry added to the single view of risk/);
  assert.match(
    view.body,
    /<strong>[^<]+<\/strong>, 21 November 2026 \(intelligence\): Seen in a car with Adult Z at 2am/,
  );
  const row = await db
    .selectFrom('risk_partner_entries')
    .where('person_id', '=', id)
    .selectAll()
    .executeTakeFirstOrThrow();
  assert.equal(row.recorded_by, police.id);
  assert.notEqual(row.agency, 'Agency not recorded');
  const audit = await db.selectFrom('audit_log').where('entity_id', '=', row.id).select(['action', 'entity']).execute();
  assert.deepEqual(audit, [{ action: 'create', entity: 'risk_partner_entry' }]);

  const refused = await b.post(`/people/${stranger}/risk/entries`, {
    'occurred_on-day': '21',
    'occurred_on-month': '11',
    'occurred_on-year': '2026',
    what: 'x',
    source: 'evidence',
  });
  assert.equal(refused.statusCode, 403);
  assert.equal((await b.get(`/people/${stranger}/risk`)).statusCode, 403);
  const unknown = await b.get('/people/00000000-0000-4000-8000-000000000000/risk');
  assert.equal(unknown.statusCode, 404);
  assert.equal(
    (await db.selectFrom('risk_partner_entries').where('person_id', '=', stranger).selectAll().execute()).length,
    0,
  );
});

test('the chart: points at their levels, a description in words, nothing without screenings', () => {
  assert.equal(screeningChart([]), '');
  assert.equal(trendWords([]), 'No screenings yet.');
  const svg = screeningChart([
    { screened_on: '2026-01-01', level: 'high', rank: 2, confirmed: true },
    { screened_on: '2026-05-01', level: 'low', rank: 0, confirmed: false },
  ]);
  assert.match(svg, /<title id="risk-chart-title">Screening levels over time<\/title>/);
  assert.match(svg, /the level has fallen/);
  assert.equal((svg.match(/<circle/g) ?? []).length, 2);
  assert.match(svg, /fill="#ffffff"/, 'a proposed level is an open point');
});
