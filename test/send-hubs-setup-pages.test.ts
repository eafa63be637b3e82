// SEND hubs in use (issue 13 part 1): the IT administrator's Set up pages for hubs (manager, team, targets, triage
// day, services), a locality's Further SEND Support, and settings with their organisation accounts: saving with a
// banner, bad input named by field with nothing written, a stale version refused (409), non-admins refused (403),
// and a new setting account invited by email who sets a password, signs in as a setting account and is a member.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Browser, seedOrganisation } from './helpers.ts';
import { hubsSetup } from './send-hubs-setup.ts';

const s = await hubsSetup('setup-pages');
const admin = await s.browser(s.users.admin.email);

const hubRow = () => s.db.selectFrom('hubs').where('id', '=', s.hub1).selectAll().executeTakeFirstOrThrow();
const audits = (entity: string, entityId: string) =>
  s.db.selectFrom('audit_log').where('entity', '=', entity).where('entity_id', '=', entityId).selectAll().execute();
const hubTeam = async () => (await hubRow()).team_id as string;
const banner = (body: string, words: RegExp) => {
  assert.match(body, /govuk-notification-banner--success/);
  assert.match(body, words);
};

test('Set up links to the hubs, which list each hub by locality with its manager, team and targets', async () => {
  assert.match((await admin.get('/admin')).body, /href="\/admin\/hubs"/);
  const page = await admin.get('/admin/hubs');
  assert.equal(page.statusCode, 200);
  assert.match(page.body, /Priya Hub-Manager/);
  assert.match(page.body, /Within 10 working days of receipt/);
  assert.match(page.body, /Every Wednesday/);
  assert.match(page.body, new RegExp(`/admin/hubs/${s.hub1}`));
});

test('saving a hub changes its targets and triage day with a banner, audited, the version moving on', async () => {
  const before = await hubRow();
  const form = await admin.get(`/admin/hubs/${s.hub1}`);
  assert.match(form.body, /apply to requests received/);
  const res = await admin.post(`/admin/hubs/${s.hub1}`, {
    manager_user_id: s.users.hubManager.id,
    team_id: before.team_id as string,
    first_response_working_days: '15',
    support_start_working_days: '8',
    triage_weekday: '2',
    version: String(before.version),
  });
  assert.equal(res.statusCode, 303, res.body.slice(0, 600));
  assert.equal(res.headers.location, `/admin/hubs/${s.hub1}?saved=hub`);
  banner((await admin.get(String(res.headers.location))).body, /Hub saved/);
  const after = await hubRow();
  assert.equal(after.first_response_working_days, 15);
  assert.equal(after.support_start_working_days, 8);
  assert.equal(after.triage_weekday, 2);
  assert.equal(after.version, before.version + 1);
  const audit = (await audits('hub', s.hub1)).at(-1);
  assert.ok(audit);
  assert.deepEqual((audit.detail as { changed: string[] }).changed.sort(), [
    'first_response_working_days',
    'support_start_working_days',
    'triage_weekday',
  ]);
});

test('bad hub input names each field and the fix, and writes nothing', async () => {
  const before = await hubRow();
  const res = await admin.post(`/admin/hubs/${s.hub1}`, {
    manager_user_id: s.users.socialWorker.id,
    team_id: '00000000-0000-4000-8000-000000000001',
    first_response_working_days: '0',
    support_start_working_days: 'ten',
    triage_weekday: '6',
    version: String(before.version),
  });
  assert.equal(res.statusCode, 400);
  assert.match(res.body, /govuk-error-summary/);
  assert.match(res.body, /Choose the hub manager from the list: a user with the hub manager or locality manager role/);
  assert.match(res.body, /Choose the hub team from the list of your council’s teams/);
  assert.match(res.body, /Enter the first response target as a whole number of working days from 1 to 60/);
  assert.match(res.body, /Enter the support start target as a whole number of working days from 1 to 60/);
  assert.match(res.body, /Choose the triage day, Monday to Friday/);
  assert.deepEqual(await hubRow(), before);
});

