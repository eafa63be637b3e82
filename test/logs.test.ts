// quality.md S16: the logs of a realistic run hold no passwords, session ids, tokens, set-password link tokens or
// young people's names, NHS numbers or dates of birth. The app is built by createApp with a logger at trace level
// writing into a buffer; every line is scanned for every canary value used in the run.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, test } from 'node:test';
import { createApp } from '../src/app.ts';
import type { AuthUser } from '../src/http/types.ts';
import { LogTransport, sendDue } from '../src/jobs/outbox.ts';
import { sha256 } from '../src/modules/auth/service.ts';
import type { EhcpDeps } from '../src/modules/ehcp/context.ts';
import { invite } from '../src/modules/ehcp/invites.ts';
import { Browser, fixedClock, PASSWORD, seedOrganisation, testConfig, testDatabase, userByRole } from './helpers.ts';

const { db } = await testDatabase();
const org = await seedOrganisation(db, 'logs');
const clock = fixedClock('2026-11-23T10:00:00Z');
const lines: string[] = [];
const config = testConfig({ logLevel: 'trace' });
const app = await createApp({
  db,
  config,
  now: clock.now,
  logger: { level: 'trace', stream: { write: (line: string) => void lines.push(line) } },
  // An unexpected error whose message quotes personal data and a token, as a database error can.
  extraRoutes: (a) =>
    a.get('/boom', { config: { policy: { public: true } }, schema: { hide: true } }, async () => {
      throw new Error(`duplicate key value (Wilhelmina Quennell-Ashdown, 9434765919, ${INVITE_SECRET_HINT})`);
    }),
});
after(() => app.close());
const INVITE_SECRET_HINT = 'hov_0123456789abcdef0123456789abcdef';

const worker = userByRole(org, 'social_worker');
const coordinator = userByRole(org, 'ehcp_coordinator');
const team = org.teams['dct-north'] as string;
const CHILD = { given: 'Wilhelmina', family: 'Quennell-Ashdown', dob: '2011-02-03', nhs: '9434765919' };

