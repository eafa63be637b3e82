// A council changes the EHC needs assessment's route in a file (PROTOCOLS_DIR) without a release: its version 2
// tells the SEND managers on the 6-week date itself (not only at 20 weeks). Assessments requested after it is loaded
// run on it; one requested before keeps version 1. A version that drops a step the module needs is refused.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { asDefinition } from '../src/domain/protocol/definition.ts';
import { sweepDue } from '../src/jobs/deadlines.ts';
import { authUser } from '../src/modules/demo/journeys.ts';
import { registerProtocolTimers } from '../src/modules/protocols/timers.ts';
import { ehcNeedsAssessment } from '../src/protocols/ehc-needs-assessment.ts';
import { fixedClock, seedOrganisation, testApp, testDatabase, userByRole } from './helpers.ts';

const { db } = await testDatabase();
const org = await seedOrganisation(db, 'ehcpcouncil');
const clock = fixedClock('2026-11-23T10:00:00Z');
const dir = mkdtempSync(path.join(os.tmpdir(), 'handover-ehcp-council-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const coordinator = userByRole(org, 'ehcp_coordinator');
const sendManager = userByRole(org, 'send_manager');

async function person(caseNumber: string) {
  return (
    await db
      .insertInto('people')
      .values({
        authority_id: org.authorityId,
        case_number: caseNumber,
        given_name: 'Cou',
        family_name: 'Ncil',
        date_of_birth: '2016-04-04',
      })
      .returning('id')
      .executeTakeFirstOrThrow()
  ).id;
}

const versionOf = async (assessmentId: string) =>
  (
    await db
      .selectFrom('ehcp_assessments as a')
      .innerJoin('protocol_instances as i', 'i.id', 'a.protocol_instance_id')
      .where('a.id', '=', assessmentId)
      .select('i.protocol_version')
      .executeTakeFirstOrThrow()
  ).protocol_version;

test('a council version of the statutory route: new assessments run on it, earlier ones keep version 1', async () => {
  const jo = await authUser(db, coordinator.id);
  const before = await testApp(db, { now: clock.now });
  const p1 = await person('HO770001');
  const first = await before.services.ehcp.create(jo, p1, {
    request_date: '2026-10-05',
    requested_by: 'parent',
    requester_detail: null,
  });
  assert.equal(await versionOf(first), 1);

  const council = structuredClone(asDefinition(ehcNeedsAssessment));
  council.version = 2;
  const decide = council.steps.find((s) => s.id === 'decide_whether_to_assess')!;
  decide.overdue = [{ action: 'remind' }, { action: 'notify', to: 'role:send_manager' }];
  writeFileSync(path.join(dir, 'ehc-needs-assessment-v2.json'), JSON.stringify(council));
  const app = await testApp(db, { now: clock.now, config: { protocolsDir: dir } });
  const off = registerProtocolTimers(app.services.protocols);
  try {
    const p2 = await person('HO770002');
    const second = await app.services.ehcp.create(jo, p2, {
      request_date: '2026-10-05',
      requested_by: 'parent',
      requester_detail: null,
    });
    assert.equal(await versionOf(second), 2);
    assert.equal(await versionOf(first), 1, 'an assessment requested before keeps its version');

    // The 6-week date (16 November) has passed: version 2 tells the SEND manager now, once; version 1 does not.
    await sweepDue(db, clock.now());
    const told = await db
      .selectFrom('notifications')
      .where('user_id', '=', sendManager.id)
      .where('message', '=', 'Overdue step on a case you oversee: Decide whether to carry out the EHC needs assessment')
      .select('link')
      .execute();
    assert.equal(told.length, 1);
    assert.match(told[0]!.link ?? '', new RegExp(`/people/${p2}/protocols/`));
  } finally {
    off();
  }
});

test('a council version that drops a step the EHCP module moves is refused at start-up', async () => {
  const broken = mkdtempSync(path.join(os.tmpdir(), 'handover-ehcp-broken-'));
  try {
    const council = structuredClone(asDefinition(ehcNeedsAssessment));
    council.version = 3;
    council.steps = council.steps.filter((s) => s.id !== 'representations');
    (council.steps[1] as { outcomes: { id: string; label: string; to?: string; end?: string }[] }).outcomes[0]!.to =
      'issue_final_plan';
    writeFileSync(path.join(broken, 'ehc-v3.json'), JSON.stringify(council));
    await assert.rejects(
      testApp(db, { now: clock.now, config: { protocolsDir: broken } }),
      /ehc-needs-assessment version 3 .* cannot run:\n {2}step representations: the module that drives ehc-needs-assessment uses this step; keep it/,
    );
  } finally {
    rmSync(broken, { recursive: true, force: true });
  }
});
