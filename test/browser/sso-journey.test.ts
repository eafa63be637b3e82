// Browser walk of single sign-on (issue 17 parts 1, 2 and 6) at 320px, with axe and the W3C HTML checker on every
// Handover page: the sign-in page's council-account button starts a sign-in at a real OpenID Connect provider, and
// the provisioned worker lands on My work; an unknown person sees their request has gone to the administrator, who
// adds a tenant (the empty form's error summary first), maps an app role and approves the request; the person then
// signs in. The provider's own development login pages are driven over HTTP (they are not Handover's to check).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { userByRole } from '../helpers.ts';
import { startProvider, TENANT } from '../sso-kit.ts';
import { type Session, startHarness, textOf } from './harness.ts';
import { banner, on } from './send-hubs-kit.ts';

const provider = await startProvider();
const settings = provider.settings();
const h = await startHarness({ oidc: settings });
// The app's address is known once it listens: the provider accepts any loopback port.
settings.redirectUrl = `${h.baseUrl}/auth/oidc/callback`;
settings.postLogoutRedirectUrl = `${h.baseUrl}/login`;
const admin = userByRole(h.org, 'admin');

/** From the sign-in page's button to the provider and back, in this browser session: the page Handover shows. */
async function signInWithCouncilAccount(s: Session, login: string) {
  await s.goto('/login');
  await on(s, 'Sign in to Handover', 'Sign in');
  const button = s.page.getByRole('button', { name: 'Sign in with your council account' });
  assert.equal(await button.getAttribute('href'), '/auth/oidc/start');
  // The button's request, through the browser's own cookie jar (the attempt is bound to this browser).
  const start = await s.context.request.get('/auth/oidc/start', { maxRedirects: 0 });
  assert.equal(start.status(), 303);
  const callback = await provider.signIn(start.headers().location ?? '', login);
  assert.equal(callback.origin, h.baseUrl);
  await s.goto(callback.pathname + callback.search);
}

test('a provisioned worker signs in with their council account and lands on My work', async () => {
  await h.db
    .insertInto('sso_tenants')
    .values({ authority_id: h.org.authorityId, tid: TENANT, label: 'Browser Council' })
    .execute();
  await h.db
    .insertInto('sso_role_mappings')
    .values({ authority_id: h.org.authorityId, app_role: 'Handover.SocialWorker', role: 'social_worker' })
    .execute();
  const worker = userByRole(h.org, 'social_worker');
  const login = provider.account(TENANT, { roles: ['Handover.SocialWorker'], name: worker.name });
  await h.db
    .updateTable('users')
    .set({ external_id: provider.accounts.get(login)!.oid })
    .where('id', '=', worker.id)
    .execute();
  const s = await h.session();
  await s.page.setViewportSize({ width: 320, height: 800 });
  await signInWithCouncilAccount(s, login);
  assert.equal(new URL(s.page.url()).pathname, '/');
  await on(s, /My work/, /My work/);
  assert.ok((await textOf(s.page.locator('body'))).includes(worker.name));
  await s.close();
});

test('an unknown person’s request, approved by the administrator in the Single sign-on pages', async () => {
  const login = provider.account(TENANT, { roles: ['Handover.SocialWorker'], name: 'Jordan Newcomer' });
  const person = await h.session();
  await person.page.setViewportSize({ width: 320, height: 800 });
  await signInWithCouncilAccount(person, login);
  await on(
    person,
    'Your request to use Handover has been sent to your administrator',
    'Your request to use Handover has been sent to your administrator',
  );

  const s = await h.session({ as: admin });
  await s.page.setViewportSize({ width: 320, height: 800 });
  const p = s.page;
  await s.goto('/admin/single-sign-on');
  await on(s, 'Single sign-on', 'Single sign-on');
  await s.click(p.getByRole('button', { name: 'Add tenant' }));
  await on(s, 'Single sign-on', 'Error: Single sign-on');
  const problems = await textOf(p.getByRole('alert').filter({ hasText: 'There is a problem' }));
  assert.match(problems, /Enter a name for the organisation/);
  await p.getByLabel('Organisation name').fill('Partner Trust');
  await p.getByLabel('Directory (tenant) id').fill('aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee');
  await s.click(p.getByRole('button', { name: 'Add tenant' }));
  await on(s, 'Single sign-on', 'Single sign-on');
  assert.match(await banner(s), /Tenant added/);

  await p.getByLabel('App role value').fill('Handover.TeamManager');
  await p.getByLabel('Handover role').selectOption('team_manager');
  await s.click(p.getByRole('button', { name: 'Add role mapping' }));
  await on(s, 'Single sign-on', 'Single sign-on');
  assert.match(await banner(s), /Role mapping added/);

  await s.click(p.getByRole('link', { name: 'Jordan Newcomer' }));
  await on(s, 'Jordan Newcomer', 'Request to use Handover');
  // Nothing ticked from the requester's own app roles: the administrator chooses.
  assert.ok(!(await p.getByRole('checkbox', { name: 'Social worker' }).isChecked()), 'no role pre-ticked');
  await p.getByRole('checkbox', { name: 'Social worker' }).check();
  await p.getByLabel('Work email address').fill('jordan.newcomer@browser.test.example');
  await s.click(p.getByRole('button', { name: 'Approve request' }));
  await on(s, 'Single sign-on', 'Single sign-on');
  assert.match(await banner(s), /Request approved/);
  await s.close();

  await signInWithCouncilAccount(person, login);
  await on(person, /My work/, /My work/);
  await person.close();
});
