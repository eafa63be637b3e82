// Browser journeys: signing in and out, keyboard-only use, and the error pages.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PASSWORD, userByRole } from '../helpers.ts';
import {
  ErrorPage,
  ForbiddenPage,
  LoginPage,
  MyWorkPage,
  PersonRecordPage,
  startHarness,
  textOf,
  WhoViewedPage,
} from './harness.ts';

const h = await startHarness();
const worker = userByRole(h.org, 'social_worker');

test('a wrong password shows the GOV.UK error summary, linked to the field; the right one lands on My work', async () => {
  const s = await h.session();
  const login = await LoginPage.open(s);
  await login.submit(worker.email, 'not-the-password');
  const retry = await LoginPage.on(s, { error: true });
  assert.deepEqual(await retry.errorSummary(), [
    { text: 'Enter a correct email address and password', href: '#email' },
  ]);
  assert.equal(await retry.inlineError(retry.email()), 'Enter a correct email address and password');
  // GOV.UK Frontend moves focus to the summary, and its link moves focus to the field.
  assert.match((await s.page.evaluate(() => document.activeElement?.className)) ?? '', /govuk-error-summary/);
  await s.page.getByRole('link', { name: 'Enter a correct email address and password' }).click();
  assert.equal((await s.focused()).id, 'email');
  assert.equal(await retry.email().inputValue(), worker.email, 'the email address is kept');
  assert.equal(await retry.password().inputValue(), '', 'the password is never sent back');

  const work = await retry.signIn(worker.email, PASSWORD);
  assert.deepEqual(await work.allocatedToMe(), [h.people.allocated.fullName]);
  assert.deepEqual(await work.waiting(), [h.people.waiting.fullName]);
  assert.ok(!(await s.page.getByText(h.people.elsewhere.fullName).count()), 'nobody outside my work is listed');
  await s.screenshot('my-work');

  // http://127.0.0.1 is a secure context, so the __Host- session cookie (Secure, HttpOnly) is kept.
  const cookie = (await s.context.cookies()).find((c) => c.name === '__Host-handover-session');
  assert.ok(cookie, 'the __Host- session cookie is set');
  assert.equal(cookie.secure, true);
  assert.equal(cookie.httpOnly, true);
  assert.equal(cookie.sameSite, 'Lax');

  await work.signOut();
  await s.goto('/');
  await LoginPage.on(s);
  await s.close();
});

test('a worker can sign in and reach a record with the keyboard alone', async () => {
  const s = await h.session();
  const { page } = s;
  await s.goto('/login');
  await LoginPage.on(s);

  // The first Tab reaches the skip link; Enter on it moves focus to the main content.
  await page.keyboard.press('Tab');
  assert.deepEqual(await s.focused(), { tag: 'a', id: '', text: 'Skip to main content', href: '#main-content' });
  await page.keyboard.press('Enter');
  assert.equal((await s.focused()).id, 'main-content');
  await page.keyboard.press('Tab');
  assert.equal((await s.focused()).id, 'email', 'after the skip link, the next stop is the email address');
  await page.keyboard.type(worker.email);
  await page.keyboard.press('Tab');
  assert.equal((await s.focused()).id, 'password');
  await page.keyboard.type(PASSWORD);
  await s.follow(() => page.keyboard.press('Enter'));
  await MyWorkPage.on(s);

  await page.keyboard.press('Tab');
  assert.equal((await s.focused()).text, 'Skip to main content');
  await page.keyboard.press('Enter');
  await s.tabTo((f) => f.tag === 'a' && f.text === h.people.allocated.fullName, 10);
  const outline = await page.evaluate(() => {
    const style = getComputedStyle(document.activeElement as Element);
    return { outline: style.outlineStyle, shadow: style.boxShadow, background: style.backgroundColor };
  });
  assert.ok(outline.outline !== 'none' || outline.shadow !== 'none', 'the focused link shows a focus indicator');
  await s.follow(() => page.keyboard.press('Enter'));
  await PersonRecordPage.on(s, h.people.allocated.fullName);

  // From the record, links reach "Who has viewed this record" by keyboard too.
  await s.tabTo((f) => f.text === 'Who has viewed this record');
  await s.follow(() => page.keyboard.press('Enter'));
  await WhoViewedPage.on(s);
  await s.close();
});

test('error pages explain the problem without a stack trace, and pass axe', async () => {
  const s = await h.session();
  // Signed out, a page that needs a sign-in sends you to sign in.
  await s.goto('/people');
  await (await LoginPage.on(s)).signIn(worker.email, PASSWORD);

  for (const [url, message] of [
    ['/no-such-page', 'Go to My work'],
    ['/people/not-a-reference', 'No record with that reference.'],
    ['/people/00000000-0000-4000-8000-000000000000', 'No record with that reference.'],
  ] as const) {
    assert.equal(await s.goto(url), 404, url);
    const page = await ErrorPage.on(s, 'Page not found');
    const body = await textOf(page.page.locator('main'));
    assert.ok(body.includes(message), `${url}: ${body}`);
    const html = await s.page.content();
    assert.doesNotMatch(html, /\bat .+:\d+:\d+|node_modules|\.ts\b|Error:|stack/i, `${url} leaks internals`);
    await s.page.getByRole('link', { name: 'Go to My work' }).waitFor();
  }

  // A form whose token does not match is refused with a page that says what to do.
  await s.goto(`/people/${h.people.allocated.id}`);
  const record = await PersonRecordPage.on(s, h.people.allocated.fullName);
  await record.page.locator('form[action$="/statuses"] input[name="_csrf"]').evaluate((el) => {
    (el as HTMLInputElement).value = 'forged';
  });
  await record.page.getByLabel('Add a status').selectOption({ label: 'EHC plan' });
  await s.click(record.page.getByRole('button', { name: 'Add status' }));
  const refused = await ForbiddenPage.on(s);
  assert.match(await textOf(refused.page.locator('main')), /The form had expired or did not come from this service/);
  await s.close();
});

test('error pages keep the signed-in header and the CSP nonce', async () => {
  const s = await h.session({ as: worker });
  assert.equal(await s.goto('/no-such-page'), 404);
  const page = await ErrorPage.on(s, 'Page not found');
  assert.equal(await page.nav('My work').count(), 1, 'the header still shows the navigation');
  assert.deepEqual([...s.knownIssues], [], 'no script was blocked by the CSP');
  await s.close();
});
