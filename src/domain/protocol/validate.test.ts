import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BUILT_IN_PROTOCOLS } from '../../protocols/index.ts';
import { ROLE_NAMES } from '../roles.ts';
import { RELATIVE_ROLES } from './definition.ts';
import { validateProtocol } from './validate.ts';

// Plain JSON, as a council's file arrives: the cases below break it one way at a time.
// biome-ignore lint/suspicious/noExplicitAny: the point is to build definitions the types would refuse
type Json = any;

/** A small valid protocol using most of the format: two steps, a loop, a user field, an anchor, a ladder. */
function base(): Json {
  return {
    id: 'test-protocol',
    version: 1,
    title: 'Test protocol',
    startedBy: ['social_worker'],
    anchors: ['request'],
    start: 'first',
    steps: [
      {
        id: 'first',
        title: 'First step',
        responsible: 'allocated_worker',
        fields: [
          { name: 'worker', label: 'Receiving worker', type: 'user', required: true },
          { name: 'met_on', label: 'Date of the meeting', type: 'date', setsAnchor: 'meeting' },
        ],
        deadline: { workingDays: 5 },
        overdue: [{ action: 'remind' }, { after: { workingDays: 2 }, action: 'escalate', to: 'line_manager' }],
        outcomes: [
          { id: 'next', label: 'Pass it on', to: 'second', requires: ['worker'] },
          { id: 'done', label: 'Nothing more to do', end: 'finished' },
        ],
      },
      {
        id: 'second',
        title: 'Second step',
        responsible: 'field:worker',
        deadline: { weeks: 20, from: 'request', source: 'SEND Regulations 2014 reg 13(2)' },
        outcomes: [
          { id: 'back', label: 'Send it back', to: 'first' },
          { id: 'done', label: 'Done', end: 'finished' },
        ],
      },
    ],
  };
}

/** A third step, reachable from nowhere unless a case links it in. */
const third = (outcomes: Json[] = [{ id: 'done', label: 'Done', end: 'finished' }]): Json => ({
  id: 'third',
  title: 'Third step',
  responsible: 'starter',
  outcomes,
});

const first = (d: Json) => d.steps[0];
const second = (d: Json) => d.steps[1];
const roleList = ROLE_NAMES.join(', ');
const unknownRef = (ref: string) =>
  `unknown responsible role "${ref}" (use one of ${RELATIVE_ROLES.join(', ')}, role:<role>, service:<name>, field:<user field> or line_manager_of:<user field>)`;

test('the base protocol and every built-in protocol are valid', () => {
  const ok = validateProtocol(base());
  assert.deepEqual(ok, { ok: true, definition: base() });
  assert.ok(BUILT_IN_PROTOCOLS.length > 0);
  for (const def of BUILT_IN_PROTOCOLS) {
    const v = validateProtocol(structuredClone(def));
    assert.deepEqual(v, { ok: true, definition: def }, `${def.id} version ${def.version}`);
    // As a council would write it: through JSON and back.
    assert.equal(validateProtocol(JSON.parse(JSON.stringify(def))).ok, true, `${def.id} through JSON`);
  }
});

test('built-in protocols have distinct id and version pairs', () => {
  const keys = BUILT_IN_PROTOCOLS.map((d) => `${d.id}@${d.version}`);
  assert.equal(new Set(keys).size, keys.length);
});

test('every way of writing who is responsible that the engine understands is accepted', () => {
  const refs = [
    ...RELATIVE_ROLES,
    ...ROLE_NAMES.map((r) => `role:${r}`),
    'service:Adult Social Care',
    'field:worker',
    'line_manager_of:worker',
  ];
  for (const ref of refs) {
    const d = base();
    second(d).responsible = ref;
    first(d).overdue.push({ action: 'notify', to: ref }, { action: 'escalate', to: ref });
    assert.deepEqual(validateProtocol(d), { ok: true, definition: d }, ref);
  }
});

