// Notification pages: my notifications, the outbox for council IT, and the development mailbox.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { enqueueEmail, notifyUser } from '../src/modules/notifications/outbox.ts';
import { Browser, fixedClock, seedOrganisation, testApp, testDatabase, userByRole } from './helpers.ts';

const { db } = await testDatabase();
const org = await seedOrganisation(db, 'npg');
const other = await seedOrganisation(db, 'npo');
const clock = fixedClock('2026-11-23T10:00:00Z');
const app = await testApp(db, { now: clock.now });
const worker = userByRole(org, 'social_worker');
const admin = userByRole(org, 'admin');

async function notify(userId: string, authorityId: string, message: string, link: string) {
  await db.transaction().execute((tx) =>
    notifyUser(tx, {
      authorityId,
      userId,
      message,
      link,
      reference: 'NPG-1',
      baseUrl: 'https://handover.test.example',
      email: false,
    }),
  );
}

test('a worker sees their notifications, newest first with the unread ones marked, and marks them all read', async () => {
  await notify(worker.id, org.authorityId, 'A step is waiting for you', '/people');
  clock.advance(60_000);
  await notify(worker.id, org.authorityId, 'A young person has been allocated to you', '/');
  await notify(userByRole(org, 'team_manager').id, org.authorityId, 'Not for the worker', '/');

  const b = new Browser(app);
  await b.login(worker.email);
  const home = await b.get('/');
  assert.match(home.body, /<a class="govuk-link" href="\/notifications">You have 2 unread notifications<\/a>/);
  assert.match(home.body, /Notifications \(2 unread\)/);

  const page = await b.get('/notifications');
  assert.equal(page.statusCode, 200);
  assert.match(page.body, /<legend[^>]*>\s*Your notifications, newest first/);
  assert.match(page.body, /You have 2 unread notifications\./);
  const newer = page.body.indexOf('A young person has been allocated to you');
  const older = page.body.indexOf('A step is waiting for you');
  assert.ok(newer > 0 && older > newer, 'newest first');
  assert.match(page.body, /href="\/people">A step is waiting for you<\/a>/);
  assert.equal(page.body.match(/>Unread</g)?.length, 2);
  assert.doesNotMatch(page.body, /Not for the worker/);

  // Without the CSRF token nothing changes.
  assert.equal((await b.post('/notifications/read', { action: 'all' }, { csrf: null })).statusCode, 403);
  const stillUnread = await db
    .selectFrom('notifications')
    .where('user_id', '=', worker.id)
    .where('read_at', 'is', null)
    .select('id')
    .execute();
  assert.equal(stillUnread.length, 2);

  const marked = await b.post('/notifications/read', { action: 'all' });
  assert.equal(marked.statusCode, 303);
  assert.equal(marked.headers.location, '/notifications?saved=read-all');
  const after = await b.get('/notifications');
  assert.match(after.body, /You have no unread notifications\./);
  assert.doesNotMatch(after.body, />Unread</);
  assert.match(after.body, /A step is waiting for you/);
  assert.doesNotMatch((await b.get('/')).body, /unread notification/);
  const rows = await db.selectFrom('notifications').where('user_id', '=', worker.id).select('read_at').execute();
  assert.ok(rows.every((r) => r.read_at?.getTime() === clock.now().getTime()));
  // The team manager's notification is untouched.
  const theirs = await db
    .selectFrom('notifications')
    .where('user_id', '=', userByRole(org, 'team_manager').id)
    .select('read_at')
    .executeTakeFirstOrThrow();
  assert.equal(theirs.read_at, null);
});

test('a notification link that is not a path on this site is shown as text, not a link', async () => {
  const manager = userByRole(org, 'send_manager');
  await notify(manager.id, org.authorityId, 'Odd link', 'https://evil.example/');
  await notify(manager.id, org.authorityId, 'Protocol-relative link', '//evil.example/');
  const b = new Browser(app);
  await b.login(manager.email);
  const page = await b.get('/notifications');
  assert.match(page.body, /Odd link/);
  assert.match(page.body, /Protocol-relative link/);
  assert.doesNotMatch(page.body, /evil\.example/);
});

async function failedEmail(authorityId: string, reference: string) {
  return db
    .insertInto('outbox')
    .values({
      authority_id: authorityId,
      reference,
      to_addresses: ['someone@npg.test.example'],
      cc_addresses: ['boss@npg.test.example'],
      subject: `Handover: a step is overdue (ref ${reference})`,
      body: 'x',
      status: 'failed',
      attempts: 8,
      last_error: 'Mailbox unavailable: 550',
    })
    .returning('id')
    .executeTakeFirstOrThrow();
}

