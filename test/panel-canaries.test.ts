// S15 and S14 (issue 9 findings 2 and 3). S15: a case whose name, date of birth, address, NHS number, UPN and case number are canaries,
// with the 17 disguised forms typed into every free-text field that could reach a panel, goes to the Transitions
// Governance Group and the SEND board. Their pages, API and exports hold 0 canaries in any form, scanned after the
// same normalisation the detector uses; and the summary written for the panel refuses each variant until changed.
// S14: the Option 2 follow-up email refuses each variant in its request text and unknown or unsafe recipients;
// then every email this file's flows queued (outbox rows) is scanned for canaries and line breaks in headers.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { normalise } from '../src/domain/identifier-detector.ts';
import { sha256 } from '../src/modules/auth/service.ts';
import { authUser } from '../src/modules/demo/journeys.ts';
import type { EhcpFlows } from '../src/modules/ehcp/flows.ts';
import { sendFollowUp } from '../src/modules/ehcp/follow-ups.ts';
import {
  ActionInput,
  AudienceSummaryInput,
  EscalationInput,
  ForumReferralInput,
  PlanInput,
} from '../src/modules/transitions/schemas.ts';
import { Browser, fixedClock, seedOrganisation, testApp, testConfig, testDatabase, userByRole } from './helpers.ts';

const { db } = await testDatabase();
const org = await seedOrganisation(db, 'canaries');
const app = await testApp(db);
const helen = await authUser(db, userByRole(org, 'service_manager').id);
const chair = await authUser(db, userByRole(org, 'forum_chair').id);
const sam = await authUser(db, userByRole(org, 'social_worker').id);

const person = await db
  .insertInto('people')
  .values({
    authority_id: org.authorityId,
    case_number: 'HO123987',
    given_name: 'Zephyrine',
    family_name: 'Quockerwodger',
    preferred_name: 'Zeph',
    date_of_birth: '2009-03-27',
    nhs_number: '9434765919',
    upn: 'A999123456789',
    address: '17 Canarywharf Lane, Exmouth',
    postcode: 'EX8 1ZZ',
  })
  .returning('id')
  .executeTakeFirstOrThrow();
await db
  .insertInto('contacts')
  .values({
    authority_id: org.authorityId,
    person_id: person.id,
    name: 'Marjoribanks Quockerwodger',
    relationship: 'Mother',
  })
  .execute();
await db
  .insertInto('people')
  .values({
    authority_id: org.authorityId,
    case_number: 'HO777001',
    given_name: 'Orlaith',
    family_name: 'Brackenbury',
    date_of_birth: '2009-06-01',
  })
  .execute();

/** The 17 variant forms of the finding, written out. */
const VARIANTS = [
  'born on the 27th of March 2009',
  'born March 27 2009',
  'DOB 27.03.09',
  'NHS 943.476.5919',
  'NHS 94 34 76 59 19',
  'UPN A999 1234 5678 9',
  'lives near EX81ZZ',
  'see HO 123987',
  'Zeph\u200Byrine is worried',
  'Quосkеrwоdgеr family',
  'Zéphyrïne said no',
  'Zephy wants to stay local',
  'Marjoribanks cannot drive',
  'shares a flat with Orlaith',
  'NHS ９４３４７６５９１９',
  'lives at 17 Canarywharf Lane',
  'born 2009-03-27',
];
const ALL = VARIANTS.join('; ');

/** Canaries as they look after normalisation with everything but letters and digits removed. */
const CANARIES = [
  'zephyrine',
  'quockerwodger',
  'zeph',
  'marjoribanks',
  'orlaith',
  'brackenbury',
  'canarywharf',
  '9434765919',
  'a999123456789',
  'ho123987',
  '123987',
  'ex81zz',
  '27032009',
  '270309',
  '20090327',
  '27thofmarch2009',
  'march272009',
];
const squash = (s: string) =>
  normalise(s)
    .text.toLowerCase()
    .replace(/[^a-z0-9]/g, '');
const hitsIn = (s: string) => CANARIES.filter((c) => squash(s).includes(c));

