// Issue 9, finding 4: an administrator could give themselves case access (PATCH /api/v1/users/{own id} with new
// roles and teams → 200). Now nobody changes their own roles or teams (403, nothing written), every change of
// roles or teams is audited as `user.roles_changed` with before and after, and giving anyone access to case
// records alerts the security role (SECURITY_ALERT_ROLE) in-app and by email. Real database, no mocks.
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import type { Db } from '../src/db/database.ts';
import { AuthService } from '../src/modules/auth/service.ts';
import { Browser, fixedClock, seedOrganisation, testApp, testConfig, testDatabase, userByRole } from './helpers.ts';

const clock = fixedClock();
const { db } = await testDatabase();
const org = await seedOrganisation(db, 'acc');
const app = await testApp(db, { now: clock.now });
const auth = new AuthService(db, testConfig(), clock.now);
const admin = userByRole(org, 'admin');
const sm = userByRole(org, 'service_manager');
const adminToken = (await auth.createApiToken(admin.email, 'access changes test'))!.token;
const browser = new Browser(app);

before(async () => {
  await browser.login(admin.email);
});

/** A PATCH with the version the user is at now, as a client that has just read them sends it. */
async function patch(userId: string, payload: Record<string, unknown>) {
  const { version } = await db.selectFrom('users').where('id', '=', userId).select('version').executeTakeFirstOrThrow();
  return app.inject({
    method: 'PATCH',
    url: `/api/v1/users/${userId}`,
    headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' },
    payload: JSON.stringify({ version, ...payload }),
  });
}

