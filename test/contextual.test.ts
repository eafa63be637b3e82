// Places and peer groups of concern (issue 12 part 3), through the pages and the API: adding them (error summaries
// naming the field, nothing written; success banners), linking young people, persons of concern and screenings;
// a place or group page names a linked young person only for a viewer with a relationship with them, the rest a
// count, proved with two users each related to one of two linked young people and a partner related to neither;
// version conflicts answered with the form again and what to do.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { contextualSetup, HIGH, summaryLinks } from './contextual-setup.ts';

const { db, app, lead, sam, police, api, browser, youngPerson, screen, count } = await contextualSetup('ctx');

// Aaliyah is Sam's (Disabled Children's Team North); Bertram is the Exploitation Hub's, allocated to the lead.
const aaliyah = await youngPerson({
  team: 'dct-north',
  worker: sam.id,
  given: 'Aaliyah',
  family: 'Placewood',
  dob: '2012-02-14',
  caseNumber: 'HX400101',
});
const bertram = await youngPerson({
  team: 'exploitation-hub',
  worker: lead.id,
  given: 'Bertram',
  family: 'Groupley',
  dob: '2006-09-30',
  caseNumber: 'HX400202',
});

const leadPage = await browser(lead.email);
const samPage = await browser(sam.email);
const policePage = await browser(police.email);

const ids: { place?: string; group?: string; concern?: string } = {};

test('adding a place: an empty form names each field and writes nothing; then saved with a banner', async () => {
  const before = await count('places');
  const form = await leadPage.get('/places/new');
  assert.equal(form.statusCode, 200);
  const bad = await leadPage.post('/places', { name: '', area: '', kind: '', description: '' });
  assert.equal(bad.statusCode, 400);
  assert.match(bad.body, /<title>Error: Add a place/);
  assert.deepEqual(
    summaryLinks(bad.body).map((l) => l.href),
    ['#name', '#area', '#kind'],
  );
  assert.match(bad.body, /Enter the name of the place, as staff know it/);
  assert.match(bad.body, /Choose the kind of place/);
  const wrongKind = await leadPage.post('/places', { name: 'Bus station', area: 'Trowford', kind: 'castle' });
  assert.equal(wrongKind.statusCode, 400);
  assert.match(wrongKind.body, /Choose the kind of place from the list/);
  assert.match(wrongKind.body, /value="Bus station"/, 'what was typed is kept');
  assert.equal(await count('places'), before, 'nothing written');

  const ok = await leadPage.post('/places', {
    name: 'Trowford bus station',
    area: 'Trowford',
    kind: 'transport',
    description: 'Older males seen approaching young people after school',
  });
  assert.equal(ok.statusCode, 303, ok.body.slice(0, 300));
  const location = String(ok.headers.location);
  assert.match(location, /^\/places\/[0-9a-f-]{36}\?saved=added$/);
  ids.place = location.split('/')[2]?.split('?')[0];
  const shown = await leadPage.get(location);
  assert.equal(shown.statusCode, 200);
  assert.match(shown.body, /govuk-notification-banner--success[\s\S]*Added/);
  assert.match(shown.body, /Trowford bus station/);
  assert.equal(await count('places'), before + 1);

  // A social worker may see places but not keep them.
  assert.equal((await samPage.post('/places', { name: 'X', area: 'Y', kind: 'other' })).statusCode, 403);
});