test('council IT sees a failed email and retries it: back in the queue, due now, audited', async () => {
  const mine = await failedEmail(org.authorityId, 'NPG-FAIL-1');
  const theirs = await failedEmail(other.authorityId, 'NPO-FAIL-1');
  await db
    .insertInto('outbox')
    .values({
      authority_id: org.authorityId,
      reference: 'NPG-RETRYING',
      to_addresses: ['a@npg.test.example'],
      subject: 'Handover: retrying',
      body: 'x',
      attempts: 2,
      last_error: 'Service not available, try later: 421',
      next_attempt_at: new Date(clock.now().getTime() + 120_000),
    })
    .execute();

  const b = new Browser(app);
  await b.login(admin.email);
  const page = await b.get('/admin/outbox');
  assert.equal(page.statusCode, 200);
  assert.match(page.body, /<caption[^>]*>\s*Emails by status/);
  assert.match(page.body, /NPG-FAIL-1/);
  assert.match(page.body, /someone@npg\.test\.example, boss@npg\.test\.example/);
  assert.match(page.body, /Mailbox unavailable: 550/);
  assert.match(page.body, /NPG-RETRYING/);
  assert.match(page.body, /Service not available, try later: 421/);
  assert.equal(page.body.match(/>\s*Retry now</g)?.length, 1, 'only the failed email has Retry now');
  assert.doesNotMatch(page.body, /NPO-FAIL-1/, 'another council’s email');

  // Another council's email cannot be retried from here.
  assert.equal((await b.post(`/admin/outbox/${theirs.id}/retry`, {})).statusCode, 404);

  const res = await b.post(`/admin/outbox/${mine.id}/retry`, {});
  assert.equal(res.statusCode, 303);
  assert.equal(res.headers.location, '/admin/outbox?retried=1');
  const row = await db.selectFrom('outbox').where('id', '=', mine.id).selectAll().executeTakeFirstOrThrow();
  assert.equal(row.status, 'pending');
  assert.equal(row.attempts, 0);
  assert.equal(row.next_attempt_at.getTime(), clock.now().getTime());
  const audit = await db
    .selectFrom('audit_log')
    .where('entity', '=', 'outbox')
    .where('entity_id', '=', mine.id)
    .selectAll()
    .execute();
  assert.equal(audit.length, 1);
  assert.equal(audit[0]!.action, 'retry');
  assert.equal(audit[0]!.actor_id, admin.id);
  assert.deepEqual(audit[0]!.detail, { reference: 'NPG-FAIL-1' });

  const again = await b.get('/admin/outbox?retried=1');
  assert.match(again.body, /queued again/);
  assert.doesNotMatch(again.body, />\s*Retry now</);
  // A second retry of the same email finds nothing to retry.
  assert.equal((await b.post(`/admin/outbox/${mine.id}/retry`, {})).statusCode, 404);
  assert.equal(
    (await db.selectFrom('outbox').where('id', '=', theirs.id).select('status').executeTakeFirstOrThrow()).status,
    'failed',
  );
});

test('a social worker may not see the outbox', async () => {
  const b = new Browser(app);
  await b.login(worker.email);
  assert.equal((await b.get('/admin/outbox')).statusCode, 403);
  const failed = await failedEmail(org.authorityId, 'NPG-FAIL-SW');
  assert.equal((await b.post(`/admin/outbox/${failed.id}/retry`, {})).statusCode, 403);
});

