// The SEN2 return (issue 14 part 4): built from a seeded council at the edges of the 2026 collection year; the XML
// and the CSVs checked item by item; 20-week timeliness on the EHCP module's clocks, with and without exceptions;
// the validation report (a missing UPN fails, fixing it and the plan's setting makes the rebuild clean); a bad
// census date refused with the valid ones; the downloads logged per young person, naming who exported.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ValidationError } from '../src/http/forms.ts';
import { assessmentClocks } from '../src/modules/ehcp/clocks.ts';
import { moduleCsv, returnXml } from '../src/modules/sen2/export.ts';
import { tokenFor } from './contextual-setup.ts';
import { Browser, fixedClock, seedOrganisation, testApp, testDatabase, userByRole } from './helpers.ts';
import { seedSen2Council } from './sen2-setup.ts';

const { db } = await testDatabase();
const org = await seedOrganisation(db, 'sen2');
const clock = fixedClock('2027-01-25T10:00:00Z');
const app = await testApp(db, { now: clock.now });
const s = await seedSen2Council(db, org, 'S2');
const manager = userByRole(org, 'send_manager');
const actor = { id: manager.id, authorityId: org.authorityId };
const CENSUS = '2027-01-21';
const csvRows = (csv: string) =>
  csv
    .trim()
    .split('\r\n')
    .map((l) => l.split(',').map((c) => c.replace(/^"|"$/g, '')));

test('a census date that is not an SEN2 census date is refused, naming the valid ones', async () => {
  assert.throws(
    () => app.services.sen2.year('2027-01-20'),
    (e: unknown) =>
      e instanceof ValidationError && /not an SEN2 census date.*2026-01-15, 2027-01-21/.test(e.fields.census ?? ''),
  );
  const b = new Browser(app);
  await b.login(manager.email);
  const page = await b.get('/reports/sen2?census=2027-01-20');
  assert.equal(page.statusCode, 400);
  assert.match(page.body, /There is a problem/);
  assert.match(page.body, /2027-01-20 is not an SEN2 census date\. Enter one of: 2026-01-15, 2027-01-21/);
  const api = await b.get('/reports/sen2/download/xml?census=2026-13-01');
  assert.equal(api.statusCode, 400);
});

test('the return holds the year and nothing outside it; 20-week timeliness matches the EHCP clocks', async () => {
  const { ret } = await app.services.sen2.build(actor, CENSUS);
  assert.deepEqual(
    ret.persons.map((p) => p.caseNumber),
    ['S2-A', 'S2-B', 'S2-C', 'S2-D', 'S2-G'],
    'E (all before the year) and F (asked after it) are left out',
  );
  assert.deepEqual(ret.collectionYear, { census: CENSUS, year: 2027, from: '2026-01-01', to: '2026-12-31' });
  // The EHCP module's own 20-week dates: A inside, B after (with exceptions), C one day after (none).
  const clocks = async (id: string) => {
    const a = await db.selectFrom('ehcp_assessments').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    const ex = await db.selectFrom('ehcp_exceptions').selectAll().where('assessment_id', '=', id).execute();
    return { a, c: assessmentClocks(a, ex, [], '2026-12-31') };
  };
  let within = 0;
  let withinExcl = 0;
  let excl = 0;
  for (const id of [s.a.assessmentId, s.b.assessmentId, s.c.assessmentId]) {
    const { a, c } = await clocks(id);
    const ok = (a.final_issued_date as string) <= c.statutoryFinal;
    if (ok) within++;
    if (c.exceptionDays === 0) {
      excl++;
      if (ok) withinExcl++;
    }
  }
  assert.deepEqual([within, excl, withinExcl], [1, 2, 1], 'the seeded edges, as the EHCP clocks read them');
  assert.deepEqual(ret.timeliness, {
    issued: 3,
    within20: within,
    issuedExcludingExceptions: excl,
    within20ExcludingExceptions: withinExcl,
  });
});

