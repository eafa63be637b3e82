import assert from 'node:assert/strict';
import { test } from 'node:test';
import { childExploitation } from '../../screening/child-exploitation.ts';
import { BUILT_IN_INSTRUMENTS } from '../../screening/index.ts';
import { ageProblem, proposeLevel } from './rules.ts';
import { validateInstrument } from './validate.ts';

// biome-ignore lint/suspicious/noExplicitAny: definitions the types would refuse, as a council's file arrives
type Json = any;
const good = (): Json => structuredClone(childExploitation);
const problems = (d: Json) => {
  const v = validateInstrument(d);
  assert.equal(v.ok, false);
  return v.ok ? [] : v.problems;
};
const levels = 'the instrument’s levels are low, medium, high';

test('every built-in instrument is valid, also through JSON', () => {
  assert.ok(BUILT_IN_INSTRUMENTS.length > 0);
  for (const d of BUILT_IN_INSTRUMENTS) {
    assert.deepEqual(validateInstrument(JSON.parse(JSON.stringify(d))), { ok: true, definition: d });
  }
});

test('validation: each kind of error gets one line naming where it is', () => {
  const d = good();
  d.levels.push({ code: 'high', label: 'Very high' });
  d.domains[0].indicators[0].level = 'severe';
  d.domains[1].indicators[0].id = d.domains[0].indicators[0].id;
  d.domains.push({ ...d.domains[2] });
  d.rules[0].atLeast = 'critical';
  d.rules[1].id = d.rules[0].id;
  d.rules[0].when.indicators = ['no_such_indicator'];
  d.rules[0].when.suggestedAtLeast = 'top';
  d.ages = { from: 18, to: 11 };
  assert.deepEqual(problems(d), [
    'level high: the code is used by more than one level',
    'instrument ages: from (18) is after to (11)',
    'domain money_and_gifts: the id is used by more than one domain',
    'indicator late_home: the id is used by more than one indicator (ids are unique across domains)',
    'indicator unexplained_items: the id is used by more than one indicator (ids are unique across domains)',
    'indicator owes_debt: the id is used by more than one indicator (ids are unique across domains)',
    `domain missing indicator late_home: suggests unknown level "severe" (${levels.replace('high', 'high, high')})`,
    'rule young_child_any_high: the id is used by more than one rule',
    `rule young_child_any_high: atLeast names unknown level "critical" (${levels.replace('high', 'high, high')})`,
    `rule young_child_any_high: when.suggestedAtLeast names unknown level "top" (${levels.replace('high', 'high, high')})`,
    'rule young_child_any_high: when.indicators names unknown indicator "no_such_indicator"',
  ]);
});

test('validation: shape errors name the domain, indicator or rule; not an object is one line', () => {
  const d = good();
  d.domains[0].indicators[1].answers = ['yes', 'maybe'];
  delete d.rules[1].reason;
  const p = problems(d);
  assert.ok(
    p.some((l) => l.startsWith('domain missing indicator missing_once answers.1: ')),
    p.join('\n'),
  );
  assert.ok(
    p.some((l) => l.startsWith('rule no_lower_than_medium reason: ')),
    p.join('\n'),
  );
  assert.deepEqual(problems([1, 2]), [
    'instrument: the file must hold one object with id, version, title, levels and domains',
  ]);
});

const facts = (age: number, sendOrLearningDisability = false) => ({ age, sendOrLearningDisability });

test('proposeLevel: the highest suggested level among yes/possible answers, with its reason', () => {
  const p = proposeLevel(
    childExploitation,
    { late_home: { answer: 'yes' }, uses_substances: { answer: 'possible' } },
    facts(15),
  );
  assert.equal(p.level, 'medium');
  assert.deepEqual(p.reasons, ['Medium: suggested by "Uses alcohol or drugs, or use has increased" (possible)']);
  assert.equal(p.immediateReferral, false);
  const none = proposeLevel(
    childExploitation,
    { late_home: { answer: 'no' }, new_friends: { answer: 'not_known' } },
    facts(15),
  );
  assert.equal(none.level, 'low');
});

test('proposeLevel: aged 13 or under, any high indicator makes high; not at 14', () => {
  const answers = { missing_repeat: { answer: 'yes' as const } };
  assert.equal(proposeLevel(childExploitation, answers, facts(13)).level, 'high');
  // A high indicator suggests high anyway; the rule matters for a council whose rule raises further. Check it fires:
  const raised = { ...good(), levels: [...good().levels, { code: 'very_high', label: 'Very high' }] };
  raised.rules[0].atLeast = 'very_high';
  const at13 = proposeLevel(raised, answers, facts(13));
  assert.equal(at13.level, 'very_high');
  assert.equal(at13.reasons[1], 'Very high: a child aged 13 or under with any one high indicator is high');
  assert.equal(proposeLevel(raised, answers, facts(14)).level, 'high');
});

test('proposeLevel: floor medium under 13 or with SEND when any indicator is a concern', () => {
  const low = { new_friends: { answer: 'possible' as const } };
  assert.equal(proposeLevel(childExploitation, low, facts(14)).level, 'low');
  const young = proposeLevel(childExploitation, low, facts(12));
  assert.equal(young.level, 'medium');
  assert.match(young.reasons[1] ?? '', /^Medium: no child under 13/);
  assert.equal(proposeLevel(childExploitation, low, facts(19, true)).level, 'medium');
  assert.equal(proposeLevel(childExploitation, { new_friends: { answer: 'no' } }, facts(12)).level, 'low');
});

test('proposeLevel: a significant incident means an immediate referral', () => {
  const p = proposeLevel(childExploitation, { trap_house: { answer: 'possible', when: 'last_3_months' } }, facts(16));
  assert.equal(p.level, 'high');
  assert.equal(p.immediateReferral, true);
  assert.deepEqual(
    p.significantIncidents.map((s) => [s.domain, s.indicator]),
    [['places', 'trap_house']],
  );
});

test('ageProblem: 11 to 25 by default', () => {
  assert.equal(ageProblem(childExploitation, 11), null);
  assert.equal(ageProblem(childExploitation, 25), null);
  assert.match(ageProblem(childExploitation, 10) ?? '', /aged 11 to 25; this young person is 10$/);
  assert.notEqual(ageProblem(childExploitation, 26), null);
});
