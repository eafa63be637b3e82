// Escalation by itself (issue 13 part 8): a request left at triage past its first-response date is escalated by
// the deadline sweep to the hub manager, then the locality manager; the same for First SEND Support left unstarted
// by its Navigator. The app's clock is moved and the sweep run, as the job would.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { addWorkingDays } from '../src/domain/calendar.ts';
import { sweepDue } from '../src/jobs/deadlines.ts';
import { registerProtocolTimers } from '../src/modules/protocols/timers.ts';
import { hubsSetup } from './send-hubs-setup.ts';

const s = await hubsSetup('triage-escalation');
// The deadline sweep's handler for protocol steps, as serve and the worker register it.
after(registerProtocolTimers(s.app.services.protocols));
const TODAY = '2026-11-23';

async function openStep(instanceId: string) {
  return s.db
    .selectFrom('protocol_steps')
    .where('instance_id', '=', instanceId)
    .where('status', '=', 'open')
    .select(['id', 'step_key', 'due_date', 'owner_user_id', 'escalations'])
    .executeTakeFirstOrThrow();
}
/** Moves the clock to 09:00 in London on `date` and runs the deadline sweep. */
async function sweepOn(date: string) {
  s.clock.set(`${date}T09:00:00Z`);
  const swept = await sweepDue(s.db, s.clock.now());
  assert.equal(swept.failed, 0);
}
async function told(userId: string, stepTitle: RegExp) {
  const rows = await s.db.selectFrom('notifications').where('user_id', '=', userId).select('message').execute();
  return rows.some((r) => stepTitle.test(r.message));
}

test('triage left past its due date escalates to the hub manager, then the locality manager', async () => {
  const waiting = await s.newRequest({ given: 'Waity' });
  const supported = await s.newRequest({ given: 'Starty' });
  const services = await s.db.selectFrom('hub_services').where('hub_id', '=', s.hub1).select('id').execute();
  const res = await s.app.inject({
    method: 'POST',
    url: `/api/v1/send/requests/${supported.id}/outcome`,
    headers: s.api.hubManager,
    payload: { outcome: 'first_support', hub_service_ids: [services[0]!.id], navigator_id: s.users.navigator.id },
  });
  assert.equal(res.statusCode, 200);

  const triageDue = addWorkingDays(TODAY, 10);
  assert.equal((await openStep(waiting.instanceId)).due_date, triageDue);
  assert.equal((await openStep(supported.instanceId)).owner_user_id, s.users.navigator.id);

  // The ladder starts the day after the due date: two working days on, the hub manager takes both.
  await sweepOn(addWorkingDays(triageDue, 3));
  const t1 = await openStep(waiting.instanceId);
  assert.deepEqual([t1.step_key, t1.owner_user_id, t1.escalations], ['triage', s.users.hubManager.id, 1]);
  const s1 = await openStep(supported.instanceId);
  assert.deepEqual([s1.step_key, s1.owner_user_id, s1.escalations], ['support', s.users.hubManager.id, 1]);
  assert.ok(await told(s.users.hubManager.id, /Triage the request/), 'the hub manager is told of the triage');
  assert.ok(await told(s.users.hubManager.id, /Start First SEND Support/), 'and of the unstarted support');

  // Five working days on, the locality manager.
  await sweepOn(addWorkingDays(triageDue, 6));
  const t2 = await openStep(waiting.instanceId);
  assert.deepEqual([t2.owner_user_id, t2.escalations], [s.users.localityManager.id, 2]);
  const s2 = await openStep(supported.instanceId);
  assert.deepEqual([s2.owner_user_id, s2.escalations], [s.users.localityManager.id, 2]);
  assert.ok(await told(s.users.localityManager.id, /Triage the request/));
  assert.ok(await told(s.users.localityManager.id, /Start First SEND Support/));
  const req = await s.db
    .selectFrom('support_requests')
    .where('id', '=', waiting.id)
    .select('status')
    .executeTakeFirstOrThrow();
  assert.equal(req.status, 'waiting', 'escalation changes who owns it, not where it is');
});
