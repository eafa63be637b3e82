// The transition plans demo (issue 12 part 8): screened 16-17 year olds get plans at each stage, and the one aged
// 17 years 6-7 months with no post-18 owner has escalated to the service manager and then the exploitation lead.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { addMonths } from '../src/modules/post18/dates.ts';
import { seedPost18Demo } from '../src/modules/post18/demo.ts';
import { personInTeam, seedOrganisation, testApp, testDatabase, userByRole } from './helpers.ts';

test('plans at each stage, and the young person at 17½ escalated to the exploitation lead', async () => {
  const { db } = await testDatabase();
  const org = await seedOrganisation(db, 'p18d');
  let at: number | null = null;
  const real = Date.parse('2026-11-23T10:00:00Z');
  const clock = {
    now: () => new Date(at ?? real),
    on: (day: string) => {
      at = Date.parse(`${day}T10:00:00Z`);
    },
    reset: () => {
      at = null;
    },
  };
  const app = await testApp(db, { now: clock.now });
  const worker = userByRole(org, 'social_worker');
  const lead = userByRole(org, 'exploitation_lead');
  const ages = [12 * 17 + 6 + 0.5, 12 * 16 + 3, 12 * 16 + 8, 12 * 17 + 1, 12 * 17 + 3, 12 * 15];
  const ids: string[] = [];
  for (const [k, months] of ages.entries()) {
    const dob = addMonths('2026-11-23', -Math.floor(months));
    const id = await personInTeam(db, {
      authorityId: org.authorityId,
      team: org.teams['dct-north'] as string,
      worker: worker.id,
      caseNumber: `P18D-${k}`,
      givenName: 'Demo',
      familyName: `Plan${k}`,
      dateOfBirth: k === 0 ? addMonths('2026-11-23', -(12 * 17 + 6)).replace(/-(\d\d)$/, '-08') : dob,
    });
    await db
      .insertInto('screenings')
      .values({
        authority_id: org.authorityId,
        person_id: id,
        instrument_id: 'child-exploitation',
        instrument_version: 1,
        screened_on: '2026-10-01',
        age_at_screening: 16,
        send_or_learning_disability: false,
        answers: JSON.stringify({}),
        suggested_level: 'high',
        proposed_level: 'high',
        proposed_rank: 2,
        proposed_by: worker.id,
        review_due: '2027-01-01',
      })
      .execute();
    ids.push(id);
  }
  await seedPost18Demo(db, app.services, clock, org.authorityId);
  const plans = await db.selectFrom('transition_plans').select(['person_id', 'protocol_instance_id']).execute();
  assert.equal(plans.length, 5, 'the 16-17 year olds, not the 15 year old');
  const steps = new Set<string>();
  for (const p of plans) steps.add(String((await app.services.post18.flow.state(db, p.protocol_instance_id)).step));
  for (const s of ['start_plan', 'name_post18_owner', 'care_act_assessment', 'handover'])
    assert.ok(steps.has(s), `a plan at ${s}: ${[...steps]}`);
  const escalated = plans.find((p) => p.person_id === ids[0]);
  const state = await app.services.post18.flow.state(db, escalated?.protocol_instance_id as string);
  assert.equal(state.step, 'name_post18_owner');
  assert.equal(state.ownerUserId, lead.id, state.ownerLabel ?? '');
  assert.equal(state.escalations, 2);
});
