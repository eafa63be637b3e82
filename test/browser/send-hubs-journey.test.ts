// The Done of issue 13 (Devon SEND Support Hubs) walked in a browser at 320px, axe and the HTML checker on every
// page: Northgate's SENCO sends three requests for support, each with two assess-plan-do-review cycles; the hub
// manager schedules the weekly triage, and at it records First SEND Support (services and a Navigator) for the first,
// Further SEND Support from the locality team for the second and an EHC needs assessment for the third; the request
// page shows its clocks; the Navigator finds the support in My work and records it started; a fourth request left
// untriaged past its due date escalates by itself to the hub manager; the hub dashboard shows the figures.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { sweepDue } from '../../src/jobs/deadlines.ts';
import { registerProtocolTimers } from '../../src/modules/protocols/timers.ts';
import { submitRequest } from '../../src/modules/send-hubs/intake.ts';
import { userByRole } from '../helpers.ts';
import { TWO_CYCLES } from '../send-hubs-setup.ts';
import { type Session, startHarness, textOf } from './harness.ts';
import { banner, fillDate, fillRequest, on } from './send-hubs-kit.ts';

const h = await startHarness();
// The deadline sweep's handler for protocol steps, as serve and the worker register it.
after(registerProtocolTimers(h.app.services.protocols));
const byEmail = (prefix: string) => {
  const u = h.org.users.find((x) => x.email.startsWith(prefix));
  if (!u) throw new Error(`no ${prefix} user`);
  return u;
};
const senco = byEmail('senco@');
const manager = byEmail('hub.manager@');
const navigator = byEmail('navigator@');
const coordinator = userByRole(h.org, 'ehcp_coordinator');
const hubId = h.org.hubIds[0] as string;
const HUB = 'SEND Support Hub: North Hub 1';

const CHILDREN = [
  { given: 'Jamie', family: 'Hollis', dob: '2018-03-14' },
  { given: 'Ava', family: 'Penrose', dob: '2016-07-02' },
  { given: 'Leo', family: 'Marchant', dob: '2015-01-21' },
];

async function sendRequest(s: Session, child: (typeof CHILDREN)[number]): Promise<string> {
  await s.goto('/setting');
  await on(s, 'Requests for support', 'Requests for support');
  await s.click(s.page.getByRole('link', { name: 'Request SEND support for a child' }));
  await on(s, 'Request SEND support', 'Request SEND support');
  await fillRequest(s, child, TWO_CYCLES);
  await s.click(s.page.getByRole('button', { name: 'Send request' }));
  await on(s, 'Request sent', 'Request sent');
  const reference = /SR-\d+/.exec(await textOf(s.page.locator('.govuk-panel')))?.[0];
  assert.ok(reference, 'the confirmation gives the reference');
  return reference;
}

/** At the meeting's page: opens a request's outcome form from the agenda, chooses `outcome` and fills what it needs. */
async function decide(m: Session, reference: string, outcome: string, fill: () => Promise<void>) {
  await m.click(m.page.getByRole('link', { name: `Record the outcome for ${reference}` }));
  await on(m, /^Triage outcome: /, `Triage outcome – request ${reference}`);
  await m.page.getByRole('radio', { name: outcome }).check();
  await fill();
  await m.click(m.page.getByRole('button', { name: 'Record outcome' }));
  await on(m, 'Triage meeting, 25 November 2026', /^Triage meeting 25 November 2026 – /);
  assert.equal(await banner(m), 'Triage outcome recorded: the setting has been told');
}

