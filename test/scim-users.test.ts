// SCIM provisioning (issue 17 parts 3 and 6): the calls Entra ID's provisioning service makes, over real HTTP —
// discovery, joiners created and found by filter, replaced, patched with each of Entra's quirks — and the refusals:
// an unknown or revoked secret, another council's user, bad input named by attribute with nothing half-written.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { userByRole } from './helpers.ts';
import { CORE, ENTERPRISE, ERROR, scimSetup } from './scim-kit.ts';

const { db, org, other, app, admin, call, entraUser, patch, otherSecret } = await scimSetup('scu');
const domain = org.users[0]?.email.split('@')[1];
const northTeam = org.teams['dct-north'] as string;

const userRow = (id: string) =>
  db
    .selectFrom('users')
    .where('id', '=', id)
    .select([
      'email',
      'display_name',
      'job_title',
      'external_id',
      'department',
      'line_manager_id',
      'active',
      'roles',
      'password_hash',
    ])
    .executeTakeFirstOrThrow();
const teamsOf = async (id: string) =>
  (await db.selectFrom('team_members').where('user_id', '=', id).select('team_id').execute()).map((r) => r.team_id);
const auditOf = (id: string) =>
  db
    .selectFrom('audit_log')
    .where('entity_id', '=', id)
    .orderBy('seq')
    .select(['action', 'actor_id', 'detail'])
    .execute();

test('discovery: ServiceProviderConfig, ResourceTypes and Schemas answer in application/scim+json', async () => {
  const spc = await call('GET', '/ServiceProviderConfig');
  assert.equal(spc.status, 200);
  assert.match(spc.type, /^application\/scim\+json/);
  assert.equal(spc.body.patch.supported, true);
  assert.equal(spc.body.bulk.supported, false);
  assert.equal(spc.body.authenticationSchemes[0].type, 'oauthbearertoken');
  const types = await call('GET', '/ResourceTypes');
  assert.equal(types.body.Resources[0].endpoint, '/Users');
  assert.equal(types.body.Resources[0].schemaExtensions[0].schema, ENTERPRISE);
  const schemas = await call('GET', '/Schemas');
  assert.deepEqual(
    schemas.body.Resources.map((s: { id: string }) => s.id),
    [CORE, ENTERPRISE],
  );
  const userName = schemas.body.Resources[0].attributes.find((a: { name: string }) => a.name === 'userName');
  assert.equal(userName.uniqueness, 'server');
});

test('an unknown, missing or revoked secret is refused with 401 in SCIM’s error format', async () => {
  for (const secret of ['scim_not-a-secret', null]) {
    const res = await call('GET', '/Users', undefined, { secret });
    assert.equal(res.status, 401);
    assert.match(res.type, /^application\/scim\+json/);
    assert.deepEqual(res.body.schemas, [ERROR]);
    assert.equal(res.body.status, '401');
    assert.match(res.body.detail, /Authorization: Bearer/);
  }
  const made = await app.services.scimAdmin.createSecret(admin, { label: 'Soon revoked' });
  assert.equal((await call('GET', '/ServiceProviderConfig', undefined, { secret: made.secret })).status, 200);
  await app.services.scimAdmin.revokeSecret(admin, made.id);
  const refused = await call('GET', '/ServiceProviderConfig', undefined, { secret: made.secret });
  assert.equal(refused.status, 401);
  assert.equal(refused.body.status, '401');
  // A member of staff's own API token is not a provisioning secret either (the access matrix checks every role).
});

