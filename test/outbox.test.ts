// The email outbox sender (quality.md R6, S14): a real PostgreSQL, a real SMTP server on 127.0.0.1 and a fake
// GOV.UK Notify API on 127.0.0.1. Nothing leaves the machine.
import assert from 'node:assert/strict';
import { createHmac, randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, beforeEach, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { SMTPServer } from 'smtp-server';
import { createDb, type Db } from '../src/db/database.ts';
import {
  backoffMs,
  createTransport,
  describeError,
  LogTransport,
  MAX_ATTEMPTS,
  type MailTransport,
  NotifyTransport,
  SmtpTransport,
  sendDue,
} from '../src/jobs/outbox.ts';
import { enqueueEmail, messageIdFor, notifyUser, UnsafeEmail } from '../src/modules/notifications/outbox.ts';
import { claimDueEmails } from '../src/modules/notifications/repository.ts';
import { seedOrganisation, testConfig, testDatabase, userByRole } from './helpers.ts';

const { db, url } = await testDatabase();
const org = await seedOrganisation(db, 'obx');
const MIN = 60_000;

/** Another sender: its own pool, as in another process. */
function anotherProcess(): Db {
  const other = createDb(url, 3);
  after(() => other.destroy());
  return other;
}

interface Received {
  from: string;
  rcpt: string[];
  messageId: string;
  raw: string;
}

/** A real SMTP server on a random local port, without auth or TLS, keeping what it accepts. */
async function smtpServer() {
  const received: Received[] = [];
  let failure: { at: 'rcpt' | 'data'; code: number } | null = null;
  const refuse = (code: number) =>
    Object.assign(new Error(code === 421 ? 'Service not available, try later' : 'Mailbox unavailable'), {
      responseCode: code,
    });
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['AUTH', 'STARTTLS'],
    logger: false,
    onRcptTo(_address, _session, callback) {
      callback(failure?.at === 'rcpt' ? refuse(failure.code) : null);
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        if (failure?.at === 'data') return callback(refuse(failure.code));
        const raw = Buffer.concat(chunks).toString('utf8');
        received.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          rcpt: session.envelope.rcptTo.map((r) => r.address),
          messageId: /^Message-ID: (.+)$/im.exec(raw)?.[1]?.trim() ?? '',
          raw,
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as AddressInfo).port;
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return {
    url: `smtp://127.0.0.1:${port}`,
    received,
    failWith(f: { at: 'rcpt' | 'data'; code: number } | null) {
      failure = f;
    },
    /** How many copies each recipient got of each message. */
    copies() {
      const n = new Map<string, number>();
      for (const r of received)
        for (const to of r.rcpt) n.set(`${r.messageId} ${to}`, (n.get(`${r.messageId} ${to}`) ?? 0) + 1);
      return n;
    },
  };
}

const smtp = await smtpServer();
const FROM = 'Handover <no-reply@handover.test.example>';
const smtpTransport = () => {
  const t = new SmtpTransport(smtp.url, FROM);
  after(() => t.close());
  return t;
};

/** Rows are stamped by the database clock, so sends are timed from just after now. */
const t0 = () => new Date(Date.now() + 1000);

async function queue(n: number, over: { to?: string[]; cc?: string[]; subject?: string } = {}) {
  return db.transaction().execute(async (tx) => {
    const ids: string[] = [];
    for (let i = 0; i < n; i++) {
      ids.push(
        await enqueueEmail(tx, {
          authorityId: org.authorityId,
          reference: `REF-${i}`,
          to: over.to ?? [`worker${i}@obx.test.example`],
          cc: over.cc ?? [`manager${i}@obx.test.example`],
          subject: over.subject ?? `Handover: a step is waiting for you (ref REF-${i})`,
          body: `Reference: REF-${i}\nSign in to see it: https://handover.test.example/steps/${i}`,
        }),
      );
    }
    return ids;
  });
}

const row = (id: string) => db.selectFrom('outbox').where('id', '=', id).selectAll().executeTakeFirstOrThrow();

beforeEach(async () => {
  await db.deleteFrom('outbox').execute();
  smtp.received.length = 0;
  smtp.failWith(null);
});

test('backoff doubles from one minute and stops at an hour', () => {
  const table: [number, number][] = [
    [1, 1],
    [2, 2],
    [3, 4],
    [4, 8],
    [5, 16],
    [6, 32],
    [7, 60],
    [8, 60],
    [20, 60],
  ];
  for (const [attempts, minutes] of table) assert.equal(backoffMs(attempts), minutes * MIN, `after ${attempts}`);
});

test('two senders in separate processes send each queued email exactly once to each recipient', async () => {
  const ids = await queue(30);
  const senders = [
    { db: anotherProcess(), transport: smtpTransport() },
    { db: anotherProcess(), transport: smtpTransport() },
  ];
  const now = t0();
  const totals = await Promise.all(
    senders.map(async (s) => {
      let sent = 0;
      for (;;) {
        const r = await sendDue(s.db, s.transport, now, { batch: 4 });
        if (r.sent + r.retried + r.failed === 0) return sent;
        sent += r.sent;
      }
    }),
  );
  assert.equal(totals[0]! + totals[1]!, 30);
  assert.equal(smtp.received.length, 30);
  const copies = smtp.copies();
  assert.equal(copies.size, 60, 'one copy for each of 30 "to" and 30 "cc" recipients');
  assert.ok([...copies.values()].every((n) => n === 1));
  for (const [i, id] of ids.entries()) {
    const r = await row(id);
    assert.equal(r.status, 'sent');
    assert.equal(r.attempts, 1);
    assert.equal(r.transport, 'smtp');
    assert.ok(r.provider_id, 'the server reply is kept');
    assert.equal(copies.get(`${messageIdFor(id)} worker${i}@obx.test.example`), 1);
    assert.equal(copies.get(`${messageIdFor(id)} manager${i}@obx.test.example`), 1);
  }
  const mail = smtp.received[0]!;
  assert.equal(mail.from, 'no-reply@handover.test.example');
  assert.match(mail.raw, /^Subject: Handover: a step is waiting for you \(ref REF-\d+\)$/m);
  assert.match(mail.raw, /^Cc: manager\d+@obx\.test\.example$/m);
  // Nothing more to do, for either of them.
  assert.deepEqual(await sendDue(senders[0]!.db, senders[0]!.transport, now), {
    sent: 0,
    failed: 0,
    retried: 0,
    resent: 0,
  });
});

test('an email exists only if what caused it committed', async () => {
  await assert.rejects(
    db.transaction().execute(async (tx) => {
      await enqueueEmail(tx, {
        authorityId: org.authorityId,
        reference: 'ROLLED-BACK',
        to: ['someone@obx.test.example'],
        subject: 'Handover: never',
        body: 'never',
      });
      throw new Error('the allocation failed');
    }),
    /allocation failed/,
  );
  assert.equal((await db.selectFrom('outbox').selectAll().execute()).length, 0);
});

test('an email queued on the app clock is due on that clock, whatever the database clock says', async () => {
  // The app (and its tests) run on an injected clock; the sender is given the same clock. A message stamped by
  // the database's own now() was never due for a sender running on a clock behind it (the hidden Option 2 failure).
  const appNow = new Date('2020-03-02T09:00:00Z');
  const id = await db.transaction().execute((tx) =>
    enqueueEmail(tx, {
      at: appNow,
      authorityId: org.authorityId,
      reference: 'APP-CLOCK',
      to: ['someone@obx.test.example'],
      subject: 'Handover: on the app clock',
      body: 'Reference: APP-CLOCK',
    }),
  );
  const row = await db
    .selectFrom('outbox')
    .where('id', '=', id)
    .select(['created_at', 'next_attempt_at'])
    .executeTakeFirstOrThrow();
  assert.equal(new Date(row.next_attempt_at).toISOString(), appNow.toISOString());
  assert.ok(new Date(row.created_at) > appNow, 'created_at stays the time the row was written');
  const claimed = await claimDueEmails(db, new Date(appNow.getTime() + 60_000), MIN, 10);
  assert.deepEqual(
    claimed.map((r) => r.id),
    [id],
  );
});

test('a crash between commit and send: the next sender to start sends it, once', async () => {
  // Committed; then the process died before any sender ran. A new process starts.
  const [id] = await queue(1);
  const restarted = { db: anotherProcess(), transport: smtpTransport() };
  const now = t0();
  assert.equal((await sendDue(restarted.db, restarted.transport, now)).sent, 1);
  assert.equal((await sendDue(restarted.db, restarted.transport, new Date(now.getTime() + 60 * MIN))).sent, 0);
  assert.equal(smtp.received.length, 1);
  assert.equal(smtp.received[0]!.messageId, messageIdFor(id!));
  assert.equal((await row(id!)).status, 'sent');
});

test('a sender that dies holding a claim: the row is sent once its lease runs out, not before', async () => {
  const [id] = await queue(1);
  const now = t0();
  const claimed = await claimDueEmails(db, now, 10 * MIN, 10);
  assert.deepEqual(
    claimed.map((c) => c.id),
    [id],
  );
  // …and that sender is gone. Others leave the row alone while the lease holds.
  const transport = smtpTransport();
  assert.equal((await sendDue(db, transport, new Date(now.getTime() + 9 * MIN))).sent, 0);
  assert.equal(smtp.received.length, 0);
  const r = await sendDue(db, transport, new Date(now.getTime() + 10 * MIN));
  assert.deepEqual(r, { sent: 1, failed: 0, retried: 0, resent: 1 }, 'counted as a possible second copy');
  assert.equal(smtp.received.length, 1);
  const after = await row(id!);
  assert.equal(after.status, 'sent');
  assert.equal(after.attempts, 2, 'the crashed attempt counts');
  assert.equal(after.claimed_until, null);
  assert.match(after.last_error ?? '', /^Sent again after a sender stopped while sending it: .*same Message-ID\.$/);
});

test('a sender claims one row at a time: after it dies, only the row it was sending waits for the lease', async () => {
  const ids = await queue(3, { cc: [] });
  const now = t0();
  // The sender that dies: it had claimed the first row (its in-flight mark) and nothing else.
  const [first] = await claimDueEmails(db, now, 10 * MIN, 1);
  const other = smtpTransport();
  const r = await sendDue(db, other, new Date(now.getTime() + MIN));
  assert.deepEqual(r, { sent: 2, failed: 0, retried: 0, resent: 0 }, 'the rest go at once');
  assert.equal((await row(first!.id)).status, 'sending');
  assert.deepEqual(
    smtp.received.map((m) => m.messageId).sort(),
    ids
      .filter((id) => id !== first!.id)
      .map(messageIdFor)
      .sort(),
  );
});

test('a crash after the server accepted but before "sent" was written: one re-send, with the same Message-ID', async () => {
  const [id] = await queue(1, { cc: [] });
  const now = t0();
  const transport = smtpTransport();
  // The sender claims, the server accepts, and the process dies before marking the row sent.
  const [claimed] = await claimDueEmails(db, now, 10 * MIN, 10);
  await transport.send({
    id: claimed!.id,
    reference: claimed!.reference,
    to: claimed!.to_addresses,
    cc: [],
    subject: claimed!.subject,
    body: claimed!.body,
  });
  assert.deepEqual(await sendDue(db, transport, new Date(now.getTime() + 10 * MIN)), {
    sent: 1,
    failed: 0,
    retried: 0,
    resent: 1,
  });
  assert.equal(smtp.received.length, 2, 'at-least-once: the second copy is the documented cost');
  assert.deepEqual(
    smtp.received.map((m) => m.messageId),
    [messageIdFor(id!), messageIdFor(id!)],
  );
});

test('a refusing mail server: retried with backoff, the error kept without addresses, failed after the last attempt, never dropped', async () => {
  const [id] = await queue(1);
  const transport = smtpTransport();
  let now = t0();
  const failures = [
    { at: 'rcpt', code: 421 },
    { at: 'data', code: 550 },
  ] as const;
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    smtp.failWith(failures[attempt % 2]!);
    // Not yet due: a minute short of the backoff, nothing is tried.
    if (attempt > 1) assert.equal((await sendDue(db, transport, new Date(now.getTime() - 1000))).retried, 0);
    const r = await sendDue(db, transport, now);
    const after = await row(id!);
    assert.equal(after.attempts, attempt);
    assert.match(after.last_error ?? '', attempt % 2 ? /550/ : /421/);
    assert.doesNotMatch(after.last_error ?? '', /@/, 'no addresses in last_error');
    if (attempt < MAX_ATTEMPTS) {
      assert.deepEqual(r, { sent: 0, failed: 0, retried: 1, resent: 0 });
      assert.equal(after.status, 'pending');
      assert.equal(after.next_attempt_at.getTime(), now.getTime() + backoffMs(attempt));
      now = after.next_attempt_at;
    } else {
      assert.deepEqual(r, { sent: 0, failed: 1, retried: 0, resent: 0 });
      assert.equal(after.status, 'failed');
    }
  }
  assert.equal(smtp.received.length, 0);
  // A failed email waits for an administrator; the sender does not pick it up again by itself.
  smtp.failWith(null);
  assert.equal((await sendDue(db, transport, new Date(now.getTime() + 24 * 60 * MIN))).sent, 0);
  assert.equal((await row(id!)).status, 'failed');
});

