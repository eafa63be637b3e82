// Browser walk of triage at 320px with axe on every page (issue 13 parts 4 and 5): the hub manager schedules the
// weekly triage meeting (its date defaulted to the hub's triage day), opens its agenda, records an outcome (the
// error summary first, then First SEND Support with a service and the Navigator, then the banner); the Navigator
// records support started; the locality manager accepts another request and allocates a worker.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { submitRequest } from '../../src/modules/send-hubs/intake.ts';
import { tokenFor } from '../contextual-setup.ts';
import { userByRole } from '../helpers.ts';
import { TWO_CYCLES } from '../send-hubs-setup.ts';
import { startHarness, textOf } from './harness.ts';
import { banner, on } from './send-hubs-kit.ts';

const h = await startHarness();
const manager = userByRole(h.org, 'hub_manager');
const navigator = userByRole(h.org, 'hub_practitioner');
const localityManager = userByRole(h.org, 'locality_manager');
const senco = h.org.users.find((u) => u.email.startsWith('senco@')) ?? userByRole(h.org, 'setting_user');
const hubId = h.org.hubIds[0] as string;
const ctx = h.app.services.sendHubs.ctx;
const hub = await h.db.selectFrom('hubs').where('id', '=', hubId).select('name').executeTakeFirstOrThrow();
/** A triage meeting's title: its date, then the hub. */
const meetingTitle = new RegExp(
  `^Triage meeting \\d{1,2} [A-Z][a-z]+ \\d{4} – ${hub.name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} – Handover$`,
);

async function request(given: string) {
  return h.db.transaction().execute((tx) =>
    submitRequest(
      ctx,
      tx,
      { id: senco.id, authorityId: h.org.authorityId },
      {
        setting_id: h.org.settings.northgate as string,
        child: { given_name: given, family_name: 'Walker', date_of_birth: '2018-03-14', upn: null, gender: null },
        received_on: ctx.today(),
        received_via: 'online',
        contact_name: 'Sara SENCO',
        year_group: 'Year 3',
        areas_of_need: ['communication_interaction'],
        apdr_cycles: TWO_CYCLES,
        sen_support_since: null,
        plan_review_date: null,
        current_plan: null,
        asking_for: 'A speech and language assessment',
        parent_views: null,
        consent: 'given',
        consent_on: ctx.today(),
      },
    ),
  );
}

test('the weekly triage, an outcome with a Navigator, support started, the locality team accepts', async () => {
  const first = await request('Rowan');
  const m = await h.session({ as: manager });
  await m.page.setViewportSize({ width: 320, height: 800 });
  await m.goto(`/hubs/${hubId}/triage`);
  await on(m, 'Triage meetings', `Triage meetings – ${hub.name}`);
  await m.click(m.page.getByRole('button', { name: 'Schedule meeting' }));
  await on(m, /^Triage meeting, /, meetingTitle);
  assert.equal(await banner(m), 'Triage meeting scheduled');
  assert.match(await textOf(m.page.locator('main')), /Rowan Walker/);

  await m.click(m.page.getByRole('link', { name: `Record the outcome for ${first.reference}` }));
  await on(m, 'Triage outcome: Rowan Walker', `Triage outcome – request ${first.reference}`);
  await m.click(m.page.getByRole('button', { name: 'Record outcome' }));
  await on(m, 'Triage outcome: Rowan Walker', `Error: Triage outcome – request ${first.reference}`);
  const summary = m.page.getByRole('alert').filter({ hasText: 'There is a problem' });
  assert.match(await textOf(summary), /Choose the outcome of triage/);

  await m.page.getByLabel(/First SEND Support from the hub/).check();
  await m.page.getByLabel('Speech and language therapy').check();
  await m.page.getByRole('group', { name: 'Navigator' }).getByLabel(navigator.name).check();
  await m.click(m.page.getByRole('button', { name: 'Record outcome' }));
  assert.equal(await banner(m), 'Triage outcome recorded: the setting has been told');
  await on(m, /^Triage meeting, /, meetingTitle);
  await m.close();

  const n = await h.session({ as: navigator });
  await n.page.setViewportSize({ width: 320, height: 800 });
  await n.goto(`/hubs/${hubId}/requests/${first.id}/navigator`);
  await on(n, 'First SEND Support: Rowan Walker', `Navigator – request ${first.reference}`);
  await n.click(n.page.getByRole('button', { name: 'Record support started' }));
  assert.equal(await banner(n), 'Support started: the review is due');
  await on(n, 'First SEND Support: Rowan Walker', `Navigator – request ${first.reference}`);
  await n.close();

  const second = await request('Skye');
  const res = await h.app.inject({
    method: 'POST',
    url: `/api/v1/send/requests/${second.id}/outcome`,
    headers: await tokenFor(h.db, manager.id),
    payload: { outcome: 'further_support', further_reason: 'Needs a statutory service' },
  });
  assert.equal(res.statusCode, 200);
  const l = await h.session({ as: localityManager });
  await l.page.setViewportSize({ width: 320, height: 800 });
  await l.goto(`/hubs/${hubId}/requests/${second.id}/locality`);
  await on(l, 'Further SEND Support: Skye Walker', `Further SEND Support – request ${second.reference}`);
  await l.page.getByLabel('Accept and allocate a worker').check();
  await l.page.getByRole('group', { name: 'Worker' }).getByRole('radio').first().check();
  await l.click(l.page.getByRole('button', { name: 'Save answer' }));
  assert.equal(await banner(l), 'Answer recorded');
  await on(l, 'Further SEND Support: Skye Walker', `Further SEND Support – request ${second.reference}`);
  await l.close();
});
