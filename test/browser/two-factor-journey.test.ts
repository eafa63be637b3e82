// Issue 17 part 6 in the browser: an advice giver (an NHS trust's account) enrols a second factor on first sign-in
// (reading the key from the page, as a person types it into their app), saves their recovery codes, lands on My work,
// signs out, cannot get in on the password alone, then signs in with a code and with a recovery code. Every page is
// checked with axe and the W3C checker, and for sideways scrolling at 320px. Then their account page and an
// administrator's reset.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { codeAt } from '../../src/modules/two-factor/codes.ts';
import { PASSWORD, userByRole } from '../helpers.ts';
import { LoginPage, MyWorkPage, type Session, startHarness, textOf } from './harness.ts';
import { signInWithSecondFactor } from './two-factor-kit.ts';

const h = await startHarness({ twoFactor: 'required' });
const giver = userByRole(h.org, 'advice_giver');
const admin = userByRole(h.org, 'admin');

/** One h1, the title, axe, and nothing wider than a 320px phone. */
async function onPage(s: Session, h1: string, title = h1) {
  const headings = await s.page.getByRole('heading', { level: 1 }).allInnerTexts();
  assert.deepEqual(
    headings.map((t) => t.replace(/\s+/g, ' ').trim()),
    [h1],
    `the h1 on ${s.page.url()}`,
  );
  assert.equal(await s.page.title(), `${title} – Handover`);
  await s.checkAxe();
  await s.page.setViewportSize({ width: 320, height: 800 });
  const wide = await s.page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  assert.equal(wide, 0, `${new URL(s.page.url()).pathname} does not scroll sideways at 320px`);
  await s.page.setViewportSize({ width: 1280, height: 800 });
}

async function errorSummary(s: Session): Promise<string> {
  const summary = s.page.getByRole('alert').filter({ hasText: 'There is a problem' });
  await summary.waitFor();
  return textOf(summary.getByRole('link'));
}

const codeBox = (s: Session, label: RegExp) => s.page.getByLabel(label);
const continueButton = (s: Session) => s.page.getByRole('button', { name: 'Continue' });

let secret = '';
let recoveryCodes: string[] = [];

test('an advice giver enrols on first sign-in, saves recovery codes and lands on My work', async () => {
  const s = await h.session();
  await (await LoginPage.open(s)).submit(giver.email, PASSWORD);
  await onPage(s, 'Set up two-factor sign-in');
  assert.ok(await s.page.getByRole('img', { name: /QR code to add Handover/ }).isVisible(), 'the QR code');
  secret = (await textOf(s.page.locator('#secret-key'))).replace(/\s+/g, '');
  assert.match(secret, /^[A-Z2-7]{32}$/, 'the key, typed without its spaces');
  const box = codeBox(s, /Enter the 6-digit code from your app/);
  assert.equal(await box.getAttribute('autocomplete'), 'one-time-code');
  assert.equal(await box.getAttribute('inputmode'), 'numeric');

  await box.fill(codeAt(secret, new Date(h.clock.now().getTime() - 600_000)));
  await s.click(continueButton(s));
  await onPage(s, 'Set up two-factor sign-in', 'Error: Set up two-factor sign-in');
  assert.match(await errorSummary(s), /^The code is not correct\. Enter the newest 6-digit code/);

  await codeBox(s, /Enter the 6-digit code from your app/).fill(codeAt(secret, h.clock.now()));
  await s.click(continueButton(s));
  await onPage(s, 'Save your recovery codes');
  recoveryCodes = (await s.page.locator('#recovery-codes li').allInnerTexts()).map((t) => t.trim());
  assert.equal(recoveryCodes.length, 10);
  await s.click(s.page.getByRole('button', { name: 'I have saved my recovery codes – continue' }));
  const work = await MyWorkPage.on(s);
  await work.signOut();
  await s.close();
});

test('the password alone does not sign them in; the code from the app does, and so does a recovery code once', async () => {
  h.clock.advance(30_000);
  const s = await h.session();
  await (await LoginPage.open(s)).submit(giver.email, PASSWORD);
  await onPage(s, 'Enter the code from your authenticator app');
  // Leaving the code page for My work goes back to sign in: there is no session yet.
  await s.goto('/');
  await LoginPage.on(s);

  await (await LoginPage.open(s)).submit(giver.email, PASSWORD);
  await onPage(s, 'Enter the code from your authenticator app');
  await codeBox(s, /Enter the code from your authenticator app/).fill('000000');
  await s.click(continueButton(s));
  await onPage(s, 'Enter the code from your authenticator app', 'Error: Enter the code from your authenticator app');
  assert.equal(
    await errorSummary(s),
    "The code is not correct. Enter the newest 6-digit code from your authenticator app; if your phone's clock is wrong, the codes will be too",
  );
  await codeBox(s, /Enter the code from your authenticator app/).fill(codeAt(secret, h.clock.now()));
  await s.click(continueButton(s));
  await (await MyWorkPage.on(s)).signOut();

  await (await LoginPage.open(s)).submit(giver.email, PASSWORD);
  await onPage(s, 'Enter the code from your authenticator app');
  await s.click(s.page.getByRole('link', { name: 'Use a recovery code instead' }));
  await onPage(s, 'Enter a recovery code');
  await codeBox(s, /Enter a recovery code/).fill(recoveryCodes[0] as string);
  await s.click(continueButton(s));
  await (await MyWorkPage.on(s)).signOut();

  await (await LoginPage.open(s)).submit(giver.email, PASSWORD);
  await onPage(s, 'Enter the code from your authenticator app');
  await s.click(s.page.getByRole('link', { name: 'Use a recovery code instead' }));
  await onPage(s, 'Enter a recovery code');
  await codeBox(s, /Enter a recovery code/).fill(recoveryCodes[0] as string);
  await s.click(continueButton(s));
  await onPage(s, 'Enter a recovery code', 'Error: Enter a recovery code');
  assert.match(await errorSummary(s), /it has been used/);
  await s.close();
});

test('their account page shows the status; an administrator resets it and they set it up again', async () => {
  h.clock.advance(30_000);
  const own = await h.session();
  await signInWithSecondFactor(own.context, giver.email, h.clock.now(), secret);
  await own.goto('/account/two-factor');
  await onPage(own, 'Two-factor sign-in');
  assert.match(await textOf(own.page.locator('.govuk-summary-list')), /Recovery codes left 9/);

  const s = await h.session();
  await signInWithSecondFactor(s.context, admin.email, h.clock.now());
  await s.goto(`/admin/users/${giver.id}`);
  await s.checkAxe();
  await s.click(s.page.getByRole('link', { name: /Reset two-factor sign-in/ }));
  await onPage(s, 'Two-factor sign-in', `Two-factor sign-in: ${giver.name}`);
  await s.click(s.page.getByRole('button', { name: `Reset two-factor sign-in for ${giver.name}` }));
  await onPage(s, 'Two-factor sign-in', `Two-factor sign-in: ${giver.name}`);
  assert.match(await textOf(s.page.locator('.govuk-notification-banner')), /Two-factor sign-in reset for/);
  await s.close();

  await own.goto('/account/two-factor');
  await LoginPage.on(own);
  await own.close();
  const again = await h.session();
  await (await LoginPage.open(again)).submit(giver.email, PASSWORD);
  await onPage(again, 'Set up two-factor sign-in');
  await again.close();
});
