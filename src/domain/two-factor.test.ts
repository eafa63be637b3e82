import assert from 'node:assert/strict';
import { test } from 'node:test';
import { needsSecondFactor } from './two-factor.ts';

test('needsSecondFactor: outside organisations and administrators, nobody else', () => {
  const cases: [roles: string[], external: boolean, expected: boolean, why: string][] = [
    [['admin'], false, true, 'a council administrator'],
    [['social_worker', 'admin'], false, true, 'admin beside casework'],
    [['team_manager'], true, true, "a manager in an NHS trust's service"],
    [['social_worker'], true, true, 'any role in an external service'],
    [['advice_giver'], false, true, 'an advice giver with no external service'],
    [['panel_member'], false, true, 'a panel member from another agency'],
    [['advice_giver', 'panel_member'], false, true, 'only outside-agency roles'],
    [['setting_user'], false, true, "a school's setting account"],
    [['setting_user', 'social_worker'], false, true, 'a setting account is outside whatever else it holds'],
    [['advice_giver', 'ehcp_coordinator'], false, false, 'a council coordinator who also gives advice'],
    [['social_worker'], false, false, 'council staff'],
    [['service_manager', 'forum_chair'], false, false, 'council managers'],
    [['commissioner'], false, false, 'joint commissioning is the council'],
    [[], false, false, 'no roles: can do nothing'],
  ];
  for (const [roles, serviceExternal, expected, why] of cases)
    assert.equal(needsSecondFactor({ roles, serviceExternal }), expected, why);
});