test('a hub saved by someone else since it was read is refused (409) and the form says to reload', async () => {
  const before = await hubRow();
  const res = await admin.post(`/admin/hubs/${s.hub1}`, {
    manager_user_id: s.users.hubManager.id,
    team_id: before.team_id as string,
    first_response_working_days: '20',
    support_start_working_days: '10',
    triage_weekday: '3',
    version: String(before.version - 1),
  });
  assert.equal(res.statusCode, 409);
  assert.match(res.body, /Someone else changed this hub while you were editing it/);
  assert.deepEqual(await hubRow(), before);
});

test('a hub service is added (a repeated name refused), deactivated and reactivated', async () => {
  const add = await admin.post(`/admin/hubs/${s.hub1}/services`, {
    service_name: 'Occupational therapy',
    service_kind: 'occupational_therapy',
  });
  assert.equal(add.statusCode, 303);
  banner((await admin.get(String(add.headers.location))).body, /Service added/);
  const again = await admin.post(`/admin/hubs/${s.hub1}/services`, {
    service_name: 'occupational THERAPY',
    service_kind: 'other',
  });
  assert.equal(again.statusCode, 400);
  assert.match(again.body, /The hub already has a service with this name: choose a different name/);
  const empty = await admin.post(`/admin/hubs/${s.hub1}/services`, { service_name: '', service_kind: '' });
  assert.match(empty.body, /Enter the service’s name, for example Educational psychology/);
  assert.match(empty.body, /Choose the kind of service/);
  const ot = await s.db
    .selectFrom('hub_services')
    .where('hub_id', '=', s.hub1)
    .where('name', '=', 'Occupational therapy')
    .selectAll()
    .executeTakeFirstOrThrow();
  const off = await admin.post(`/admin/hubs/${s.hub1}/services/${ot.id}/deactivate`, {});
  assert.equal(off.statusCode, 303);
  const offPage = await admin.get(String(off.headers.location));
  banner(offPage.body, /Service deactivated/);
  assert.match(offPage.body, /Inactive/);
  const row = await s.db.selectFrom('hub_services').where('id', '=', ot.id).select('active').executeTakeFirstOrThrow();
  assert.equal(row.active, false);
  await admin.post(`/admin/hubs/${s.hub1}/services/${ot.id}/reactivate`, {});
  const back = await s.db.selectFrom('hub_services').where('id', '=', ot.id).select('active').executeTakeFirstOrThrow();
  assert.equal(back.active, true);
  assert.equal((await audits('hub_service', ot.id)).length, 3);
});

test('a locality shows its two hubs and saves its manager and locality team', async () => {
  const hub = await s.db.selectFrom('hubs').where('id', '=', s.hub1).select('locality_id').executeTakeFirstOrThrow();
  const loc = await s.db
    .selectFrom('localities')
    .where('id', '=', hub.locality_id)
    .selectAll()
    .executeTakeFirstOrThrow();
  const url = `/admin/localities/${loc.id}/send`;
  const page = await admin.get(url);
  assert.equal(page.statusCode, 200);
  assert.match(page.body, /receives Further SEND Support requests from its 2 hubs/);
  const bad = await admin.post(url, {
    manager_user_id: s.users.hubManager.id,
    team_id: loc.team_id as string,
    version: String(loc.version),
  });
  assert.equal(bad.statusCode, 400);
  assert.match(bad.body, /Choose the locality manager from the list: a user with the locality manager role/);
  const ok = await admin.post(url, {
    manager_user_id: s.users.localityManager.id,
    team_id: await hubTeam(),
    version: String(loc.version),
  });
  assert.equal(ok.statusCode, 303);
  banner((await admin.get(String(ok.headers.location))).body, /Locality saved/);
  const after = await s.db.selectFrom('localities').where('id', '=', loc.id).selectAll().executeTakeFirstOrThrow();
  assert.equal(after.team_id, await hubTeam());
  assert.equal(after.version, loc.version + 1);
  // Put it back for the other parts' rules.
  await admin.post(url, {
    manager_user_id: s.users.localityManager.id,
    team_id: loc.team_id as string,
    version: String(after.version),
  });
});