test('other valid forms: each deadline kind and anchor, move rungs, loops that can still end', () => {
  const cases: [name: string, change: (d: Json) => void][] = [
    [
      'calendar days beginning with the anchor day',
      (d) => (second(d).deadline = { days: 15, beginningWith: true, from: 'request' }),
    ],
    ['deadline from an anchor set by a date field', (d) => (second(d).deadline = { workingDays: 5, from: 'meeting' })],
    ['deadline from the start of the protocol', (d) => (second(d).deadline = { weeks: 6, from: 'started' })],
    [
      'deadline from the start of the step, said out loud',
      (d) => (second(d).deadline = { workingDays: 1, from: 'step' }),
    ],
    ['move rung without an outcome', (d) => first(d).overdue.push({ action: 'move', to: 'second' })],
    [
      'move rung naming the outcome that leads there',
      (d) => first(d).overdue.push({ action: 'move', to: 'second', outcome: 'next' }),
    ],
    [
      'a choice field with options',
      (d) => first(d).fields.push({ name: 'how', label: 'How', type: 'choice', options: ['Phone', 'Email'] }),
    ],
    [
      'a step that loops to itself but can end',
      (d) => second(d).outcomes.push({ id: 'again', label: 'Try again', to: 'second' }),
    ],
    [
      'no startedBy, no anchors',
      (d) => {
        delete d.startedBy;
        delete d.anchors;
        second(d).deadline = { weeks: 20 };
      },
    ],
  ];
  for (const [name, change] of cases) {
    const d = base();
    change(d);
    assert.deepEqual(validateProtocol(d), { ok: true, definition: d }, name);
  }
});

test('a file that is not one object is refused', () => {
  for (const input of [null, [], 'protocol', 42]) {
    assert.deepEqual(validateProtocol(input), {
      ok: false,
      problems: ['protocol: the file must hold one object with id, version, title, start and steps'],
    });
  }
});

