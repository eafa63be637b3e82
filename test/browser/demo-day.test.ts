// Issue 11's "Done" as one journey: a worker spends a demo day in the browser — writes two case notes (one a
// significant event) and finds it in the chronology, uploads a document to the record (scanned by the test's own
// clamd), finds a young person by filter, and works through My work (opens the overdue item and marks it done, so it
// leaves the list); then the team manager moves a leaving worker's caseload (a case, an open protocol step and a plan
// action) to the worker, who finds all three in My work. axe on every page, the W3C checker at the end of each
// session (harness), and the success banner takes the focus after each save.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { authUser } from '../../src/modules/demo/journeys.ts';
import { ActionInput, PlanInput } from '../../src/modules/transitions/schemas.ts';
import { startClamd } from '../clamd.ts';
import { userByRole } from '../helpers.ts';
import { MyWorkPage, PersonRecordPage, SearchPage, type Session, startHarness, textOf } from './harness.ts';

const clamd = await startClamd();
const h = await startHarness({
  documents: { scanning: 'clamd', clamd: { socket: clamd.socket }, dir: null, maxBytes: 1024 * 1024 },
});
const sam = userByRole(h.org, 'social_worker');
const marcus = userByRole(h.org, 'team_manager');
const helen = userByRole(h.org, 'service_manager');
const team = h.org.teams['dct-north'] as string;
const { allocated } = h.people;
const PDF = Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n');
const transitions = h.app.services.transitions;
const read = { today: transitions.today() };

/** A plan for the young person, written by `by`, with one action `by` owns, due on `due`. */
async function planAction(by: string, personId: string, description: string, due: string) {
  const user = await authUser(h.db, by);
  await transitions.savePlan(user, personId, PlanInput.parse({ what_matters: 'Staying at my school' }, read));
  return transitions.addAction(
    user,
    personId,
    ActionInput.parse({ description, owner_user_id: by, due_date: due }, read),
  );
}

// Sam's overdue work: an action on Amara's plan, due a week before the test's today (Monday 23 November 2026).
await planAction(sam.id, allocated.id, 'Book the short breaks review', '2026-11-16');

// The leaver: a second caseworker in Sam's team with one young person, an action and a Devon step of their own.
const samRow = await h.db.selectFrom('users').where('id', '=', sam.id).selectAll().executeTakeFirstOrThrow();
const kit = await h.db
  .insertInto('users')
  .values({
    authority_id: h.org.authorityId,
    email: 'kit.leaving@example.test',
    display_name: 'Kit Leaving-Worker',
    job_title: 'Social Worker',
    roles: ['social_worker'],
    service_id: samRow.service_id,
    line_manager_id: marcus.id,
  })
  .returning('id')
  .executeTakeFirstOrThrow();
await h.db.insertInto('team_members').values({ team_id: team, user_id: kit.id }).execute();
const leaversCase = await h.db
  .insertInto('people')
  .values({
    authority_id: h.org.authorityId,
    case_number: 'HO900010',
    given_name: 'Orla',
    family_name: 'Penhallow',
    date_of_birth: '2009-06-11',
  })
  .returning('id')
  .executeTakeFirstOrThrow();
await h.db
  .insertInto('involvements')
  .values({
    authority_id: h.org.authorityId,
    person_id: leaversCase.id,
    team_id: team,
    worker_id: kit.id,
    reason: 'Child in need',
    start_date: '2026-01-05',
  })
  .execute();
await planAction(kit.id, leaversCase.id, 'Arrange the college taster day', '2026-12-11');
const protocols = h.app.services.protocols;
const helenUser = await authUser(h.db, helen.id);
const instanceId = await protocols.start(helenUser, leaversCase.id, { protocol_id: 'devon-transitions-16-17' });
const step = await h.db
  .selectFrom('protocol_steps')
  .where('instance_id', '=', instanceId)
  .where('status', '=', 'open')
  .select(['id', 'version'])
  .executeTakeFirstOrThrow();
await protocols.reassign(helenUser, leaversCase.id, instanceId, step.id, {
  owner_user_id: kit.id,
  version: step.version,
});

