// Bulk reallocation (issue 11 capability 12): a team manager moves a leaver's chosen cases, steps and actions to
// another worker of the team in one transaction — all or nothing, everyone told, every record's timeline and audit.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sql } from 'kysely';
import { Browser, userByRole } from './helpers.ts';
import { reallocationSetup } from './reallocation-setup.ts';

const { db, org, app, team, manager, sam, riley, admin, coordinator, person, actionFor, stepFor, tokenFor } =
  await reallocationSetup('rea');
const page = `/teams/${team}/workers/${sam.id}/reallocate`;

const workerOf = async (involvementId: string) =>
  (await db.selectFrom('involvements').where('id', '=', involvementId).select('worker_id').executeTakeFirstOrThrow())
    .worker_id;
const stepOwner = async (stepId: string) =>
  (await db.selectFrom('protocol_steps').where('id', '=', stepId).select('owner_user_id').executeTakeFirstOrThrow())
    .owner_user_id;
const actionOwner = async (actionId: string) =>
  (await db.selectFrom('plan_actions').where('id', '=', actionId).select('owner_user_id').executeTakeFirstOrThrow())
    .owner_user_id;

test('a manager sees the leaver’s cases, steps and actions, and moves the chosen ones to another worker at once', async () => {
  const a = await person({ protected: true });
  const b = await person();
  const stepId = await stepFor(a.id);
  const actionId = await actionFor(b.id);
  const marcus = new Browser(app);
  await marcus.login(manager.email);

  const teams = await marcus.get('/caseload');
  assert.equal(teams.statusCode, 200);
  assert.match(teams.body, new RegExp(`href="${page}"`));

  const form = await marcus.get(page);
  assert.equal(form.statusCode, 200, form.body.slice(0, 300));
  assert.match(form.body, /Move Sam Social-Worker’s cases/);
  assert.match(form.body, new RegExp(`value="${a.involvementId}"`));
  assert.match(form.body, new RegExp(`value="${stepId}"`));
  assert.match(form.body, new RegExp(`value="${actionId}"`));
  assert.match(form.body, /Book the review meeting/);
  // Offered: the other caseworkers of the team; never the leaver themselves or the IT administrator.
  assert.match(form.body, new RegExp(`name="to_user_id" type="radio" value="${riley.id}"`));
  assert.doesNotMatch(form.body, new RegExp(`name="to_user_id" type="radio" value="${sam.id}"`));
  assert.doesNotMatch(form.body, new RegExp(admin.id));

  const moved = await marcus.post(page, {
    involvement_ids: [a.involvementId, b.involvementId],
    step_ids: stepId,
    action_ids: actionId,
    to_user_id: riley.id,
    reason: 'Sam leaves on Friday',
  });
  assert.equal(moved.statusCode, 303, moved.body.slice(0, 800));
  const done = await marcus.get(String(moved.headers.location));
  assert.match(done.body, /govuk-notification-banner--success/);
  assert.match(done.body, /2 cases, 1 protocol step and 1 plan action moved to Riley Second-Worker/);

  assert.equal(await workerOf(a.involvementId), riley.id);
  assert.equal(await workerOf(b.involvementId), riley.id);
  assert.equal(await stepOwner(stepId), riley.id);
  assert.equal(await actionOwner(actionId), riley.id);
  // The action's chase follows its action.
  const chase = await db
    .selectFrom('plan_actions as a')
    .innerJoin('protocol_steps as s', 's.instance_id', 'a.chase_instance_id')
    .where('a.id', '=', actionId)
    .where('s.status', '=', 'open')
    .select('s.owner_user_id')
    .executeTakeFirstOrThrow();
  assert.equal(chase.owner_user_id, riley.id);

  // Each record's timeline and the audit say so; the new owner is told, without a child's name.
  const events = await db.selectFrom('events').where('person_id', '=', a.id).select(['title', 'detail']).execute();
  assert.ok(
    events.some((e) => e.title === 'Allocated to Riley Second-Worker' && /Sam leaves on Friday/.test(String(e.detail))),
  );
  assert.ok(events.some((e) => /reassigned to Riley Second-Worker/.test(e.title)));
  const bEvents = await db.selectFrom('events').where('person_id', '=', b.id).select('title').execute();
  assert.ok(bEvents.some((e) => e.title === 'Action passed to Riley Second-Worker'));
  const audits = await db
    .selectFrom('audit_log')
    .where('action', '=', 'reallocate')
    .where('person_id', 'in', [a.id, b.id])
    .select('entity')
    .execute();
  assert.deepEqual(audits.map((r) => r.entity).sort(), ['involvement', 'involvement', 'plan_action']);
  const told = await db.selectFrom('notifications').where('user_id', '=', riley.id).select('message').execute();
  assert.ok(
    told.some((n) => n.message === '2 cases, 1 protocol step and 1 plan action passed to you by Marcus Team-Manager'),
  );
  const mail = await db
    .selectFrom('outbox')
    .where(sql<boolean>`${riley.email} = ANY(to_addresses)`)
    .select(['subject', 'body'])
    .execute();
  assert.ok(mail.length > 0);
  for (const m of mail) assert.doesNotMatch(`${m.subject} ${m.body}`, /Robin|Moved\d/);
  // The receiver's notifications page names where it came from, not a made-up case number.
  const { password_hash } = await db
    .selectFrom('users')
    .where('id', '=', manager.id)
    .select('password_hash')
    .executeTakeFirstOrThrow();
  await db.updateTable('users').set({ password_hash }).where('id', '=', riley.id).execute();
  const rileyB = new Browser(app);
  await rileyB.login(riley.email);
  const list = await rileyB.get('/notifications');
  assert.match(list.body, /Reference caseload of Sam Social-Worker/);
  assert.doesNotMatch(list.body, /Case caseload|REALLOC/);
});