test('adding a peer group and a person of concern through the API: 400 naming the fields, then 201', async () => {
  const before = await count('peer_groups');
  const bad = await app.inject({
    method: 'POST',
    url: '/api/v1/peer-groups',
    headers: api.lead,
    payload: { name: '', area: '' },
  });
  assert.equal(bad.statusCode, 400, bad.body);
  // A missing field is named too (the API's schema).
  const missing = await app.inject({ method: 'POST', url: '/api/v1/peer-groups', headers: api.lead, payload: {} });
  assert.equal(missing.statusCode, 400);
  assert.match(missing.body, /name/);
  assert.match(bad.json().fields.name, /Enter the name of the peer group/);
  assert.match(bad.json().fields.area, /Enter the area/);
  assert.equal(await count('peer_groups'), before);
  const byPolice = await app.inject({
    method: 'POST',
    url: '/api/v1/peer-groups',
    headers: api.police,
    payload: { name: 'The Market Lot', area: 'Trowford' },
  });
  assert.equal(byPolice.statusCode, 403);
  const ok = await app.inject({
    method: 'POST',
    url: '/api/v1/peer-groups',
    headers: api.lead,
    payload: { name: 'The Market Lot', area: 'Trowford', description: 'A group meeting at the market car park' },
  });
  assert.equal(ok.statusCode, 201, ok.body);
  ids.group = ok.json().id;
  assert.equal(await count('peer_groups'), before + 1);

  const badConcern = await app.inject({
    method: 'POST',
    url: '/api/v1/persons-of-concern',
    headers: api.lead,
    payload: { name: 'Dex', description: '' },
  });
  assert.equal(badConcern.statusCode, 400);
  assert.match(badConcern.json().fields.description, /Enter why they are a concern/);
  const concern = await app.inject({
    method: 'POST',
    url: '/api/v1/persons-of-concern',
    headers: api.lead,
    payload: { name: 'Dex Marlowe', aliases: 'D', description: 'Police intelligence: recruits for a county line' },
  });
  assert.equal(concern.statusCode, 201, concern.body);
  ids.concern = concern.json().id;
  const list = await app.inject({ method: 'GET', url: '/api/v1/persons-of-concern', headers: api.sam });
  assert.deepEqual(
    list.json().items.map((c: { name: string }) => c.name),
    ['Dex Marlowe'],
  );
  // The person of concern page form: an empty form names its fields.
  const page = await leadPage.post('/persons-of-concern', { name: '', description: '' });
  assert.equal(page.statusCode, 400);
  assert.deepEqual(
    summaryLinks(page.body).map((l) => l.href),
    ['#name', '#description'],
  );
});

test('linking: young people from their record (page and API), a person of concern, and a screening', async () => {
  const place = ids.place as string;
  const group = ids.group as string;
  // Sam links Aaliyah from her record: an empty form first.
  await samPage.get(`/people/${aaliyah}/contextual`);
  const before = await count('place_people');
  const bad = await samPage.post(`/people/${aaliyah}/contextual`, { target: '', target_id: '', note: '' });
  assert.equal(bad.statusCode, 400);
  assert.deepEqual(
    summaryLinks(bad.body).map((l) => l.href),
    ['#target', '#target_id', '#note'],
  );
  assert.equal(await count('place_people'), before);
  const ok = await samPage.post(`/people/${aaliyah}/contextual`, {
    target: 'place',
    target_id: place,
    note: 'Seen at the bus station late on school nights',
  });
  assert.equal(ok.statusCode, 303, ok.body.slice(0, 400));
  assert.equal(ok.headers.location, `/people/${aaliyah}/contextual?saved=linked`);
  const section = await samPage.get(String(ok.headers.location));
  assert.match(section.body, /govuk-notification-banner--success[\s\S]*Link saved/);
  assert.match(section.body, /Trowford bus station/);
  // Sam cannot link Bertram: no relationship.
  assert.equal(
    (await samPage.post(`/people/${bertram}/contextual`, { target: 'place', target_id: place, note: 'x' })).statusCode,
    403,
  );

  // The lead links Bertram to the group through the API; a wrong id names the field.
  const wrong = await app.inject({
    method: 'POST',
    url: `/api/v1/people/${bertram}/contextual-links`,
    headers: api.lead,
    payload: { target: 'peer_group', target_id: place, note: 'Wrong kind of id' },
  });
  assert.equal(wrong.statusCode, 400, wrong.body);
  assert.match(wrong.json().fields.target_id, /Choose an open peer group from the list/);
  const linked = await app.inject({
    method: 'POST',
    url: `/api/v1/people/${bertram}/contextual-links`,
    headers: api.lead,
    payload: { target: 'peer_group', target_id: group, note: 'Named by police as part of the group' },
  });
  assert.equal(linked.statusCode, 201, linked.body);

  // A person of concern linked to the place on its page: an empty choice names the field.
  const noConcern = await leadPage.post(`/places/${place}/concerns`, { person_of_concern_id: '', note: '' });
  assert.equal(noConcern.statusCode, 400);
  assert.deepEqual(
    summaryLinks(noConcern.body).map((l) => l.href),
    ['#person_of_concern_id'],
  );
  const concern = await leadPage.post(`/places/${place}/concerns`, {
    person_of_concern_id: ids.concern as string,
    note: 'Seen here most evenings',
  });
  assert.equal(concern.statusCode, 303);
  assert.match((await leadPage.get(String(concern.headers.location))).body, /Person of concern linked/);

  // A screening of Bertram names the place and the person of concern: the links carry the screening's id.
  const screening = await screen(bertram, api.lead, {
    answers: (await import('./contextual-setup.ts')).answers(HIGH),
    place_ids: [place],
    person_of_concern_ids: [ids.concern],
  });
  const viaScreening = await db
    .selectFrom('place_people')
    .where('person_id', '=', bertram)
    .where('place_id', '=', place)
    .select(['screening_id', 'unlinked_at'])
    .executeTakeFirstOrThrow();
  assert.deepEqual(viaScreening, { screening_id: screening, unlinked_at: null });

  const links = await app.inject({
    method: 'GET',
    url: `/api/v1/people/${bertram}/contextual-links`,
    headers: api.lead,
  });
  assert.deepEqual(
    links
      .json()
      .items.map((l: { area: string; name: string }) => `${l.area}: ${l.name}`)
      .sort(),
    ['peer_groups: The Market Lot', 'places: Trowford bus station'],
  );
});