test('settings: listed by hub, added with validation named by field, changed with a stale version refused', async () => {
  const list = await admin.get(`/admin/settings?hub=${s.hub1}`);
  assert.match(list.body, /Northgate Primary School/);
  assert.match(list.body, /Riverside Academy/);
  const other = await admin.get(`/admin/settings?hub=${s.hub2}`);
  assert.doesNotMatch(other.body, /Northgate Primary School/);

  assert.equal((await admin.get('/admin/settings/new')).statusCode, 200);
  const bad = await admin.post('/admin/settings', {
    name: 'Northgate primary school',
    kind: 'college',
    urn: '12345',
    hub_id: '',
    inbox_email: 'not-an-address',
    active: 'yes',
  });
  assert.equal(bad.statusCode, 400);
  assert.match(bad.body, /Choose the kind of setting from the list/);
  assert.match(bad.body, /Enter the URN as 6 digits, like 113456, or leave it empty/);
  assert.match(bad.body, /Choose the SEND hub that serves the setting/);
  assert.match(bad.body, /Enter an email address in the correct format, like send@northgate.sch.uk/);
  const taken = await admin.post('/admin/settings', {
    name: 'Northgate primary school',
    kind: 'school',
    hub_id: s.hub2,
    inbox_email: 'send@elsewhere.sch.uk',
    active: 'yes',
  });
  assert.match(taken.body, /A setting with this name already exists: choose a different name/);
  const count = await s.db.selectFrom('settings').where('authority_id', '=', s.org.authorityId).select('id').execute();

  const ok = await admin.post('/admin/settings', {
    name: 'Little Acorns Nursery',
    kind: 'early_years',
    urn: '',
    hub_id: s.hub2,
    inbox_email: 'Office@LittleAcorns.example',
    active: 'yes',
  });
  assert.equal(ok.statusCode, 303, ok.body.slice(0, 400));
  const id = String(ok.headers.location).split('/').pop()?.split('?')[0] as string;
  banner((await admin.get(String(ok.headers.location))).body, /Setting added/);
  const row = await s.db.selectFrom('settings').where('id', '=', id).selectAll().executeTakeFirstOrThrow();
  assert.equal(row.inbox_email, 'office@littleacorns.example');
  assert.equal(row.urn, null);
  assert.equal(
    (await s.db.selectFrom('settings').where('authority_id', '=', s.org.authorityId).select('id').execute()).length,
    count.length + 1,
  );

  const edit = {
    name: 'Little Acorns Day Nursery',
    kind: 'early_years',
    urn: '123456',
    hub_id: s.hub2,
    inbox_email: 'office@littleacorns.example',
    active: 'no',
    version: String(row.version),
  };
  const saved = await admin.post(`/admin/settings/${id}`, edit);
  assert.equal(saved.statusCode, 303);
  const after = await s.db.selectFrom('settings').where('id', '=', id).selectAll().executeTakeFirstOrThrow();
  assert.equal(after.name, 'Little Acorns Day Nursery');
  assert.equal(after.urn, '123456');
  assert.equal(after.active, false);
  const stale = await admin.post(`/admin/settings/${id}`, { ...edit, name: 'Stale name' });
  assert.equal(stale.statusCode, 409);
  assert.match(stale.body, /Someone else changed this setting/);
  assert.equal(
    (await s.db.selectFrom('settings').where('id', '=', id).select('name').executeTakeFirstOrThrow()).name,
    after.name,
  );
});