test('a joiner is created with no roles and no password, found by userName or externalId, and audited as the directory', async () => {
  const body = entraUser('alex', { userName: `Alex@${domain}` });
  const made = await call('POST', '/Users', body);
  assert.equal(made.status, 201, JSON.stringify(made.body));
  assert.match(made.type, /^application\/scim\+json/);
  const id = made.body.id as string;
  assert.equal(made.body.userName, `alex@${domain}`);
  assert.equal(made.body.externalId, 'oid-alex');
  assert.equal(made.body.displayName, 'Alex Joiner');
  assert.equal(made.body.active, true);
  assert.equal(made.body.meta.resourceType, 'User');
  const row = await userRow(id);
  assert.deepEqual(row.roles, []);
  assert.equal(row.password_hash, null);
  assert.equal(row.email, `alex@${domain}`);
  assert.equal(row.external_id, 'oid-alex');
  assert.equal(row.job_title, 'Social Worker');
  const audit = await auditOf(id);
  assert.equal(audit[0]?.action, 'create');
  assert.equal(audit[0]?.actor_id, null);
  assert.equal((audit[0]?.detail as { via?: string } | undefined)?.via, 'scim');

  // The same userName again: SCIM's uniqueness error, and no second account.
  const again = await call('POST', '/Users', entraUser('alex', { externalId: 'oid-other' }));
  assert.equal(again.status, 409);
  assert.equal(again.body.scimType, 'uniqueness');
  assert.match(again.body.detail, /userName/);
  const count = await db.selectFrom('users').where('email', '=', `alex@${domain}`).select('id').execute();
  assert.equal(count.length, 1);

  const byName = await call('GET', `/Users?filter=${encodeURIComponent(`userName eq "ALEX@${domain}"`)}`);
  assert.equal(byName.status, 200);
  assert.equal(byName.body.totalResults, 1);
  assert.equal(byName.body.Resources[0].id, id);
  const byExternal = await call('GET', `/Users?filter=${encodeURIComponent('externalId eq "oid-alex"')}`);
  assert.equal(byExternal.body.Resources[0].id, id);
  const none = await call('GET', `/Users?filter=${encodeURIComponent(`userName eq "nobody@${domain}"`)}`);
  assert.equal(none.body.totalResults, 0);
  assert.deepEqual(none.body.Resources, []);
  const got = await call('GET', `/Users/${id}`);
  assert.equal(got.body.userName, `alex@${domain}`);
});

test('GET /Users pages with startIndex and count, within the secret’s council only', async () => {
  for (const local of ['page1', 'page2']) assert.equal((await call('POST', '/Users', entraUser(local))).status, 201);
  const all = await call('GET', '/Users?startIndex=1&count=2');
  assert.equal(all.status, 200);
  // Only the accounts the directory manages (here, those it created): never the seeded staff or administrator.
  const total = await db
    .selectFrom('scim_managed_users')
    .where('authority_id', '=', org.authorityId)
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .executeTakeFirstOrThrow();
  assert.ok(Number(total.n) >= 3);
  assert.equal(all.body.totalResults, Number(total.n));
  assert.equal(all.body.itemsPerPage, 2);
  assert.equal(all.body.startIndex, 1);
  const next = await call('GET', '/Users?startIndex=3&count=2');
  assert.notEqual(next.body.Resources[0].id, all.body.Resources[0].id);
  const emails = new Set(all.body.Resources.map((u: { userName: string }) => u.userName.split('@')[1]));
  assert.deepEqual([...emails], [domain]);
  const bad = await call('GET', `/Users?filter=${encodeURIComponent('displayName co "a"')}`);
  assert.equal(bad.status, 400);
  assert.equal(bad.body.scimType, 'invalidFilter');
  assert.match(bad.body.detail, /userName eq/);
});

test('plain JSON is accepted as well as application/scim+json', async () => {
  const made = await call('POST', '/Users', entraUser('jordan'), { contentType: 'application/json' });
  assert.equal(made.status, 201);
  assert.match(made.type, /^application\/scim\+json/);
  const charset = await call('POST', '/Users', entraUser('jules'), {
    contentType: 'application/scim+json; charset=utf-8',
  });
  assert.equal(charset.status, 201, JSON.stringify(charset.body));
  const text = await call('POST', '/Users', entraUser('juno'), { contentType: 'text/plain' });
  assert.equal(text.status, 415);
  assert.equal(text.body.status, '415');
});

