// Transfer points as data (Kent protocol: remits, step up and step down): set up through the admin pages and the
// JSON API, checked against the council's teams, audited, and used by the proposals. Real database, no mocks.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AuthService } from '../src/modules/auth/service.ts';
import { proposeTeam } from '../src/modules/transfers/rules.ts';
import { Browser, fixedClock, seedOrganisation, testApp, testConfig, testDatabase, userByRole } from './helpers.ts';

const clock = fixedClock('2026-11-23T10:00:00Z');
const { db } = await testDatabase();
const org = await seedOrganisation(db, 'tp');
const other = await seedOrganisation(db, 'tq');
const app = await testApp(db, { now: clock.now });
const auth = new AuthService(db, testConfig(), clock.now);
const admin = userByRole(org, 'admin');
const tm = userByRole(org, 'team_manager'); // DCT North
const sw = userByRole(org, 'social_worker'); // DCT North
const t = org.teams as Record<string, string>;

async function tokenFor(email: string) {
  const created = await auth.createApiToken(email, 'transfer points test');
  assert.ok(created);
  return created.token;
}
const adminToken = await tokenFor(admin.email);
const workerToken = await tokenFor(sw.email);

function call(method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, token: string, payload?: unknown) {
  return app.inject({
    method,
    url,
    headers: { authorization: `Bearer ${token}`, ...(payload ? { 'content-type': 'application/json' } : {}) },
    ...(payload ? { payload: JSON.stringify(payload) } : {}),
  });
}

const audits = (entityId: string) =>
  db
    .selectFrom('audit_log')
    .where('entity', '=', 'transfer_point')
    .where('entity_id', '=', entityId)
    .orderBy('seq')
    .select(['action', 'actor_id'])
    .execute();

test('rules: a step down applies once the case type has ended; a step up while the case has it', () => {
  const teams = [
    { id: 'cp', name: 'CP', min: 0, max: 17, caseTypes: [], localityId: null },
    { id: 'cin', name: 'CIN', min: 0, max: 17, caseTypes: [], localityId: null },
  ];
  const down = [
    { fromTeamId: 'cp', toTeamId: 'cin', atAge: null, caseType: 'child_protection_plan', direction: 'step_down' },
  ];
  const up = [
    { fromTeamId: 'cin', toTeamId: 'cp', atAge: null, caseType: 'child_protection_plan', direction: 'step_up' },
  ];
  const onPlan = { dateOfBirth: '2015-01-01', statuses: ['child_protection_plan'], localityId: null };
  const ended = { dateOfBirth: '2015-01-01', statuses: ['child_in_need'], localityId: null };
  assert.equal(proposeTeam(teams, down, 'cp', ended, '2026-11-23')?.id, 'cin');
  assert.equal(proposeTeam(teams, down, 'cp', onPlan, '2026-11-23')?.id, 'cin', 'falls back to the remits');
  assert.equal(proposeTeam(teams, up, 'cin', onPlan, '2026-11-23')?.id, 'cp');
});