test('a new setting account is invited by email, sets a password, signs in as a setting account and is a member', async () => {
  const url = `/admin/settings/${s.org.settings.northgate}`;
  const page = await admin.get(url);
  assert.match(page.body, /Sara SENCO/);
  assert.match(page.body, /Hari Head-Teacher/);

  const bad = await admin.post(`${url}/accounts`, { display_name: '', email: 'senco@', position: '' });
  assert.equal(bad.statusCode, 400);
  assert.match(bad.body, /Enter the person’s full name/);
  assert.match(bad.body, /Enter an email address in the correct format, like senco@northgate.sch.uk/);
  assert.match(bad.body, /Choose their position at the setting: SENCO, head or other/);
  const dup = await admin.post(`${url}/accounts`, {
    display_name: 'Someone',
    email: s.users.sencoRiverside.email,
    position: 'other',
  });
  assert.match(dup.body, /That email address already has a setting account: add it from the existing accounts instead/);

  const res = await admin.post(`${url}/accounts`, {
    display_name: 'Dee Deputy-SENCO',
    email: 'Deputy.SENCO@northgate.example',
    position: 'senco',
  });
  assert.equal(res.statusCode, 303, res.body.slice(0, 600));
  banner((await admin.get(String(res.headers.location))).body, /Account added: an email with a link/);
  const user = await s.db
    .selectFrom('users')
    .where('email', '=', 'deputy.senco@northgate.example')
    .selectAll()
    .executeTakeFirstOrThrow();
  assert.deepEqual(user.roles, ['setting_user']);
  assert.equal(user.password_hash, null);
  const member = await s.db
    .selectFrom('setting_members')
    .where('user_id', '=', user.id)
    .selectAll()
    .executeTakeFirstOrThrow();
  assert.equal(member.setting_id, s.org.settings.northgate);
  assert.equal(member.position, 'senco');

  const mails = await s.db.selectFrom('outbox').selectAll().execute();
  const mail = mails.find((m) => m.to_addresses.includes('deputy.senco@northgate.example'));
  assert.ok(mail, 'an invitation went to the new account');
  assert.doesNotMatch(mail.subject, /Northgate|Dee/, 'the subject names nobody');
  const token = /\/invite\/([A-Za-z0-9_-]+)/.exec(mail.body)?.[1] as string;
  assert.ok(token, 'the email carries the set-password link');
  const dee = new Browser(s.app);
  assert.equal((await dee.get(`/invite/${token}`)).statusCode, 200);
  const set = await dee.post(`/invite/${token}`, {
    email: 'deputy.senco@northgate.example',
    password: 'correct horse battery staple',
    confirm: 'correct horse battery staple',
  });
  assert.equal(set.statusCode, 303);
  const signedIn = new Browser(s.app);
  await signedIn.login('deputy.senco@northgate.example', 'correct horse battery staple');
  assert.equal((await signedIn.get('/admin/hubs')).statusCode, 403, 'a setting account is no administrator');
});

test('an existing setting account is added to a second setting, then removed from it', async () => {
  const url = `/admin/settings/${s.org.settings.northgate}`;
  const page = await admin.get(url);
  assert.match(page.body, new RegExp(`value="${s.users.sencoRiverside.id}"`));
  const res = await admin.post(`${url}/accounts/link`, { user_id: s.users.sencoRiverside.id, position: 'head' });
  assert.equal(res.statusCode, 303);
  banner((await admin.get(String(res.headers.location))).body, /Account added to the setting/);
  const twice = await admin.post(`${url}/accounts/link`, { user_id: s.users.sencoRiverside.id, position: 'head' });
  assert.match(twice.body, /That account is already one of this setting’s accounts/);
  const notSetting = await admin.post(`${url}/accounts/link`, { user_id: s.users.navigator.id, position: 'head' });
  assert.match(notSetting.body, /Choose the account from the list of setting accounts/);

  const remove = await admin.post(`${url}/accounts/${s.users.sencoRiverside.id}/remove`, {});
  assert.equal(remove.statusCode, 303);
  banner((await admin.get(String(remove.headers.location))).body, /Account removed from the setting/);
  const left = await s.db
    .selectFrom('setting_members')
    .where('user_id', '=', s.users.sencoRiverside.id)
    .select('setting_id')
    .execute();
  assert.deepEqual(
    left.map((r) => r.setting_id),
    [s.org.settings.riverside],
  );
  assert.equal(
    (await audits('setting', s.org.settings.northgate)).filter((a) => a.action.endsWith('account')).length >= 2,
    true,
  );
});

test('only the IT administrator opens Set up of hubs and settings; another council’s hub is not found', async () => {
  const manager = await s.browser(s.users.hubManager.email);
  assert.equal((await manager.get('/admin/hubs')).statusCode, 403);
  assert.equal((await manager.get(`/admin/settings/${s.org.settings.northgate}`)).statusCode, 403);
  const senco = await s.browser(s.users.senco.email);
  assert.equal((await senco.get('/admin/settings')).statusCode, 403);
  const other = await seedOrganisation(s.db, 'setup-pages-other');
  assert.equal((await admin.get(`/admin/hubs/${other.hubIds[0]}`)).statusCode, 404);
  assert.equal((await admin.get(`/admin/settings/${other.settings.northgate}`)).statusCode, 404);
});
