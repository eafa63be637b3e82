// Browser walk of the request for SEND support (issue 13 parts 2 and 3) at 320px, with axe and the W3C HTML checker
// on every page: Northgate's SENCO opens the form from "Requests for support", sends it empty (error summary), adds
// a third cycle, fills in two, sends it (confirmation with the reference) and reads its status; the Navigator finds
// it on the hub's page and opens it (its clocks and cycles).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { TWO_CYCLES } from '../send-hubs-setup.ts';
import { startHarness, textOf } from './harness.ts';
import { fillRequest, on } from './send-hubs-kit.ts';

const h = await startHarness();
const senco = h.org.users.find((u) => u.email.startsWith('senco@')) as { email: string };
const navigator = h.org.users.find((u) => u.role === 'hub_practitioner') as { email: string };

test('the SENCO sends a request with two cycles; the Navigator finds it on the hub’s page', async () => {
  const s = await h.session({ as: senco });
  await s.page.setViewportSize({ width: 320, height: 800 });
  const p = s.page;
  await s.goto('/setting');
  await on(s, 'Requests for support', 'Requests for support');
  await s.click(p.getByRole('link', { name: 'Request SEND support for a child' }));
  await on(s, 'Request SEND support', 'Request SEND support');
  await s.click(p.getByRole('button', { name: 'Send request' }));
  await on(s, 'Request SEND support', 'Error: Request SEND support');
  const box = p.getByRole('alert').filter({ hasText: 'There is a problem' });
  const hrefs = await box.getByRole('link').evaluateAll((links) => links.map((a) => a.getAttribute('href') ?? ''));
  assert.ok(hrefs.includes('#given_name') && hrefs.includes('#date_of_birth-day') && hrefs.includes('#cycle1_assess'));
  assert.match(await textOf(box), /Choose at least one area of need/);

  // What is typed stays when another cycle is added; then the whole form is filled in.
  const rosa = { given: 'Rosa', family: 'Walkthrough', dob: '2018-03-14' };
  await p.getByLabel('First name').fill(rosa.given);
  await p.getByLabel('Last name').fill(rosa.family);
  await p.getByRole('checkbox', { name: 'Communication and interaction' }).check();
  await s.click(p.getByRole('button', { name: 'Add another cycle' }));
  await on(s, 'Request SEND support', 'Request SEND support');
  assert.equal(await p.getByRole('group', { name: 'Cycle 3' }).count(), 1);
  assert.equal(await p.getByLabel('First name').inputValue(), 'Rosa');
  assert.equal(await p.getByLabel('Last name').inputValue(), 'Walkthrough');
  assert.ok(await p.getByRole('checkbox', { name: 'Communication and interaction' }).isChecked());
  await fillRequest(s, rosa, TWO_CYCLES);
  await s.click(p.getByRole('button', { name: 'Send request' }));
  await on(s, 'Request sent', 'Request sent');
  const reference = /SR-\d+/.exec(await textOf(p.locator('.govuk-panel')))?.[0] as string;
  assert.ok(reference);
  await s.click(p.getByRole('link', { name: 'See the request’s status' }));
  await on(s, `Request ${reference}`, `Request ${reference}`);
  assert.match(
    await textOf(p.locator('.govuk-summary-list')),
    /Waiting for the hub’s triage[\s\S]*Triage by 7 December 2026/,
  );
  await s.close();

  const n = await h.session({ as: navigator });
  await n.page.setViewportSize({ width: 320, height: 800 });
  await n.goto('/hubs');
  await on(n, 'SEND hubs', 'SEND hubs');
  await n.click(
    n.page
      .getByRole('link')
      .filter({ hasText: /SEND Support Hub/ })
      .first(),
  );
  await on(n, /SEND Support Hub/, /SEND Support Hub.* – Handover$/);
  await n.click(n.page.getByRole('link', { name: reference }));
  await on(n, `Request ${reference}: Rosa Walkthrough`, `Request ${reference}`);
  const page = await textOf(n.page.locator('main'));
  assert.match(page, /First response due 7 December 2026/);
  assert.match(page, /Cycle 2: 7 September 2026 to 2 November 2026/);
  await n.close();
});
