// Issue 11 defect 8 at 320 px (WCAG 2.2 1.4.10 Reflow): /transfers, a young person's plan and /admin/transfer-points
// do not scroll sideways; saves on the transfer, plan and transfer points pages end on the GOV.UK success banner,
// which takes the focus. axe on every page.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { sha256 } from '../../src/modules/auth/service.ts';
import { userByRole } from '../helpers.ts';
import { type Session, startHarness, textOf } from './harness.ts';

const h = await startHarness();
const { db, org } = h;
const tm = userByRole(org, 'team_manager'); // DCT North
const sw = userByRole(org, 'social_worker'); // DCT North
const admin = userByRole(org, 'admin');

const person = await db
  .insertInto('people')
  .values({
    authority_id: org.authorityId,
    case_number: 'HO320001',
    given_name: 'Bartholomew-Maximilian',
    family_name: 'Featherstonehaugh-Cholmondeley',
    date_of_birth: '2010-04-02',
  })
  .returning('id')
  .executeTakeFirstOrThrow();
await db
  .insertInto('involvements')
  .values({
    authority_id: org.authorityId,
    person_id: person.id,
    team_id: org.teams['dct-north'] as string,
    worker_id: sw.id,
    reason: 'Disabled child in need',
    start_date: '2025-01-06',
  })
  .execute();
const P = `/people/${person.id}`;

/**
 * What needs scrolling sideways at this width: the page itself, or any box in it (a wide table's own scrolling box
 * included), as "TAG.class +pixels"; empty when nothing does.
 */
const overflow = (s: Session) =>
  s.page.evaluate(() => {
    const root = document.documentElement;
    // Visually hidden text (1px boxes that clip on purpose) is for screen readers, not something to scroll.
    const boxes = Array.from(document.querySelectorAll('main *')).filter(
      (el) => getComputedStyle(el).overflowX !== 'visible' && el.clientWidth > 1,
    );
    return [root, ...boxes]
      .map((el) => ({ el, by: el.scrollWidth - el.clientWidth }))
      .filter(({ by }) => by > 0)
      .map(({ el, by }) => `${el.tagName}.${el.className} +${by}`)
      .join('; ');
  });

/** The success banner's text, once it has taken the keyboard focus. */
async function focusedBanner(s: Session): Promise<string> {
  await s.page.waitForFunction(() => document.activeElement?.classList.contains('govuk-notification-banner'));
  return textOf(s.page.locator('.govuk-notification-banner__content'));
}

async function narrow(as: { email: string }) {
  const s = await h.session({ as });
  await s.page.setViewportSize({ width: 320, height: 800 });
  return s;
}

async function visit(s: Session, path: string) {
  assert.equal(await s.goto(path), 200, path);
  await s.checkAxe();
  assert.equal(await overflow(s), '', `${path} does not scroll sideways at 320px`);
}

test('a transfer at 320px: each save shows the banner with the focus, and /transfers does not scroll sideways', async () => {
  const s = await narrow(tm);
  await visit(s, `${P}/transfers/new`);
  await s.page.getByLabel('Receiving team').selectOption(org.teams.ypt as string);
  await s.page.getByLabel('Your decision as team manager: why the case is transferring').fill('Turned 16');
  await s.click(s.page.getByRole('button', { name: 'Record the transfer decision' }));
  await s.checkAxe();
  assert.match(await focusedBanner(s), /Transfer decision recorded/);
  assert.equal(await overflow(s), '', 'the transfer page does not scroll sideways');
  await s.page.getByRole('radio', { name: 'No, it is not possible' }).check();
  await s.page.getByLabel('Why not, if there is no meeting').fill('Carer unavailable this month');
  await s.click(s.page.getByRole('button', { name: 'Record the meeting' }));
  await s.checkAxe();
  assert.equal(await focusedBanner(s), 'Handover meeting recorded');
  await visit(s, '/transfers');
  assert.match(await textOf(s.page.locator('main')), /Featherstonehaugh-Cholmondeley/);
  await s.close();
});

test('the plan page at 320px, after saving the plan', async () => {
  const s = await narrow(sw);
  await visit(s, `${P}/plan/edit`);
  await s.page.getByLabel('What matters to me').fill('My friends, my music and my independence');
  await s.click(s.page.getByRole('button', { name: 'Save the plan' }));
  await s.checkAxe();
  assert.equal(await focusedBanner(s), 'Plan saved');
  assert.equal(await overflow(s), '', 'the plan page does not scroll sideways at 320px');
  // Actions and a review make the plan's tables (which stack on a narrow screen).
  const token = `hov_${randomBytes(16).toString('hex')}`;
  await db
    .insertInto('api_tokens')
    .values({ user_id: sw.id, token_hash: sha256(token), label: 'narrow' })
    .execute();
  for (const description of [
    'Arrange a Care Act transition assessment with adult social care before the 17th birthday',
    'Find supported accommodation from 18',
  ]) {
    const res = await h.app.inject({
      method: 'POST',
      url: `/api/v1${P}/plan/actions`,
      headers: { authorization: `Bearer ${token}` },
      payload: { description, status: 'not_started' },
    });
    assert.equal(res.statusCode, 201, res.body);
  }
  await visit(s, `${P}/plan`);
  assert.match(await textOf(s.page.locator('main')), /Find supported accommodation from 18/);
  await s.close();
});

test('the transfer points at 320px, after adding one', async () => {
  const s = await narrow(admin);
  await visit(s, '/admin/transfer-points/new');
  await s.page.getByLabel('Team the case moves from').selectOption(org.teams['dct-north'] as string);
  await s.page.getByLabel('Team the case moves to').selectOption(org.teams.ypt as string);
  await s.page.getByLabel('Age', { exact: true }).fill('16');
  await s.click(s.page.getByRole('button', { name: 'Save transfer point' }));
  await s.checkAxe();
  assert.equal(await focusedBanner(s), 'Transfer point added');
  assert.equal(await overflow(s), '', '/admin/transfer-points does not scroll sideways at 320px');
  await s.close();
});
