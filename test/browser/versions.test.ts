// Issue 15 item 8 in the browser: two administrators change the same team. The second to save sees the form again
// with a GOV.UK error summary saying someone else changed it; its link reloads the form with their change and the
// current version, and the save then goes through. Every page is checked with axe (and the W3C checker).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { userByRole } from '../helpers.ts';
import { startHarness, textOf } from './harness.ts';

const h = await startHarness();
const admin = userByRole(h.org, 'admin');
const teamId = h.org.teams.cic as string;

test('a stale save of a team shows the reload error summary; reloaded, it saves', async () => {
  const mine = await h.session({ as: admin });
  const theirs = await h.session({ as: admin });
  assert.equal(await mine.goto(`/admin/teams/${teamId}/edit`), 200);
  assert.equal(await theirs.goto(`/admin/teams/${teamId}/edit`), 200);
  await mine.checkAxe();
  await theirs.checkAxe();

  await theirs.page.getByLabel('Oldest age').fill('18');
  await theirs.click(theirs.page.getByRole('button', { name: 'Save team' }));
  assert.equal(new URL(theirs.page.url()).pathname, `/admin/teams/${teamId}`);
  await theirs.checkAxe();

  await mine.page.getByLabel('Team name').fill('Children in Care and Leaving Care');
  await mine.click(mine.page.getByRole('button', { name: 'Save team' }));
  const summary = mine.page.locator('.govuk-error-summary');
  assert.match(
    await textOf(summary),
    /Someone else changed this team while you were editing it\. Reload the page to see their changes, then make yours again\./,
  );
  assert.match(await mine.page.title(), /^Error: /);
  assert.equal(await mine.page.getByLabel('Team name').inputValue(), 'Children in Care and Leaving Care', 'kept');
  await mine.checkAxe();

  await mine.click(summary.getByRole('link', { name: /Someone else changed this team/ }));
  assert.equal(await mine.page.getByLabel('Oldest age').inputValue(), '18', 'their change is shown');
  await mine.checkAxe();
  await mine.page.getByLabel('Team name').fill('Children in Care and Leaving Care');
  await mine.click(mine.page.getByRole('button', { name: 'Save team' }));
  assert.equal(new URL(mine.page.url()).pathname, `/admin/teams/${teamId}`);
  await mine.checkAxe();
  const team = await h.db.selectFrom('teams').where('id', '=', teamId).selectAll().executeTakeFirstOrThrow();
  assert.equal(team.name, 'Children in Care and Leaving Care');
  assert.equal(team.remit_max_age, 18, 'both changes kept');
  assert.equal(team.version, 3);
  await mine.close();
  await theirs.close();
});
