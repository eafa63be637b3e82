// Browser walk through Cumbria's Option 2 (shared/seeds/003): the coordinator marks advice unclear, the SEND
// manager chooses a logged follow-up, the coordinator logs it, and the outbox sends the email over real SMTP to an
// smtp-server on 127.0.0.1: subject, To the advice giver, Cc their manager, what is needed, no child's name.
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { after, test } from 'node:test';
import { SMTPServer } from 'smtp-server';
import { SmtpTransport, sendDue } from '../../src/jobs/outbox.ts';
import { userByRole } from '../helpers.ts';
import { startHarness } from './harness.ts';

const h = await startHarness();
const coordinator = userByRole(h.org, 'ehcp_coordinator');
const sendManager = userByRole(h.org, 'send_manager');
const giver = userByRole(h.org, 'advice_giver');
const lead = h.org.users.find((u) => u.name.startsWith('Raj'))!;
const { db } = h;

// A child in the SEND team's caseload, with an assessment whose health advice has arrived.
const person = await db
  .insertInto('people')
  .values({
    authority_id: h.org.authorityId,
    case_number: 'HO990001',
    given_name: 'Ottilie',
    family_name: 'Brackenbury',
    date_of_birth: '2017-06-01',
    school: 'Demoton Primary',
  })
  .returning('id')
  .executeTakeFirstOrThrow();
await db
  .insertInto('involvements')
  .values({
    authority_id: h.org.authorityId,
    person_id: person.id,
    team_id: h.org.teams['send-statutory'] as string,
    worker_id: coordinator.id,
    reason: 'EHC needs assessment',
    start_date: '2026-09-01',
  })
  .execute();
const assessment = await db
  .insertInto('ehcp_assessments')
  .values({
    authority_id: h.org.authorityId,
    person_id: person.id,
    request_date: '2026-09-14',
    requested_by: 'parent',
    coordinator_id: coordinator.id,
    decision_to_assess: 'assess',
    decision_date: '2026-10-12',
  })
  .returning('id')
  .executeTakeFirstOrThrow();
const request = await db
  .insertInto('ehcp_advice_requests')
  .values({
    authority_id: h.org.authorityId,
    assessment_id: assessment.id,
    person_id: person.id,
    kind: 'health',
    giver_user_id: giver.id,
    responsible_user_id: giver.id,
    question: 'Health needs',
    requested_date: '2026-10-12',
    due_date: '2026-11-23',
    due_rule: '6 weeks from the request for advice on 2026-10-12 (SEND Regulations 2014 reg 8(1))',
    status: 'received',
    received_date: '2026-11-20',
  })
  .returning('id')
  .executeTakeFirstOrThrow();
await db
  .insertInto('ehcp_advice_submissions')
  .values({
    authority_id: h.org.authorityId,
    request_id: request.id,
    person_id: person.id,
    kind: 'advice',
    body: 'Needs physiotherapy.',
    submitted_by: giver.id,
  })
  .execute();

// A real SMTP server on 127.0.0.1 that keeps what it receives.
const received: { from: string; to: string[]; raw: string }[] = [];
const smtp = new SMTPServer({
  authOptional: true,
  disabledCommands: ['STARTTLS'],
  logger: false,
  onData(stream, session, callback) {
    let raw = '';
    stream.setEncoding('utf8');
    stream.on('data', (c: string) => (raw += c));
    stream.on('end', () => {
      received.push({
        from: String(session.envelope.mailFrom ? session.envelope.mailFrom.address : ''),
        to: session.envelope.rcptTo.map((r) => r.address),
        raw,
      });
      callback();
    });
  },
});
await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
after(() => new Promise<void>((resolve) => smtp.close(() => resolve())));
const smtpPort = (smtp.server.address() as AddressInfo).port;

/** Headers of a raw message, unfolded; and its text body, quoted-printable decoded. */
function parse(raw: string) {
  const [head, ...rest] = raw.split(/\r?\n\r?\n/);
  const headers: Record<string, string> = {};
  for (const line of (head ?? '').replace(/\r?\n[ \t]+/g, ' ').split(/\r?\n/)) {
    const i = line.indexOf(':');
    if (i > 0) headers[line.slice(0, i).toLowerCase()] = line.slice(i + 1).trim();
  }
  let body = rest.join('\n\n');
  if (/quoted-printable/i.test(headers['content-transfer-encoding'] ?? ''))
    body = body
      .replace(/=\r?\n/g, '')
      .replace(/=([0-9A-F]{2})/g, (_, x: string) => String.fromCharCode(Number.parseInt(x, 16)));
  return { headers, body };
}