test('PUT replaces the attributes Handover keeps; a department moves the user into its mapped team', async () => {
  await app.services.scimAdmin.saveMapping(admin, { department: 'Children North', team_id: northTeam });
  const { body } = await call('POST', '/Users', entraUser('casey'));
  const id = body.id as string;
  const put = await call('PUT', `/Users/${id}`, {
    ...entraUser('casey'),
    displayName: 'Casey Moved',
    title: 'Senior Social Worker',
    [ENTERPRISE]: { department: 'children north' },
  });
  assert.equal(put.status, 200, JSON.stringify(put.body));
  assert.equal(put.body.displayName, 'Casey Moved');
  assert.equal(put.body[ENTERPRISE].department, 'children north');
  const row = await userRow(id);
  assert.equal(row.display_name, 'Casey Moved');
  assert.equal(row.job_title, 'Senior Social Worker');
  assert.deepEqual(await teamsOf(id), [northTeam]);
  // Changing the team is an access change: the roles_changed audit row, from the directory.
  const rolesChanged = (await auditOf(id)).find((a) => a.action === 'user.roles_changed');
  assert.ok(rolesChanged);
  assert.equal(rolesChanged.actor_id, null);
  assert.equal((rolesChanged.detail as { via: string }).via, 'scim');

  // A PUT without userName is refused, naming it; nothing changes.
  const { userName: _u, ...noName } = entraUser('casey');
  const refused = await call('PUT', `/Users/${id}`, { ...noName, displayName: 'Not Saved' });
  assert.equal(refused.status, 400);
  assert.equal(refused.body.scimType, 'invalidValue');
  assert.match(refused.body.detail, /userName/);
  assert.equal((await userRow(id)).display_name, 'Casey Moved');
});

test('PATCH as Entra sends it: capitalised ops, dotted and URN paths, a filtered email path, and a value object without a path', async () => {
  await app.services.scimAdmin.saveMapping(admin, {
    department: 'Children South',
    team_id: org.teams['dct-south'] as string,
  });
  const { body } = await call('POST', '/Users', entraUser('drew', { [ENTERPRISE]: { department: 'Children North' } }));
  const id = body.id as string;
  assert.deepEqual(await teamsOf(id), [northTeam]);
  // A team added by hand (by an administrator) stays when the department moves.
  const handTeam =
    org.teams['yjs'] ?? Object.values(org.teams).find((t) => t !== northTeam && t !== org.teams['dct-south']);
  await db
    .insertInto('team_members')
    .values({ team_id: handTeam as string, user_id: id })
    .execute();
  const manager = userByRole(org, 'team_manager');

  const res = await call(
    'PATCH',
    `/Users/${id}`,
    patch(
      { op: 'Replace', path: 'displayName', value: 'Drew Renamed' },
      { op: 'Replace', path: 'title', value: 'Team Leader' },
      { op: 'Add', path: 'emails[type eq "work"].value', value: `drew.renamed@${domain}` },
      { op: 'Replace', path: 'userName', value: `Drew.Renamed@${domain}` },
      { op: 'Replace', path: 'externalId', value: 'oid-drew' },
      { op: 'Replace', path: `${ENTERPRISE}:department`, value: 'Children South' },
      { op: 'Add', path: `${ENTERPRISE}:manager`, value: manager.id },
    ),
  );
  assert.equal(res.status, 200, JSON.stringify(res.body));
  let row = await userRow(id);
  assert.equal(row.display_name, 'Drew Renamed');
  assert.equal(row.job_title, 'Team Leader');
  assert.equal(row.email, `drew.renamed@${domain}`);
  assert.equal(row.external_id, 'oid-drew');
  assert.equal(row.department, 'Children South');
  assert.equal(row.line_manager_id, manager.id);
  assert.deepEqual((await teamsOf(id)).sort(), [handTeam as string, org.teams['dct-south'] as string].sort());
  assert.equal(res.body[ENTERPRISE].manager.value, manager.id);

  // name.givenName and name.familyName without a displayName: the name is made from them.
  await call('PATCH', `/Users/${id}`, patch({ op: 'Replace', path: 'name.givenName', value: 'Drewe' }));
  assert.equal((await userRow(id)).display_name, 'Drewe Renamed');
  await call('PATCH', `/Users/${id}`, patch({ op: 'replace', path: 'name.familyName', value: 'Smith-Jones' }));
  assert.equal((await userRow(id)).display_name, 'Drewe Smith-Jones');

  // No path: the value is an object of attributes, as Entra sends for several at once.
  const noPath = await call(
    'PATCH',
    `/Users/${id}`,
    patch({
      op: 'Replace',
      value: { displayName: 'Drew Again', 'name.givenName': 'Drew', [`${ENTERPRISE}:department`]: 'Children North' },
    }),
  );
  assert.equal(noPath.status, 200, JSON.stringify(noPath.body));
  row = await userRow(id);
  assert.equal(row.display_name, 'Drew Again');
  assert.deepEqual((await teamsOf(id)).sort(), [handTeam as string, northTeam].sort());

  // Attributes Handover does not keep, as Entra's default mappings send them, are accepted and left alone.
  const unkept = await call(
    'PATCH',
    `/Users/${id}`,
    patch(
      { op: 'Add', path: 'addresses[type eq "work"].formatted', value: '1 Council Street' },
      { op: 'Add', path: 'preferredLanguage', value: 'en-GB' },
      { op: 'Add', path: `${ENTERPRISE}:employeeNumber`, value: 'E123' },
    ),
  );
  assert.equal(unkept.status, 200, JSON.stringify(unkept.body));

  // Removing the manager.
  await call('PATCH', `/Users/${id}`, patch({ op: 'Remove', path: `${ENTERPRISE}:manager` }));
  assert.equal((await userRow(id)).line_manager_id, null);

  // Every change from the directory is audited with no actor and via scim.
  const updates = (await auditOf(id)).filter((a) => a.action === 'update');
  assert.ok(updates.length >= 4);
  for (const u of updates) {
    assert.equal(u.actor_id, null);
    assert.equal((u.detail as { via: string }).via, 'scim');
  }
});

