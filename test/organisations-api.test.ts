// Setting up a council through the JSON API (/api/v1): the same rules as the pages, JSON errors naming
// the field, scoping to the caller's own council, and the OpenAPI description. Real database, no mocks.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Db } from '../src/db/database.ts';
import { AuthService } from '../src/modules/auth/service.ts';
import { Browser, fixedClock, seedOrganisation, testApp, testConfig, testDatabase, userByRole } from './helpers.ts';

const clock = fixedClock();
const { db } = await testDatabase();
const org = await seedOrganisation(db, 'api');
const other = await seedOrganisation(db, 'far');
const app = await testApp(db, { now: clock.now });
const auth = new AuthService(db, testConfig(), clock.now);

async function tokenFor(email: string) {
  const created = await auth.createApiToken(email, 'organisations test');
  assert.ok(created, `a token for ${email}`);
  return created.token;
}

const adminToken = await tokenFor(userByRole(org, 'admin').email);
const workerToken = await tokenFor(userByRole(org, 'social_worker').email);
const otherAdminToken = await tokenFor(userByRole(other, 'admin').email);

function call(method: 'GET' | 'POST' | 'PUT' | 'PATCH', url: string, token: string, payload?: unknown) {
  return app.inject({
    method,
    url,
    headers: { authorization: `Bearer ${token}`, ...(payload ? { 'content-type': 'application/json' } : {}) },
    ...(payload ? { payload: JSON.stringify(payload) } : {}),
  });
}

type Table = 'services' | 'localities' | 'hubs' | 'teams' | 'users' | 'team_members' | 'audit_log';
async function counts(database: Db) {
  const tables: Table[] = ['services', 'localities', 'hubs', 'teams', 'users', 'team_members', 'audit_log'];
  const out: Record<string, number> = {};
  for (const t of tables) {
    const row = await database
      .selectFrom(t)
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    out[t] = Number(row.n);
  }
  return out;
}

