// Browser journey (issue 17 part 3): the council's IT administrator sets up provisioning at 320px — a secret with no
// name (the error summary), then one named, shown once in the success banner and working against /scim/v2 at once;
// revoking it stops it; a department mapped to a team (an error first) and removed. Every page checked with axe and
// the W3C checker, banners focused, nothing scrolling sideways.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { userByRole } from '../helpers.ts';
import { type Session, startHarness, textOf } from './harness.ts';

const h = await startHarness();
const admin = userByRole(h.org, 'admin');

async function on(s: Session, h1: string) {
  const headings = await s.page.getByRole('heading', { level: 1 }).allInnerTexts();
  assert.deepEqual(
    headings.map((t) => t.trim()),
    [h1],
  );
  assert.equal(
    await s.page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth),
    0,
    `nothing scrolls sideways at 320px on ${s.page.url()}`,
  );
  await s.checkAxe();
}

async function focusedBanner(s: Session): Promise<string> {
  await s.page.waitForFunction(() => document.activeElement?.classList.contains('govuk-notification-banner'));
  return textOf(s.page.locator('.govuk-notification-banner__content'));
}

const scimStatus = async (secret: string) =>
  (await fetch(`${h.baseUrl}/scim/v2/ServiceProviderConfig`, { headers: { authorization: `Bearer ${secret}` } }))
    .status;

test('the administrator makes a provisioning secret (shown once), revokes it, and maps a department to a team', async () => {
  const s = await h.session({ as: admin });
  const p = s.page;
  await p.setViewportSize({ width: 320, height: 800 });
  await s.goto('/admin');
  await s.checkAxe();
  await s.click(p.getByRole('link', { name: 'Manage provisioning' }));
  await on(s, 'Provisioning');
  assert.match(await textOf(p.locator('main')), /There are no secrets yet/);
  assert.match(await textOf(p.locator('main')), new RegExp(`Tenant URL: ${h.app.services.scim.baseUrl}/scim/v2`));

  await s.click(p.getByRole('button', { name: 'Create secret' }));
  await on(s, 'Provisioning');
  assert.match(await textOf(p.locator('.govuk-error-summary')), /Enter a name for the secret/);

  await p.getByLabel('Name of a new secret').fill('Entra ID provisioning');
  await s.click(p.getByRole('button', { name: 'Create secret' }));
  const banner = await focusedBanner(s);
  assert.match(banner, /Secret “Entra ID provisioning” created/);
  await on(s, 'Provisioning');
  const secret = (await textOf(p.locator('#new-secret'))).trim();
  assert.match(secret, /^scim_[A-Za-z0-9_-]{43}$/);
  assert.equal(await scimStatus(secret), 200);
  // Only its hash is kept.
  const stored = await h.db.selectFrom('scim_secrets').select(['secret_hash', 'last_used_at']).execute();
  assert.equal(stored.length, 1);
  assert.notEqual(stored[0]?.secret_hash, secret);
  assert.ok(stored[0]?.last_used_at);

  await s.goto('/admin/provisioning');
  await on(s, 'Provisioning');
  assert.doesNotMatch(await p.content(), new RegExp(secret));
  await s.click(p.getByRole('button', { name: 'Revoke secret Entra ID provisioning' }));
  assert.equal(await focusedBanner(s), 'Secret revoked: the directory can no longer provision with it');
  await on(s, 'Provisioning');
  assert.match(await textOf(p.locator('main')), /Revoked/);
  assert.equal(await scimStatus(secret), 401);

  await p.getByLabel('Department').fill('Children’s Social Care North');
  await s.click(p.getByRole('button', { name: 'Save department' }));
  await on(s, 'Provisioning');
  assert.match(await textOf(p.locator('.govuk-error-summary')), /Choose the team for this department/);
  assert.equal(await p.getByLabel('Department').inputValue(), 'Children’s Social Care North');
  await p.getByLabel('Team').selectOption({ label: "Disabled Children's Team North" });
  await s.click(p.getByRole('button', { name: 'Save department' }));
  assert.equal(await focusedBanner(s), 'Department saved: people the directory puts in it join its team');
  await on(s, 'Provisioning');
  const main = await textOf(p.locator('main'));
  assert.match(main, /Children’s Social Care North/);
  await s.click(p.getByRole('button', { name: 'Remove department Children’s Social Care North' }));
  assert.equal(await focusedBanner(s), 'Department removed: nobody is moved by it any more');
  await on(s, 'Provisioning');
  assert.match(await textOf(p.locator('main')), /No departments are mapped to teams yet/);

  const audit = await h.db
    .selectFrom('audit_log')
    .where('entity', 'in', ['scim_secret', 'scim_department_team'])
    .orderBy('seq')
    .select(['action', 'detail'])
    .execute();
  assert.deepEqual(
    audit.map((a) => a.action),
    ['create', 'revoke', 'map_department', 'unmap_department'],
  );
  for (const a of audit) assert.doesNotMatch(JSON.stringify(a.detail), new RegExp(secret));
  await s.close();
});
