// What the plan-changes tests share: a council, the app on a fixed clock (Monday 23 November 2026, 10:00 London),
// the coordinator with young people allocated to them, final plans written straight to the tables (as the plan
// module issues them), API tokens and a JSON caller.
import { randomBytes } from 'node:crypto';
import { after } from 'node:test';
import type { Db } from '../src/db/database.ts';
import { sha256 } from '../src/modules/auth/service.ts';
import { registerAllTimers } from '../src/modules/timers/handlers.ts';
import { fixedClock, personInTeam, seedOrganisation, testApp, testDatabase, userByRole } from './helpers.ts';

export async function tokenFor(db: Db, userId: string) {
  const token = `hov_${randomBytes(16).toString('hex')}`;
  await db
    .insertInto('api_tokens')
    .values({ user_id: userId, token_hash: sha256(token), label: 'test' })
    .execute();
  return token;
}

/** A final plan of `personId`, issued on `issued`, with version 1 (final, issued) holding some text. */
export async function finalPlan(
  db: Db,
  o: { authorityId: string; personId: string; coordinatorId: string | null; issued?: string },
) {
  const issued = o.issued ?? '2025-06-02';
  const plan = await db
    .insertInto('ehc_plans')
    .values({
      authority_id: o.authorityId,
      person_id: o.personId,
      status: 'final',
      coordinator_id: o.coordinatorId,
      first_issued_date: issued,
      last_issued_date: issued,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await db
    .insertInto('ehc_plan_versions')
    .values({
      authority_id: o.authorityId,
      plan_id: plan.id,
      person_id: o.personId,
      number: 1,
      kind: 'final',
      state: 'issued',
      sections: JSON.stringify({ a: 'Likes trains and drawing.', b: 'Speech and language needs.' }),
      setting_name: 'Demoton Primary',
      issued_date: issued,
      created_at: new Date(),
      updated_at: new Date(),
    })
    .execute();
  return plan.id;
}

export async function planChangesSetup(label: string) {
  const { db } = await testDatabase();
  const org = await seedOrganisation(db, label);
  const clock = fixedClock('2026-11-23T10:00:00Z');
  const app = await testApp(db, { now: clock.now });
  after(registerAllTimers(app.services));
  const coordinator = userByRole(org, 'ehcp_coordinator');
  const sendManager = userByRole(org, 'send_manager');
  const adviceGiver = userByRole(org, 'advice_giver');
  const team = org.teams['send-statutory'] as string;
  let serial = 0;
  /** A young person allocated to the coordinator, with a final plan. */
  async function withPlan(dob = '2014-05-10', o: { worker?: string | null; team?: string } = {}) {
    serial++;
    const personId = await personInTeam(db, {
      authorityId: org.authorityId,
      team: o.team ?? team,
      worker: o.worker === undefined ? coordinator.id : o.worker,
      caseNumber: `PC-${label}-${serial}`,
      givenName: 'Pat',
      familyName: `Changes${serial}`,
      dateOfBirth: dob,
    });
    const planId = await finalPlan(db, { authorityId: org.authorityId, personId, coordinatorId: coordinator.id });
    return { personId, planId };
  }
  const coordinatorToken = await tokenFor(db, coordinator.id);
  const api = (token: string, method: 'GET' | 'POST', url: string, payload?: Record<string, unknown>) =>
    app.inject({
      method,
      url,
      headers: { authorization: `Bearer ${token}` },
      ...(method === 'POST' ? { payload: payload ?? {} } : {}),
    });
  const asCoordinator = (method: 'GET' | 'POST', url: string, payload?: Record<string, unknown>) =>
    api(coordinatorToken, method, url, payload);
  return { db, org, clock, app, coordinator, sendManager, adviceGiver, team, withPlan, api, asCoordinator };
}
