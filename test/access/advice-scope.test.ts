// Issue 9 finding 5: an advice giver sees only what they are asked for. Team membership, panel membership, an open
// protocol step or an allocation never opens a record for someone whose only case role is advice giver; their
// advice request still opens (/advice/:requestId). Someone who is also a social worker keeps those relationships.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { sql } from 'kysely';
import type { Db } from '../../src/db/database.ts';
import { capabilitiesOf } from '../../src/domain/roles.ts';
import { loadAuthUser } from '../../src/modules/auth/repository.ts';
import { sha256 } from '../../src/modules/auth/service.ts';
import { ensureDemo } from '../../src/modules/demo/seed.ts';
import { Browser, fixedClock, seedOrganisation, testApp, testConfig, testDatabase } from '../helpers.ts';

const { db } = await testDatabase();
const clock = fixedClock();
const org = await seedOrganisation(db, 'adv');
const app = await testApp(db, { now: clock.now });
const owner = org.users.find((u) => u.role === 'social_worker')!;
const serviceId = (
  await db.selectFrom('services').where('authority_id', '=', org.authorityId).select('id').executeTakeFirstOrThrow()
).id;

async function user(roles: string[], tag: string) {
  const row = await db
    .insertInto('users')
    .values({
      authority_id: org.authorityId,
      email: `${tag}@adv.test.example`,
      display_name: `Advice ${tag}`,
      roles,
      password_hash: (
        await db.selectFrom('users').where('id', '=', owner.id).select('password_hash').executeTakeFirstOrThrow()
      ).password_hash,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const token = `hov_${randomBytes(16).toString('hex')}`;
  await db
    .insertInto('api_tokens')
    .values({ user_id: row.id, token_hash: sha256(token), label: 'advice' })
    .execute();
  return { id: row.id, email: `${tag}@adv.test.example`, token };
}

/** A case someone else holds, with every relationship the advice giver could have to it bar allocation. */
async function caseAround(db: Db, u: { id: string }, tag: string) {
  const team = await db
    .insertInto('teams')
    .values({ authority_id: org.authorityId, service_id: serviceId, name: `Health team ${tag}` })
    .returning('id')
    .executeTakeFirstOrThrow();
  await db.insertInto('team_members').values({ team_id: team.id, user_id: u.id }).execute();
  const person = await db
    .insertInto('people')
    .values({
      authority_id: org.authorityId,
      case_number: `ADV-${tag.toUpperCase()}`,
      given_name: 'Scoped',
      family_name: `Person${tag}`,
      date_of_birth: '2011-04-01',
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  for (const [teamId, workerId] of [
    [org.teams.cic as string, owner.id],
    [team.id, null],
  ] as const)
    await db
      .insertInto('involvements')
      .values({
        authority_id: org.authorityId,
        person_id: person.id,
        team_id: teamId,
        worker_id: workerId,
        reason: 'advice scope',
        start_date: '2026-01-01',
      })
      .execute();
  const panel = await db
    .insertInto('panels')
    .values({ authority_id: org.authorityId, kind: 'forum', name: 'Forum', pseudonymised: false })
    .onConflict((oc) => oc.columns(['authority_id', 'kind']).doUpdateSet({ name: 'Forum' }))
    .returning('id')
    .executeTakeFirstOrThrow();
  await db.insertInto('panel_members').values({ panel_id: panel.id, user_id: u.id, area: 'health' }).execute();
  await db
    .insertInto('panel_items')
    .values({
      authority_id: org.authorityId,
      panel_id: panel.id,
      person_id: person.id,
      source: 'referral_form',
      question: 'advice scope',
    })
    .execute();
  const version = await db.selectFrom('protocol_versions').select(['protocol_id', 'version']).executeTakeFirstOrThrow();
  const instance = await db
    .insertInto('protocol_instances')
    .values({
      authority_id: org.authorityId,
      person_id: person.id,
      involvement_id: null,
      protocol_id: version.protocol_id,
      protocol_version: version.version,
      result: null,
      current_step_id: null,
      started_by: owner.id,
      started_at: clock.now(),
      ended_at: null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await db
    .insertInto('protocol_steps')
    .values({
      authority_id: org.authorityId,
      instance_id: instance.id,
      person_id: person.id,
      step_key: 'advice-scope',
      entered_at: clock.now(),
      entered_on: '2026-11-23',
      due_date: null,
      due_rule: null,
      owner_user_id: u.id,
      owner_team_id: null,
      owner_role: null,
      owner_service_id: null,
      owner_label: 'advice scope',
      outcome: null,
      decision: null,
      decided_by: null,
      decided_at: null,
    })
    .execute();
  const assessment = await db
    .insertInto('ehcp_assessments')
    .values({ authority_id: org.authorityId, person_id: person.id, request_date: '2026-10-01', requested_by: 'parent' })
    .returning('id')
    .executeTakeFirstOrThrow();
  const request = await db
    .insertInto('ehcp_advice_requests')
    .values({
      authority_id: org.authorityId,
      assessment_id: assessment.id,
      person_id: person.id,
      kind: 'health',
      giver_user_id: u.id,
      responsible_user_id: u.id,
      question: 'What are the health needs?',
      requested_date: '2026-10-01',
      due_date: '2026-11-12',
      due_rule: 'advice scope',
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { personId: person.id, requestId: request.id, caseNumber: `ADV-${tag.toUpperCase()}` };
}

async function reach(
  u: { email: string; token: string },
  c: { personId: string; requestId: string; caseNumber: string },
) {
  const b = new Browser(app);
  await b.login(u.email);
  const api = (method: 'GET' | 'POST', url: string, payload?: object) =>
    app.inject({
      method,
      url,
      headers: { authorization: `Bearer ${u.token}`, accept: 'application/json' },
      ...(payload ? { payload } : {}),
    });
  await b.get('/people/search');
  const searchPage = await b.post('/people/search', { case_number: c.caseNumber });
  const searchApi = await api('POST', '/api/v1/people/search', { case_number: c.caseNumber });
  return {
    recordPage: (await b.get(`/people/${c.personId}`)).statusCode,
    recordApi: (await api('GET', `/api/v1/people/${c.personId}`)).statusCode,
    searchPageFinds: searchPage.statusCode === 200 && searchPage.body.includes(`/people/${c.personId}`),
    searchApiFinds: (searchApi.json() as { items: { id: string }[] }).items.some((p) => p.id === c.personId),
    listApiFinds: ((await api('GET', '/api/v1/people')).json() as { items: { id: string }[] }).items.some(
      (p) => p.id === c.personId,
    ),
    advicePage: (await b.get(`/advice/${c.requestId}`)).statusCode,
    adviceApi: (await api('GET', `/api/v1/advice-requests/${c.requestId}`)).statusCode,
  };
}

test('an advice giver in an involved team, on the panel and owning a step cannot open the record, find it, or list it; their advice request still opens', async () => {
  const giver = await user(['advice_giver'], 'giver');
  const c = await caseAround(db, giver, 'g');
  const r = await reach(giver, c);
  assert.ok([403, 404].includes(r.recordPage), `record page → ${r.recordPage}`);
  assert.ok([403, 404].includes(r.recordApi), `record API → ${r.recordApi}`);
  assert.equal(r.searchPageFinds, false, 'search page finds the case');
  assert.equal(r.searchApiFinds, false, 'search API finds the case');
  assert.equal(r.listApiFinds, false, 'people list API shows the case');
  assert.equal(r.advicePage, 200, 'advice request page');
  assert.equal(r.adviceApi, 200, 'advice request API');
});

test('an advice giver who is also a social worker keeps the social worker relationships', async () => {
  const both = await user(['advice_giver', 'social_worker'], 'both');
  const c = await caseAround(db, both, 'b');
  const r = await reach(both, c);
  assert.deepEqual(r, {
    recordPage: 200,
    recordApi: 200,
    searchPageFinds: true,
    searchApiFinds: true,
    listApiFinds: true,
    advicePage: 200,
    adviceApi: 200,
  });
});

test('in the small demo, advice givers open 0 records (the issue counted 10)', async () => {
  const demoDb = (await testDatabase({ demo: true })).db;
  await ensureDemo(demoDb, { config: testConfig(), now: clock.now });
  const givers = await demoDb
    .selectFrom('users')
    .where(sql<boolean>`roles = array['advice_giver']::text[]`)
    .select('id')
    .execute();
  assert.ok(givers.length > 0, 'the demo has advice givers');
  const demoApp = await testApp(demoDb, { now: clock.now });
  let opened = 0;
  let requests = 0;
  for (const g of givers) {
    const u = (await loadAuthUser(demoDb, g.id))!;
    const auth = { ...u, authorityId: u.authority_id, displayName: u.display_name, caps: capabilitiesOf(u.roles) };
    opened += (await demoApp.services.people.search(auth, {}, 100_000)).length;
    requests += (
      await demoDb.selectFrom('ehcp_advice_requests').where('giver_user_id', '=', g.id).select('id').execute()
    ).length;
  }
  assert.ok(requests > 0, 'the demo addresses advice requests to them');
  assert.equal(opened, 0);
});