test('the place page names only the young people the viewer works with; the rest are a count', async () => {
  const place = ids.place as string;
  const named = (html: string) => ({
    aaliyah: /Aaliyah|Placewood|HX400101/.test(html) || html.includes(aaliyah),
    bertram: /Bertram|Groupley|HX400202/.test(html) || html.includes(bertram),
  });
  // Sam works with Aaliyah only.
  const bySam = await samPage.get(`/places/${place}`);
  assert.equal(bySam.statusCode, 200);
  assert.deepEqual(named(bySam.body), { aaliyah: true, bertram: false });
  assert.match(bySam.body, /1 other young person you do not work with/);
  // The lead works with Bertram only.
  const byLead = await leadPage.get(`/places/${place}`);
  assert.deepEqual(named(byLead.body), { aaliyah: false, bertram: true });
  assert.match(byLead.body, /1 other young person you do not work with/);
  assert.match(byLead.body, /Dex Marlowe/);
  // The police partner works with neither.
  const byPolice = await policePage.get(`/places/${place}`);
  assert.deepEqual(named(byPolice.body), { aaliyah: false, bertram: false });
  assert.match(byPolice.body, /2 other young people you do not work with/);

  // The API: the same rule.
  const apiShow = async (headers: Record<string, string>) => {
    const r = await app.inject({ method: 'GET', url: `/api/v1/places/${place}`, headers });
    assert.equal(r.statusCode, 200, r.body);
    return r;
  };
  const samApi = await apiShow(api.sam);
  assert.deepEqual(
    samApi.json().known.map((p: { id: string }) => p.id),
    [aaliyah],
  );
  assert.equal(samApi.json().others, 1);
  assert.deepEqual(named(samApi.body), { aaliyah: true, bertram: false });
  const policeApi = await apiShow(api.police);
  assert.deepEqual(policeApi.json().known, []);
  assert.equal(policeApi.json().others, 2);
  assert.deepEqual(named(policeApi.body), { aaliyah: false, bertram: false });

  // The lists count, never name.
  for (const [url, headers] of [
    ['/api/v1/places', api.police],
    ['/api/v1/peer-groups', api.police],
  ] as const) {
    const r = await app.inject({ method: 'GET', url, headers });
    assert.deepEqual(named(r.body), { aaliyah: false, bertram: false }, url);
  }
  const list = await policePage.get('/places');
  assert.deepEqual(named(list.body), { aaliyah: false, bertram: false });
  const row = (await app.inject({ method: 'GET', url: '/api/v1/places', headers: api.police }))
    .json()
    .items.find((p: { id: string }) => p.id === place);
  assert.equal(row.people, 2);
  assert.equal(row.concerns, 1);

  // The peer group as seen by Sam (no relationship with Bertram): a count only.
  const group = await samPage.get(`/peer-groups/${ids.group}`);
  assert.deepEqual(named(group.body), { aaliyah: false, bertram: false });
  assert.match(group.body, /1 other young person you do not work with/);

  // Each named young person's read is logged, for the viewer who saw the name only.
  const logged = await db
    .selectFrom('access_log')
    .where('purpose', '=', 'contextual:places')
    .select(['user_id', 'person_id'])
    .execute();
  assert.ok(logged.some((l) => l.user_id === sam.id && l.person_id === aaliyah));
  assert.ok(!logged.some((l) => l.user_id === sam.id && l.person_id === bertram));
  assert.ok(!logged.some((l) => l.user_id === police.id));
});

