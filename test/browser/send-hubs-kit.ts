// What the SEND hubs' browser walks share (issue 13): the page check (one h1, the title, no sideways scroll at 320px,
// axe), GOV.UK date inputs, the error summary, the success banner, and the SENCO's request form filled in.
import assert from 'node:assert/strict';
import type { Locator } from 'playwright-core';
import type { ApdrCycle } from '../../src/db/schema-send-hubs.ts';
import { type Session, textOf } from './harness.ts';

/** The one h1 and the title (exact text, or a pattern), no sideways scroll at 320px, then axe. */
export async function on(s: Session, h1: string | RegExp, title: string | RegExp) {
  const headings = await s.page.getByRole('heading', { level: 1 }).allInnerTexts();
  assert.equal(headings.length, 1, `one h1 on ${s.page.url()}`);
  const heading = headings[0]?.trim().replace(/\s+/g, ' ') ?? '';
  if (typeof h1 === 'string') assert.equal(heading, h1, `the h1 on ${s.page.url()}`);
  else assert.match(heading, h1, `the h1 on ${s.page.url()}`);
  const t = await s.page.title();
  if (typeof title === 'string') assert.equal(t, `${title} – Handover`);
  else assert.match(t, title);
  assert.equal(
    await s.page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth),
    0,
    `${s.page.url()} does not scroll sideways at 320px`,
  );
  await s.checkAxe();
}

/** Fills a GOV.UK date input (the fieldset named `group`, within `within` or the page) with an ISO date. */
export async function fillDate(s: Session, group: string | RegExp, iso: string, within?: Locator) {
  const [y, m, d] = iso.split('-');
  const g = (within ?? s.page).getByRole('group', { name: group });
  await g.getByLabel('Day').fill(String(Number(d)));
  await g.getByLabel('Month').fill(String(Number(m)));
  await g.getByLabel('Year').fill(y as string);
}

/** The success banner's text, once GOV.UK Frontend has moved focus to it. */
export async function banner(s: Session): Promise<string> {
  await s.page.waitForFunction(() => document.activeElement?.classList.contains('govuk-notification-banner'));
  return textOf(s.page.locator('.govuk-notification-banner__content'));
}

export interface Child {
  given: string;
  family: string;
  dob: string;
}

/** Fills the SENCO's request form (on show) for `child` with these assess-plan-do-review cycles and consent given. */
export async function fillRequest(s: Session, child: Child, cycles: readonly ApdrCycle[]) {
  const p = s.page;
  await p.getByLabel('Who should the hub contact?').fill('Sara SENCO');
  await p.getByLabel('First name').fill(child.given);
  await p.getByLabel('Last name').fill(child.family);
  await fillDate(s, 'Date of birth', child.dob);
  await p.getByLabel('Year group').fill('Year 3');
  await p.getByRole('checkbox', { name: 'Communication and interaction' }).check();
  for (const [i, c] of cycles.entries()) {
    const cycle = p.getByRole('group', { name: `Cycle ${i + 1}`, exact: true });
    await fillDate(s, 'When the cycle started', c.from, cycle);
    await fillDate(s, 'When it was reviewed', c.to, cycle);
    await cycle.getByLabel('Assess: what was assessed').fill(c.assess);
    await cycle.getByLabel('Plan: what was planned').fill(c.plan);
    await cycle.getByLabel('Do: what was done').fill(c.do);
    await cycle.getByLabel('Review: what changed').fill(c.review);
  }
  await p.getByLabel('Current SEN support plan').fill('Language targets, visual timetable');
  await p.getByLabel('What is the setting asking the hub for?').fill('Speech and language assessment');
  await p.getByRole('radio', { name: 'Yes, the parent carer has consented' }).check();
  await fillDate(s, 'If yes, the date they consented', '2026-11-20');
}