/** Checks the page's h1 and title, then runs axe on it. */
async function on(s: Session, h1: string, title = h1) {
  const headings = await s.page.getByRole('heading', { level: 1 }).allInnerTexts();
  assert.deepEqual(
    headings.map((t) => t.trim()),
    [h1],
    `the h1 on ${s.page.url()}`,
  );
  assert.equal(await s.page.title(), `${title} – Handover`);
  await s.checkAxe();
}

/** The success banner's text, once it has taken the keyboard focus. */
async function focusedBanner(s: Session): Promise<string> {
  await s.page.waitForFunction(() => document.activeElement?.classList.contains('govuk-notification-banner'));
  return textOf(s.page.locator('.govuk-notification-banner__content'));
}

/** The "what" of each row on My work, in the order shown. */
async function workRows(s: Session): Promise<string[]> {
  return (await s.page.locator('.app-work__item h3').allInnerTexts()).map((t) => t.trim());
}

async function writeNote(
  s: Session,
  n: { type: string; day: string; time: string; what: string; voice: string; summary?: string },
) {
  // From the record it is a link; from the list of notes, a button.
  const add = s.page.getByRole('link', { name: 'Add a case note' });
  await s.click(add.or(s.page.getByRole('button', { name: 'Add a case note' })).first());
  await on(s, 'Add a case note');
  const p = s.page;
  await p.getByRole('group', { name: 'Type of note' }).getByLabel(n.type, { exact: true }).check();
  const date = p.getByRole('group', { name: 'Date of the contact' });
  await date.getByLabel('Day').fill(n.day);
  await date.getByLabel('Month').fill('11');
  await date.getByLabel('Year').fill('2026');
  await p.getByLabel('Time of the contact').fill(n.time);
  await p.getByLabel('What happened').fill(n.what);
  await p.getByLabel('The young person’s voice (optional)').fill(n.voice);
  const significant = p.getByRole('group', { name: 'Is this a significant event?' });
  await significant.getByLabel(n.summary ? 'Yes' : 'No', { exact: true }).check();
  if (n.summary) await p.getByLabel('Summary of the significant event (if it is one)').fill(n.summary);
  await s.click(p.getByRole('button', { name: 'Save case note' }));
  await on(s, 'Case notes');
  assert.equal(await focusedBanner(s), 'Case note added');
}