test('active "False" as a string (Entra) closes the account, "True" opens it again', async () => {
  const { body } = await call('POST', '/Users', entraUser('emery'));
  const id = body.id as string;
  const off = await call('PATCH', `/Users/${id}`, patch({ op: 'Replace', path: 'active', value: 'False' }));
  assert.equal(off.status, 200);
  assert.equal(off.body.active, false);
  assert.equal((await userRow(id)).active, false);
  const actions = (await auditOf(id)).map((a) => a.action);
  assert.ok(actions.includes('deactivate'));
  const on = await call('PATCH', `/Users/${id}`, patch({ op: 'Replace', value: { active: 'True' } }));
  assert.equal(on.body.active, true);
  assert.ok((await auditOf(id)).some((a) => a.action === 'reactivate'));
  // Reopening gives back the account's access: the security role is alerted.
  const alert = await db
    .selectFrom('alerts')
    .where('kind', '=', 'account-reactivated')
    .where('message', 'like', '%Emery Joiner%')
    .select('role')
    .executeTakeFirst();
  assert.ok(alert, 'the reactivation is alerted');
});

test('bad input is refused in SCIM’s format, naming the attribute, and nothing is half-written', async () => {
  const { body } = await call('POST', '/Users', entraUser('finley'));
  const id = body.id as string;
  const before = await userRow(id);
  const cases: [unknown, RegExp, string][] = [
    [patch({ op: 'Replace', path: 'active', value: 'maybe' }), /active must be true or false/, 'invalidValue'],
    [patch({ op: 'Replace', path: 'userName', value: 'not-an-address' }), /userName must be an email/, 'invalidValue'],
    [
      patch({ op: 'Replace', path: 'favouriteColour', value: 'teal' }),
      /favouriteColour is not an attribute/,
      'invalidPath',
    ],
    [
      patch({ op: 'Frobnicate', path: 'active', value: false }),
      /op must be "add", "replace" or "remove"/,
      'invalidSyntax',
    ],
    [{ Operations: [] }, /schemas must be/, 'invalidSyntax'],
    [
      patch({ op: 'Replace', path: `${ENTERPRISE}:manager`, value: '00000000-0000-4000-8000-000000000000' }),
      /manager: the value must be the SCIM id of an active user/,
      'invalidValue',
    ],
  ];
  for (const [payload, detail, scimType] of cases) {
    // Each with a good change first in the same PatchOp: refused as a whole.
    const p = payload as { Operations?: unknown[] };
    const withGood = p.Operations
      ? { ...p, Operations: [{ op: 'Replace', path: 'displayName', value: 'Half Written' }, ...p.Operations] }
      : p;
    const res = await call('PATCH', `/Users/${id}`, withGood);
    assert.equal(res.status, 400, `${detail}: ${JSON.stringify(res.body)}`);
    assert.deepEqual(res.body.schemas, [ERROR]);
    assert.equal(res.body.status, '400');
    assert.equal(res.body.scimType, scimType);
    assert.match(res.body.detail, detail);
  }
  assert.deepEqual(await userRow(id), before);

  // Line management never loops: the user's own report cannot become their manager.
  const report = await call('POST', '/Users', entraUser('gale', { [ENTERPRISE]: { manager: { value: id } } }));
  assert.equal(report.status, 201, JSON.stringify(report.body));
  const loop = await call(
    'PATCH',
    `/Users/${id}`,
    patch(
      { op: 'Replace', path: 'displayName', value: 'Half Written' },
      { op: 'Add', path: `${ENTERPRISE}:manager`, value: report.body.id },
    ),
  );
  assert.equal(loop.status, 400);
  assert.match(loop.body.detail, /^manager: .*already line manages/);
  assert.deepEqual(await userRow(id), before);

  const broken = await call('POST', '/Users', '{"userName": ');
  assert.equal(broken.status, 400);
  assert.equal(broken.body.scimType, 'invalidSyntax');
  const noName = await call('POST', '/Users', { schemas: [CORE], userName: `nameless@${domain}` });
  assert.equal(noName.status, 400);
  assert.match(noName.body.detail, /displayName is required/);
  assert.equal(
    (await db.selectFrom('users').where('email', '=', `nameless@${domain}`).select('id').execute()).length,
    0,
  );
});