test('a mail server that recovers: the retry sends the email', async () => {
  const [id] = await queue(1);
  const transport = smtpTransport();
  const now = t0();
  smtp.failWith({ at: 'rcpt', code: 421 });
  assert.equal((await sendDue(db, transport, now)).retried, 1);
  smtp.failWith(null);
  assert.equal((await sendDue(db, transport, new Date(now.getTime() + MIN))).sent, 1);
  const after = await row(id!);
  assert.equal(after.status, 'sent');
  assert.equal(after.attempts, 2);
  assert.equal(smtp.received.length, 1);
});

test('an unreachable mail server counts as a failed attempt', async () => {
  const [id] = await queue(1);
  const closed = new SmtpTransport('smtp://127.0.0.1:1', FROM);
  const r = await sendDue(db, closed, t0());
  assert.equal(r.retried, 1);
  assert.match((await row(id!)).last_error ?? '', /ECONNREFUSED|connect/i);
});

test('a call stops claiming once half its lease is used: the rows it did not reach stay pending, untouched', async () => {
  const ids = await queue(3, { cc: [] });
  // A 30 ms lease, and a transport that takes 20 ms: the first send alone uses more than half of it.
  const slow: MailTransport = {
    name: 'smtp',
    send: async () => {
      await sleep(20);
      return { providerId: null };
    },
    close: async () => {},
  };
  const r = await sendDue(db, slow, t0(), { leaseMs: 30 });
  assert.deepEqual(r, { sent: 1, failed: 0, retried: 0, resent: 0 });
  const rows = await Promise.all(ids.map(row));
  assert.deepEqual(rows.map((x) => x.status).sort(), ['pending', 'pending', 'sent']);
  for (const x of rows.filter((x) => x.status === 'pending')) assert.equal(x.attempts, 0);
  assert.equal((await sendDue(db, smtpTransport(), t0())).sent, 2);
  assert.equal(smtp.received.length, 2);
});