test('editing a place: a stale version gets the form again (409) saying what to do; nothing overwritten', async () => {
  const place = ids.place as string;
  const edit = await leadPage.get(`/places/${place}/edit`);
  assert.equal(edit.statusCode, 200);
  assert.match(edit.body, /name="version" value="1"/);
  const first = await leadPage.post(`/places/${place}`, {
    version: '1',
    name: 'Trowford bus station',
    area: 'Trowford town centre',
    kind: 'transport',
    description: 'Older males seen approaching young people after school',
  });
  assert.equal(first.statusCode, 303);
  assert.equal(first.headers.location, `/places/${place}?saved=changed`);
  assert.match((await leadPage.get(String(first.headers.location))).body, /Changes saved/);
  // A second editor who read version 1.
  const stale = await leadPage.post(`/places/${place}`, {
    version: '1',
    name: 'Bus station (old name)',
    area: 'Trowford',
    kind: 'transport',
    description: '',
  });
  assert.equal(stale.statusCode, 409, stale.body.slice(0, 300));
  assert.match(stale.body, /Someone else changed this place of concern/);
  assert.match(stale.body, /govuk-error-summary/);
  assert.match(stale.body, /value="Bus station \(old name\)"/, 'what was typed is kept');
  const row = await db
    .selectFrom('places')
    .where('id', '=', place)
    .select(['name', 'area', 'version'])
    .executeTakeFirstOrThrow();
  assert.deepEqual(row, { name: 'Trowford bus station', area: 'Trowford town centre', version: 2 });

  // A bad edit names the field and writes nothing.
  const bad = await leadPage.post(`/places/${place}`, { version: '2', name: '', area: 'x', kind: 'transport' });
  assert.equal(bad.statusCode, 400);
  assert.deepEqual(
    summaryLinks(bad.body).map((l) => l.href),
    ['#name'],
  );

  // Closing with a stale version is refused; with the current one, closed (and no longer offered for links).
  const staleClose = await leadPage.post(`/peer-groups/${ids.group}/close`, { version: '7' });
  assert.equal(staleClose.statusCode, 409);
  assert.match(staleClose.body, /Someone else changed this peer group/);
  const closed = await leadPage.post(`/peer-groups/${ids.group}/close`, { version: '1' });
  assert.equal(closed.statusCode, 303);
  assert.match((await leadPage.get(String(closed.headers.location))).body, /Closed/);
  const again = await app.inject({
    method: 'POST',
    url: `/api/v1/people/${bertram}/contextual-links`,
    headers: api.lead,
    payload: { target: 'peer_group', target_id: ids.group, note: 'Again' },
  });
  assert.equal(again.statusCode, 400);
  assert.match(again.json().fields.target_id, /Choose an open peer group/);

  // A person of concern edited with a stale version: the form again (409).
  const concernEdit = await leadPage.post(`/persons-of-concern/${ids.concern}`, {
    version: '1',
    name: 'Dex Marlowe',
    description: 'Police intelligence: recruits for a county line; seen with a car',
  });
  assert.equal(concernEdit.statusCode, 303);
  const staleConcern = await leadPage.post(`/persons-of-concern/${ids.concern}`, {
    version: '1',
    name: 'Dex M',
    description: 'Older text',
  });
  assert.equal(staleConcern.statusCode, 409);
  assert.match(staleConcern.body, /Someone else changed this person of concern/);
});

test('unlinking from the record: a timeline line; the place then counts one fewer', async () => {
  const place = ids.place as string;
  const r = await samPage.post(`/people/${aaliyah}/contextual/unlink`, { area: 'places', target_id: place });
  assert.equal(r.statusCode, 303);
  assert.match((await samPage.get(String(r.headers.location))).body, /Link removed/);
  const events = await db.selectFrom('events').where('person_id', '=', aaliyah).select('title').execute();
  assert.ok(events.some((e) => e.title === 'No longer linked to a place of concern: Trowford bus station'));
  const bySam = await samPage.get(`/places/${place}`);
  assert.doesNotMatch(bySam.body, /Aaliyah/);
  assert.match(bySam.body, /1 other young person you do not work with/);
});

test('a malformed id is a 404, never a 500', async () => {
  for (const url of ['/places/not-an-id', '/peer-groups/123', '/persons-of-concern/nope/edit'])
    assert.equal((await leadPage.get(url)).statusCode, 404, url);
  const post = await leadPage.post('/persons-of-concern/nope', { version: '1', name: 'A', description: 'B' });
  assert.equal(post.statusCode, 404);
});