/** Everything a change of access could write. */
async function snapshot(database: Db, userId: string) {
  const count = async (t: 'audit_log' | 'alerts' | 'notifications' | 'outbox') =>
    Number(
      (
        await database
          .selectFrom(t)
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  const user = await database.selectFrom('users').where('id', '=', userId).selectAll().executeTakeFirstOrThrow();
  const teams = await database.selectFrom('team_members').where('user_id', '=', userId).select('team_id').execute();
  return {
    roles: user.roles,
    job_title: user.job_title,
    teams: teams.map((t) => t.team_id).sort(),
    audit: await count('audit_log'),
    alerts: await count('alerts'),
    notifications: await count('notifications'),
    outbox: await count('outbox'),
  };
}

async function lastAudit(userId: string) {
  return db
    .selectFrom('audit_log')
    .where('entity', '=', 'user')
    .where('entity_id', '=', userId)
    .where('action', '=', 'user.roles_changed')
    .orderBy('seq', 'desc')
    .select(['actor_id', 'detail'])
    .executeTakeFirst();
}

describe('nobody changes their own roles or teams', () => {
  test('PATCH /api/v1/users/{own id} with new roles and teams → 403 with a clear message, nothing written', async () => {
    const was = await snapshot(db, admin.id);
    const res = await patch(admin.id, {
      roles: ['admin', 'service_manager'],
      team_ids: [org.teams.cic as string, org.teams.ypt as string],
    });
    assert.equal(res.statusCode, 403, res.body);
    assert.match(res.json().message, /You cannot change your own roles or teams\. Ask another administrator/);
    assert.deepEqual(await snapshot(db, admin.id), was);

    // Roles alone, and teams alone, are refused too.
    assert.equal((await patch(admin.id, { roles: ['admin', 'social_worker'] })).statusCode, 403);
    assert.equal((await patch(admin.id, { team_ids: [org.teams.cic as string] })).statusCode, 403);
    assert.deepEqual(await snapshot(db, admin.id), was);
  });

  test('the page form: new roles or teams for oneself → 403 page, nothing written; other own details may change', async () => {
    const was = await snapshot(db, admin.id);
    const form = {
      display_name: admin.name,
      job_title: 'Systems Administrator',
      phone: '',
      line_manager_id: '',
      version: '1',
    };
    let res = await browser.post(`/admin/users/${admin.id}/edit`, {
      ...form,
      roles: ['admin', 'team_manager'],
      team_ids: [org.teams['dct-north'] as string],
    });
    assert.equal(res.statusCode, 403);
    assert.match(res.body, /You cannot change your own roles or teams\. Ask another administrator/);
    assert.deepEqual(await snapshot(db, admin.id), was);

    // The same form with their roles and teams as they are saves the other fields.
    res = await browser.post(`/admin/users/${admin.id}/edit`, {
      ...form,
      job_title: 'Head of Systems',
      roles: was.roles,
      team_ids: was.teams,
    });
    assert.equal(res.statusCode, 303, res.body);
    const now = await snapshot(db, admin.id);
    assert.equal(now.job_title, 'Head of Systems');
    assert.deepEqual(now.roles, was.roles);
    assert.equal(await lastAudit(admin.id), undefined, 'no roles_changed row when access did not change');
  });
});

describe('granting case access to someone else', () => {
  test('a case role: 200, a user.roles_changed audit row with before and after, an alert and an email to the security role', async () => {
    const chair = userByRole(org, 'forum_chair');
    const was = await snapshot(db, chair.id);
    const res = await patch(chair.id, { roles: ['forum_chair', 'social_worker'] });
    assert.equal(res.statusCode, 200, res.body);

    const audit = await lastAudit(chair.id);
    assert.equal(audit?.actor_id, admin.id);
    assert.deepEqual(audit?.detail, {
      before: { roles: ['forum_chair'], team_ids: was.teams },
      after: { roles: ['forum_chair', 'social_worker'], team_ids: was.teams },
      case_access_granted: true,
      alerted_role: 'service_manager',
    });

    const alert = await db
      .selectFrom('alerts')
      .where('authority_id', '=', org.authorityId)
      .where('kind', '=', 'case-access-granted')
      .select(['role', 'message'])
      .executeTakeFirstOrThrow();
    assert.equal(alert.role, 'service_manager');
    assert.equal(alert.message, `${admin.name} gave ${chair.name} access to case records (roles or teams changed)`);

    // The service manager sees it on My work, has a notification, and an email is queued to them.
    const smBrowser = new Browser(app);
    await smBrowser.login(sm.email);
    assert.match(
      (await smBrowser.get('/')).body,
      new RegExp(`${admin.name} gave ${chair.name} access to case records`),
    );
    const note = await db
      .selectFrom('notifications')
      .where('user_id', '=', sm.id)
      .select('message')
      .executeTakeFirstOrThrow();
    assert.equal(note.message, alert.message);
    const mail = await db
      .selectFrom('outbox')
      .where((eb) => eb(eb.val(sm.email), '=', eb.fn.any('to_addresses')))
      .select('subject')
      .executeTakeFirstOrThrow();
    assert.match(mail.subject, /access to case records/);
  });

  test('new teams for a case-role holder alert; taking a role away is audited but not alerted', async () => {
    const tm = userByRole(org, 'team_manager');
    const was = await snapshot(db, tm.id);
    let res = await patch(tm.id, { team_ids: [...was.teams, org.teams.cic as string] });
    assert.equal(res.statusCode, 200, res.body);
    let after = await snapshot(db, tm.id);
    assert.equal(after.alerts, was.alerts + 1);
    const grantAudit = (await lastAudit(tm.id))?.detail as { case_access_granted?: boolean } | undefined;
    assert.equal(grantAudit?.case_access_granted, true);

    const chair = userByRole(org, 'forum_chair');
    const before2 = await snapshot(db, chair.id);
    res = await patch(chair.id, { roles: ['forum_chair'] });
    assert.equal(res.statusCode, 200, res.body);
    after = await snapshot(db, chair.id);
    assert.equal(after.alerts, before2.alerts, 'no alert for taking access away');
    assert.deepEqual((await lastAudit(chair.id))?.detail, {
      before: { roles: ['forum_chair', 'social_worker'], team_ids: before2.teams },
      after: { roles: ['forum_chair'], team_ids: before2.teams },
      case_access_granted: false,
    });
  });

  test('a new user with a case role is alerted; their create audit row records the roles and teams', async () => {
    const was = await snapshot(db, sm.id);
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/users',
      headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' },
      payload: JSON.stringify({
        email: 'new.worker@acc.test.example',
        display_name: 'Nia New-Worker',
        roles: ['social_worker'],
        team_ids: [org.teams['dct-north'] as string],
        password: 'a long enough passphrase for tests',
      }),
    });
    assert.equal(res.statusCode, 201, res.body);
    const id = res.json().id as string;
    const created = await db
      .selectFrom('audit_log')
      .where('entity_id', '=', id)
      .select(['action', 'detail'])
      .executeTakeFirstOrThrow();
    assert.equal(created.action, 'create');
    assert.deepEqual(created.detail, {
      roles: ['social_worker'],
      team_ids: [org.teams['dct-north'] as string],
      line_manager_id: null,
    });
    assert.equal((await snapshot(db, sm.id)).alerts, was.alerts + 1);
    assert.equal((await snapshot(db, sm.id)).notifications, was.notifications + 1);
  });
});
