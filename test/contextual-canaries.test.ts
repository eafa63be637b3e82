// S15 for contextual safeguarding, the cohort and the system blocks register (issue 12 parts 3 and 11): a young
// person whose name, date of birth, address, NHS number, UPN and case number are canaries is screened (into the
// cohort) naming a place, a peer group and a person of concern, linked to them from the record with the 17 disguised
// forms in the link's note, and linked to a system block. The pseudonymised and aggregate views (places and peer
// groups as seen by people without a relationship, persons of concern, the cohort page, CSV and API, the register
// page, CSV and API) hold 0 canaries in any form, scanned after the detector's normalisation; the free text those
// views show (descriptions, a person of concern's link note, a block's description and what changed) refuses each
// variant but the names (a known gap: see identifiers.ts) and writes nothing.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { normalise } from '../src/domain/identifier-detector.ts';
import { answers, contextualSetup, HIGH } from './contextual-setup.ts';

const { db, app, org, sam, lead, police, api, browser, screen, count } = await contextualSetup('ctxcan');

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
  .insertInto('involvements')
  .values({
    authority_id: org.authorityId,
    person_id: person.id,
    team_id: org.teams['dct-north'] as string,
    worker_id: sam.id,
    reason: 'Exploitation concern',
    start_date: '2025-01-06',
  })
  .execute();
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

/** The 17 variant forms of the finding (test/panel-canaries.test.ts), written out. */
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
const NAME_VARIANTS = [
  'Zeph\u200Byrine is worried',
  'Quосkеrwоdgеr family',
  'Zéphyrïne said no',
  'Zephy wants to stay local',
  'Marjoribanks cannot drive',
  'shares a flat with Orlaith',
];
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

const leadPage = await browser(lead.email);
const samPage = await browser(sam.email);
const policePage = await browser(police.email);
const post = (url: string, headers: Record<string, string>, payload: Record<string, unknown>) =>
  app.inject({ method: 'POST', url, headers, payload });

// The council's records, clean.
const place = (
  await post('/api/v1/places', api.lead, {
    name: 'Trowford bus station',
    area: 'Trowford',
    kind: 'transport',
    description: 'Older males seen approaching young people after school since March 2026',
  })
).json().id as string;
const group = (
  await post('/api/v1/peer-groups', api.lead, {
    name: 'The Market Lot',
    area: 'Trowford',
    description: 'Meets at dusk',
  })
).json().id as string;
const concern = (
  await post('/api/v1/persons-of-concern', api.lead, {
    name: 'Dex Marlowe',
    description: 'Police intelligence: recruits for a county line',
  })
).json().id as string;
const block = (
  await post('/api/v1/system-blocks', api.lead, {
    kind: 'housing_18_25',
    description: 'No supported housing for 18 to 25 year olds at risk of exploitation',
  })
).json().id as string;

test('the free text of the aggregate views refuses every variant and writes nothing', async () => {
  const before = {
    places: await count('places'),
    groups: await count('peer_groups'),
    links: await count('concern_links'),
    blocks: await count('system_blocks'),
  };
  let refused = 0;
  const refuses = async (what: string, r: { statusCode: number; body: string }, field: string) => {
    assert.equal(r.statusCode, 400, `${what}: ${r.body.slice(0, 200)}`);
    assert.match(r.body, /must not identify anyone/, what);
    assert.match(r.body, new RegExp(field), what);
    refused++;
  };
  // Names are not refused in these fields (src/modules/contextual/identifiers.ts: the detector's name matching needs
  // the change-or-confirm step of the panel summaries, which these forms do not have yet); the other 11 forms are.
  const structured = VARIANTS.filter((v) => !NAME_VARIANTS.includes(v));
  assert.equal(structured.length, 11);
  // A place may be an address: the address and postcode variants are for the other fields.
  const notAddresses = structured.filter((v) => !/EX81ZZ|Canarywharf/.test(v));
  for (const v of structured) {
    const text = `Seen here after school. ${v}.`;
    await refuses(
      `block ${v}`,
      await post('/api/v1/system-blocks', api.lead, { kind: 'other', description: text }),
      'description',
    );
    await refuses(
      `block page ${v}`,
      await leadPage.post('/system-blocks', { kind: 'other', description: text }),
      'What stood in the way is read by people',
    );
    await refuses(
      `resolve ${v}`,
      await leadPage.post(`/system-blocks/${block}/resolve`, { version: '1', what_changed: text }),
      'What changed is read by people',
    );
    await refuses(
      `group ${v}`,
      await post('/api/v1/peer-groups', api.lead, { name: 'Group', area: 'Trowford', description: text }),
      'description',
    );
    await refuses(
      `concern note ${v}`,
      await leadPage.post(`/places/${place}/concerns`, { person_of_concern_id: concern, note: text }),
      'The note is read by people',
    );
  }
  for (const v of notAddresses)
    await refuses(
      `place ${v}`,
      await post('/api/v1/places', api.lead, {
        name: 'Place',
        area: 'Trowford',
        kind: 'other',
        description: `Seen here after school. ${v}.`,
      }),
      'description',
    );
  console.log(`S15 (contextual): ${refused} variant entries refused`);
  assert.equal(refused, structured.length * 5 + notAddresses.length);
  assert.deepEqual(
    {
      places: await count('places'),
      groups: await count('peer_groups'),
      links: await count('concern_links'),
      blocks: await count('system_blocks'),
    },
    before,
    'nothing written',
  );
  const unchanged = await db
    .selectFrom('system_blocks')
    .where('id', '=', block)
    .select(['status', 'version'])
    .executeTakeFirstOrThrow();
  assert.deepEqual(unchanged, { status: 'open', version: 1 });
});