test('the XML in the COLLECT structure, item by item', async () => {
  const { ret } = await app.services.sen2.build(actor, CENSUS);
  const xml = returnXml(ret);
  const code = (
    await db.selectFrom('authorities').select('code').where('id', '=', org.authorityId).executeTakeFirstOrThrow()
  ).code;
  assert.match(
    xml,
    new RegExp(
      `<Header>\\s*<CollectionDetails>\\s*<Collection>SEN2</Collection>\\s*<Year>2027</Year>\\s*<ReferenceDate>2027-01-21</ReferenceDate>\\s*</CollectionDetails>\\s*<Source>\\s*<SourceLevel>L</SourceLevel>\\s*<LEA>${code}</LEA>\\s*<SoftwareCode>Handover</SoftwareCode>`,
    ),
  );
  const persons = xml.split('<Person>').slice(1);
  assert.equal(persons.length, 5);
  const flat = (block: string) => block.replace(/\n\s*/g, '');
  assert.equal(
    flat(persons[0]?.split('</Person>')[0] ?? ''),
    [
      '<Surname>FamilyA</Surname><Forename>GivenA</Forename><PersonBirthDate>2010-05-01</PersonBirthDate><Sex>F</Sex>',
      '<PostCode>DM1 1AA</PostCode><UPN>A123456789012</UPN>',
      '<Requests><ReceivedDate>2026-02-02</ReceivedDate><RequestSource>PA</RequestSource>',
      '<RequestOutcomeDate>2026-03-10</RequestOutcomeDate><RequestOutcome>A</RequestOutcome>',
      '<Assessment><AssessmentOutcome>Y</AssessmentOutcome><AssessmentOutcomeDate>2026-06-15</AssessmentOutcomeDate><Week20>0</Week20>',
      '<NamedPlan><StartDate>2026-06-15</StartDate><PlanDetail><URN>123456</URN><PlacementRank>1</PlacementRank></PlanDetail></NamedPlan>',
      '</Assessment></Requests>',
      '<ActivePlans><PlacementDetail><URN>123456</URN><PlacementRank>1</PlacementRank></PlacementDetail>',
      '<SENneed><SENtype>ASD</SENtype><SENtypeRank>1</SENtypeRank></SENneed>',
      '<SENneed><SENtype>SLCN</SENtype><SENtypeRank>2</SENtypeRank></SENneed></ActivePlans>',
    ].join(''),
  );
  const b = flat(persons[1] ?? '');
  assert.doesNotMatch(b, /<UPN>/, 'B has no UPN');
  assert.match(b, /<Sex>M<\/Sex>/);
  assert.match(b, /<RequestSource>ED<\/RequestSource>/);
  assert.match(b, /<Week20>1<\/Week20>/, 'exceptions recorded on B');
  assert.match(b, /<PlanDetail><SENsetting>OLA<\/SENsetting><PlacementRank>1<\/PlacementRank><\/PlanDetail>/);
  const c = flat(persons[2] ?? '');
  assert.match(c, /<ReceivedDate>2025-09-01<\/ReceivedDate>/, 'a request from the year before with its plan in it');
  assert.match(
    c,
    /<ActivePlans><ReviewMeeting>2026-12-10<\/ReviewMeeting><ReviewOutcome>M<\/ReviewOutcome><LastReview>2026-12-10<\/LastReview><SENneed>/,
  );
  const d = flat(persons[3] ?? '');
  assert.match(
    d,
    /<RequestSource>OT<\/RequestSource><RequestOutcomeDate>2026-12-15<\/RequestOutcomeDate><RequestOutcome>N<\/RequestOutcome><\/Requests>/,
  );
  assert.doesNotMatch(d, /<Assessment>|<ActivePlans>/);
  const g = flat(persons[4] ?? '');
  assert.match(
    g,
    /<NamedPlan><StartDate>2024-06-01<\/StartDate><CeaseDate>2026-09-30<\/CeaseDate><CeaseReason>4<\/CeaseReason>/,
  );
  assert.doesNotMatch(g, /<ActivePlans>/, 'ceased before the census date');
});