test('header injection: enqueueEmail refuses line breaks and address lists; a row written otherwise fails without being sent', async () => {
  const base = {
    authorityId: org.authorityId,
    reference: 'INJ-1',
    to: ['worker@obx.test.example'],
    subject: 'Handover: ok',
    body: 'Line one\nLine two',
  };
  for (const bad of [
    { subject: 'Hello\r\nBcc: victim@evil.example' },
    { subject: 'Hello\nX-Injected: 1' },
    { to: ['worker@obx.test.example\r\nBcc: victim@evil.example'] },
    { to: ['worker@obx.test.example, victim@evil.example'] },
    { cc: ['Victim <victim@evil.example>'] },
    { to: [] },
  ]) {
    await assert.rejects(enqueueEmail(db, { ...base, ...bad }), UnsafeEmail, JSON.stringify(bad));
  }
  assert.equal((await db.selectFrom('outbox').selectAll().execute()).length, 0);
  // Line breaks in the body are fine: the body is not a header.
  await enqueueEmail(db, base);

  const written = await db
    .insertInto('outbox')
    .values({
      authority_id: org.authorityId,
      reference: 'INJ-2',
      to_addresses: ['worker@obx.test.example'],
      subject: 'Hi\r\nBcc: victim@evil.example',
      body: 'x',
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const r = await sendDue(db, smtpTransport(), t0());
  assert.deepEqual(r, { sent: 1, failed: 1, retried: 0, resent: 0 });
  const refused = await row(written.id);
  assert.equal(refused.status, 'failed');
  assert.match(refused.last_error ?? '', /line break/);
  assert.equal(smtp.received.length, 1);
  assert.doesNotMatch(smtp.received[0]!.raw, /victim|^Bcc:/im);
});

test('notifyUser: the email carries the reference and a sign-in link, and nothing about the young person', async () => {
  const worker = userByRole(org, 'social_worker');
  const child = await db
    .insertInto('people')
    .values({
      authority_id: org.authorityId,
      case_number: 'OBX-0042',
      given_name: 'Zebedee',
      family_name: 'Quillfeather',
      date_of_birth: '2013-02-03',
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await db.transaction().execute((tx) =>
    notifyUser(tx, {
      authorityId: org.authorityId,
      userId: worker.id,
      message: 'A young person has been allocated to you',
      link: `/people/${child.id}`,
      reference: 'OBX-0042',
      baseUrl: 'https://handover.test.example',
    }),
  );
  const [email] = await db.selectFrom('outbox').selectAll().execute();
  assert.ok(email);
  assert.deepEqual(email.to_addresses, [worker.email]);
  assert.equal(email.reference, 'OBX-0042');
  assert.equal(email.subject, 'Handover: A young person has been allocated to you (ref OBX-0042)');
  assert.equal(
    email.body,
    `Hello ${worker.name},\n\nA young person has been allocated to you.\n\nReference: OBX-0042\n` +
      `Sign in to see it: https://handover.test.example/people/${child.id}\n\n` +
      'This email does not contain personal details. Do not reply to it.',
  );
  for (const text of [email.subject, email.body]) {
    assert.doesNotMatch(text, /Zebedee|Quillfeather|2013/);
  }
  const note = await db
    .selectFrom('notifications')
    .where('user_id', '=', worker.id)
    .selectAll()
    .executeTakeFirstOrThrow();
  assert.equal(note.link, `/people/${child.id}`);

  // Sent as it was queued: the mail on the wire has the same subject and body, and nothing else of the child.
  await sendDue(db, smtpTransport(), t0());
  assert.equal(smtp.received.length, 1);
  assert.doesNotMatch(smtp.received[0]!.raw, /Zebedee|Quillfeather/);
  assert.match(smtp.received[0]!.raw, /Reference: OBX-0042/);
});

/** A stand-in for the GOV.UK Notify API on 127.0.0.1: records each request; answers as told. */
async function fakeNotify() {
  const requests: { method: string; path: string; auth: string; body: Record<string, unknown> }[] = [];
  const accepted: { id: string; reference: unknown; email_address: unknown; status: string }[] = [];
  let answer: { status: number; body: unknown } | null = null;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as Record<string, unknown>;
      requests.push({ method: req.method ?? '', path: req.url ?? '', auth: req.headers.authorization ?? '', body });
      const id = randomUUID();
      // Notify's list of notifications, filtered by reference: what this fake accepted before.
      const reference = new URL(req.url ?? '/', 'http://x').searchParams.get('reference');
      const a =
        req.method === 'GET'
          ? {
              status: 200,
              body: {
                notifications: accepted.filter((n) => n.reference === reference),
                links: { current: req.url },
              },
            }
          : (answer ?? {
              status: 201,
              body: { id, reference: body.reference, content: { subject: 's', body: 'b' } },
            });
      if (req.method === 'POST' && a.status === 201)
        accepted.push({ id, reference: body.reference, email_address: body.email_address, status: 'sending' });
      res.writeHead(a.status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(a.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return {
    baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    answer(a: { status: number; body: unknown } | null) {
      answer = a;
    },
  };
}

test('GOV.UK Notify: one request per recipient with the template, subject, body and reference, signed with the key', async () => {
  const notify = await fakeNotify();
  const serviceId = randomUUID();
  const secret = randomUUID();
  const templateId = randomUUID();
  const transport = new NotifyTransport(`handover_test-${serviceId}-${secret}`, templateId, notify.baseUrl);
  const [id] = await queue(1);
  const now = t0();
  assert.equal((await sendDue(db, transport, now)).sent, 1);

  assert.equal(notify.requests.length, 2);
  assert.deepEqual(
    notify.requests.map((r) => r.body.email_address),
    ['worker0@obx.test.example', 'manager0@obx.test.example'],
  );
  for (const r of notify.requests) {
    assert.equal(r.method, 'POST');
    assert.equal(r.path, '/v2/notifications/email');
    assert.deepEqual(r.body, {
      template_id: templateId,
      email_address: r.body.email_address,
      personalisation: {
        subject: 'Handover: a step is waiting for you (ref REF-0)',
        body: 'Reference: REF-0\nSign in to see it: https://handover.test.example/steps/0',
      },
      reference: id,
    });
    // A JWT signed with the key's secret, naming the service (Notify's authentication).
    const m = /^Bearer ([\w-]+)\.([\w-]+)\.([\w-]+)$/.exec(r.auth);
    assert.ok(m, 'a bearer JWT');
    const [, header, payload, signature] = m;
    assert.deepEqual(JSON.parse(Buffer.from(header!, 'base64url').toString()), { alg: 'HS256', typ: 'JWT' });
    const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString()) as { iss: string; iat: number };
    assert.equal(claims.iss, serviceId);
    assert.equal(signature, createHmac('sha256', secret).update(`${header}.${payload}`).digest('base64url'));
  }
  const sent = await row(id!);
  assert.equal(sent.status, 'sent');
  assert.equal(sent.transport, 'notify');
  assert.equal(sent.provider_id?.split(',').length, 2);

  // Notify refuses: retried, with Notify's reason and no address or token in last_error.
  notify.answer({
    status: 400,
    body: {
      status_code: 400,
      errors: [{ error: 'BadRequestError', message: 'Can’t send to this recipient: worker1@obx.test.example' }],
    },
  });
  const [second] = await queue(1, { cc: [] });
  assert.equal((await sendDue(db, transport, now)).retried, 1);
  const refused = await row(second!);
  assert.equal(refused.status, 'pending');
  assert.match(
    refused.last_error ?? '',
    /^Notify answered 400: BadRequestError: Can’t send to this recipient: \[address\]$/,
  );
  assert.doesNotMatch(refused.last_error ?? '', /Bearer|eyJ|@/);
});

test('GOV.UK Notify after a sender stopped mid-send: it asks Notify by reference and sends only what Notify lacks', async () => {
  const notify = await fakeNotify();
  const transport = new NotifyTransport(`handover_test-${randomUUID()}-${randomUUID()}`, randomUUID(), notify.baseUrl);
  const [id] = await queue(1);
  const now = t0();
  // A sender claimed the first row, Notify accepted it for the "to" recipient, and the sender died.
  const [claimed] = await claimDueEmails(db, now, 10 * MIN, 1);
  assert.equal(claimed!.id, id);
  await transport.send({ ...toOutgoing(claimed!), cc: [] });
  assert.equal(notify.requests.length, 1);

  // After the lease: the resumed send lists what Notify holds under the row's id and sends only to the cc.
  const later = new Date(now.getTime() + 10 * MIN);
  assert.deepEqual(await sendDue(db, transport, later, { batch: 1 }), { sent: 1, failed: 0, retried: 0, resent: 1 });
  assert.deepEqual(
    notify.requests.slice(1).map((r) => [r.method, r.method === 'GET' ? r.path : r.body.email_address]),
    [
      ['GET', `/v2/notifications?template_type=email&reference=${id}`],
      ['POST', 'manager0@obx.test.example'],
    ],
  );
  assert.match((await row(id!)).last_error ?? '', /^Sent again after a sender stopped/);

  // Notify had them all: nothing is sent again, and the row says so.
  const [other] = await queue(1);
  const [second] = await claimDueEmails(db, later, 10 * MIN, 1);
  assert.equal(second!.id, other);
  await transport.send(toOutgoing(second!));
  const before = notify.requests.length;
  const r = await sendDue(db, transport, new Date(later.getTime() + 10 * MIN));
  assert.deepEqual(r, { sent: 1, failed: 0, retried: 0, resent: 0 });
  assert.deepEqual(
    notify.requests.slice(before).map((x) => x.method),
    ['GET'],
  );
  const done = await row(other!);
  assert.equal(done.status, 'sent');
  assert.equal(done.provider_id?.split(',').length, 2);
  assert.match(done.last_error ?? '', /^GOV\.UK Notify had accepted it before a sender stopped/);
});

function toOutgoing(r: {
  id: string;
  reference: string;
  to_addresses: string[];
  cc_addresses: string[];
  subject: string;
  body: string;
}) {
  return { id: r.id, reference: r.reference, to: r.to_addresses, cc: r.cc_addresses, subject: r.subject, body: r.body };
}

test('createTransport follows the configuration; the log transport marks mail sent without sending it', async () => {
  assert.ok(createTransport(testConfig({ mailTransport: 'log' })) instanceof LogTransport);
  const s = createTransport(testConfig({ mailTransport: 'smtp', smtpUrl: smtp.url }));
  assert.ok(s instanceof SmtpTransport);
  await s.close();
  assert.ok(
    createTransport(
      testConfig({ mailTransport: 'notify', notifyApiKey: `k-${randomUUID()}-${randomUUID()}`, notifyTemplateId: 't' }),
    ) instanceof NotifyTransport,
  );

  const [id] = await queue(1);
  const r = await sendDue(db, createTransport(testConfig({ mailTransport: 'log' })), t0());
  assert.equal(r.sent, 1);
  const logged = await row(id!);
  assert.equal(logged.status, 'sent');
  assert.equal(logged.transport, 'log');
  assert.equal(smtp.received.length, 0);
});

test('describeError: one short line, no addresses, never the request', () => {
  assert.equal(
    describeError(new Error("Can't send mail - all recipients were rejected: 550 <a.b@c.example>: no\r\nsuch user")),
    "Can't send mail - all recipients were rejected: 550 <[address]>: no such user",
  );
  assert.equal(describeError('x'), 'Unknown error');
  assert.ok(describeError(new Error('e'.repeat(1000))).length <= 300);
  const axiosLike = {
    message: 'Request failed with status code 429',
    config: { headers: { Authorization: 'Bearer secret.jwt.token' } },
    response: { status: 429, data: { errors: [{ error: 'RateLimitError', message: 'Exceeded rate limit' }] } },
  };
  assert.equal(describeError(axiosLike), 'Notify answered 429: RateLimitError: Exceeded rate limit');
});