describe('the organisations API', () => {
  test('create and list round-trip: service, locality, hub, team, user', async () => {
    let res = await call('GET', '/api/v1/authority', adminToken);
    assert.equal(res.statusCode, 200);
    assert.equal(res.json().id, org.authorityId);

    res = await call('POST', '/api/v1/services', adminToken, {
      name: 'Eastshire Academy Trust',
      kind: 'school',
      organisation: 'Eastshire Academy Trust',
      external: true,
    });
    assert.equal(res.statusCode, 201, res.body);
    const serviceId = res.json().id as string;

    res = await call('POST', '/api/v1/localities', adminToken, { name: 'Moorland Locality' });
    assert.equal(res.statusCode, 201, res.body);
    const localityId = res.json().id as string;

    res = await call('POST', '/api/v1/hubs', adminToken, {
      name: 'SEND Support Hub: Moorside',
      locality_id: localityId,
    });
    assert.equal(res.statusCode, 201, res.body);
    const hubId = res.json().id as string;

    res = await call('POST', '/api/v1/teams', adminToken, {
      name: 'Moorland Inclusion Team',
      service_id: serviceId,
      remit_min_age: 4,
      remit_max_age: 19,
      remit_case_types: ['sen_support', 'ehcp'],
      locality_id: localityId,
      hub_id: hubId,
    });
    assert.equal(res.statusCode, 201, res.body);
    const teamId = res.json().id as string;

    const manager = userByRole(org, 'send_manager');
    res = await call('POST', '/api/v1/users', adminToken, {
      email: 'inclusion.lead@api.test.example',
      display_name: 'Ines Inclusion-Lead',
      job_title: 'Inclusion Lead',
      roles: ['send_manager', 'advice_giver'],
      team_ids: [teamId],
      line_manager_id: manager.id,
      password: 'moorland inclusion passphrase',
    });
    assert.equal(res.statusCode, 201, res.body);
    const userId = res.json().id as string;

    // Any signed-in member of staff can read the lists they pick teams from.
    res = await call('GET', '/api/v1/services', workerToken);
    assert.equal(res.statusCode, 200);
    assert.deepEqual(
      res.json().items.find((s: { id: string }) => s.id === serviceId),
      {
        id: serviceId,
        name: 'Eastshire Academy Trust',
        kind: 'school',
        organisation: 'Eastshire Academy Trust',
        external: true,
        version: 1,
      },
    );
    res = await call('GET', '/api/v1/localities', workerToken);
    const moorland = res.json().items.find((l: { id: string }) => l.id === localityId);
    assert.deepEqual(moorland, {
      id: localityId,
      name: 'Moorland Locality',
      hubs: [{ id: hubId, name: 'SEND Support Hub: Moorside' }],
      teams: [{ id: teamId, name: 'Moorland Inclusion Team' }],
    });
    res = await call('GET', '/api/v1/hubs', workerToken);
    assert.deepEqual(
      res.json().items.find((h: { id: string }) => h.id === hubId),
      { id: hubId, name: 'SEND Support Hub: Moorside', locality_id: localityId, locality_name: 'Moorland Locality' },
    );
    res = await call('GET', '/api/v1/teams', workerToken);
    assert.equal(res.statusCode, 200);
    const team = res.json().items.find((t: { id: string }) => t.id === teamId);
    assert.deepEqual(team, {
      id: teamId,
      name: 'Moorland Inclusion Team',
      service_id: serviceId,
      service_name: 'Eastshire Academy Trust',
      remit_min_age: 4,
      remit_max_age: 19,
      remit_case_types: ['sen_support', 'ehcp'],
      remit: 'ages 4–19; SEN support, EHC plan',
      locality_id: localityId,
      locality_name: 'Moorland Locality',
      hub_id: hubId,
      hub_name: 'SEND Support Hub: Moorside',
      member_count: 1,
      version: 1,
    });
    res = await call('GET', `/api/v1/teams/${teamId}`, workerToken);
    assert.equal(res.statusCode, 200);
    assert.deepEqual(res.json().members, [
      {
        id: userId,
        display_name: 'Ines Inclusion-Lead',
        job_title: 'Inclusion Lead',
        roles: ['send_manager', 'advice_giver'],
        active: true,
      },
    ]);

    res = await call('GET', '/api/v1/users', adminToken);
    assert.equal(res.statusCode, 200);
    assert.doesNotMatch(res.body, /password|argon2/);
    const ines = res.json().items.find((u: { id: string }) => u.id === userId);
    assert.deepEqual(ines, {
      id: userId,
      email: 'inclusion.lead@api.test.example',
      display_name: 'Ines Inclusion-Lead',
      job_title: 'Inclusion Lead',
      phone: null,
      roles: ['send_manager', 'advice_giver'],
      team_ids: [teamId],
      line_manager_id: manager.id,
      line_manager_name: manager.name,
      active: true,
      version: 1,
    });
    assert.equal(
      res.json().items.length,
      org.users.length + 1,
      'only this council’s users: the seed’s and the one added',
    );

    // The new user can sign in with the initial password.
    const browser = new Browser(app);
    await browser.login('inclusion.lead@api.test.example', 'moorland inclusion passphrase');
    assert.match((await browser.get('/')).body, /Ines Inclusion-Lead/);

    // One audit row per change, by the administrator.
    const audit = await db
      .selectFrom('audit_log')
      .where('entity_id', 'in', [serviceId, localityId, hubId, teamId, userId])
      .orderBy('seq')
      .select(['entity', 'action', 'actor_id'])
      .execute();
    assert.deepEqual(
      audit.map((a) => `${a.action} ${a.entity}`),
      ['create service', 'create locality', 'create hub', 'create team', 'create user'],
    );
    assert.ok(audit.every((a) => a.actor_id === userByRole(org, 'admin').id));
  });

  test('bad input is a 400 naming each field, and nothing is written', async () => {
    const before = await counts(db);
    let res = await call('POST', '/api/v1/teams', adminToken, {
      name: 'Backwards Team',
      service_id: org.teams.ypt, // a team's id, not a service's
      remit_min_age: 18,
      remit_max_age: 16,
    });
    assert.equal(res.statusCode, 400);
    assert.deepEqual(res.json().fields, {
      service_id: 'Choose the service the team belongs to',
      remit_max_age: 'Oldest age must be the same as or more than the youngest age (18)',
    });
    res = await call('POST', '/api/v1/teams', adminToken, {
      name: 'Ageless',
      service_id: org.teams.ypt,
      remit_max_age: 30,
    });
    assert.equal(res.statusCode, 400);
    assert.ok(res.json().fields.remit_max_age, 'the schema names the field');
    res = await call('POST', '/api/v1/users', adminToken, {
      email: 'weak@api.test.example',
      display_name: 'Weak Password',
      roles: ['social_worker'],
      password: 'password123',
    });
    assert.equal(res.statusCode, 400);
    assert.match(res.json().fields.password, /Password must be at least 12 characters/);
    res = await call('POST', '/api/v1/users', adminToken, {
      email: 'common@api.test.example',
      display_name: 'Common Password',
      roles: ['social_worker'],
      password: 'Administrator',
    });
    assert.equal(res.statusCode, 400);
    assert.match(res.json().fields.password, /at least 12 characters|too common/);
    res = await call('POST', '/api/v1/services', adminToken, { name: "Children's Social Care", kind: 'childrens' });
    assert.equal(res.statusCode, 400);
    assert.deepEqual(res.json().fields, { name: 'A service with this name already exists: choose a different name' });
    res = await call('POST', '/api/v1/hubs', adminToken, { name: 'Orphan Hub', locality_id: other.localityIds[0] });
    assert.equal(res.statusCode, 400);
    assert.deepEqual(res.json().fields, { locality_id: 'Choose the locality the hub belongs to' });
    res = await call('POST', '/api/v1/services', adminToken, { name: 'Witchcraft', kind: 'wizards' });
    assert.equal(res.statusCode, 400);
    assert.ok(res.json().fields.kind);
    // The API reads the same declarations as the pages, so it gets the pages' messages.
    res = await call('POST', '/api/v1/localities', adminToken, { name: '  ' });
    assert.equal(res.statusCode, 400);
    assert.deepEqual(res.json().fields, { name: 'Enter the locality’s name, for example North Devon' });
    res = await call('POST', '/api/v1/services', adminToken, { name: 'Outside', kind: 'health', external: true });
    assert.equal(res.statusCode, 400);
    assert.deepEqual(res.json().fields, {
      organisation: 'Enter the outside organisation it belongs to, for example Devon Partnership NHS Trust',
    });
    const sw = userByRole(org, 'social_worker').id;
    res = await call('PATCH', `/api/v1/users/${sw}`, adminToken, { display_name: ' ', phone: 'call me', version: 1 });
    assert.equal(res.statusCode, 400);
    assert.deepEqual(res.json().fields, {
      display_name: 'Enter the person’s full name',
      phone: 'Enter a phone number, like 01632 960 001 or +44 7700 900 982',
    });
    res = await call('PATCH', `/api/v1/users/${sw}`, adminToken, {});
    assert.equal(res.statusCode, 400, 'a change with nothing in it');
    res = await call('PATCH', `/api/v1/users/${sw}`, adminToken, { email: 'new@api.test.example' });
    assert.equal(res.statusCode, 400, 'the email is not changed through PATCH');
    assert.deepEqual(await counts(db), before);
  });

  test('PATCH a user: roles and teams; a line-manager loop is refused; deactivation revokes at once', async () => {
    const tm = userByRole(org, 'team_manager'); // managed by the service manager; manages the social worker
    const sw = userByRole(org, 'social_worker');
    const sm = userByRole(org, 'service_manager');

    let res = await call('PATCH', `/api/v1/users/${sm.id}`, adminToken, { line_manager_id: sw.id, version: 1 });
    assert.equal(res.statusCode, 400);
    assert.match(res.json().fields.line_manager_id, /cannot be Helen Service-Manager’s line manager/);
    assert.equal(
      (await db.selectFrom('users').where('id', '=', sm.id).select('line_manager_id').executeTakeFirstOrThrow())
        .line_manager_id,
      null,
    );

    res = await call('PATCH', `/api/v1/users/${tm.id}`, adminToken, {
      roles: ['team_manager', 'send_manager'],
      team_ids: [org.teams['dct-north'] as string, org.teams['dct-south'] as string],
      version: 1,
    });
    assert.equal(res.statusCode, 200, res.body);
    assert.deepEqual(res.json().roles, ['team_manager', 'send_manager']);
    assert.deepEqual(
      [...res.json().team_ids].sort(),
      [org.teams['dct-north'] as string, org.teams['dct-south'] as string].sort(),
    );
    assert.equal(res.json().line_manager_id, sm.id, 'fields not sent are unchanged');

    // The worker is signed in and has a token; deactivating through the API ends both at once.
    const worker = new Browser(app);
    await worker.login(sw.email);
    assert.equal((await worker.get('/')).statusCode, 200);
    assert.equal((await call('GET', '/api/v1/teams', workerToken)).statusCode, 200);
    res = await call('PATCH', `/api/v1/users/${sw.id}`, adminToken, { active: false, version: 1 });
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(res.json().active, false);
    assert.equal((await call('GET', '/api/v1/teams', workerToken)).statusCode, 401);
    const next = await worker.get('/');
    assert.equal(next.statusCode, 302);
    assert.equal(next.headers.location, '/login');
    const last = await db
      .selectFrom('audit_log')
      .where('entity', '=', 'user')
      .where('entity_id', '=', sw.id)
      .orderBy('seq', 'desc')
      .select(['action', 'detail'])
      .executeTakeFirstOrThrow();
    assert.equal(last.action, 'deactivate');
    assert.deepEqual(last.detail, { changed: ['active'], sessions_ended: 1, tokens_revoked: 1 });
  });

  test('a social worker can read the lists but not change them (403)', async () => {
    const serviceId = (
      await db.selectFrom('services').where('authority_id', '=', org.authorityId).select('id').executeTakeFirstOrThrow()
    ).id;
    const nurse = await tokenFor(userByRole(org, 'ehcp_coordinator').email);
    const before = await counts(db);
    assert.equal((await call('GET', '/api/v1/teams', nurse)).statusCode, 200);
    for (const [method, url, body] of [
      ['POST', '/api/v1/teams', { name: 'Rogue Team', service_id: serviceId }],
      ['POST', '/api/v1/services', { name: 'Rogue Service', kind: 'adult' }],
      ['POST', '/api/v1/localities', { name: 'Rogue Locality' }],
      ['PATCH', '/api/v1/authority', { name: 'Rogue Council' }],
      ['GET', '/api/v1/users', undefined],
      ['PATCH', `/api/v1/users/${userByRole(org, 'admin').id}`, { active: false }],
    ] as const) {
      const res = await call(method, url, nurse, body);
      assert.equal(res.statusCode, 403, `${method} ${url}`);
    }
    assert.deepEqual(await counts(db), before);
  });

  test("another council's administrator cannot see or change this council's records (404)", async () => {
    const before = await counts(db);
    const teamId = org.teams.ypt as string;
    assert.equal((await call('GET', `/api/v1/teams/${teamId}`, otherAdminToken)).statusCode, 404);
    const theirTeams = (await call('GET', '/api/v1/teams', otherAdminToken)).json().items as { id: string }[];
    assert.ok(!theirTeams.some((t) => t.id === teamId));
    const serviceId = (
      await db.selectFrom('services').where('authority_id', '=', org.authorityId).select('id').executeTakeFirstOrThrow()
    ).id;
    let res = await call('PUT', `/api/v1/teams/${teamId}`, otherAdminToken, { name: 'Taken', service_id: serviceId });
    assert.equal(res.statusCode, 404);
    res = await call('PUT', `/api/v1/services/${serviceId}`, otherAdminToken, { name: 'Taken', kind: 'adult' });
    assert.equal(res.statusCode, 404);
    res = await call('PATCH', `/api/v1/users/${userByRole(org, 'team_manager').id}`, otherAdminToken, {
      active: false,
    });
    assert.equal(res.statusCode, 404);
    // Building on this council's service or putting a user in its team is a field error, not a write.
    res = await call('POST', '/api/v1/teams', otherAdminToken, { name: 'Borrowed', service_id: serviceId });
    assert.equal(res.statusCode, 400);
    assert.deepEqual(res.json().fields, { service_id: 'Choose the service the team belongs to' });
    res = await call('PATCH', `/api/v1/users/${userByRole(other, 'social_worker').id}`, otherAdminToken, {
      team_ids: [teamId],
      version: 1,
    });
    assert.equal(res.statusCode, 400);
    assert.deepEqual(res.json().fields, { team_ids: 'Choose teams from the list' });
    res = await call('PATCH', `/api/v1/users/${userByRole(other, 'social_worker').id}`, otherAdminToken, {
      line_manager_id: userByRole(org, 'team_manager').id,
      version: 1,
    });
    assert.equal(res.statusCode, 400);
    assert.ok(res.json().fields.line_manager_id);
    assert.deepEqual(await counts(db), before);
    const mine = await db.selectFrom('teams').where('id', '=', teamId).select('name').executeTakeFirstOrThrow();
    assert.equal(mine.name, "Young People's Team");
  });

  test('the endpoints are described in OpenAPI under the organisations tag', async () => {
    const res = await app.inject({ method: 'GET', url: '/api/docs/json' });
    assert.equal(res.statusCode, 200);
    const spec = res.json() as { paths: Record<string, Record<string, { tags?: string[] }>> };
    for (const [path, methods] of [
      ['/api/v1/authority', ['get', 'patch']],
      ['/api/v1/services', ['get', 'post']],
      ['/api/v1/localities', ['get', 'post']],
      ['/api/v1/hubs', ['get', 'post']],
      ['/api/v1/teams', ['get', 'post']],
      ['/api/v1/teams/{teamId}', ['get', 'put']],
      ['/api/v1/users', ['get', 'post']],
      ['/api/v1/users/{userId}', ['get', 'patch']],
    ] as const) {
      for (const m of methods) assert.deepEqual(spec.paths[path]?.[m]?.tags, ['organisations'], `${m} ${path}`);
    }
    assert.doesNotMatch(JSON.stringify(spec.paths['/api/v1/users']?.get), /password_hash/);
    // The bodies are the declarations in src/modules/organisations/schemas.ts.
    type Body = { required?: string[]; properties: Record<string, { description?: string }> };
    const bodies = spec.paths as unknown as Record<
      string,
      Record<string, { requestBody: { content: { 'application/json': { schema: Body } } } }>
    >;
    const body = (path: string, m: string) => {
      const op = bodies[path]?.[m];
      assert.ok(op, `${m} ${path} has a body`);
      return op.requestBody.content['application/json'].schema;
    };
    const newUser = body('/api/v1/users', 'post');
    assert.deepEqual(newUser.required?.sort(), ['display_name', 'email', 'password', 'roles']);
    assert.match(newUser.properties.password?.description ?? '', /at least 12 characters/);
    const change = body('/api/v1/users/{userId}', 'patch');
    assert.equal(change.required, undefined, 'a PATCH sends only what changes');
    assert.match(change.properties.active?.description ?? '', /revokes their API tokens/);
    assert.deepEqual(body('/api/v1/teams', 'post').required?.sort(), ['name', 'service_id']);
  });
});
