// Setting up a council through the Set up pages (/admin), as its IT administrator would: what they see,
// what is refused and why, and that nothing is half-written. Real database, real app, no mocks.
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import type { Db } from '../src/db/database.ts';
import { AuthService } from '../src/modules/auth/service.ts';
import {
  Browser,
  fixedClock,
  PASSWORD,
  seedOrganisation,
  testApp,
  testConfig,
  testDatabase,
  userByRole,
} from './helpers.ts';

type Table = 'services' | 'localities' | 'hubs' | 'teams' | 'users' | 'team_members' | 'audit_log';

async function count(db: Db, table: Table): Promise<number> {
  const row = await db
    .selectFrom(table)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

async function counts(db: Db) {
  const tables: Table[] = ['services', 'localities', 'hubs', 'teams', 'users', 'team_members', 'audit_log'];
  return Object.fromEntries(await Promise.all(tables.map(async (t) => [t, await count(db, t)])));
}

async function auditRows(db: Db, entity: string, entityId: string) {
  return db
    .selectFrom('audit_log')
    .where('entity', '=', entity)
    .where('entity_id', '=', entityId)
    .orderBy('seq')
    .select(['action', 'actor_id', 'authority_id', 'detail'])
    .execute();
}

/** The GOV.UK error summary links to the field, and the field shows the same message inline. */
function assertFieldError(body: string, field: string, message: string | RegExp) {
  assert.match(body, /govuk-error-summary/, 'an error summary is shown');
  assert.ok(body.includes(`href="#${field}"`), `the summary links to #${field}`);
  const inline = new RegExp(`id="${field}-error"[\\s\\S]*?</p>`).exec(body)?.[0] ?? '';
  if (typeof message === 'string') assert.ok(inline.includes(message), `inline error for ${field}: ${inline}`);
  else assert.match(inline, message);
}

// One database and app for the file (set up at the top level so their cleanup runs when the file ends).
const clock = fixedClock();
const { db } = await testDatabase();
const org = await seedOrganisation(db, 'org');
const other = await seedOrganisation(db, 'oth');
const app = await testApp(db, { now: clock.now });
const admin = new Browser(app);

before(async () => {
  await admin.login(userByRole(org, 'admin').email);
});

async function idByName(table: 'services' | 'localities' | 'hubs' | 'teams', name: string) {
  const row = await db
    .selectFrom(table)
    .where('authority_id', '=', org.authorityId)
    .where('name', '=', name)
    .select('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

describe('an administrator sets up their council through the pages', () => {
  test('the Set up page shows counts and links', async () => {
    const res = await admin.get('/admin');
    assert.equal(res.statusCode, 200);
    assert.match(res.body, /Set up Test Council org\d+/);
    // The seed's own counts (it grows as modules add services, teams and users), read from the database.
    const count = async (table: 'services' | 'users') =>
      (await db.selectFrom(table).where('authority_id', '=', org.authorityId).select('id').execute()).length;
    const teams = await db
      .selectFrom('teams as t')
      .innerJoin('services as s', 's.id', 't.service_id')
      .where('s.authority_id', '=', org.authorityId)
      .select('t.id')
      .execute();
    assert.ok((await count('services')) >= 5 && teams.length >= 12);
    assert.match(res.body, new RegExp(`${await count('services')} services`));
    assert.match(res.body, /4 localities/);
    assert.match(res.body, /8 hubs/);
    assert.match(res.body, new RegExp(`${teams.length} teams`));
    assert.match(res.body, new RegExp(`${org.users.length} active users`));
    for (const href of ['/admin/services', '/admin/localities', '/admin/teams', '/admin/users', '/admin/authority'])
      assert.ok(res.body.includes(`href="${href}"`), `links to ${href}`);
  });

  test('service, locality, hub, team and user, and the new user can sign in', async () => {
    // An outside organisation's service.
    let res = await admin.get('/admin/services/new');
    assert.equal(res.statusCode, 200);
    assert.match(res.body, /<label class="govuk-label govuk-label--s" for="name">/);
    res = await admin.post('/admin/services', {
      name: 'Northshire Healthcare NHS Trust Therapies',
      kind: 'health',
      external: 'yes',
      organisation: 'Northshire Healthcare NHS Trust',
    });
    assert.equal(res.statusCode, 303);
    assert.equal(res.headers.location, '/admin/services');
    res = await admin.get('/admin/services');
    assert.match(res.body, /Northshire Healthcare NHS Trust Therapies/);
    assert.match(res.body, /Northshire Healthcare NHS Trust \(outside organisation\)/);
    const serviceId = await idByName('services', 'Northshire Healthcare NHS Trust Therapies');
    const service = await db.selectFrom('services').where('id', '=', serviceId).selectAll().executeTakeFirstOrThrow();
    assert.equal(service.kind, 'health');
    assert.equal(service.external, true);

    // A locality, then a SEND hub in it.
    res = await admin.post('/admin/localities', { name: 'Coastal Locality' });
    assert.equal(res.statusCode, 303);
    const localityId = await idByName('localities', 'Coastal Locality');
    res = await admin.get(`/admin/localities/${localityId}/hubs/new`);
    assert.match(res.body, /Add a SEND hub to Coastal Locality/);
    res = await admin.post(`/admin/localities/${localityId}/hubs`, { name: 'SEND Support Hub: Seaton' });
    assert.equal(res.statusCode, 303);
    assert.equal(res.headers.location, '/admin/localities');
    const hubId = await idByName('hubs', 'SEND Support Hub: Seaton');
    const hub = await db.selectFrom('hubs').where('id', '=', hubId).selectAll().executeTakeFirstOrThrow();
    assert.equal(hub.locality_id, localityId);

    // A hub team: choosing the hub alone puts the team in the hub's locality.
    res = await admin.post('/admin/teams', {
      name: 'Seaton Therapy Team',
      service_id: serviceId,
      remit_min_age: '0',
      remit_max_age: '15',
      remit_case_types: ['child_in_need', 'disabled'],
      locality_id: '',
      hub_id: hubId,
    });
    assert.equal(res.statusCode, 303);
    const teamId = await idByName('teams', 'Seaton Therapy Team');
    assert.equal(res.headers.location, `/admin/teams/${teamId}`);
    const team = await db.selectFrom('teams').where('id', '=', teamId).selectAll().executeTakeFirstOrThrow();
    assert.deepEqual(
      [team.remit_min_age, team.remit_max_age, team.remit_case_types, team.locality_id, team.hub_id],
      [0, 15, ['child_in_need', 'disabled'], localityId, hubId],
    );

    res = await admin.get('/admin/teams');
    assert.match(res.body, /Seaton Therapy Team/);
    assert.match(res.body, /ages 0–15; child in need, disabled/);
    assert.match(res.body, /Coastal Locality, SEND Support Hub: Seaton/);
    res = await admin.get('/admin/localities');
    assert.match(res.body, /Coastal Locality[\s\S]*SEND Support Hub: Seaton[\s\S]*Seaton Therapy Team/);

    // A user in that team, line managed by the team manager.
    const manager = userByRole(org, 'team_manager');
    res = await admin.get('/admin/users/new');
    assert.equal(res.statusCode, 200);
    assert.ok(res.body.includes(`value="${teamId}"`), 'the new team is offered');
    assert.ok(res.body.includes(`value="${manager.id}"`), 'active staff are offered as line managers');
    res = await admin.post('/admin/users', {
      email: 'Olu.Therapist@org.test.example',
      display_name: 'Olu Therapist',
      job_title: 'Occupational Therapist',
      phone: '01632 960 555',
      roles: ['advice_giver'],
      team_ids: [teamId],
      line_manager_id: manager.id,
      password: 'a long and quiet passphrase',
    });
    assert.equal(res.statusCode, 303);
    const created = await db
      .selectFrom('users')
      .where('email', '=', 'olu.therapist@org.test.example')
      .selectAll()
      .executeTakeFirstOrThrow();
    assert.equal(res.headers.location, `/admin/users/${created.id}`);
    assert.equal(created.authority_id, org.authorityId);
    assert.deepEqual(created.roles, ['advice_giver']);
    assert.equal(created.line_manager_id, manager.id);
    assert.notEqual(created.password_hash, 'a long and quiet passphrase');
    res = await admin.get(`/admin/users/${created.id}`);
    assert.match(res.body, /Olu Therapist/);
    assert.match(res.body, /Advice giver \(health, education\)/);
    assert.match(res.body, /Seaton Therapy Team/);
    assert.ok(res.body.includes(manager.name), 'the line manager is shown');
    res = await admin.get(`/admin/teams/${teamId}`);
    assert.match(res.body, /Members of Seaton Therapy Team/);
    assert.match(res.body, /Olu Therapist/);

    const olu = new Browser(app);
    await olu.login('olu.therapist@org.test.example', 'a long and quiet passphrase');
    const home = await olu.get('/');
    assert.equal(home.statusCode, 200);
    assert.match(home.body, /Olu Therapist/);

    // Every change has its audit row, by the administrator, with no password in it.
    const adminId = userByRole(org, 'admin').id;
    for (const [entity, id] of [
      ['service', serviceId],
      ['locality', localityId],
      ['hub', hubId],
      ['team', teamId],
      ['user', created.id],
    ] as const) {
      const rows = await auditRows(db, entity, id);
      assert.equal(rows.length, 1, `one audit row for the ${entity}`);
      assert.equal(rows[0]?.action, 'create');
      assert.equal(rows[0]?.actor_id, adminId);
      assert.equal(rows[0]?.authority_id, org.authorityId);
    }
    const [userAudit] = await auditRows(db, 'user', created.id);
    assert.deepEqual(userAudit?.detail, {
      roles: ['advice_giver'],
      team_ids: [teamId],
      line_manager_id: manager.id,
    });
    assert.doesNotMatch(JSON.stringify(userAudit?.detail), /passphrase|argon2/);
  });

  test('changing a service and a team', async () => {
    const serviceId = await idByName('services', 'Joint Commissioning');
    let res = await admin.get(`/admin/services/${serviceId}/edit`);
    assert.equal(res.statusCode, 200);
    assert.match(res.body, /value="Joint Commissioning"/);
    res = await admin.post(`/admin/services/${serviceId}/edit`, {
      name: 'Joint Commissioning Unit',
      kind: 'commissioning',
      version: '1',
    });
    assert.equal(res.statusCode, 303);
    const service = await db.selectFrom('services').where('id', '=', serviceId).selectAll().executeTakeFirstOrThrow();
    assert.equal(service.name, 'Joint Commissioning Unit');
    assert.deepEqual((await auditRows(db, 'service', serviceId)).at(-1)?.detail, { changed: ['name'] });

    const teamId = org.teams.cic as string;
    res = await admin.get(`/admin/teams/${teamId}/edit`);
    assert.match(res.body, /value="Children in Care Team"/);
    assert.match(res.body, /value="child_in_care" checked/);
    res = await admin.post(`/admin/teams/${teamId}/edit`, {
      name: 'Children in Care Team',
      service_id: await idByName('services', "Children's Social Care"),
      remit_min_age: '0',
      remit_max_age: '18',
      remit_case_types: ['child_in_care', 'care_leaver'],
      locality_id: '',
      hub_id: '',
      version: '1',
    });
    assert.equal(res.statusCode, 303);
    const team = await db.selectFrom('teams').where('id', '=', teamId).selectAll().executeTakeFirstOrThrow();
    assert.equal(team.remit_max_age, 18);
    assert.deepEqual(team.remit_case_types, ['child_in_care', 'care_leaver']);
    assert.deepEqual((await auditRows(db, 'team', teamId)).at(-1)?.detail, {
      changed: ['remit_max_age', 'remit_case_types'],
    });
  });

  test('names are shown as typed, never run as HTML', async () => {
    const name = `<script>alert(1)</script> O'Neil & "Co" Hub`;
    let res = await admin.post(`/admin/localities/${org.localityIds[3]}/hubs`, { name });
    assert.equal(res.statusCode, 303);
    const stored = await db.selectFrom('hubs').where('name', '=', name).select('id').executeTakeFirst();
    assert.ok(stored, 'stored byte for byte');
    res = await admin.get('/admin/localities');
    assert.ok(!res.body.includes('<script>alert(1)'), 'not reflected as markup');
    assert.ok(res.body.includes('&lt;script&gt;alert(1)&lt;/script&gt; O&#39;Neil &amp; &quot;Co&quot; Hub'));
    res = await admin.get('/admin/teams/new');
    assert.ok(!res.body.includes('<script>alert(1)'));
  });

  test('the council can be renamed but its code stays', async () => {
    let res = await admin.get('/admin/authority');
    const before = await db
      .selectFrom('authorities')
      .where('id', '=', org.authorityId)
      .selectAll()
      .executeTakeFirstOrThrow();
    assert.ok(res.body.includes(before.code));
    res = await admin.post('/admin/authority', { name: '  ', code: 'HACK', version: '1' });
    assert.equal(res.statusCode, 400);
    assertFieldError(res.body, 'name', 'Enter the council’s name');
    res = await admin.post('/admin/authority', { name: 'Orgshire Council', code: 'HACK', version: '1' });
    assert.equal(res.statusCode, 303);
    const after = await db
      .selectFrom('authorities')
      .where('id', '=', org.authorityId)
      .selectAll()
      .executeTakeFirstOrThrow();
    assert.equal(after.name, 'Orgshire Council');
    assert.equal(after.code, before.code);
    // The refused attempt wrote nothing; the rename wrote one row.
    assert.equal((await auditRows(db, 'authority', org.authorityId)).length, 1);
    res = await admin.get('/admin');
    assert.match(res.body, /Set up Orgshire Council/);
  });
});

describe('bad input names the field and the fix, and writes nothing', () => {
  test('a team with impossible ages, no name and unknown case types', async () => {
    const before = await counts(db);
    const res = await admin.post('/admin/teams', {
      name: '',
      service_id: 'not-a-service',
      remit_min_age: '16',
      remit_max_age: '12',
      remit_case_types: ['child_in_need', 'astrology'],
    });
    assert.equal(res.statusCode, 400);
    assertFieldError(res.body, 'name', 'Enter the team’s name');
    assertFieldError(res.body, 'service_id', 'Choose the service the team belongs to');
    assertFieldError(res.body, 'remit_max_age', 'Oldest age must be the same as or more than the youngest age (16)');
    assertFieldError(res.body, 'remit_case_types', 'Choose case types from the list');
    assert.match(res.body, /value="16"/, 'what was typed is kept');
    assert.deepEqual(await counts(db), before);
  });

  test('ages outside 0 to 25', async () => {
    const before = await counts(db);
    const res = await admin.post('/admin/teams', {
      name: 'Too Old Team',
      service_id: await idByName('services', 'Adult Social Care'),
      remit_min_age: '-1',
      remit_max_age: '26',
    });
    assert.equal(res.statusCode, 400);
    assertFieldError(res.body, 'remit_min_age', 'Youngest age must be a whole number from 0 to 25');
    assertFieldError(res.body, 'remit_max_age', 'Oldest age must be a whole number from 0 to 25');
    assert.deepEqual(await counts(db), before);
  });

  test('a user with a short password, a bad email and no role', async () => {
    const before = await counts(db);
    const res = await admin.post('/admin/users', {
      email: 'not an email',
      display_name: 'Nobody',
      password: 'short',
      team_ids: [org.teams.ypt as string],
    });
    assert.equal(res.statusCode, 400);
    assertFieldError(res.body, 'email', 'Enter an email address in the correct format');
    assertFieldError(res.body, 'roles', 'Choose at least one role');
    assertFieldError(res.body, 'password', 'Password must be at least 12 characters');
    assert.doesNotMatch(res.body, /value="short"/, 'the password is never echoed back');
    assert.deepEqual(await counts(db), before);
  });

  test('a user in another council’s team is refused', async () => {
    const before = await counts(db);
    const res = await admin.post('/admin/users', {
      email: 'sneaky@org.test.example',
      display_name: 'Sneaky',
      roles: ['social_worker'],
      team_ids: [other.teams.ypt as string],
      password: 'a long and quiet passphrase',
    });
    assert.equal(res.statusCode, 400);
    assertFieldError(res.body, 'team_ids', 'Choose teams from the list');
    assert.deepEqual(await counts(db), before);
  });

  test('an external service needs its organisation; the kind must be one of the list', async () => {
    const before = await counts(db);
    const res = await admin.post('/admin/services', { name: 'Police Liaison', kind: 'wizards', external: 'yes' });
    assert.equal(res.statusCode, 400);
    assertFieldError(res.body, 'kind', 'Choose what kind of service it is');
    assertFieldError(res.body, 'organisation', 'Enter the outside organisation it belongs to');
    assert.deepEqual(await counts(db), before);
  });

  test('duplicate names are field errors, not server errors', async () => {
    const before = await counts(db);
    let res = await admin.post('/admin/teams', {
      name: "young people's team",
      service_id: await idByName('services', 'Adult Social Care'),
    });
    assert.equal(res.statusCode, 400);
    assertFieldError(res.body, 'name', 'A team with this name already exists: choose a different name');
    res = await admin.post('/admin/services', { name: 'adult social care', kind: 'adult' });
    assert.equal(res.statusCode, 400);
    assertFieldError(res.body, 'name', 'A service with this name already exists');
    res = await admin.post('/admin/localities', { name: 'North Locality' });
    assert.equal(res.statusCode, 400);
    assertFieldError(res.body, 'name', 'A locality with this name already exists');
    res = await admin.post(`/admin/localities/${org.localityIds[0]}/hubs`, { name: 'SEND Support Hub: North Hub 1' });
    assert.equal(res.statusCode, 400);
    assertFieldError(res.body, 'name', 'A hub with this name already exists');
    res = await admin.post('/admin/users', {
      email: userByRole(org, 'social_worker').email.toUpperCase(),
      display_name: 'Second Sam',
      roles: ['social_worker'],
      password: 'a long and quiet passphrase',
    });
    assert.equal(res.statusCode, 400);
    assertFieldError(res.body, 'email', 'An account with this email address already exists');
    // A name another council uses is fine: names are unique within a council.
    assert.deepEqual(await counts(db), before);
    res = await admin.post('/admin/localities', { name: 'Another Locality' });
    assert.equal(res.statusCode, 303);
    res = await admin.post('/admin/localities', { name: 'another locality' });
    assert.equal(res.statusCode, 400);
  });

  test('a hub from a different locality is refused', async () => {
    const before = await counts(db);
    const north = org.localityIds[0] as string;
    const southHub = await idByName('hubs', 'SEND Support Hub: South Hub 3');
    const res = await admin.post('/admin/teams', {
      name: 'Mismatched Team',
      service_id: await idByName('services', 'SEND and Inclusion'),
      locality_id: north,
      hub_id: southHub,
    });
    assert.equal(res.statusCode, 400);
    assertFieldError(
      res.body,
      'hub_id',
      'SEND Support Hub: South Hub 3 is in South Locality, not North Locality: choose a hub in North Locality, or change the locality',
    );
    assert.deepEqual(await counts(db), before);
  });

  test('a form without its CSRF token is refused and writes nothing', async () => {
    const before = await counts(db);
    const res = await admin.post('/admin/localities', { name: 'Forged Locality' }, { csrf: null });
    assert.equal(res.statusCode, 403);
    assert.deepEqual(await counts(db), before);
  });
});

describe('line management', () => {
  test('a loop (A manages B manages A) is refused with a clear message', async () => {
    const sm = userByRole(org, 'service_manager'); // manages the team manager, who manages the social worker
    const sw = userByRole(org, 'social_worker');
    const before = await counts(db);
    let res = await admin.get(`/admin/users/${sm.id}/edit`);
    assert.equal(res.statusCode, 200);
    assert.ok(!res.body.includes(`<option value="${sm.id}"`), 'nobody is offered as their own line manager');
    res = await admin.post(`/admin/users/${sm.id}/edit`, {
      display_name: sm.name,
      roles: ['service_manager'],
      team_ids: [org.teams.ypt as string],
      line_manager_id: sw.id,
      version: '1',
    });
    assert.equal(res.statusCode, 400);
    assertFieldError(
      res.body,
      'line_manager_id',
      `${sw.name} cannot be ${sm.name}’s line manager, because ${sm.name} already line manages ${sw.name} (directly or through others). Choose someone else`,
    );
    const row = await db.selectFrom('users').where('id', '=', sm.id).selectAll().executeTakeFirstOrThrow();
    assert.equal(row.line_manager_id, null);
    assert.deepEqual(await counts(db), before);

    res = await admin.post(`/admin/users/${sm.id}/edit`, {
      display_name: sm.name,
      roles: ['service_manager'],
      line_manager_id: sm.id,
      version: '1',
    });
    assert.equal(res.statusCode, 400);
    assertFieldError(res.body, 'line_manager_id', 'A person cannot be their own line manager');
    assert.deepEqual(await counts(db), before);
  });

  test('roles, teams and line manager change together, with one audit row', async () => {
    const chair = userByRole(org, 'forum_chair');
    const sm = userByRole(org, 'service_manager');
    const res = await admin.post(`/admin/users/${chair.id}/edit`, {
      display_name: chair.name,
      job_title: 'Chair, Transitions Forum',
      phone: '01632 960 000',
      roles: ['forum_chair', 'team_manager'],
      team_ids: [org.teams.transitions as string, org.teams['leaving-care'] as string],
      line_manager_id: sm.id,
      version: '1',
    });
    assert.equal(res.statusCode, 303);
    const row = await db.selectFrom('users').where('id', '=', chair.id).selectAll().executeTakeFirstOrThrow();
    assert.deepEqual(row.roles, ['forum_chair', 'team_manager']);
    assert.equal(row.line_manager_id, sm.id);
    assert.equal(row.job_title, 'Chair, Transitions Forum');
    const teams = await db.selectFrom('team_members').where('user_id', '=', chair.id).select('team_id').execute();
    assert.deepEqual(
      teams.map((t) => t.team_id).sort(),
      [org.teams.transitions as string, org.teams['leaving-care'] as string].sort(),
    );
    const [audit] = (await auditRows(db, 'user', chair.id)).slice(-1);
    assert.equal(audit?.action, 'update');
    const detail = audit?.detail as { changed: string[]; line_manager: unknown };
    assert.deepEqual(detail.changed.sort(), ['job_title', 'line_manager_id', 'roles', 'team_ids']);
    assert.deepEqual(detail.line_manager, { from: null, to: sm.id });
    const list = await admin.get('/admin/users');
    assert.match(
      list.body,
      /Gareth Forum-Chair[\s\S]*?Forum chair, Team manager[\s\S]*?Adult Transitions Team, Leaving Care Team[\s\S]*?Helen Service-Manager/,
    );
  });
});

describe('deactivating a user', () => {
  test('ends their live session on the next request and revokes their API token, in one change', async () => {
    const sw = userByRole(org, 'advice_giver');
    const worker = new Browser(app);
    await worker.login(sw.email);
    assert.equal((await worker.get('/')).statusCode, 200);
    const auth = new AuthService(db, testConfig(), clock.now);
    const created = await auth.createApiToken(sw.email, 'test');
    assert.ok(created);
    const bearer = { authorization: `Bearer ${created.token}` };
    assert.equal((await app.inject({ method: 'GET', url: '/api/v1/teams', headers: bearer })).statusCode, 200);

    let res = await admin.get(`/admin/users/${sw.id}`);
    assert.match(res.body, /Deactivate Fiona Advice-Giver/);
    res = await admin.post(`/admin/users/${sw.id}/deactivate`, {});
    assert.equal(res.statusCode, 303);
    assert.equal(res.headers.location, `/admin/users/${sw.id}`);

    const next = await worker.get('/');
    assert.equal(next.statusCode, 302);
    assert.equal(next.headers.location, '/login');
    assert.equal((await app.inject({ method: 'GET', url: '/api/v1/teams', headers: bearer })).statusCode, 401);
    assert.equal(
      await db.selectFrom('sessions').where('user_id', '=', sw.id).select('id_hash').executeTakeFirst(),
      undefined,
    );
    const token = await db.selectFrom('api_tokens').where('user_id', '=', sw.id).selectAll().executeTakeFirstOrThrow();
    assert.deepEqual(token.revoked_at, clock.now());
    const [audit] = (await auditRows(db, 'user', sw.id)).slice(-1);
    assert.equal(audit?.action, 'deactivate');
    assert.deepEqual(audit?.detail, { changed: ['active'], sessions_ended: 1, tokens_revoked: 1 });

    // They cannot sign in while inactive; the page says so.
    res = await admin.get(`/admin/users/${sw.id}`);
    assert.match(res.body, /Inactive: cannot sign in/);
    const again = new Browser(app);
    await again.get('/login');
    assert.equal((await again.post('/login', { email: sw.email, password: PASSWORD })).statusCode, 401);

    // Reactivated, they can sign in again; the revoked token stays revoked.
    res = await admin.post(`/admin/users/${sw.id}/reactivate`, {});
    assert.equal(res.statusCode, 303);
    await again.login(sw.email);
    assert.equal((await again.get('/')).statusCode, 200);
    assert.equal((await app.inject({ method: 'GET', url: '/api/v1/teams', headers: bearer })).statusCode, 401);
    assert.equal((await auditRows(db, 'user', sw.id)).at(-1)?.action, 'reactivate');
  });

  test('an administrator cannot deactivate themselves', async () => {
    const me = userByRole(org, 'admin');
    const res = await admin.post(`/admin/users/${me.id}/deactivate`, {});
    assert.equal(res.statusCode, 400);
    assertFieldError(res.body, 'active', 'You cannot deactivate your own account');
    const row = await db.selectFrom('users').where('id', '=', me.id).select('active').executeTakeFirstOrThrow();
    assert.equal(row.active, true);
    assert.equal((await admin.get('/admin')).statusCode, 200);
  });
});

describe('who can set up', () => {
  test('a social worker gets 403 on every Set up page and form, and no Set up link', async () => {
    const sw = new Browser(app);
    await sw.login(userByRole(org, 'social_worker').email);
    const home = await sw.get('/');
    assert.ok(!home.body.includes('href="/admin"'), 'no Set up link in the navigation');
    const team = org.teams.ypt as string;
    for (const url of [
      '/admin',
      '/admin/authority',
      '/admin/services',
      '/admin/services/new',
      '/admin/localities',
      '/admin/teams',
      `/admin/teams/${team}`,
      `/admin/teams/${team}/edit`,
      '/admin/users',
      '/admin/users/new',
      `/admin/users/${userByRole(org, 'social_worker').id}`,
    ]) {
      assert.equal((await sw.get(url)).statusCode, 403, url);
    }
    const before = await counts(db);
    for (const [url, form] of [
      ['/admin/localities', { name: 'Rogue Locality' }],
      ['/admin/teams', { name: 'Rogue Team', service_id: await idByName('services', 'Adult Social Care') }],
      [`/admin/users/${userByRole(org, 'team_manager').id}/deactivate`, {}],
    ] as const) {
      assert.equal((await sw.post(url, form)).statusCode, 403, url);
    }
    assert.deepEqual(await counts(db), before);
  });

  test("an administrator cannot see or change another council's teams, services or users (404)", async () => {
    const theirTeam = other.teams.ypt as string;
    const theirUser = userByRole(other, 'social_worker').id;
    const theirService = (
      await db
        .selectFrom('services')
        .where('authority_id', '=', other.authorityId)
        .select('id')
        .executeTakeFirstOrThrow()
    ).id;
    for (const url of [
      `/admin/teams/${theirTeam}`,
      `/admin/teams/${theirTeam}/edit`,
      `/admin/services/${theirService}/edit`,
      `/admin/localities/${other.localityIds[0]}/hubs/new`,
      `/admin/users/${theirUser}`,
      `/admin/users/${theirUser}/edit`,
    ]) {
      assert.equal((await admin.get(url)).statusCode, 404, url);
    }
    const before = await counts(db);
    const teamBefore = await db.selectFrom('teams').where('id', '=', theirTeam).selectAll().executeTakeFirstOrThrow();
    const posts: [string, Record<string, string | string[]>][] = [
      [
        `/admin/teams/${theirTeam}/edit`,
        { name: 'Taken Over', service_id: await idByName('services', 'Adult Social Care') },
      ],
      [`/admin/services/${theirService}/edit`, { name: 'Taken Over', kind: 'adult' }],
      [`/admin/localities/${other.localityIds[0]}/hubs`, { name: 'Planted Hub' }],
      [`/admin/users/${theirUser}/edit`, { display_name: 'Taken Over', roles: ['admin'] }],
      [`/admin/users/${theirUser}/deactivate`, {}],
    ];
    for (const [url, form] of posts) assert.equal((await admin.post(url, form)).statusCode, 404, url);
    assert.deepEqual(await counts(db), before);
    assert.deepEqual(
      await db.selectFrom('teams').where('id', '=', theirTeam).selectAll().executeTakeFirstOrThrow(),
      teamBefore,
    );
    const theirs = await db.selectFrom('users').where('id', '=', theirUser).selectAll().executeTakeFirstOrThrow();
    assert.equal(theirs.active, true);
    assert.deepEqual(theirs.roles, ['social_worker']);
    // Their teams are not listed either.
    const list = await admin.get('/admin/teams');
    assert.ok(!list.body.includes(theirTeam));
  });
});
