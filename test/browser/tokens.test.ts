// Issue 9, finding 9 in the browser: "Your API tokens" on /account (reached from your name in the header) and on
// an administrator's view of a user; revoking one shows a success banner. Every page is checked with axe.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AuthService } from '../../src/modules/auth/service.ts';
import { fixedClock, testConfig, userByRole } from '../helpers.ts';
import { TODAY } from './fixtures.ts';
import { startHarness, textOf } from './harness.ts';

const h = await startHarness();
const auth = new AuthService(h.db, testConfig(), fixedClock(TODAY).now);
const worker = userByRole(h.org, 'social_worker');

test('a worker finds their API tokens from the header, and revokes one', async () => {
  assert.ok(await auth.createApiToken(worker.email, 'Reporting script', 30));
  const s = await h.session({ as: worker });
  await s.goto('/');
  await s.checkAxe();
  await s.click(s.page.getByRole('link', { name: /your account and API tokens/ }));
  assert.equal(await textOf(s.page.locator('h1')), 'Your account');
  assert.match(await textOf(s.page.locator('table')), /Reporting script.*Never.*Active/s);
  await s.checkAxe();
  await s.click(s.page.getByRole('button', { name: 'Revoke the token Reporting script' }));
  assert.match(await textOf(s.page.locator('.govuk-notification-banner--success')), /API token revoked/);
  assert.match(await textOf(s.page.locator('table')), /Reporting script.*Revoked/s);
  await s.checkAxe();
  await s.close();
});

test("an administrator sees a user's tokens on the user's page", async () => {
  assert.ok(await auth.createApiToken(worker.email, 'Second script'));
  const s = await h.session({ as: userByRole(h.org, 'admin') });
  assert.equal(await s.goto(`/admin/users/${worker.id}`), 200);
  assert.equal(await textOf(s.page.locator('h1')), worker.name);
  assert.match(await textOf(s.page.locator('table')), /Second script/);
  await s.checkAxe();
  await s.close();
});
