// The bench's mandatory-work floor (bench/floor-mandatory.ts, issue 16 part 1) must do the app's mandatory work and
// give the app's answer: it reads, and logs once, exactly the records findRelationship opens (relationship or
// break-glass), for a live session only. If relationshipConditions changes in a way the floor's compiled statement
// cannot follow, this fails before a benchmark quietly measures something else.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { mandatoryFloor } from '../bench/floor-mandatory.ts';
import { cookieNames } from '../src/http/session.ts';
import { findRelationship, type Viewer } from '../src/modules/access/repository.ts';
import {
  Browser,
  fixedClock,
  personInTeam,
  seedOrganisation,
  testApp,
  testConfig,
  testDatabase,
  userByRole,
} from './helpers.ts';

const { db } = await testDatabase();
const clock = fixedClock();
const org = await seedOrganisation(db, 'floor');
const app = await testApp(db, { now: clock.now });
const config = testConfig();
const worker = userByRole(org, 'social_worker');
const coordinator = userByRole(org, 'ehcp_coordinator');
const north = org.teams['dct-north'] as string;
const send = org.teams['send-statutory'] as string;

const person = (caseNumber: string, team: string, allocated: string | null) =>
  personInTeam(db, {
    authorityId: org.authorityId,
    team,
    worker: allocated,
    caseNumber,
    givenName: 'Floor',
    familyName: caseNumber,
    dateOfBirth: '2010-03-04',
  });
const allocated = await person('FL001', north, worker.id);
const teamCase = await person('FL002', north, null);
const elsewhere = await person('FL003', send, coordinator.id);
const brokenGlass = await person('FL004', send, coordinator.id);
await db
  .insertInto('break_glass')
  .values({
    authority_id: org.authorityId,
    user_id: worker.id,
    person_id: brokenGlass,
    reason: 'Police called about a missing child',
    created_at: new Date(clock.now().getTime() - 60_000),
    expires_at: new Date(clock.now().getTime() + 3_600_000),
  })
  .execute();
const everyone = [allocated, teamCase, elsewhere, brokenGlass];

async function viewer(id: string): Promise<Viewer & { token: string; email: string }> {
  const u = await db.selectFrom('users').where('id', '=', id).select(['email', 'roles']).executeTakeFirstOrThrow();
  const teams = await db.selectFrom('team_members').where('user_id', '=', id).select('team_id').execute();
  const b = new Browser(app);
  await b.login(u.email);
  const token = b.cookies.get(cookieNames(config).session);
  assert.ok(token, `${u.email} has a session cookie`);
  return {
    id,
    authorityId: org.authorityId,
    teamIds: teams.map((t) => t.team_id),
    roles: u.roles,
    token,
    email: u.email,
  };
}

const logged = (userId: string) =>
  db
    .selectFrom('access_log')
    .where('user_id', '=', userId)
    .orderBy('id')
    .select(['person_id', 'channel', 'purpose', 'break_glass_id'])
    .execute();

test('the floor reads exactly the records the app opens, and logs each read once with the app’s purpose', async () => {
  for (const [who, expected] of [
    [worker.id, [allocated, teamCase, brokenGlass]],
    [coordinator.id, [elsewhere, brokenGlass]],
  ] as const) {
    const v = await viewer(who);
    const floor = mandatoryFloor(db, config, v.roles, clock.now);
    const before = (await logged(who)).length;
    const read: string[] = [];
    for (const id of everyone) {
      const answer = await findRelationship(db, v, id, clock.now());
      const caseNumber = await floor.read(v.token, id);
      assert.equal(caseNumber !== null, answer.related || answer.breakGlassId !== null, `${v.email} on ${id}`);
      if (caseNumber !== null) read.push(id);
    }
    assert.deepEqual(read.sort(), [...expected].sort(), `${v.email} reads their own cases`);
    const rows = (await logged(who)).slice(before);
    assert.deepEqual(
      rows.map((r) => r.person_id),
      everyone.filter((id) => read.includes(id)),
      'one access-log row per read, none for a refusal',
    );
    for (const r of rows) {
      assert.equal(r.channel, 'page');
      const viaGlass = who === worker.id && r.person_id === brokenGlass;
      assert.equal(r.purpose, viaGlass ? 'break-glass' : 'record');
      assert.equal(r.break_glass_id !== null, viaGlass);
    }
  }
});

test('the floor reads nothing without a live session: unknown, idle too long, or the account disabled', async () => {
  const v = await viewer(worker.id);
  const at = clock.now().getTime();
  const floor = mandatoryFloor(db, config, v.roles, clock.now);
  const before = (await logged(worker.id)).length;
  assert.equal(await floor.read('no-such-session', allocated), null);
  const late = mandatoryFloor(db, config, v.roles, () => new Date(at + (config.sessionIdleMinutes + 1) * 60_000));
  assert.equal(await late.read(v.token, allocated), null, 'idle past the limit');
  assert.ok(await floor.read(v.token, allocated), 'the same session, still live, reads');
  await db.updateTable('users').set({ active: false }).where('id', '=', worker.id).execute();
  try {
    assert.equal(await floor.read(v.token, allocated), null, 'a disabled account');
  } finally {
    await db.updateTable('users').set({ active: true }).where('id', '=', worker.id).execute();
  }
  assert.equal((await logged(worker.id)).length, before + 1, 'only the one read was logged');
});
