// The engine's surface for a module that drives a protocol (src/modules/protocols/flow.ts): start and advance in
// the module's transaction, facts that move a step on by themselves, a changed due date or owner that re-plans
// the open step and its ladder, hooks inside the engine's transaction, and council versions that must keep the ids
// the module uses.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { asDefinition, defineProtocol, type ProtocolDefinition } from '../src/domain/protocol/definition.ts';
import { sweepDue } from '../src/jobs/deadlines.ts';
import { ProtocolRegistry } from '../src/modules/protocols/registry.ts';
import { ProtocolService } from '../src/modules/protocols/service.ts';
import { registerProtocolTimers } from '../src/modules/protocols/timers.ts';
import { fixedClock, seedOrganisation, testConfig, testDatabase, userByRole } from './helpers.ts';

const chase = defineProtocol({
  id: 'test-chase',
  version: 1,
  title: 'Test chase',
  inputs: [{ name: 'owner_user_id', label: 'Owner', type: 'user' }],
  facts: ['done'],
  anchors: ['due'],
  start: 'wait',
  steps: [
    {
      id: 'wait',
      title: 'Do the thing',
      responsible: 'field:owner_user_id',
      deadline: { on: 'due' },
      overdue: [
        { action: 'remind' },
        { after: { workingDays: 5 }, action: 'notify', to: 'line_manager_of:owner_user_id' },
      ],
      outcomes: [
        { id: 'finished', label: 'Done', end: 'done', when: 'done' },
        { id: 'dropped', label: 'Dropped', end: 'dropped' },
      ],
    },
  ],
});

const { db } = await testDatabase();
const org = await seedOrganisation(db, 'flow');
const clock = fixedClock('2026-11-23T10:00:00Z');
const worker = userByRole(org, 'social_worker');
const manager = userByRole(org, 'team_manager');
const person = await db
  .insertInto('people')
  .values({
    authority_id: org.authorityId,
    case_number: 'HO555001',
    given_name: 'Ada',
    family_name: 'Flowtest',
    date_of_birth: '2010-01-01',
  })
  .returning('id')
  .executeTakeFirstOrThrow();

function service(extra: ProtocolDefinition[] = []) {
  const registry = new ProtocolRegistry([
    { definition: asDefinition(chase), origin: 'built-in' },
    ...extra.map((definition) => ({ definition, origin: 'council.yaml' })),
  ]);
  return new ProtocolService(db, testConfig(), clock.now, registry);
}

const protocols = service();
await protocols.registry.sync(db);
let done = false;
const ended: string[] = [];
const flow = protocols.drive(chase, {
  where: 'act on the test page',
  hooks: {
    facts: async () => ({ done }),
    ended: async (e) => {
      ended.push(`${e.step}:${e.result}`);
    },
  },
});
after(registerProtocolTimers(protocols));
const actor = { id: worker.id, authorityId: org.authorityId };
const ladder = (stepId: string) =>
  db
    .selectFrom('deadlines')
    .where('subject_id', '=', stepId)
    .orderBy('rung')
    .select(['rung', 'due_at', 'cancelled_at', 'fired_at'])
    .execute();

test('a driven instance: due on its anchor, re-planned when the date and owner change, ended by a fact', async () => {
  const id = await db
    .transaction()
    .execute((tx) =>
      flow.start(tx, actor, person.id, { anchors: { due: '2026-11-30' }, data: { owner_user_id: worker.id } }),
    );
  let state = await flow.state(db, id);
  assert.equal(state.step, 'wait');
  assert.equal(state.due, '2026-11-30');
  assert.equal(state.ownerUserId, worker.id);
  const stepId = (
    await db.selectFrom('protocol_instances').where('id', '=', id).select('current_step_id').executeTakeFirstOrThrow()
  ).current_step_id as string;
  assert.deepEqual(
    (await ladder(stepId)).map((r) => r.rung),
    [0, 1],
  );

  // The module changes the due date and the owner: the step follows, with a new ladder.
  await db
    .transaction()
    .execute((tx) =>
      flow.update(tx, id, { anchors: { due: '2026-12-10' }, data: { owner_user_id: manager.id } }, { reown: true }),
    );
  state = await flow.state(db, id);
  assert.equal(state.due, '2026-12-10');
  assert.equal(state.ownerUserId, manager.id);
  const rows = await ladder(stepId);
  assert.deepEqual(
    rows.map((r) => [r.rung, r.cancelled_at !== null]),
    [
      [0, true],
      [1, true],
      [100, false],
      [101, false],
    ],
  );

  // The first rung of the new ladder fires once, on the new date, to the new owner.
  clock.set('2026-12-11T09:00:00Z');
  const swept = await sweepDue(db, clock.now());
  assert.equal(swept.fired, 1);
  const reminder = await db
    .selectFrom('notifications')
    .where('user_id', '=', manager.id)
    .where('message', 'like', 'Overdue: Do the thing%')
    .select('id')
    .execute();
  assert.equal(reminder.length, 1);

  // A wrong outcome is refused; with ifOpen it is a no.
  await assert.rejects(
    // @ts-expect-error: not an outcome of test-chase — the typecheck catches it before the engine does.
    db.transaction().execute((tx) => flow.advance(tx, id, 'finishd', worker.id)),
    /cannot be moved on/,
  );
  // The fact now holds: sync takes the outcome by itself; the ended hook runs once.
  done = true;
  await db.transaction().execute((tx) => flow.sync(tx, id, null));
  state = await flow.state(db, id);
  assert.equal(state.status, 'ended');
  assert.equal(state.result, 'done');
  assert.deepEqual(ended, ['wait:done']);
  assert.equal(
    await db.transaction().execute((tx) => flow.advance(tx, id, 'dropped', worker.id, { ifOpen: true })),
    false,
  );
  done = false;
});

test('a fact that already holds moves a new instance on as it starts', async () => {
  done = true;
  const id = await db
    .transaction()
    .execute((tx) =>
      flow.start(tx, actor, person.id, { anchors: { due: '2026-12-20' }, data: { owner_user_id: worker.id } }),
    );
  assert.equal((await flow.state(db, id)).result, 'done');
  done = false;
});

test('a council version that drops an outcome the module uses is refused when the module takes it', () => {
  const council = structuredClone(chase) as unknown as ProtocolDefinition;
  council.version = 2;
  (council.steps[0] as { outcomes: unknown[] }).outcomes = [{ id: 'finished', label: 'Done', end: 'done' }];
  const other = service([council]);
  assert.throws(
    () => other.drive(chase, { where: 'x' }),
    /test-chase version 2 \(council\.yaml\) cannot run:\n {2}step wait: the module moves it on with outcome "dropped"; keep it/,
  );
});
