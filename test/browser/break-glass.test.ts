// Browser journey for emergency (break-glass) access: refused, a reason given, the record opened with a
// warning, the view logged, and the service manager told on My work.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { userByRole } from '../helpers.ts';
import { BreakGlassPage, ForbiddenPage, MyWorkPage, PersonRecordPage, startHarness, textOf } from './harness.ts';

const h = await startHarness();
const worker = userByRole(h.org, 'social_worker');
const manager = userByRole(h.org, 'service_manager');
const { elsewhere } = h.people;
const REASON = 'Police called out of hours: child reported missing, need the carer contact details now';

test('a worker with no relationship is refused, uses break-glass with a reason, and the manager is told', async () => {
  const s = await h.session({ as: worker });
  await MyWorkPage.open(s);

  // No relationship: the record is closed, and the 403 page offers break-glass.
  assert.equal(await s.goto(`/people/${elsewhere.id}`), 403);
  const refused = await ForbiddenPage.on(s);
  await s.screenshot('forbidden');
  const text = await textOf(refused.page.locator('main'));
  assert.match(text, /You do not work with this young person, so their record is closed to you\./);
  assert.ok(!text.includes(elsewhere.familyName), 'the refusal does not name the young person');
  const glass = await refused.useBreakGlass();

  // A reason is required: the error is summarised, shown inline and linked to the box.
  await glass.submit('urgent');
  const retry = await BreakGlassPage.on(s, { error: true });
  const message =
    'Explain why you need this record now: a reason in words, at least 10 characters, like Police called about a missing child';
  assert.deepEqual(await retry.errorSummary(), [{ text: message, href: '#reason' }]);
  assert.equal(await retry.inlineError(retry.reason()), message);
  await s.page.getByRole('link', { name: message }).click();
  assert.equal((await s.focused()).id, 'reason');

  await retry.submit(REASON);
  const record = await PersonRecordPage.on(s, elsewhere.fullName);
  assert.match(
    await textOf(record.warning()),
    /You are viewing this record with break-glass access\. Your reason has been recorded and a manager has been told\./,
  );
  assert.equal((await record.timeline())[0], 'Break-glass access used');
  await s.screenshot('break-glass-record');

  const log = await record.whoHasViewed();
  const [newest, second] = await log.rows();
  assert.deepEqual(newest?.slice(1), ['Sam Social-Worker (Social Worker)', 'page', 'Break-glass']);
  assert.deepEqual(second?.slice(1), ['Sam Social-Worker (Social Worker)', 'page', 'Break-glass']);
  await s.close();

  // The service manager sees the alert on My work; it names the case, never the young person.
  const m = await h.session({ as: manager });
  const work = await MyWorkPage.open(m);
  const alert = work.alerts();
  assert.equal(await alert.count(), 1);
  const alertText = await textOf(alert);
  assert.match(alertText, /Break-glass ·/);
  assert.match(alertText, new RegExp(`Sam Social-Worker used break-glass access to case ${elsewhere.caseNumber}`));
  assert.ok(!alertText.includes(elsewhere.familyName));
  await m.screenshot('manager-alert');
  await m.click(alert.getByRole('button', { name: 'Mark as seen' }));
  const after = await MyWorkPage.on(m);
  assert.equal(await after.alerts().count(), 0);
  await m.close();
});