test('S15: the canary case linked everywhere; 0 canaries on the pseudonymised and aggregate views', async () => {
  // Screened by Sam, naming the place, the group and the person of concern: into the cohort and linked.
  await screen(person.id, api.sam, {
    answers: answers(HIGH),
    summary: ALL,
    place_ids: [place],
    peer_group_ids: [group],
    person_of_concern_ids: [concern],
  });
  // Linked again from the record with the variants in the note (the note is shown to those who work with them).
  await samPage.get(`/people/${person.id}/contextual`);
  const link = await samPage.post(`/people/${person.id}/contextual`, { target: 'place', target_id: place, note: ALL });
  assert.equal(link.statusCode, 303, link.body.slice(0, 300));
  const onCase = await samPage.post(`/people/${person.id}/system-blocks`, { block_id: block, note: ALL });
  assert.equal(onCase.statusCode, 303);
  const concernLink = await leadPage.post(`/places/${place}/concerns`, {
    person_of_concern_id: concern,
    note: 'Seen here most evenings',
  });
  assert.equal(concernLink.statusCode, 303);

  // The scan would find them: Sam works with the young person and sees the name and the note.
  const bySam = await samPage.get(`/places/${place}`);
  assert.ok(hitsIn(bySam.body).length >= 10, `the scan recognises the canaries: ${hitsIn(bySam.body).join(', ')}`);

  const apiGet = async (url: string, headers: Record<string, string>) => {
    const r = await app.inject({ method: 'GET', url, headers });
    assert.equal(r.statusCode, 200, `${url}: ${r.body.slice(0, 200)}`);
    return r.body;
  };
  const page = async (b: typeof leadPage, url: string) => {
    const r = await b.get(url);
    assert.equal(r.statusCode, 200, url);
    return r.body;
  };
  const views: [string, string][] = [];
  for (const [who, b, headers] of [
    ['police', policePage, api.police],
    ['lead', leadPage, api.lead],
  ] as const) {
    for (const url of ['/places', `/places/${place}`, '/peer-groups', `/peer-groups/${group}`, '/persons-of-concern'])
      views.push([`${who} ${url}`, await page(b, url)]);
    for (const url of [
      '/api/v1/places',
      `/api/v1/places/${place}`,
      '/api/v1/peer-groups',
      `/api/v1/peer-groups/${group}`,
      '/api/v1/persons-of-concern',
    ])
      views.push([`${who} ${url}`, await apiGet(url, headers)]);
  }
  // The place counts the canary case for those who do not work with them.
  assert.match(
    views.find(([n]) => n === `police /places/${place}`)?.[1] ?? '',
    /1 other young person you do not work with/,
  );
  for (const url of ['/cohort', '/cohort?age_band=16-17', '/cohort.csv', '/system-blocks', '/system-blocks.csv'])
    views.push([`lead ${url}`, await page(leadPage, url)]);
  for (const url of ['/api/v1/cohort', '/api/v1/cohort?age_band=16-17&level=high', '/api/v1/system-blocks'])
    views.push([`lead ${url}`, await apiGet(url, api.lead)]);
  // The canary case is in the cohort and on the block: counted, never named.
  assert.deepEqual(
    JSON.parse(views.find(([n]) => n === 'lead /api/v1/cohort?age_band=16-17&level=high')?.[1] ?? '{}').now,
    {
      high: 1,
    },
  );
  const register = JSON.parse(views.find(([n]) => n === 'lead /api/v1/system-blocks')?.[1] ?? '{}');
  assert.equal(register.blocks.find((b: { id: string }) => b.id === block)?.cases, 1);

  const hits = views.flatMap(([name, body]) => hitsIn(body).map((h) => `${name}: ${h}`));
  console.log(`S15 (contextual): ${views.length} views scanned, ${hits.length} hits`);
  assert.deepEqual(hits, []);
});