test('another council’s user is not found: GET, PUT, PATCH and DELETE answer 404 and change nothing', async () => {
  const theirs = userByRole(other, 'social_worker');
  for (const [method, payload] of [
    ['GET', undefined],
    ['PUT', entraUser('zed')],
    ['PATCH', patch({ op: 'Replace', path: 'active', value: 'False' })],
    ['DELETE', undefined],
  ] as const) {
    const res = await call(method, `/Users/${theirs.id}`, payload);
    assert.equal(res.status, 404, `${method}: ${JSON.stringify(res.body)}`);
    assert.equal(res.body.status, '404');
  }
  const row = await userRow(theirs.id);
  assert.equal(row.active, true);
  // And their directory's secret does not find this council's users.
  const ours = userByRole(org, 'social_worker');
  const search = await call('GET', `/Users?filter=${encodeURIComponent(`userName eq "${ours.email}"`)}`, undefined, {
    secret: otherSecret,
  });
  assert.equal(search.body.totalResults, 0);
  const bad = await call('GET', '/Users/not-a-uuid');
  assert.equal(bad.status, 404);
});

test('a department move that opens case records (the user holds a case role) alerts the security role, from the directory', async () => {
  await app.services.scimAdmin.saveMapping(admin, {
    department: 'Leaving Care',
    team_id: org.teams['leaving-care'] as string,
  });
  const { body } = await call('POST', '/Users', entraUser('harper'));
  const id = body.id as string;
  // Their case role came from single sign-on or an administrator; the directory only moves their team.
  await db
    .updateTable('users')
    .set({ roles: ['social_worker'] })
    .where('id', '=', id)
    .execute();
  const holder = userByRole(org, 'service_manager');
  const before = await db.selectFrom('notifications').where('user_id', '=', holder.id).select('id').execute();
  const res = await call(
    'PATCH',
    `/Users/${id}`,
    patch({ op: 'Replace', path: `${ENTERPRISE}:department`, value: 'Leaving Care' }),
  );
  assert.equal(res.status, 200, JSON.stringify(res.body));
  const alert = await db
    .selectFrom('alerts')
    .where('authority_id', '=', org.authorityId)
    .where('kind', '=', 'case-access-granted')
    .where('message', 'like', '%Harper Joiner%')
    .select('message')
    .executeTakeFirstOrThrow();
  assert.match(alert.message, /^The council’s directory \(provisioning\) gave Harper Joiner access to case records/);
  const after = await db.selectFrom('notifications').where('user_id', '=', holder.id).select('id').execute();
  assert.equal(after.length, before.length + 1);
  const changed = (await auditOf(id)).find((a) => a.action === 'user.roles_changed');
  assert.equal((changed?.detail as { case_access_granted?: boolean } | undefined)?.case_access_granted, true);
});