test('a demo day: notes and chronology, a document, finding by filter, My work; then a leaver’s caseload moves', async () => {
  // Sam starts the day on My work: the overdue action is first.
  const s = await h.session({ as: sam });
  await MyWorkPage.open(s);
  const first = s.page.locator('.app-work__item').first();
  assert.match(await textOf(first), /Plan action: Book the short breaks review/);
  assert.match(await textOf(first), /Overdue/);

  // Two notes on Amara's record, one significant; the chronology shows that one.
  await s.goto(`/people/${allocated.id}`);
  await PersonRecordPage.on(s, allocated.fullName);
  await writeNote(s, {
    type: 'Visit',
    day: '20',
    time: '2:30pm',
    what: 'Home visit with mum. Amara showed me her sensory corner.',
    voice: 'Said she likes the new beanbag.',
  });
  await writeNote(s, {
    type: 'Phone call',
    day: '21',
    time: '09:15',
    what: 'School phoned: Amara told a teaching assistant she is frightened of the lunch hall.',
    voice: 'Told school the noise hurts her ears.',
    summary: 'Told school she is frightened of the lunch hall',
  });
  await s.click(s.page.getByRole('link', { name: 'Chronology of significant events' }));
  await on(s, 'Chronology');
  const chronology = s.page.getByRole('table', {
    name: `Significant events for ${allocated.fullName}, oldest first`,
  });
  const rows = await chronology.locator('tbody tr').allInnerTexts();
  assert.equal(rows.length, 1);
  assert.match(rows[0] as string, /21 November 2026.*Phone call.*Told school she is frightened of the lunch hall/s);

  // A document on the record, scanned by clamd.
  await s.goto(`/people/${allocated.id}`);
  await PersonRecordPage.on(s, allocated.fullName);
  await s.click(s.page.getByRole('link', { name: 'Upload a document' }));
  await on(s, 'Documents');
  await s.page
    .getByLabel('Upload a file')
    .setInputFiles({ name: 'report.pdf', mimeType: 'application/pdf', buffer: PDF });
  await s.page.getByLabel('Title (optional)').fill('Sensory assessment');
  await s.click(s.page.getByRole('button', { name: 'Upload document' }));
  assert.equal(await focusedBanner(s), 'Document uploaded');
  await on(s, 'Documents');
  assert.equal(await s.page.getByRole('link', { name: /Sensory assessment/ }).count(), 1);

  // Finding a young person by filter: 11 to 15, child in need.
  const search = await SearchPage.open(s);
  assert.ok(search);
  await s.page.getByLabel('Age').selectOption({ label: '11 to 15' });
  await s.page.getByLabel('Status').selectOption({ label: 'Child in need' });
  await s.click(s.page.getByRole('button', { name: 'Search' }));
  await s.checkAxe();
  const results = s.page.getByRole('table', { name: 'Search results' });
  assert.deepEqual(
    (await results.getByRole('link').allInnerTexts()).map((t) => t.trim()),
    [allocated.fullName],
  );
  await s.click(results.getByRole('link', { name: allocated.fullName }));
  await PersonRecordPage.on(s, allocated.fullName);

  // Through My work: open the overdue action, mark it done, and it leaves the list.
  await MyWorkPage.open(s);
  await s.click(s.page.getByRole('link', { name: 'Plan action: Book the short breaks review' }));
  await on(s, 'Update an action');
  await s.page.getByRole('group', { name: 'Status' }).getByLabel('Done', { exact: true }).check();
  await s.page.getByLabel('Evidence (optional)').fill('Review booked for 2 December');
  await s.click(s.page.getByRole('button', { name: 'Save action' }));
  assert.equal(await focusedBanner(s), 'Action updated');
  await s.checkAxe();
  await MyWorkPage.open(s);
  assert.ok(!(await workRows(s)).some((w) => /Book the short breaks review/.test(w)), 'the done action has gone');
  await s.close();

  // The team manager moves the leaver's case, step and action to Sam.
  const m = await h.session({ as: marcus });
  await MyWorkPage.open(m);
  await m.click(m.page.getByRole('link', { name: 'Team caseloads' }));
  await on(m, 'Move a worker’s cases');
  await m.click(m.page.getByRole('link', { name: /^Kit Leaving-Worker/ }));
  await on(m, 'Move Kit Leaving-Worker’s cases');
  for (const group of ['Cases', 'Protocol steps', 'Plan actions']) {
    const boxes = m.page.getByRole('group', { name: new RegExp(`^${group} Kit Leaving-Worker`) }).getByRole('checkbox');
    assert.equal(await boxes.count(), 1, group);
    await boxes.first().check();
  }
  await m.page.getByRole('group', { name: 'Who should they move to?' }).getByRole('radio', { name: sam.name }).check();
  await m.page.getByLabel('Reason (optional)').fill('Kit leaves at the end of the month');
  await m.click(m.page.getByRole('button', { name: 'Move the chosen work' }));
  assert.match(await focusedBanner(m), /moved to Sam Social-Worker/);
  await on(m, 'Move Kit Leaving-Worker’s cases');
  await m.close();

  // Sam finds all three in My work.
  const again = await h.session({ as: sam });
  const work = await MyWorkPage.open(again);
  assert.ok((await work.allocatedToMe()).includes('Orla Penhallow'), 'the case is allocated to Sam');
  const mine = await workRows(again);
  assert.ok(
    mine.some((w) => w === 'Plan action: Arrange the college taster day'),
    JSON.stringify(mine),
  );
  assert.ok(
    mine.some((w) => w.startsWith('1. Person-led plan')),
    JSON.stringify(mine),
  );
  // Sam acts on the step that came with the case: the decision ends on the focused success banner.
  await again.click(again.page.getByRole('link', { name: /^1\. Person-led plan/ }));
  await on(again, 'Transitions protocol for 16-17 year olds (Devon)');
  await again.page.getByLabel('The plan sets out the needs and goals').check();
  await again.click(again.page.getByRole('button', { name: 'Record decision' }));
  assert.equal(await focusedBanner(again), 'Decision recorded');
  await on(again, 'Transitions protocol for 16-17 year olds (Devon)');
  assert.match(await textOf(again.page.locator('#current-step')), /2\. Does every action have an owner\?/);
  await again.close();
});