test('S16: a realistic run logs no passwords, session ids, tokens, set-password links or young people’s details', async () => {
  // Sign in (and fail once), with a password that is not the demo one too.
  const wrong = `wrong-${randomBytes(8).toString('hex')}-passphrase`;
  const b = new Browser(app);
  await b.get('/login');
  assert.equal((await b.post('/login', { email: worker.email, password: wrong })).statusCode, 401);
  await b.login(worker.email);

  // An API token: create a record, read it, search for it by name and NHS number.
  const apiToken = `hov_${randomBytes(16).toString('hex')}`;
  await db
    .insertInto('api_tokens')
    .values({ user_id: worker.id, token_hash: sha256(apiToken), label: 'logs' })
    .execute();
  const auth = { authorization: `Bearer ${apiToken}` };
  const created = await app.inject({
    method: 'POST',
    url: '/api/v1/people',
    headers: auth,
    payload: {
      given_name: CHILD.given,
      family_name: CHILD.family,
      date_of_birth: CHILD.dob,
      team_id: team,
      allocate_to_me: true,
    },
  });
  assert.equal(created.statusCode, 201, created.body);
  const id = created.json().id as string;
  await db.updateTable('people').set({ nhs_number: CHILD.nhs }).where('id', '=', id).execute();
  assert.equal((await app.inject({ method: 'GET', url: `/api/v1/people/${id}`, headers: auth })).statusCode, 200);
  await app.inject({ method: 'POST', url: '/api/v1/people/search', headers: auth, payload: { name: CHILD.family } });
  await app.inject({ method: 'POST', url: '/api/v1/people/search', headers: auth, payload: { nhs_number: CHILD.nhs } });
  // A bad token, and bad input through the API.
  await app.inject({ method: 'GET', url: '/api/v1/people', headers: { authorization: `Bearer ${apiToken}x` } });
  await app.inject({ method: 'POST', url: '/api/v1/people', headers: auth, payload: { given_name: CHILD.given } });

  // Open the record and search in the pages; bad input and a forged form.
  assert.equal((await b.get(`/people/${id}`)).statusCode, 200);
  await b.post('/people/search', { name: `${CHILD.given} ${CHILD.family}` });
  await b.post('/people/search', { nhs_number: CHILD.nhs });
  await b.post(`/people/${id}/break-glass`, { reason: `${CHILD.given} ${CHILD.family} ${CHILD.dob}` });
  assert.equal((await b.post('/people/search', { name: CHILD.family }, { csrf: 'forged' })).statusCode, 403);

  // Another worker is refused the record (403) and tries break-glass with a reason naming the child.
  const stranger = new Browser(app);
  await stranger.login(userByRole(org, 'ehcp_coordinator').email);
  await stranger.get(`/people/${id}`);
  await stranger.post(`/people/${id}/break-glass`, { reason: `Police asked about ${CHILD.given} ${CHILD.family}` });

  // A set-password invitation: queued, "sent" by the demo transport, opened, a wrong address, then taken up.
  const deps = { db, config, now: clock.now } as unknown as EhcpDeps;
  const inviter = { id: coordinator.id, authorityId: org.authorityId, displayName: 'Jo Coordinator' } as AuthUser;
  const services = await db.selectFrom('services').where('authority_id', '=', org.authorityId).select('id').execute();
  await db
    .transaction()
    .execute((tx) => invite(deps, tx, inviter, 'logged.invitee@ep.example', 'Lou Invitee', services[0]!.id));
  await sendDue(db, new LogTransport(), clock.now());
  const mail = await db
    .selectFrom('outbox')
    .where('subject', 'like', '%invited%')
    .select('body')
    .executeTakeFirstOrThrow();
  const inviteToken = /\/invite\/([A-Za-z0-9_-]+)/.exec(mail.body)![1]!;
  const invitee = new Browser(app);
  await invitee.get(`/invite/${inviteToken}`);
  const chosen = `chosen-${randomBytes(8).toString('hex')}-passphrase`;
  await invitee.post(`/invite/${inviteToken}`, { email: 'someone.else@ep.example', password: chosen, confirm: chosen });
  assert.equal(
    (
      await invitee.post(`/invite/${inviteToken}`, {
        email: 'logged.invitee@ep.example',
        password: chosen,
        confirm: chosen,
      })
    ).statusCode,
    303,
  );
  await new Browser(app).login('logged.invitee@ep.example', chosen);

  // Errors: an unknown page, an unknown record, a server error quoting personal data.
  await b.get(`/no-such-page/${CHILD.family}`);
  await b.get('/people/00000000-0000-4000-8000-000000000000');
  assert.equal((await app.inject({ method: 'GET', url: '/boom' })).statusCode, 500);
  await b.post('/logout', {});

  const sessionIds = [...b.cookies.values(), ...stranger.cookies.values(), ...invitee.cookies.values()].filter(
    (v) => v.length >= 16,
  );
  const canaries: Record<string, string[]> = {
    password: [PASSWORD, wrong, chosen],
    'session id or CSRF token': [...sessionIds, b.csrf].filter(Boolean),
    'API token': [apiToken, sha256(apiToken)],
    'set-password link token': [inviteToken, sha256(inviteToken)],
    'young person’s name': [CHILD.given, CHILD.family],
    'NHS number': [CHILD.nhs, '943 476 5919'],
    'date of birth': [CHILD.dob, '3 February 2011', '03/02/2011'],
  };
  const scan = (text: string[]) => {
    const found: string[] = [];
    for (const [i, line] of text.entries())
      for (const [kind, values] of Object.entries(canaries))
        for (const v of values) if (line.toLowerCase().includes(v.toLowerCase())) found.push(`line ${i + 1}: ${kind}`);
    return found;
  };
  // The scanner finds a leak when there is one.
  assert.deepEqual(scan([`{"url":"/invite/${inviteToken}"}`, `{"q":"${CHILD.family.toUpperCase()}"}`]), [
    'line 1: set-password link token',
    'line 2: young person’s name',
  ]);
  const hits = scan(lines);
  const requestLines = lines.filter((l) => l.includes('"msg":"request"')).length;
  console.log(`S16 log scan: ${lines.length} lines scanned (${requestLines} request lines), ${hits.length} hits`);
  assert.ok(requestLines >= 30, `a realistic run was logged: ${requestLines} request lines`);
  assert.ok(
    lines.some((l) => /"level":50/.test(l)),
    'the server error was logged',
  );
  assert.deepEqual(hits, [], 'no secret or personal value in the logs');
});