test('one CSV per module, row by row, each row keyed to its parent', async () => {
  const { ret } = await app.services.sen2.build(actor, CENSUS);
  const person = csvRows(moduleCsv(ret, 'Person'));
  assert.deepEqual(person[0], [
    'PersonKey',
    'Surname',
    'Forename',
    'PersonBirthDate',
    'Sex',
    'Ethnicity',
    'PostCode',
    'UPN',
    'UniqueLearnerNumber',
    'UPNunknown',
  ]);
  assert.deepEqual(person[2], ['S2-B', 'FamilyB', 'GivenB', '2010-05-01', 'M', '', '', '', '', '']);
  const requests = csvRows(moduleCsv(ret, 'Requests'));
  assert.equal(requests.length, 1 + 5);
  assert.deepEqual(requests[4], ['S2-D', s.d.assessmentId, '2026-11-20', 'OT', '', '2026-12-15', 'N', '', '', '']);
  const assessment = csvRows(moduleCsv(ret, 'Assessment'));
  assert.deepEqual(assessment[0], [
    'PersonKey',
    'RequestKey',
    'AssessmentOutcome',
    'AssessmentOutcomeDate',
    'AssessmentMediation',
    'AssessmentTribunal',
    'Week20',
  ]);
  assert.deepEqual(assessment[2], ['S2-B', s.b.assessmentId, 'Y', '2026-08-10', '', '', '1']);
  const named = csvRows(moduleCsv(ret, 'NamedPlan'));
  assert.deepEqual(named.at(-1), [
    'S2-G',
    s.g.assessmentId,
    s.g.planId,
    '2024-06-01',
    '',
    '',
    '',
    '',
    '',
    '2026-09-30',
    '4',
  ]);
  const detail = csvRows(moduleCsv(ret, 'PlanDetail'));
  assert.deepEqual(
    detail.slice(1).map((r) => r[0]),
    ['S2-A', 'S2-B', 'S2-G'],
    'C names no setting',
  );
  const active = csvRows(moduleCsv(ret, 'ActivePlans'));
  assert.deepEqual(
    active.slice(1).map((r) => r[0]),
    ['S2-A', 'S2-B', 'S2-C'],
  );
  assert.deepEqual(active[3], ['S2-C', s.c.planId, '', '2026-12-10', 'M', '', '', '', '2026-12-10']);
  const needs = csvRows(moduleCsv(ret, 'SENneed'));
  assert.deepEqual(needs.slice(1), [
    ['S2-A', s.a.planId, 'ASD', '1'],
    ['S2-A', s.a.planId, 'SLCN', '2'],
    ['S2-B', s.b.planId, 'SEMH', '1'],
    ['S2-C', s.c.planId, 'MLD', '1'],
  ]);
  const placements = csvRows(moduleCsv(ret, 'PlacementDetail'));
  assert.equal(placements.length, 1 + 2);
});

