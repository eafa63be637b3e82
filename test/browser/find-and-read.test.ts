// Browser journeys: a worker finds a young person, reads their record and sees who has viewed it.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { userByRole } from '../helpers.ts';
import { MyWorkPage, SearchPage, type Session, startHarness, textOf } from './harness.ts';

const h = await startHarness();
const worker = userByRole(h.org, 'social_worker');
const { allocated, waiting, elsewhere } = h.people;

/** A signed-in worker on My work. */
async function signIn(): Promise<[Session, MyWorkPage]> {
  const s = await h.session({ as: worker });
  return [s, await MyWorkPage.open(s)];
}

test('search finds people by name, date of birth, NHS number and UPN, but only people the worker works with', async () => {
  const [s, work] = await signIn();
  let search = await work.findAPerson();

  // Both Quillfeathers exist; only Amara's team is the worker's.
  search = await search.search({ name: 'quillfeather' });
  assert.equal(await search.resultsHeading(), '1 person found');
  assert.deepEqual(await search.results(), [allocated.fullName]);
  await s.screenshot('search-results');
  search = await search.search({ dateOfBirth: allocated.dateOfBirth });
  assert.deepEqual(await search.results(), [allocated.fullName]);
  // NHS numbers are typed with spaces, as printed on letters.
  const nhs = allocated.nhsNumber;
  search = await search.search({ nhsNumber: `${nhs.slice(0, 3)} ${nhs.slice(3, 6)} ${nhs.slice(6)}` });
  assert.deepEqual(await search.results(), [allocated.fullName]);
  search = await search.search({ upn: (waiting.upn ?? '').toLowerCase() });
  assert.deepEqual(await search.results(), [waiting.fullName]);
  // Exactly the right identifier of someone the worker does not work with finds nobody.
  search = await search.search({ nhsNumber: elsewhere.nhsNumber });
  assert.equal(await search.resultsHeading(), '0 people found');
  assert.deepEqual(await search.results(), []);
  await s.page.getByText('Records of young people you do not work with are not shown.').waitFor();

  // An empty search, and a mistyped NHS number, explain themselves.
  search = await search.search({}, { error: true });
  assert.deepEqual(await search.errorSummary(), [
    { text: 'Enter a name, date of birth, NHS number, UPN or case number to search', href: '#name' },
  ]);
  await s.page.getByLabel('NHS number').fill('943 476 5918');
  await s.click(s.page.getByRole('button', { name: 'Search' }));
  search = await SearchPage.on(s, { error: true });
  assert.equal(
    await search.inlineError(s.page.getByLabel('NHS number')),
    'NHS number is not valid: check the digits, one may have been mistyped',
  );

  search = await search.search({ dateOfBirth: '2012-02-30' }, { error: true });
  await s.page.getByRole('link', { name: 'Date of birth must be a real date, for example 27 3 2010' }).click();
  assert.equal((await s.focused()).id, 'date_of_birth-day', 'the date link focuses the Day box');

  // The results link to the record.
  search = await search.search({ name: 'Amara' });
  await search.openResult(allocated.fullName);
  await s.close();
});

test('a record shows the summary, statuses, identifiers, involvements, contacts and timeline; the visit is logged', async () => {
  const [s, work] = await signIn();
  const record = await work.openPerson(allocated.fullName);
  await s.screenshot('record');
  await s.page.getByText(`Case ${allocated.caseNumber}`).first().waitFor();
  await s.page.getByRole('heading', { level: 1, name: 'Amara Quillfeather (known as Mara)' }).waitFor();

  const summary = await record.summaryList('Summary');
  // On 23 November 2026 someone born on 14 May 2012 is 14 and, born in the 2011/12 school year, in Year 10.
  assert.equal(summary['Date of birth'], '14 May 2012');
  assert.equal(summary.Age, '14 years old');
  assert.equal(summary['School year'], 'Year 10');
  assert.equal(summary['School or setting'], 'Demoton Academy');
  assert.deepEqual(await record.currentStatuses(), ['Child in need', 'Disabled']);

  const ids = await record.summaryList('Identifiers');
  const nhs = allocated.nhsNumber;
  assert.deepEqual(ids, {
    'Case number': allocated.caseNumber,
    'NHS number': `${nhs.slice(0, 3)} ${nhs.slice(3, 6)} ${nhs.slice(6)}`,
    'Unique pupil number': allocated.upn,
  });

  assert.deepEqual(await record.tableRows('Statuses'), [
    ['Child in need', '1 March 2025', 'End Child in need'],
    ['Disabled', '1 March 2025', 'End Disabled'],
  ]);
  const [involvement, ...more] = await record.tableRows(`Teams and services working with ${allocated.fullName}`);
  assert.deepEqual(more, []);
  assert.equal(involvement?.[0], "Disabled Children's Team North");
  assert.equal(involvement?.[1], "Children's Social Care");
  assert.match(involvement?.[2] ?? '', /^Sam Social-Worker/);
  assert.equal(involvement?.[4], '5 January 2026 to now');
  assert.deepEqual(await record.tableRows('Contacts'), [
    ['Kim Quillfeather', 'Mother (parental responsibility)', '01632 960 123'],
  ]);
  assert.deepEqual(await record.timeline(), ['Record created']);
  // Dates a person can read; machine-readable ISO values in <time datetime> (no 'Mon Nov 23 2026 … GMT').
  const body = await s.page.content();
  assert.doesNotMatch(body, /GMT|(Mon|Tue|Wed|Thu|Fri|Sat|Sun) (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d/);
  const times = s.page.locator('time');
  assert.ok((await times.count()) > 0);
  for (const t of await times.all()) {
    assert.match((await t.getAttribute('datetime')) ?? '', /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}:\d{2}(\.\d{3})?Z)?$/);
    assert.match(await textOf(t), /^\d{1,2} [A-Z][a-z]+ \d{4}(, \d{1,2}:\d{2}[ap]m)?$/);
  }

  // "Who has viewed this record" lists the visit just made (and this look at the log), newest first.
  const log = await record.whoHasViewed();
  const rows = await log.rows();
  assert.deepEqual(
    rows.slice(0, 2).map((r) => r.slice(1)),
    [
      ['Sam Social-Worker (Social Worker)', 'page', 'who-viewed'],
      ['Sam Social-Worker (Social Worker)', 'page', 'record'],
    ],
  );
  await s.close();
});
