// What the EHC plan browser tests share (ehc-plans.test.ts, ehc-plan-year.test.ts): an assessment whose advice has
// come in (set up through the API, as the EHCP module leaves it), and page checks — the h1, axe and nothing
// scrolling sideways at 320px, the success banner, GOV.UK date inputs.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { sha256 } from '../../src/modules/auth/service.ts';
import { type Harness, type Session, textOf } from './harness.ts';

/** Checks the h1, axe, and that nothing scrolls sideways at 320px. */
export async function on(s: Session, h1: string | RegExp) {
  const heading = (await textOf(s.page.getByRole('heading', { level: 1 }))).trim();
  if (typeof h1 === 'string') assert.equal(heading, h1, `the h1 on ${s.page.url()}`);
  else assert.match(heading, h1, `the h1 on ${s.page.url()}`);
  await s.checkAxe();
  const overflow = await s.page.evaluate(
    () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
  );
  assert.equal(overflow, 0, `nothing scrolls sideways on ${s.page.url()}`);
}

/** The success banner says `text`. */
export async function banner(s: Session, text: RegExp) {
  assert.match(await textOf(s.page.locator('.govuk-notification-banner')), text);
}

/** The error summary says `text`. */
export async function errorSummary(s: Session, text: RegExp) {
  assert.match(await textOf(s.page.locator('.govuk-error-summary')), text);
  assert.match(await s.page.title(), /^Error: /, 'the title starts with Error:');
}

/** Fills a GOV.UK date input (the fieldset named `group`) with an ISO date. */
export async function fillDate(s: Session, group: string, iso: string) {
  const g = s.page.getByRole('group', { name: group });
  await g.getByLabel('Day').fill(String(Number(iso.slice(8, 10))));
  await g.getByLabel('Month').fill(String(Number(iso.slice(5, 7))));
  await g.getByLabel('Year').fill(iso.slice(0, 4));
}

/** A signed-in session 320px wide. */
export async function narrow(h: Harness, user: { email: string }) {
  const s = await h.session({ as: user });
  await s.page.setViewportSize({ width: 320, height: 900 });
  return s;
}

export const mainText = (s: Session) => textOf(s.page.locator('main'));

/** A bearer token for `userId` (API set-up only). */
async function bearer(h: Harness, userId: string) {
  const t = `hov_${randomBytes(16).toString('hex')}`;
  await h.db
    .insertInto('api_tokens')
    .values({ user_id: userId, token_hash: sha256(t), label: 'test' })
    .execute();
  return { authorization: `Bearer ${t}` };
}

/**
 * The assessment as the EHCP module leaves it, through its API: requested 7 September 2026, decided to assess,
 * educational psychology advice asked of `giverId` and given.
 */
export async function assessmentWithAdvice(h: Harness, personId: string, coordinatorId: string, giverId: string) {
  const asCoordinator = await bearer(h, coordinatorId);
  const asGiver = await bearer(h, giverId);
  const base = `/api/v1/people/${personId}/ehcp-assessments`;
  const post = async (url: string, headers: Record<string, string>, payload: object, code: number) => {
    const r = await h.app.inject({ method: 'POST', url, headers, payload });
    assert.equal(r.statusCode, code, r.body);
    return r.body ? r.json() : null;
  };
  const { id } = await post(base, asCoordinator, { request_date: '2026-09-07', requested_by: 'parent' }, 201);
  await post(`${base}/${id}/decision`, asCoordinator, { decision: 'assess', decision_date: '2026-09-28' }, 204);
  const asked = await post(
    `${base}/${id}/advice-requests`,
    asCoordinator,
    {
      kind: 'educational_psychology',
      giver_user_id: giverId,
      question: 'Educational psychology advice',
      requested_date: '2026-09-28',
    },
    201,
  );
  await post(
    `/api/v1/advice-requests/${asked.id}/advice`,
    asGiver,
    { advice: 'A specific learning difficulty affecting reading and spelling; needs daily structured literacy.' },
    201,
  );
  return id as string;
}