async function decide(user: typeof helen, outcome: string, fields: Record<string, string> = {}) {
  const s = await db
    .selectFrom('protocol_steps')
    .where('person_id', '=', person.id)
    .where('status', '=', 'open')
    .select(['id', 'instance_id', 'version', 'step_key'])
    .executeTakeFirstOrThrow();
  await app.services.protocols.decide(user, person.id, s.instance_id, s.id, {
    outcome,
    version: String(s.version),
    ...fields,
  });
  return s.step_key;
}

test('S15: 17 variant forms in every free-text field, 0 canaries on the Governance Group and SEND board', async () => {
  const t = app.services.transitions;
  // Each as the page or the API reads it.
  const read = { today: t.today() };
  await t.savePlan(sam, person.id, PlanInput.parse({ what_matters: ALL, hopes: ALL, needs: ALL }, read));
  const actionId = await t.addAction(sam, person.id, ActionInput.parse({ description: ALL }, read));
  await t.escalateAction(helen, person.id, actionId, EscalationInput.parse({ routes_tried: ALL }, read));
  await decide(helen, 'not_involved');
  await decide(helen, 'unclear');
  await t.referToForum(
    helen,
    person.id,
    ForumReferralInput.parse(
      { question: ALL.slice(0, 900), needs: ALL, blocked_by: ALL, routes_tried: ALL, issue_type: 'unclear' },
      read,
    ),
  );
  await decide(chair, 'no_options');

  // The summary for each panel refuses every variant on its own: the writer must change it or confirm it.
  let refused = 0;
  for (const audience of ['governance', 'send_board'] as const)
    for (const v of VARIANTS) {
      await assert.rejects(
        t.saveAudienceSummary(
          sam,
          person.id,
          audience,
          AudienceSummaryInput.parse({ summary: `Needs supported living. ${v}.` }, read),
        ),
        (e: Error & { fields?: Record<string, string> }) => Boolean(e.fields?.['confirm-0']),
        v,
      );
      refused++;
    }
  assert.equal(refused, 34);
  // Without a summary the case cannot be sent.
  await assert.rejects(decide(chair, 'unclear'), /Summary for the Transitions Governance Group/);
  for (const audience of ['governance', 'send_board'] as const)
    await t.saveAudienceSummary(
      sam,
      person.id,
      audience,
      AudienceSummaryInput.parse(
        {
          summary: 'Needs supported living from 18; adult services and housing disagree about who commissions it.',
          needs_categories: ['accommodation', 'social_care'],
        },
        read,
      ),
    );
  assert.equal(await decide(chair, 'unclear'), 'clarify_responsibility');
  assert.equal(await decide(chair, 'to_send_board'), 'governance_group');

  // Decisions on the pseudonymised panels are written by their members; the views are what the members see.
  const panels = await db.selectFrom('panels').where('authority_id', '=', org.authorityId).selectAll().execute();
  const c = new Browser(app);
  await c.login(chair.email);
  const t2 = `hov_${randomBytes(16).toString('hex')}`;
  await db
    .insertInto('api_tokens')
    .values({ user_id: chair.id, token_hash: sha256(t2), label: 'test' })
    .execute();
  const apiGet = (url: string) => app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${t2}` } });
  const views: [string, string][] = [];
  for (const kind of ['governance', 'send_board'] as const) {
    const p = panels.find((x) => x.kind === kind)!;
    const m = await c.post(`/panels/${p.id}/meetings`, {
      'meeting_date-day': '14',
      'meeting_date-month': '12',
      'meeting_date-year': '2026',
    });
    assert.equal(m.statusCode, 303, m.body.slice(0, 300));
    const url = String(m.headers.location).split('?')[0] as string;
    const page = await c.get(url);
    assert.match(page.body, /Young person A/);
    assert.match(page.body, /adult services and housing disagree/);
    views.push([`${kind} meeting page`, page.body]);
    views.push([`${kind} meeting API`, (await apiGet(`/api/v1/panel-meetings/${url.split('/').pop()}`)).body]);
    views.push([`${kind} panel page`, (await c.get(`/panels/${p.id}`)).body]);
  }
  views.push(['panels page', (await c.get('/panels')).body]);
  views.push(['panels API', (await apiGet('/api/v1/panels')).body]);
  views.push(['register page', (await c.get('/panels/register')).body]);
  views.push(['register CSV', (await c.get('/panels/register.csv')).body]);
  views.push(['register API', (await apiGet('/api/v1/panels/register')).body]);

  const hits = views.flatMap(([name, body]) => hitsIn(body).map((h) => `${name}: ${h}`));
  console.log(`S15: ${VARIANTS.length} variants × ${views.length} views scanned, ${hits.length} hits`);
  assert.deepEqual(hits, []);
  // The scan recognises the disguised forms: it would have found them had they got through.
  assert.ok(hitsIn(ALL).length >= 10, 'the canary scan recognises the variant forms');
});

test('S14: the Option 2 email refuses identifiers in its request and unknown recipients; 0 canaries in any email', async () => {
  const giver = userByRole(org, 'advice_giver');
  const config = testConfig({ emailAllowedDomains: ['nhs.example'] });
  // The Cumbria advice query's hook on entering "await updated advice" (src/modules/ehcp/flows.ts), called as the
  // engine calls it; it reads only the config and the clock.
  const deps = { db, config, now: fixedClock().now, flows: {} as EhcpFlows };
  const send = (data: Record<string, unknown>) =>
    db.transaction().execute((tx) =>
      sendFollowUp(deps, {
        tx,
        authorityId: org.authorityId,
        personId: person.id,
        instanceId: '00000000-0000-4000-8000-000000000001',
        step: 'await_updated_advice',
        anchors: {},
        actorId: sam.id,
        data: { advice_giver: giver.id, email_date: '2026-11-23', ...data },
      }),
    );
  const outboxCount = async () =>
    Number(
      (
        await db
          .selectFrom('outbox')
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  const before = await outboxCount();
  for (const v of VARIANTS)
    await assert.rejects(
      send({ what_is_needed: `Frequency of physiotherapy. ${v}` }),
      (e: Error & { fields?: Record<string, string> }) =>
        /must not identify anyone/.test(e.fields?.what_is_needed ?? ''),
      v,
    );
  for (const [cc, why] of [
    [
      'x@gmail.com',
      /More recipients must be Handover users of this council or addresses at nhs\.example: x@gmail\.com/,
    ],
    ['a@nhs.example\r\nBcc: evil@gmail.com', /More recipients must be|one email address/],
    ['not an address', /one email address/],
  ] as const)
    await assert.rejects(
      send({ what_is_needed: 'Frequency of physiotherapy', extra_recipients: cc }),
      (e: Error & { fields?: Record<string, string> }) => why.test(e.fields?.extra_recipients ?? ''),
      cc,
    );
  assert.equal(await outboxCount(), before, 'nothing queued by a refused send');
  await send({
    what_is_needed: 'Frequency of physiotherapy and who provides it',
    extra_recipients: `therapy@nhs.example, ${helen.email}`,
  });
  assert.equal(await outboxCount(), before + 1);

  // Every email queued in this file: the transitions flow above (with the variants in its free text) and Option 2.
  const mails = await db.selectFrom('outbox').selectAll().execute();
  const unsafe = mails.filter((m) => [m.subject, ...m.to_addresses, ...m.cc_addresses].some((x) => /[\r\n]/.test(x)));
  const hits = mails.flatMap((m) =>
    // The case number is the reference staff quote (docs/decisions.md): scanned for everything else.
    hitsIn(`${m.subject}\n${m.body}`.replaceAll(/HO123987/g, '')).map((h) => `${m.subject}: ${h}`),
  );
  console.log(
    `S14: ${mails.length} emails scanned (subject, body, addresses), ${hits.length} canary hits, ${unsafe.length} with line breaks in headers`,
  );
  assert.ok(mails.length >= 2);
  assert.deepEqual(hits, []);
  assert.deepEqual(unsafe, []);
  const option2 = mails.find((m) => m.cc_addresses.includes('therapy@nhs.example'));
  assert.ok(option2, 'the follow-up went out, copied to the allowed domain');
  assert.match(option2.body, /Sign in to see the request/);
  assert.match(option2.body, /Frequency of physiotherapy and who provides it/);
});