// Each problem names the step (or the protocol) and says what is wrong. One test per case, each asserting the
// whole list of problems, so a case that also trips another check shows up.
const problemCases: [name: string, change: (d: Json) => void, problems: string[]][] = [
  // The file's shape.
  ['unknown property on a step', (d) => (second(d).colour = 'red'), ['step second colour: Unexpected property']],
  ['unknown property on the protocol', (d) => (d.owner = 'me'), ['protocol owner: Unexpected property']],
  [
    'unknown property on an outcome',
    (d) => (first(d).outcomes[0].next = 'x'),
    ['step first outcomes.0.next: Unexpected property'],
  ],
  ['misspelt deadline', (d) => (first(d).deadline = { workingdays: 5 }), ['step first deadline: Expected union value']],
  ['deadline of zero', (d) => (first(d).deadline = { workingDays: 0 }), ['step first deadline: Expected union value']],
  [
    'unknown field type',
    (d) => (first(d).fields[0].type = 'person'),
    ['step first fields.0.type: Expected union value'],
  ],
  [
    'unknown rung action',
    (d) => (first(d).overdue[0].action = 'shout'),
    ['step first overdue.0.action: Expected union value'],
  ],
  [
    'step id with capitals',
    (d) => (second(d).id = 'Second'),
    ["step Second id: Expected string to match '^[a-z][a-z0-9_]*$'"],
  ],
  ['step id not text: the step is named by position', (d) => (second(d).id = 2), ['step #2 id: Expected string']],
  ['step not an object', (d) => (d.steps[1] = 'second'), ['step #2: Expected object']],
  ['empty title', (d) => (second(d).title = ''), ['step second title: Expected string length greater or equal to 1']],
  [
    'missing outcomes',
    (d) => delete second(d).outcomes,
    ['step second outcomes: Expected required property', 'step second outcomes: Expected array'],
  ],
  [
    'field name with spaces',
    (d) => (first(d).fields[0].name = 'the worker'),
    ["step first fields.0.name: Expected string to match '^[a-z][a-z0-9_]*$'"],
  ],
  ['version as text', (d) => (d.version = '1'), ['protocol version: Expected integer']],
  ['protocol id with capitals', (d) => (d.id = 'Test'), ["protocol id: Expected string to match '^[a-z][a-z0-9-]*$'"]],
  ['no steps', (d) => (d.steps = []), ['protocol steps: Expected array length to be greater or equal to 1']],

  // The protocol as a whole.
  ['unknown start step', (d) => (d.start = 'nowhere'), ['protocol: start step "nowhere" does not exist']],
  ['startedBy an unknown role', (d) => d.startedBy.push('wizard'), ['protocol startedBy: unknown role "wizard"']],
  [
    'duplicate step ids',
    (d) => d.steps.push({ ...second(d), title: 'Another second' }),
    ['step second: the id is used by more than one step'],
  ],

  // Who is responsible.
  [
    'missing responsible',
    (d) => delete first(d).responsible,
    ['step first: has no responsible role (add responsible: allocated_worker, line_manager, …)'],
  ],
  ['unknown relative role', (d) => (first(d).responsible = 'boss'), [`step first: ${unknownRef('boss')}`]],
  [
    'role:<unknown>',
    (d) => (first(d).responsible = 'role:wizard'),
    [`step first: unknown role "wizard" (known roles: ${roleList})`],
  ],
  [
    'service: without a name',
    (d) => (first(d).responsible = 'service:'),
    ['step first: service: needs a service name, e.g. service:Adult Social Care'],
  ],
  [
    'field:<missing user field>',
    (d) => (second(d).responsible = 'field:advisor'),
    ['step second: no user field called "advisor" is captured by any step'],
  ],
  [
    'field: naming a field that is not a user field',
    (d) => (second(d).responsible = 'field:met_on'),
    ['step second: no user field called "met_on" is captured by any step'],
  ],
  [
    'line_manager_of:<missing>',
    (d) => (second(d).responsible = 'line_manager_of:advisor'),
    ['step second: no user field called "advisor" is captured by any step'],
  ],

  // Fields.
  [
    'field defined twice',
    (d) => first(d).fields.push({ name: 'worker', label: 'Again', type: 'text' }),
    ['step first: field "worker" is defined twice'],
  ],
  [
    'choice without options',
    (d) => first(d).fields.push({ name: 'how', label: 'How', type: 'choice' }),
    ['step first: choice field "how" needs options'],
  ],
  [
    'options on a text field',
    (d) => first(d).fields.push({ name: 'note', label: 'Note', type: 'text', options: ['a'] }),
    ['step first: field "note" has options but is not a choice field'],
  ],
  [
    'setsAnchor on a non-date field',
    (d) => first(d).fields.push({ name: 'note', label: 'Note', type: 'text', setsAnchor: 'noted' }),
    ['step first: field "note" sets an anchor but is not a date field'],
  ],

  // Outcomes.
  [
    'no outcomes',
    (d) => (second(d).outcomes = []),
    [
      'step second: has no outcomes, so the protocol can never leave it',
      'step second: no path from here reaches an end',
    ],
  ],
  [
    'outcome defined twice',
    (d) => first(d).outcomes.push({ id: 'done', label: 'Also done', end: 'finished' }),
    ['step first: outcome "done" is defined twice'],
  ],
  [
    'outcome with both to and end',
    (d) => (first(d).outcomes[1].to = 'second'),
    ['step first: outcome "done" needs exactly one of "to" (a step) or "end" (a result)'],
  ],
  [
    'outcome with neither to nor end',
    (d) => delete second(d).outcomes[1].end,
    ['step second: outcome "done" needs exactly one of "to" (a step) or "end" (a result)'],
  ],
  [
    'outcome to an unknown step',
    (d) => first(d).outcomes.push({ id: 'lost', label: 'Lost', to: 'third' }),
    ['step first: outcome "lost" leads to unknown step "third"'],
  ],
  [
    'outcome requires an unknown field',
    (d) => first(d).outcomes[0].requires.push('nothing'),
    ['step first: outcome "next" requires unknown field "nothing"'],
  ],
  // requires names fields of the same step: the decision form only shows those.
  [
    'outcome requires another step’s field',
    (d) => (second(d).outcomes[0].requires = ['worker']),
    ['step second: outcome "back" requires unknown field "worker"'],
  ],

  // Deadlines.
  [
    'deadline from an unknown anchor',
    (d) => (second(d).deadline.from = 'decision'),
    ['step second: deadline counts from unknown anchor "decision" (known: step, started, request, meeting)'],
  ],

  // Overdue ladders.
  [
    'overdue without a deadline',
    (d) => {
      delete second(d).deadline;
      second(d).overdue = [{ action: 'remind' }];
    },
    ['step second: overdue rung 1 (remind): the step has no deadline, so it can never be overdue'],
  ],
  [
    'remind with a to',
    (d) => (first(d).overdue[0].to = 'line_manager'),
    ['step first: overdue rung 1 (remind): a reminder goes to the step\'s owner; remove "to"'],
  ],
  [
    'remind with an outcome',
    (d) => (first(d).overdue[0].outcome = 'next'),
    ['step first: overdue rung 1 (remind): only a move records an outcome; remove "outcome"'],
  ],
  [
    'escalate without a to',
    (d) => delete first(d).overdue[1].to,
    ['step first: overdue rung 2 (escalate): "to" must name who is escalated to'],
  ],
  [
    'escalate to an unknown role',
    (d) => (first(d).overdue[1].to = 'role:wizard'),
    [`step first: overdue rung 2 (escalate): unknown role "wizard" (known roles: ${roleList})`],
  ],
  [
    'escalate to a step id',
    (d) => (first(d).overdue[1].to = 'second'),
    [`step first: overdue rung 2 (escalate): ${unknownRef('second')}`],
  ],
  [
    'notify without a to',
    (d) => first(d).overdue.push({ action: 'notify' }),
    ['step first: overdue rung 3 (notify): "to" must name who is notified'],
  ],
  [
    'notify a missing user field',
    (d) => first(d).overdue.push({ action: 'notify', to: 'line_manager_of:advisor' }),
    ['step first: overdue rung 3 (notify): no user field called "advisor" is captured by any step'],
  ],
  [
    'move without a to',
    (d) => first(d).overdue.push({ action: 'move' }),
    ['step first: overdue rung 3 (move): "to" must name a step'],
  ],
  [
    'move to an unknown step',
    (d) => first(d).overdue.push({ action: 'move', to: 'third' }),
    ['step first: overdue rung 3 (move): "to" must name a step'],
  ],
  [
    'move to a role',
    (d) => first(d).overdue.push({ action: 'move', to: 'line_manager' }),
    ['step first: overdue rung 3 (move): "to" must name a step'],
  ],
  [
    'move recording an unknown outcome',
    (d) => first(d).overdue.push({ action: 'move', to: 'second', outcome: 'timed_out' }),
    ['step first: overdue rung 3 (move): outcome "timed_out" is not one of this step\'s outcomes'],
  ],
  [
    'move recording an outcome that ends',
    (d) => first(d).overdue.push({ action: 'move', to: 'second', outcome: 'done' }),
    ['step first: overdue rung 3 (move): outcome "done" leads to an end, not to "second"'],
  ],
  [
    'move recording an outcome that goes elsewhere',
    (d) => {
      d.steps.push(third());
      first(d).outcomes.push({ id: 'other', label: 'Other', to: 'third' });
      first(d).overdue.push({ action: 'move', to: 'second', outcome: 'other' });
    },
    ['step first: overdue rung 3 (move): outcome "other" leads to "third", not to "second"'],
  ],

  // Reachability and ends.
  ['unreachable step', (d) => d.steps.push(third()), ['step third: cannot be reached from the start step "first"']],
  [
    'a cycle with no way out',
    (d) => {
      second(d).outcomes = [{ id: 'on', label: 'On', to: 'third' }];
      d.steps.push(third([{ id: 'back', label: 'Back', to: 'second' }]));
    },
    ['step second: no path from here reaches an end', 'step third: no path from here reaches an end'],
  ],
  [
    'a step reached only by an overdue move still counts as reached',
    (d) => {
      d.steps.push(third([{ id: 'loop', label: 'Loop', to: 'third' }]));
      first(d).overdue.push({ action: 'move', to: 'third' });
    },
    ['step third: no path from here reaches an end'],
  ],
];
for (const [name, change, problems] of problemCases) {
  test(`problem: ${name}`, () => {
    const d = base();
    change(d);
    assert.deepEqual(validateProtocol(d), { ok: false, problems });
  });
}

test('many problems at once are all reported, each on its own line', () => {
  const d = base();
  d.start = 'nowhere';
  first(d).responsible = 'role:wizard';
  second(d).deadline.from = 'decision';
  second(d).overdue = [{ action: 'escalate' }];
  const v = validateProtocol(d);
  assert.equal(v.ok, false);
  assert.deepEqual(!v.ok && v.problems, [
    'protocol: start step "nowhere" does not exist',
    `step first: unknown role "wizard" (known roles: ${roleList})`,
    'step second: deadline counts from unknown anchor "decision" (known: step, started, request, meeting)',
    'step second: overdue rung 1 (escalate): "to" must name who is escalated to',
  ]);
});