test('in demo mode the development mailbox shows a queued email to that council’s administrator only', async () => {
  const id = await enqueueEmail(db, {
    authorityId: org.authorityId,
    reference: 'NPG-DEV-1',
    to: ['reader@npg.test.example'],
    cc: ['copy@npg.test.example'],
    subject: 'Handover: a referral is waiting (ref NPG-DEV-1)',
    body: 'Reference: NPG-DEV-1\n\nSign in to see it: https://handover.test.example/referrals/1',
  });

  const b = new Browser(app);
  await b.login(admin.email);
  const list = await b.get('/dev/mail');
  assert.equal(list.statusCode, 200);
  assert.match(list.body, /<caption[^>]*>\s*Emails in your council’s outbox/);
  assert.match(list.body, new RegExp(`href="/dev/mail/${id}">Handover: a referral is waiting \\(ref NPG-DEV-1\\)</a>`));
  assert.match(list.body, /reader@npg\.test\.example/);
  assert.match(list.body, /copy@npg\.test\.example/);
  const one = await b.get(`/dev/mail/${id}`);
  assert.equal(one.statusCode, 200);
  assert.match(one.body, /Reference: NPG-DEV-1<\/p>/);
  assert.match(one.body, /Sign in to see it: https:\/\/handover\.test\.example\/referrals\/1/);
  assert.match(one.body, new RegExp(`&lt;${id}@handover&gt;`));

  const outsider = new Browser(app);
  await outsider.login(userByRole(other, 'admin').email);
  assert.doesNotMatch((await outsider.get('/dev/mail')).body, /NPG-DEV-1/);
  assert.equal((await outsider.get(`/dev/mail/${id}`)).statusCode, 404);
  assert.equal((await outsider.get('/dev/mail/not-an-id')).statusCode, 404);

  const anonymous = new Browser(app);
  const res = await anonymous.get('/dev/mail');
  assert.equal(res.statusCode, 302);
  assert.equal(res.headers.location, '/login');
});

test('in demo mode every signed-in role but the administrator is refused the development mailbox (issue 9)', async () => {
  const id = await enqueueEmail(db, {
    authorityId: org.authorityId,
    reference: 'NPG-DEV-2',
    to: ['someone@npg.test.example'],
    subject: 'Handover: for the administrator’s eyes only (ref NPG-DEV-2)',
    body: 'Reference: NPG-DEV-2',
  });
  const roles = [...new Set(org.users.map((u) => u.role))].filter((r) => r !== 'admin');
  assert.ok(roles.length >= 6, `every demo role is tried: ${roles.join(', ')}`);
  for (const role of roles) {
    const b = new Browser(app);
    await b.login(userByRole(org, role).email);
    for (const url of ['/dev/mail', `/dev/mail/${id}`]) {
      const res = await b.get(url);
      assert.equal(res.statusCode, 403, `${role} ${url}`);
      assert.doesNotMatch(res.body, /NPG-DEV-2/, `${role} ${url}`);
    }
  }
});

test('the development mailbox shows a set-password link with its token masked', async () => {
  const token = 'AbCdEfGhIjKlMnOpQrStUvWxYz0123456789_-abcd';
  const id = await enqueueEmail(db, {
    authorityId: org.authorityId,
    reference: 'invite-npg',
    to: ['invitee@npg.test.example'],
    subject: 'You have been invited to Handover to give advice',
    body: `Set your password:\nhttps://handover.test.example/invite/${token}\n\nThis email does not contain personal details.`,
  });
  const b = new Browser(app);
  await b.login(admin.email);
  const one = await b.get(`/dev/mail/${id}`);
  assert.equal(one.statusCode, 200);
  assert.ok(!one.body.includes(token), 'the token is not on the page');
  assert.match(one.body, /https:\/\/handover\.test\.example\/invite\/\[link hidden: only the recipient gets it\]/);
  assert.ok(!(await b.get('/dev/mail')).body.includes(token));
  assert.ok(!(await b.get('/admin/outbox')).body.includes(token));
});

test('the development mailbox does not exist outside demo mode, whatever the transport', async () => {
  for (const config of [
    { demoMode: false, mailTransport: 'smtp' as const, smtpUrl: 'smtp://127.0.0.1:1' },
    { demoMode: false, mailTransport: 'off' as const },
    // Config refuses 'log' outside demo mode; even if it were given, the mailbox stays away.
    { demoMode: false, mailTransport: 'log' as const },
  ]) {
    const live = await testApp(db, { now: clock.now, config });
    assert.ok(!live.routeTable.some((r) => r.url.startsWith('/dev/')), config.mailTransport);
    const b = new Browser(live);
    await b.login(admin.email);
    assert.equal((await b.get('/dev/mail')).statusCode, 404);
    assert.equal((await b.get('/notifications')).statusCode, 200);
  }
});

test('with MAIL_TRANSPORT=off the outbox page says plainly that email is turned off', async () => {
  const off = await testApp(db, { now: clock.now, config: { demoMode: false, mailTransport: 'off' } });
  const b = new Browser(off);
  await b.login(admin.email);
  const page = await b.get('/admin/outbox');
  assert.equal(page.statusCode, 200);
  assert.match(page.body, /govuk-notification-banner[\s\S]*Email is turned off\.[\s\S]*MAIL_TRANSPORT=off/);
  const on = new Browser(app);
  await on.login(admin.email);
  assert.doesNotMatch((await on.get('/admin/outbox')).body, /Email is turned off/);
});