test('the validation report: a missing UPN, a plan without a setting and a duplicate request fail; fixed, the rebuild is clean', async () => {
  const b = new Browser(app);
  await b.login(manager.email);
  let page = await b.get(`/reports/sen2?census=${CENSUS}`);
  assert.equal(page.statusCode, 200);
  assert.match(page.body, new RegExp(`href="/people/${s.b.personId}/edit#upn"`));
  assert.match(page.body, new RegExp(`href="/ehc-plans/${s.c.planId}"`));
  // The report names young people by case reference: each one it names is a logged read, with an audit row.
  const validationReads = () =>
    db
      .selectFrom('access_log')
      .where('purpose', '=', 'sen2-validation')
      .select(['person_id', 'user_id', 'channel'])
      .orderBy('person_id')
      .execute();
  assert.deepEqual(
    await validationReads(),
    [s.b.personId, s.c.personId].sort().map((id) => ({ person_id: id, user_id: manager.id, channel: 'page' })),
  );
  const audited = await db
    .selectFrom('audit_log')
    .where('action', '=', 'sen2.validation_read')
    .select('detail')
    .execute();
  assert.equal(audited.length, 1);
  const { problems } = await app.services.sen2.build(actor, CENSUS);
  assert.deepEqual(
    problems.map((p) => [p.caseNumber, p.module, p.item]),
    [
      ['S2-B', 'Person', 'UPN'],
      ['S2-C', 'NamedPlan', 'PlanDetail'],
      ['S2-C', 'PlacementDetail', 'SENsetting'],
    ],
  );
  // A second request on the same day: both listed (a UPN held twice cannot be written: people_upn_idx).
  const dup = await db
    .insertInto('ehcp_assessments')
    .values({
      authority_id: org.authorityId,
      person_id: s.d.personId,
      request_date: '2026-11-20',
      requested_by: 'parent',
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const withDup = (await app.services.sen2.build(actor, CENSUS)).problems;
  assert.deepEqual(
    withDup
      .filter((p) => p.item !== 'PlanDetail' && p.item !== 'SENsetting')
      .map((p) => [p.caseNumber, p.item, p.href].join(' '))
      .sort(),
    [
      `S2-B UPN /people/${s.b.personId}/edit#upn`,
      `S2-D ReceivedDate /people/${s.d.personId}/ehcp/${s.d.assessmentId}`,
      `S2-D ReceivedDate /people/${s.d.personId}/ehcp/${dup.id}`,
    ].sort(),
  );
  await db.deleteFrom('ehcp_assessments').where('id', '=', dup.id).execute();
  // Fixed: B's own UPN on the record's edit page, and C's plan names its school.
  await db.updateTable('people').set({ upn: 'B123456789012' }).where('id', '=', s.b.personId).execute();
  await db
    .updateTable('ehc_plan_versions')
    .set({ setting_name: 'Riverside Academy', setting_urn: '778899' })
    .where('plan_id', '=', s.c.planId as string)
    .execute();
  page = await b.get(`/reports/sen2?census=${CENSUS}`);
  assert.match(page.body, /No record would fail validation/);
  assert.equal((await validationReads()).length, 2, 'a clean report names nobody: no more reads logged');
  assert.deepEqual((await app.services.sen2.build(actor, CENSUS)).problems, []);
});

test('a download is an export: one access-log row per young person, in one transaction, naming who exported', async () => {
  const b = new Browser(app);
  await b.login(manager.email);
  const before = await db.selectFrom('access_log').where('purpose', '=', 'sen2-return').select('id').execute();
  const res = await b.get(`/reports/sen2/download/xml?census=${CENSUS}`);
  assert.equal(res.statusCode, 200);
  assert.match(String(res.headers['content-disposition']), /attachment; filename="sen2-.*-2027-01-21\.xml"/);
  assert.match(res.body, /^<\?xml version="1\.0" encoding="UTF-8"\?>\n<Message>/);
  const rows = await db
    .selectFrom('access_log')
    .where('purpose', '=', 'sen2-return')
    .select(['person_id', 'user_id', 'channel'])
    .execute();
  assert.equal(rows.length - before.length, 5);
  assert.deepEqual(
    new Set(rows.map((r) => r.person_id)),
    new Set([s.a.personId, s.b.personId, s.c.personId, s.d.personId, s.g.personId]),
  );
  assert.ok(rows.every((r) => r.user_id === manager.id && r.channel === 'export'));
  const audit = await db
    .selectFrom('audit_log')
    .where('action', '=', 'sen2.exported')
    .select(['actor_id', 'detail'])
    .execute();
  assert.equal(audit.at(-1)?.actor_id, manager.id);
  const csv = await b.get(`/reports/sen2/download/SENneed?census=${CENSUS}`);
  assert.equal(csv.statusCode, 200);
  assert.match(csv.body, /^"PersonKey","PlanKey","SENtype","SENtypeRank"\r\n/);
  assert.equal((await b.get(`/reports/sen2/download/Nothing?census=${CENSUS}`)).statusCode, 404);
  // A social worker holds no ehcp:report: refused, and nothing logged.
  const sw = new Browser(app);
  await sw.login(userByRole(org, 'social_worker').email);
  const after = (await db.selectFrom('access_log').where('purpose', '=', 'sen2-return').select('id').execute()).length;
  assert.equal((await sw.get(`/reports/sen2/download/xml?census=${CENSUS}`)).statusCode, 403);
  assert.equal(
    (await db.selectFrom('access_log').where('purpose', '=', 'sen2-return').select('id').execute()).length,
    after,
  );
});

test('the API: the summary with the validation report, and a bad census date named', async () => {
  const b = new Browser(app);
  await b.login(manager.email);
  const bad = await app.inject({
    method: 'GET',
    url: '/api/v1/reports/sen2?census=2025-01-16',
    headers: { cookie: [...b.cookies].map(([k, v]) => `${k}=${v}`).join('; '), accept: 'application/json' },
  });
  assert.equal(bad.statusCode, 400);
  assert.match(bad.json().fields.census, /2026-01-15, 2027-01-21/);
  const ok = await app.inject({
    method: 'GET',
    url: `/api/v1/reports/sen2?census=${CENSUS}`,
    headers: { cookie: [...b.cookies].map(([k, v]) => `${k}=${v}`).join('; '), accept: 'application/json' },
  });
  assert.equal(ok.statusCode, 200);
  const body = ok.json();
  assert.equal(body.people, 5);
  assert.equal(body.rows.Requests, 5);
  assert.deepEqual(body.timeliness, {
    issued: 3,
    within_20_weeks: 1,
    issued_excluding_exceptions: 2,
    within_20_weeks_excluding_exceptions: 1,
  });
  assert.doesNotMatch(ok.body, /GivenA|FamilyA/, 'the summary names no one');
});

test('the people API: why the UPN is not known, refused beside a UPN; held, the return writes it as UPNunknown', async () => {
  const auth = await tokenFor(db, manager.id);
  const read = await app.inject({ method: 'GET', url: `/api/v1/people/${s.d.personId}`, headers: auth });
  assert.equal(read.statusCode, 200, read.body);
  const { person } = read.json();
  assert.equal(person.upn_unknown, null);
  const put = (change: Record<string, unknown>) =>
    app.inject({
      method: 'PUT',
      url: `/api/v1/people/${s.d.personId}`,
      headers: auth,
      payload: {
        given_name: person.given_name,
        family_name: person.family_name,
        date_of_birth: person.date_of_birth,
        version: person.version,
        ...change,
      },
    });
  const both = await put({ upn: 'M801200112001', upn_unknown: 'UN8' });
  assert.equal(both.statusCode, 400);
  assert.deepEqual(both.json().fields, {
    upn_unknown: 'Give a UPN or why it is not known, not both: remove the UPN, or choose None for why it is not known',
  });
  assert.equal((await put({ upn_unknown: 'UN4' })).statusCode, 400, 'a code not in the list');
  assert.equal((await put({ upn: null, upn_unknown: 'UN8' })).statusCode, 204);
  const after = (await app.inject({ method: 'GET', url: `/api/v1/people/${s.d.personId}`, headers: auth })).json();
  assert.equal(after.person.upn, null);
  assert.equal(after.person.upn_unknown, 'UN8');
  // The table refuses both too, whatever writes it.
  await assert.rejects(
    db.updateTable('people').set({ upn: 'M801200112001' }).where('id', '=', s.d.personId).execute(),
    /people_upn_or_reason/,
  );
  const { ret, problems } = await app.services.sen2.build(actor, CENSUS);
  const d =
    returnXml(ret)
      .split('<Person>')
      .find((x) => x.includes('<Surname>FamilyD</Surname>')) ?? '';
  assert.match(d, /<UPNunknown>UN8<\/UPNunknown>/);
  assert.doesNotMatch(d, /<UPN>/);
  assert.ok(!problems.some((p) => p.caseNumber === 'S2-D'), 'a reason is enough: no UPN problem for D');
  const person_ = csvRows(moduleCsv(ret, 'Person')).find((r) => r.includes('FamilyD')) ?? [];
  assert.equal(person_.at(-1), 'UN8');
});
