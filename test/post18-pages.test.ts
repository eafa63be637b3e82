// The joint transition plan's pages (issue 12 part 8): start early from the record, the plan form (error summary
// naming each field, nothing written, then the success banner), naming the post-18 owner (search, banner), the
// Care Act three-part test and the decision form; the record links to the plan.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { addMonths } from '../src/modules/post18/dates.ts';
import { Browser, fixedClock, personInTeam, seedOrganisation, testApp, testDatabase, userByRole } from './helpers.ts';

const { db } = await testDatabase();
const org = await seedOrganisation(db, 'p18p');
const app = await testApp(db, { now: fixedClock('2026-11-23T10:00:00Z').now });
const worker = userByRole(org, 'social_worker');
const lead = userByRole(org, 'exploitation_lead');

test('a worker starts the plan early, writes it, names the post-18 owner and records the three-part test', async () => {
  const id = await personInTeam(db, {
    authorityId: org.authorityId,
    team: org.teams['dct-north'] as string,
    worker: worker.id,
    caseNumber: 'P18P-1',
    givenName: 'Jo',
    familyName: 'Pages',
    dateOfBirth: addMonths('2026-11-23', -(12 * 16 + 9)),
  });
  const b = new Browser(app);
  await b.login(worker.email);
  const record = await b.get(`/people/${id}`);
  assert.ok(record.body.includes(`/people/${id}/transition-plan`), 'the record links to the plan');
  const base = `/people/${id}/transition-plan`;
  const empty = await b.get(base);
  assert.equal(empty.statusCode, 200, empty.body);
  assert.match(empty.body, /Start the plan now/);
  const start = await b.post(`${base}/start`, {});
  assert.equal(start.statusCode, 303, start.body);
  const started = await b.get(start.headers.location as string);
  assert.match(started.body, /govuk-notification-banner--success[\s\S]*Joint transition plan started/);
  assert.match(started.body, /Nobody is named to hold the case after 18/);

  const form = await b.get(`${base}/plan`);
  assert.equal(form.statusCode, 200, form.body);
  const version = /name="version" value="(\d+)"/.exec(form.body)?.[1] as string;
  const bad = await b.post(`${base}/plan`, { version, at_eighteen: '', views: '' });
  assert.equal(bad.statusCode, 400);
  assert.match(bad.body, /govuk-error-summary/);
  assert.match(bad.body, /Choose who holds the plan before 18/);
  assert.match(bad.body, /Enter what will happen at 18/);
  const row = await db.selectFrom('transition_plans').where('person_id', '=', id).selectAll().executeTakeFirstOrThrow();
  assert.equal(row.at_eighteen, null, 'nothing written on error');
  const saved = await b.post(`${base}/plan`, {
    version,
    pre18_owner_id: worker.id,
    at_eighteen: 'Adult Social Care',
    views: 'Wants to stay local',
  });
  assert.equal(saved.statusCode, 303, saved.body);
  assert.match((await b.get(saved.headers.location as string)).body, /Transition plan saved/);

  const ownerForm = await b.get(`${base}/post18-owner?q=${encodeURIComponent(lead.name.split(' ')[0] as string)}`);
  assert.equal(ownerForm.statusCode, 200, ownerForm.body);
  assert.ok(ownerForm.body.includes(lead.id), 'the search finds the exploitation lead');
  const v2 = /name="version" value="(\d+)"/.exec(ownerForm.body)?.[1] as string;
  const noOwner = await b.post(`${base}/post18-owner`, { version: v2 });
  assert.equal(noOwner.statusCode, 400);
  assert.match(noOwner.body, /Choose where the post-18 owner sits/);
  const named = await b.post(`${base}/post18-owner`, {
    version: v2,
    post18_setting: 'exploitation_hub',
    post18_owner_id: lead.id,
  });
  assert.equal(named.statusCode, 303, named.body);
  const after = await b.get(named.headers.location as string);
  assert.match(after.body, /Post-18 owner named/);
  assert.match(after.body, /Record the Care Act three-part test/);

  const care = await b.get(`${base}/care-act`);
  assert.equal(care.statusCode, 200, care.body);
  const v3 = /name="version" value="(\d+)"/.exec(care.body)?.[1] as string;
  const careBad = await b.post(`${base}/care-act`, { version: v3, impairment: 'yes' });
  assert.equal(careBad.statusCode, 400);
  assert.match(careBad.body, /Enter the evidence for the first part/);
  const decision = await b.get(`${base}/decision`);
  assert.equal(decision.statusCode, 200, decision.body);
});