test('Option 2 through the pages: the follow-up email reaches the advice giver and their manager over SMTP', async () => {
  const jo = await h.session({ as: coordinator });
  await jo.goto(`/people/${person.id}/ehcp/${assessment.id}`);
  await jo.checkAxe();
  await jo.click(jo.page.getByRole('link', { name: 'Health' }));
  await jo.checkAxe();
  // An empty query is refused with a linked error.
  await jo.click(jo.page.getByRole('button', { name: 'Mark as unclear or incomplete' }));
  await jo.checkAxe();
  assert.ok(await jo.page.getByRole('link', { name: 'Enter what is unclear or missing' }).isVisible());
  await jo.page.getByLabel('What is unclear or missing?').fill('No frequency or provider for the physiotherapy');
  await jo.click(jo.page.getByRole('button', { name: 'Mark as unclear or incomplete' }));
  await jo.checkAxe();
  assert.match(
    (await jo.page.locator('h2#current-step').textContent()) ?? '',
    /Discuss the advice with your line manager/,
  );
  const instanceUrl = new URL(jo.page.url()).pathname;

  const priya = await h.session({ as: sendManager });
  await priya.goto(instanceUrl);
  await priya.checkAxe();
  await priya.page.getByLabel('What was agreed').fill('Needs extended input from the advice giver');
  await priya.page.getByLabel('Option 2: log a follow-up to the advice giver and their manager').check();
  await priya.click(priya.page.getByRole('button', { name: 'Record decision' }));
  await priya.checkAxe();
  await priya.close();

  await jo.goto(instanceUrl);
  await jo.checkAxe();
  assert.match((await jo.page.locator('h2#current-step').textContent()) ?? '', /Log the follow-up email/);
  await jo.page.getByRole('group', { name: 'Advice giver' }).locator(`input[type=radio][value="${giver.id}"]`).check();
  await jo.page
    .getByLabel('What is needed from the advice')
    .fill('Please say how often physiotherapy is needed and who provides it');
  const when = jo.page.getByRole('group', { name: 'Date of the email' });
  await when.getByLabel('Day').fill('23');
  await when.getByLabel('Month').fill('11');
  await when.getByLabel('Year').fill('2026');
  await jo.page.getByLabel('Follow-up sent').check();
  await jo.click(jo.page.getByRole('button', { name: 'Record decision' }));
  await jo.checkAxe();
  assert.match(
    (await jo.page.locator('h2#current-step').textContent()) ?? '',
    /Updated advice due from the advice giver/,
  );
  // Where the date comes from, in words a person reads (not 2026-11-23).
  const main = (await jo.page.locator('main').textContent()) ?? '';
  assert.match(main, /from the follow up email on 23 November 2026/);
  assert.doesNotMatch(main, /\b\d{4}-\d{2}-\d{2}\b/);
  await jo.close();

  // The outbox worker sends over SMTP to the local server.
  const transport = new SmtpTransport(`smtp://127.0.0.1:${smtpPort}`, 'handover@council.example');
  try {
    const result = await sendDue(db, transport, new Date('2026-11-23T10:05:00Z'));
    assert.ok(result.sent >= 1, JSON.stringify(result));
  } finally {
    await transport.close();
  }
  const urgent = received
    .map((m) => ({ ...m, ...parse(m.raw) }))
    .filter((m) => m.headers.subject === 'URGENT STATUTORY ADVICE CLARIFICATION REQUIRED');
  assert.equal(urgent.length, 1);
  const m = urgent[0]!;
  assert.equal(m.headers.to, giver.email);
  assert.equal(m.headers.cc, lead.email);
  assert.deepEqual(m.to.sort(), [giver.email, lead.email].sort(), 'the SMTP envelope reaches both');
  assert.match(m.body, /say how often physiotherapy is needed and who provides it/);
  assert.match(m.body, /Response required by: 2026-11-30/);
  assert.match(m.body, /HO990001\/advice-/);
  assert.match(m.body, new RegExp(`/advice/${request.id}`));
  assert.doesNotMatch(
    `${m.raw}`,
    /Ottilie|Brackenbury|2017-06-01/,
    'no child-identifying data anywhere in the message',
  );

  // The advice giver signs in and sees what is needed on their request page, and nothing else of the record.
  const fiona = await h.session({ as: giver });
  await fiona.goto(`/advice/${request.id}`);
  await fiona.checkAxe();
  assert.match(
    (await fiona.page.locator('main').textContent()) ?? '',
    /URGENT STATUTORY ADVICE CLARIFICATION REQUIRED/,
  );
  await fiona.page.getByLabel('Your advice').fill('Physiotherapy twice weekly, from the NHS trust.');
  await fiona.click(fiona.page.getByRole('button', { name: 'Send updated advice' }));
  await fiona.checkAxe();
  assert.match((await fiona.page.locator('main').textContent()) ?? '', /Your advice has been sent/);
  assert.equal(await fiona.goto(`/people/${person.id}`), 403);
  await fiona.checkAxe();
  await fiona.close();
  const inst = await db
    .selectFrom('protocol_instances')
    .where('id', '=', instanceUrl.split('/').pop()!)
    .select(['status', 'result'])
    .executeTakeFirstOrThrow();
  assert.deepEqual(inst, { status: 'ended', result: 'follow_up_closed' });
});