test('Done: a SENCO asks, the weekly triage decides three ways, a Navigator starts support, a late request escalates, the dashboard counts', async () => {
  // Northgate's SENCO sends three requests, each with two assess-plan-do-review cycles.
  const s = await h.session({ as: senco });
  await s.page.setViewportSize({ width: 320, height: 800 });
  const refs: string[] = [];
  for (const child of CHILDREN) refs.push(await sendRequest(s, child));
  const [first, second, third] = refs as [string, string, string];
  await s.close();

  // On Wednesday, the hub's triage day, the hub manager schedules the weekly triage; the agenda holds all three.
  h.clock.set('2026-11-25T09:00:00Z');
  const m = await h.session({ as: manager });
  await m.page.setViewportSize({ width: 320, height: 800 });
  const mp = m.page;
  await m.goto('/hubs');
  await on(m, 'SEND hubs', 'SEND hubs');
  await m.click(mp.getByRole('link', { name: HUB }).first());
  await on(m, HUB, HUB);
  await m.click(mp.getByRole('link', { name: 'Triage meetings' }));
  await on(m, 'Triage meetings', `Triage meetings – ${HUB}`);
  await fillDate(m, 'Meeting date', '2026-11-25');
  await m.click(mp.getByRole('button', { name: 'Schedule meeting' }));
  await on(m, 'Triage meeting, 25 November 2026', /^Triage meeting 25 November 2026 – /);
  assert.equal(await banner(m), 'Triage meeting scheduled');
  const agenda = await textOf(mp.locator('main'));
  for (const ref of refs) assert.match(agenda, new RegExp(ref), `${ref} is on the agenda`);

  // First SEND Support from named hub services, with a Navigator.
  await decide(m, first, 'First SEND Support from the hub’s services', async () => {
    await mp.getByRole('checkbox', { name: 'Speech and language therapy' }).check();
    await mp.getByRole('checkbox', { name: 'Communication and interaction specialist teachers' }).check();
    await mp.getByRole('radio', { name: /Olu Navigator/ }).check();
  });
  // Further SEND Support: to the locality team.
  await decide(m, second, 'Further SEND Support: refer to the locality team', async () => {
    await mp
      .getByLabel('Why Further SEND Support is needed')
      .fill('Needs beyond the hub’s services: statutory assessment of complex needs is likely');
  });
  // An EHC needs assessment, taken by the coordinator.
  await decide(m, third, 'Request an EHC needs assessment', async () => {
    await mp.getByRole('radio', { name: new RegExp(coordinator.name) }).check();
  });
  const decided = await textOf(mp.locator('main'));
  assert.match(decided, /No request is waiting for triage/);
  assert.match(decided, new RegExp(`${first}: First SEND Support`));

  // The first request's page shows its clocks: answered at triage, support to start within 2 weeks of it.
  await m.click(mp.getByRole('link', { name: first }));
  await on(m, `Request ${first}: Jamie Hollis`, `Request ${first}`);
  const page = await textOf(mp.locator('main'));
  assert.match(page, /First response due 7 December 2026/);
  assert.match(page, /Support start due 9 December 2026/);
  assert.match(page, /Olu Navigator/);

  // The third started the statutory route: the assessment exists, coordinated by the chosen coordinator.
  const ehc = await h.db
    .selectFrom('support_requests as r')
    .innerJoin('ehcp_assessments as a', 'a.id', 'r.ehcp_assessment_id')
    .where('r.reference', '=', third)
    .select(['a.coordinator_id', 'a.protocol_instance_id', 'r.status', 'r.result'])
    .executeTakeFirstOrThrow();
  assert.equal(ehc.coordinator_id, coordinator.id);
  assert.ok(ehc.protocol_instance_id, 'the assessment runs on its protocol');
  assert.deepEqual([ehc.status, ehc.result], ['closed', 'ehc_assessment']);
  const toLocality = await h.db
    .selectFrom('support_requests')
    .where('reference', '=', second)
    .select('status')
    .executeTakeFirstOrThrow();
  assert.equal(toLocality.status, 'with_locality');
  await m.close();

  // The Navigator finds the support in My work, opens it and records it started.
  const n = await h.session({ as: navigator });
  await n.page.setViewportSize({ width: 320, height: 800 });
  await n.goto('/');
  await on(n, 'My work', 'My work');
  const mine = n.page.getByRole('link', { name: /Start First SEND Support/ });
  assert.ok((await mine.count()) >= 1, 'the support step is in the Navigator’s My work');
  await n.goto(`/hubs/${hubId}/requests/${await idOf(first)}/navigator`);
  await on(n, 'First SEND Support: Jamie Hollis', `Navigator – request ${first}`);
  await fillDate(n, /Date support started/, '2026-11-25');
  await n.click(n.page.getByRole('button', { name: 'Record support started' }));
  await on(n, 'First SEND Support: Jamie Hollis', `Navigator – request ${first}`);
  assert.match(await banner(n), /started/i);
  await n.close();

  // A fourth request, left untriaged: two working days after its due date the sweep hands it to the hub manager.
  const late = await h.db.transaction().execute((tx) =>
    submitRequest(
      h.app.services.sendHubs.ctx,
      tx,
      { id: senco.id, authorityId: h.org.authorityId },
      {
        setting_id: h.org.settings.northgate,
        child: { given_name: 'Mia', family_name: 'Tregothnan', date_of_birth: '2017-09-09', upn: null, gender: null },
        received_on: '2026-11-23',
        received_via: 'online',
        contact_name: null,
        year_group: 'Year 4',
        areas_of_need: ['semh'],
        apdr_cycles: [...TWO_CYCLES],
        sen_support_since: null,
        plan_review_date: null,
        current_plan: null,
        asking_for: 'Advice on anxiety at school',
        parent_views: null,
        consent: 'given',
        consent_on: '2026-11-23',
      },
    ),
  );
  h.clock.set('2026-12-11T07:00:00Z');
  await sweepDue(h.db, h.clock.now());
  const step = await h.db
    .selectFrom('protocol_steps')
    .where('instance_id', '=', late.instanceId)
    .where('status', '=', 'open')
    .select(['step_key', 'owner_user_id', 'escalations'])
    .executeTakeFirstOrThrow();
  assert.deepEqual([step.step_key, step.owner_user_id], ['triage', manager.id]);
  assert.ok(step.escalations >= 1);

  // The hub manager sees it overdue on the hub's page and in My work, and the dashboard counts what happened.
  const d = await h.session({ as: manager });
  await d.page.setViewportSize({ width: 320, height: 800 });
  await d.goto('/');
  await on(d, 'My work', 'My work');
  assert.ok((await d.page.getByRole('link', { name: /Triage the request/ }).count()) >= 1);
  await d.goto(`/hubs/${hubId}`);
  await on(d, HUB, HUB);
  assert.match(await textOf(d.page.locator('main')), new RegExp(`${late.reference}[\\s\\S]*Overdue`));
  await d.click(d.page.getByRole('link', { name: 'Dashboard' }));
  await on(d, 'Hub dashboard', `Dashboard: ${HUB}`);
  const figures = await textOf(d.page.locator('main'));
  assert.match(figures, /First SEND Support/);
  assert.match(figures, /Further SEND Support/);
  assert.match(figures, /EHC needs assessment/);
  assert.ok((await d.page.locator('svg[role="img"]').count()) >= 1, 'the charts are there');
  await d.close();
  h.clock.set('2026-11-23T10:00:00Z');
});

async function idOf(reference: string): Promise<string> {
  const r = await h.db
    .selectFrom('support_requests')
    .where('reference', '=', reference)
    .select('id')
    .executeTakeFirstOrThrow();
  return r.id;
}