test('an administrator adds, changes and deletes transfer points through the pages, each change audited', async () => {
  const b = new Browser(app);
  await b.login(admin.email);
  const index = await b.get('/admin');
  assert.match(index.body, /href="\/admin\/transfer-points"/);
  const empty = await b.get('/admin/transfer-points');
  assert.equal(empty.statusCode, 200);
  assert.match(empty.body, /No transfer points yet/);
  const form = await b.get('/admin/transfer-points/new');
  assert.equal(form.statusCode, 200);
  assert.match(form.body, /Disabled Children(&#39;|')s Team North/);

  const blank = await b.post('/admin/transfer-points', { direction: '' });
  assert.equal(blank.statusCode, 400);
  assert.match(blank.body, /govuk-error-summary/);
  assert.match(blank.body, /href="#from_team_id">Choose the team the case moves from/);
  assert.match(blank.body, /href="#to_team_id">Choose the team the case moves to/);
  assert.match(blank.body, /href="#direction">Choose when the case moves/);
  assert.match(blank.body, /id="from_team_id-error"/, 'the message is beside the field too');

  const same = await b.post('/admin/transfer-points', {
    from_team_id: t['dct-north'] as string,
    to_team_id: t['dct-north'] as string,
    direction: 'age',
    at_age: '16',
  });
  assert.equal(same.statusCode, 400);
  assert.match(same.body, /Choose a team other than the one the case moves from/);
  assert.match(same.body, /<option value="[^"]+" selected>Disabled Children/, 'what was typed is kept');

  const badAge = await b.post('/admin/transfer-points', {
    from_team_id: t['dct-north'] as string,
    to_team_id: t.ypt as string,
    direction: 'age',
    at_age: '26',
  });
  assert.equal(badAge.statusCode, 400);
  assert.match(badAge.body, /Age must be a whole number from 0 to 25/);
  const noAge = await b.post('/admin/transfer-points', {
    from_team_id: t['dct-north'] as string,
    to_team_id: t.ypt as string,
    direction: 'age',
  });
  assert.match(noAge.body, /Enter the age at which the case moves, for example 16/);
  const noType = await b.post('/admin/transfer-points', {
    from_team_id: t['dct-north'] as string,
    to_team_id: t.cic as string,
    direction: 'step_up',
  });
  assert.match(noType.body, /href="#case_type">Choose the case type whose start moves the case/);
  const otherCouncil = await b.post('/admin/transfer-points', {
    from_team_id: t['dct-north'] as string,
    to_team_id: other.teams.ypt as string,
    direction: 'age',
    at_age: '16',
  });
  assert.equal(otherCouncil.statusCode, 400);
  assert.match(otherCouncil.body, /href="#to_team_id">Choose the team the case moves to from the list of your council/);
  const noCsrf = await b.post(
    '/admin/transfer-points',
    { from_team_id: t['dct-north'] as string, to_team_id: t.ypt as string, direction: 'age', at_age: '16' },
    { csrf: null },
  );
  assert.equal(noCsrf.statusCode, 403);
  assert.equal(
    Number((await db.selectFrom('transfer_points').select(db.fn.countAll().as('n')).executeTakeFirstOrThrow()).n),
    0,
    'nothing written on error',
  );

  const made = await b.post('/admin/transfer-points', {
    from_team_id: t['dct-north'] as string,
    to_team_id: t.ypt as string,
    direction: 'age',
    at_age: '16',
    note: "Kent: disabled children's teams 0–15",
  });
  assert.equal(made.statusCode, 303);
  assert.equal(made.headers.location, '/admin/transfer-points?saved=added');
  const list = await b.get(String(made.headers.location));
  assert.match(list.body, /govuk-notification-banner--success[\s\S]*Transfer point added/, 'the success banner');
  assert.match(list.body, /At 16/);
  assert.match(list.body, /Young People(&#39;|')s Team/);
  const row = await db
    .selectFrom('transfer_points')
    .where('authority_id', '=', org.authorityId)
    .selectAll()
    .executeTakeFirstOrThrow();
  assert.equal(row.at_age, 16);
  assert.equal(row.direction, 'age');
  assert.deepEqual(await audits(row.id), [{ action: 'create', actor_id: admin.id }]);

  const dup = await b.post('/admin/transfer-points', {
    from_team_id: t['dct-north'] as string,
    to_team_id: t.transitions as string,
    direction: 'age',
    at_age: '16',
  });
  assert.equal(dup.statusCode, 400);
  assert.match(dup.body, /href="#at_age">This team already has a transfer point at 16 \(to Young People/);

  const edit = await b.get(`/admin/transfer-points/${row.id}/edit`);
  assert.equal(edit.statusCode, 200);
  assert.match(edit.body, /value="16"/);
  const badEdit = await b.post(`/admin/transfer-points/${row.id}/edit`, {
    from_team_id: t['dct-north'] as string,
    to_team_id: t.ypt as string,
    direction: 'sideways',
    at_age: '16',
  });
  assert.equal(badEdit.statusCode, 400);
  assert.match(badEdit.body, /Change a transfer point/);
  const changed = await b.post(`/admin/transfer-points/${row.id}/edit`, {
    from_team_id: t['dct-north'] as string,
    to_team_id: t.ypt as string,
    direction: 'age',
    at_age: '16',
    note: 'Changed',
    version: '1',
  });
  assert.equal(changed.statusCode, 303);
  assert.match((await b.get(String(changed.headers.location))).body, /Transfer point changed/);
  assert.equal(
    (await db.selectFrom('transfer_points').where('id', '=', row.id).select('note').executeTakeFirstOrThrow()).note,
    'Changed',
  );

  const confirm = await b.get(`/admin/transfer-points/${row.id}/delete`);
  assert.match(confirm.body, /Are you sure you want to delete this transfer point/);
  const gone = await b.post(`/admin/transfer-points/${row.id}/delete`, {});
  assert.equal(gone.statusCode, 303);
  assert.match((await b.get(String(gone.headers.location))).body, /Transfer point deleted/);
  assert.equal(
    await db.selectFrom('transfer_points').where('id', '=', row.id).select('id').executeTakeFirst(),
    undefined,
  );
  assert.deepEqual(
    (await audits(row.id)).map((a) => a.action),
    ['create', 'update', 'delete'],
  );
  assert.equal((await b.get(`/admin/transfer-points/${row.id}/edit`)).statusCode, 404);
});

test('the JSON API: admin writes, any member of staff reads, errors name the field', async () => {
  let res = await call('POST', '/api/v1/transfer-points', adminToken, {
    from_team_id: t.cic,
    to_team_id: t['leaving-care'],
    direction: 'age',
    at_age: 18,
    case_type: 'child_in_care',
  });
  assert.equal(res.statusCode, 201, res.body);
  const created = res.json();
  assert.equal(created.description, 'At 18, for a child in care case');
  assert.equal(created.to_team_name, 'Leaving Care Team');
  assert.deepEqual(await audits(created.id), [{ action: 'create', actor_id: admin.id }]);

  res = await call('GET', '/api/v1/transfer-points', workerToken);
  assert.equal(res.statusCode, 200);
  assert.deepEqual(
    res.json().items.map((p: { id: string }) => p.id),
    [created.id],
  );

  res = await call('POST', '/api/v1/transfer-points', adminToken, {
    from_team_id: t.ypt,
    to_team_id: t.ypt,
    direction: 'age',
    at_age: 18,
  });
  assert.equal(res.statusCode, 400);
  assert.match(res.json().fields.to_team_id, /Choose a team other than/);
  res = await call('POST', '/api/v1/transfer-points', adminToken, {
    from_team_id: other.teams.ypt,
    to_team_id: t.transitions,
    direction: 'age',
    at_age: 18,
  });
  assert.equal(res.statusCode, 400);
  assert.match(res.json().fields.from_team_id, /your council/);
  res = await call('POST', '/api/v1/transfer-points', adminToken, {
    from_team_id: t.ypt,
    to_team_id: t.transitions,
    direction: 'age',
    at_age: 26,
  });
  assert.equal(res.statusCode, 400, 'the schema refuses an age over 25');
  res = await call('POST', '/api/v1/transfer-points', adminToken, {
    from_team_id: t.ypt,
    to_team_id: t.cic,
    direction: 'step_down',
  });
  assert.equal(res.statusCode, 400);
  assert.match(res.json().fields.case_type, /step down/);
  res = await call('POST', '/api/v1/transfer-points', adminToken, {
    from_team_id: t.cic,
    to_team_id: t.transitions,
    direction: 'age',
    at_age: 18,
    case_type: 'child_in_care',
  });
  assert.equal(res.statusCode, 400, 'a duplicate point is refused');
  assert.match(res.json().fields.at_age, /already has a transfer point at 18/);

  res = await call('PUT', `/api/v1/transfer-points/${created.id}`, adminToken, {
    from_team_id: t.cic,
    to_team_id: t['leaving-care'],
    direction: 'age',
    at_age: 18,
    note: 'Kent: care leavers',
    version: 1,
  });
  assert.equal(res.statusCode, 200, res.body);
  assert.equal(res.json().note, 'Kent: care leavers');
  assert.equal(res.json().case_type, null);
  res = await call('PUT', '/api/v1/transfer-points/00000000-0000-4000-8000-000000000000', adminToken, {
    from_team_id: t.cic,
    to_team_id: t['leaving-care'],
    direction: 'age',
    at_age: 18,
  });
  assert.equal(res.statusCode, 404);

  // Another council's administrator sees none of these and cannot change them.
  const otherAdmin = await tokenFor(userByRole(other, 'admin').email);
  assert.deepEqual((await call('GET', '/api/v1/transfer-points', otherAdmin)).json().items, []);
  assert.equal((await call('DELETE', `/api/v1/transfer-points/${created.id}`, otherAdmin)).statusCode, 404);

  assert.equal((await call('DELETE', `/api/v1/transfer-points/${created.id}`, adminToken)).statusCode, 204);
  assert.equal((await call('DELETE', `/api/v1/transfer-points/${created.id}`, adminToken)).statusCode, 404);
  assert.deepEqual(
    (await audits(created.id)).map((a) => a.action),
    ['create', 'update', 'delete'],
  );
});

test('a social worker cannot change transfer points', async () => {
  const b = new Browser(app);
  await b.login(sw.email);
  assert.equal((await b.get('/admin/transfer-points')).statusCode, 403);
  assert.equal((await b.get('/admin/transfer-points/new')).statusCode, 403);
  assert.equal(
    (await b.post('/admin/transfer-points', { from_team_id: t['dct-north'] as string, to_team_id: t.ypt as string }))
      .statusCode,
    403,
  );
  const res = await call('POST', '/api/v1/transfer-points', workerToken, {
    from_team_id: t['dct-north'],
    to_team_id: t.ypt,
    direction: 'age',
    at_age: 16,
  });
  assert.equal(res.statusCode, 403);
  assert.equal(
    (await call('DELETE', '/api/v1/transfer-points/00000000-0000-4000-8000-000000000000', workerToken)).statusCode,
    403,
  );
});

test('the proposal for a case uses the transfer point: a 15-year-old turning 16 moves as the point says', async () => {
  // A team for disabled young people aged 16 to 25: the remits alone propose the Young People's Team instead.
  let res = await call('POST', '/api/v1/teams', adminToken, {
    name: 'Disabled Young Adults Team',
    service_id: (
      await db
        .selectFrom('teams')
        .where('id', '=', t.ypt as string)
        .select('service_id')
        .executeTakeFirstOrThrow()
    ).service_id,
    remit_min_age: 16,
    remit_max_age: 25,
    remit_case_types: ['disabled'],
  });
  assert.equal(res.statusCode, 201, res.body);
  const dyat = res.json().id as string;
  const p = await db
    .insertInto('people')
    .values({
      authority_id: org.authorityId,
      case_number: 'TP-1',
      given_name: 'Ada',
      family_name: 'Pointer',
      date_of_birth: '2011-01-15', // 15 today (2026-11-23); 16 on 2027-01-15, within 90 days
      locality_id: org.localityIds[0] ?? null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await db
    .insertInto('person_statuses')
    .values({ authority_id: org.authorityId, person_id: p.id, status: 'disabled', start_date: '2020-01-01' })
    .execute();
  await db
    .insertInto('involvements')
    .values({
      authority_id: org.authorityId,
      person_id: p.id,
      team_id: t['dct-north'] as string,
      worker_id: sw.id,
      reason: 'test',
      start_date: '2026-01-05',
    })
    .execute();

  const manager = new Browser(app);
  await manager.login(tm.email);
  const rowOf = (html: string) => {
    const i = html.indexOf('Ada Pointer');
    assert.ok(i >= 0, 'the case is listed as about to leave the remit');
    return html.slice(i, html.indexOf('</tr>', i));
  };
  let row = rowOf((await manager.get('/transfers')).body);
  assert.match(row, /leaves the team(&#39;|')s age band on 2027-01-15/);
  assert.match(row, /Young People(&#39;|')s Team/, 'without a point, the remits decide');

  res = await call('POST', '/api/v1/transfer-points', adminToken, {
    from_team_id: t['dct-north'],
    to_team_id: dyat,
    direction: 'age',
    at_age: 16,
  });
  assert.equal(res.statusCode, 201, res.body);
  row = rowOf((await manager.get('/transfers')).body);
  assert.match(row, /Disabled Young Adults Team/, 'the transfer point decides');
});