test('nothing chosen, or a receiver who is not a caseworker of the team: the field is named and nothing moves', async () => {
  const a = await person();
  const marcus = new Browser(app);
  await marcus.login(manager.email);
  const none = await marcus.post(page, { to_user_id: riley.id });
  assert.equal(none.statusCode, 400);
  assert.match(none.body, /href="#involvement_ids">Choose at least one case, step or action to move/);

  for (const to of [admin.id, coordinator.id, sam.id]) {
    const bad = await marcus.post(page, { involvement_ids: a.involvementId, to_user_id: to });
    assert.equal(bad.statusCode, 400, to);
    assert.match(
      bad.body,
      /href="#to_user_id">Choose an active caseworker in Disabled Children&#39;s Team North|href="#to_user_id">Choose an active caseworker/,
    );
    // What was ticked stays ticked.
    assert.match(bad.body, new RegExp(`value="${a.involvementId}" checked`));
  }
  assert.equal(await workerOf(a.involvementId), sam.id);
});

test('one chosen item is no longer the leaver’s: nothing at all moves, and the message says what changed', async () => {
  const a = await person();
  const b = await person();
  const stepId = await stepFor(b.id);
  // Someone else moved case a meanwhile.
  await db.updateTable('involvements').set({ worker_id: manager.id }).where('id', '=', a.involvementId).execute();
  const marcus = new Browser(app);
  await marcus.login(manager.email);
  const res = await marcus.post(page, {
    involvement_ids: [a.involvementId, b.involvementId],
    step_ids: stepId,
    to_user_id: riley.id,
  });
  assert.equal(res.statusCode, 400);
  assert.match(res.body, /1 of the chosen cases is no longer Sam Social-Worker’s .*Nothing was moved/);
  assert.equal(await workerOf(b.involvementId), sam.id);
  assert.equal(await stepOwner(stepId), sam.id);
});

test('only a manager of the team may move its cases; the worker themselves and other managers may not', async () => {
  for (const who of [sam.email, coordinator.email, userByRole(org, 'send_manager').email]) {
    const b = new Browser(app);
    await b.login(who);
    const res = await b.get(page);
    assert.equal(res.statusCode, 403, who);
  }
});

test('API: read a worker’s caseload and move it; bad input is a 400 naming the field', async () => {
  const a = await person({ protected: true });
  const actionId = await actionFor(a.id);
  const auth = await tokenFor(manager.id);
  const read = await app.inject({
    method: 'GET',
    url: `/api/v1/teams/${team}/workers/${sam.id}/caseload`,
    headers: auth,
  });
  assert.equal(read.statusCode, 200, read.body);
  const body = read.json();
  assert.ok(body.cases.some((c: { id: string }) => c.id === a.involvementId));
  assert.ok(body.actions.some((c: { id: string }) => c.id === actionId));

  const url = `/api/v1/teams/${team}/workers/${sam.id}/reallocations`;
  const bad = await app.inject({ method: 'POST', url, headers: auth, payload: { to_user_id: riley.id } });
  assert.equal(bad.statusCode, 400);
  assert.match(bad.body, /Choose at least one case, step or action to move/);

  const ok = await app.inject({
    method: 'POST',
    url,
    headers: auth,
    payload: { to_user_id: riley.id, involvement_ids: [a.involvementId], action_ids: [actionId] },
  });
  assert.equal(ok.statusCode, 200, ok.body);
  assert.deepEqual(ok.json(), { cases: 1, steps: 0, actions: 1, to: { id: riley.id, name: 'Riley Second-Worker' } });
  assert.equal(await workerOf(a.involvementId), riley.id);

  const samApi = await tokenFor(sam.id);
  const refused = await app.inject({
    method: 'GET',
    url: `/api/v1/teams/${team}/workers/${riley.id}/caseload`,
    headers: samApi,
  });
  assert.equal(refused.statusCode, 403);
});
