import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { cumbriaAdviceQuery } from '../../protocols/cumbria-advice-query.ts';
import { BUILT_IN_PROTOCOLS } from '../../protocols/index.ts';
import type { DeadlineDef, ProtocolDefinition } from './definition.ts';
import { deadlineWords, describeProtocolText, escapeXml, renderDiagram, wrap } from './diagram.ts';

/**
 * A small XML well-formedness check (no parser in the dependencies): one root element, tags balanced and
 * properly nested, attributes quoted, no duplicate attributes, and every & in text or attributes an entity.
 */
function assertWellFormed(xml: string): void {
  const entity = /^(?:[^&<]|&(?:amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);)*$/;
  const token = /<(\/?)([A-Za-z][\w:.-]*)((?:\s+[\w:.-]+="[^"]*")*)\s*(\/?)>|([^<]+)/y;
  const stack: string[] = [];
  let roots = 0;
  let pos = 0;
  while (pos < xml.length) {
    token.lastIndex = pos;
    const m = token.exec(xml);
    assert.ok(m, `not well-formed at ${pos}: ${JSON.stringify(xml.slice(pos, pos + 60))}`);
    pos = token.lastIndex;
    const [, closing, name, attrs, selfClosing, text] = m;
    if (text !== undefined) {
      assert.match(text, entity, `bad character data: ${JSON.stringify(text.slice(0, 60))}`);
      if (stack.length === 0) assert.match(text, /^\s*$/, 'text outside the root element');
      continue;
    }
    if (closing) {
      assert.equal(stack.pop(), name, `</${name}> closes the wrong element`);
      continue;
    }
    const names = [...(attrs ?? '').matchAll(/([\w:.-]+)="([^"]*)"/g)].map(([, n, value]) => {
      assert.match(value as string, entity, `bad attribute value in <${name}>: ${value}`);
      return n;
    });
    assert.equal(new Set(names).size, names.length, `duplicate attribute in <${name}>`);
    if (stack.length === 0) roots++;
    if (!selfClosing) stack.push(name as string);
  }
  assert.deepEqual(stack, [], 'unclosed elements');
  assert.equal(roots, 1, 'exactly one root element');
}

/** The rectangles of the boxes (start, steps, ends): each is the first rect in its <g>. */
function boxes(svg: string): { x: number; y: number; w: number; h: number }[] {
  return [
    ...svg.matchAll(
      /<g[^>]*><title>[^<]*<\/title><rect x="([-\d.]+)" y="([-\d.]+)" width="([\d.]+)" height="([\d.]+)"/g,
    ),
  ].map((m) => ({
    x: Number(m[1]),
    y: Number(m[2]),
    w: Number(m[3]),
    h: Number(m[4]),
  }));
}

function assertNoOverlap(svg: string): void {
  const list = boxes(svg);
  const [, width, height] = /viewBox="0 0 (\d+) (\d+)"/.exec(svg) ?? [];
  for (const [i, a] of list.entries()) {
    assert.ok(
      a.x >= 0 && a.y >= 0 && a.x + a.w <= Number(width) && a.y + a.h <= Number(height),
      'box inside the picture',
    );
    for (const b of list.slice(i + 1)) {
      const apart = a.x + a.w <= b.x || b.x + b.w <= a.x || a.y + a.h <= b.y || b.y + b.h <= a.y;
      assert.ok(apart, `boxes overlap: ${JSON.stringify(a)} and ${JSON.stringify(b)}`);
    }
  }
}

/** Text as it appears in the SVG, split into its wrapped lines: every line must be present, escaped. */
function assertShowsText(svg: string, text: string, max: number): void {
  for (const line of wrap(text, max))
    assert.ok(svg.includes(`>${escapeXml(line)}</text>`), `shows ${JSON.stringify(line)}`);
}

test('the diagram of every built-in protocol is well-formed SVG showing every step and outcome', () => {
  for (const def of BUILT_IN_PROTOCOLS) {
    const svg = renderDiagram(def);
    assertWellFormed(svg);
    assert.match(svg, /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" role="img" /);
    assert.ok(svg.includes(`<title id="ho-${def.id}-title">${escapeXml(def.title)}</title>`));
    for (const step of def.steps) {
      assertShowsText(svg, step.title, 28);
      assert.match(
        svg,
        new RegExp(`<g id="ho-${def.id}-step-${step.id}"><title>Step \\d+: `),
        `${step.id} is a group with its own title`,
      );
      for (const o of step.outcomes) assertShowsText(svg, o.label, 28);
      for (const o of step.outcomes) if (o.end) assert.ok(svg.includes(`End: ${o.end.replace(/_/g, ' ')}`));
    }
    assert.ok(svg.includes('>Start</text>'), 'the start is marked');
    assertNoOverlap(svg);
    // Standalone and inert: nothing to run, nothing fetched.
    assert.doesNotMatch(svg, /<script|<style|<foreignObject|\son\w+=|href="(?!#)|url\((?!#)/i);
  }
});

test('the diagram says what each box says: who, deadline in words, the overdue ladder', () => {
  const svg = renderDiagram(cumbriaAdviceQuery);
  for (const text of [
    'Line manager of whoever started it',
    'Due: 2 working days',
    'Overdue: remind → escalate to SEND',
    'Due: 5 working days from the follow',
    'Advice giver’s line manager',
    'End: advice accepted',
    'End: follow up closed',
  ]) {
    assert.ok(svg.includes(text), text);
  }
  // One shared end node per result, even when two steps end with it.
  assert.equal(svg.split('>End: follow up closed</text>').length - 1, 1);
  // One arrow per outcome and per overdue move, plus the one from the start marker.
  const arrows = cumbriaAdviceQuery.steps.reduce((n, s) => n + s.outcomes.length, 0) + 1;
  assert.equal(svg.split('marker-end=').length - 1, arrows);
});

test('the <desc> summarises the steps in order', () => {
  const svg = renderDiagram(cumbriaAdviceQuery);
  const desc = /<desc id="[^"]+">([^<]*)<\/desc>/.exec(svg)?.[1] ?? '';
  assert.ok(
    desc.startsWith(
      'EHCP advice query escalation (Cumbria), version 1: a flow diagram of 6 steps, starting with “Check the advice received”.',
    ),
  );
  let at = 0;
  for (const [i, s] of describeProtocolText(cumbriaAdviceQuery).entries()) {
    const next = desc.indexOf(`Step ${i + 1}: ${escapeXml(s.title)}.`);
    assert.ok(next > at, `step ${i + 1} follows step ${i}`);
    at = next;
  }
  assert.ok(
    desc.includes(
      'Outcomes: The advice is clear and complete → End: advice accepted; The advice is unclear or incomplete → Discuss the advice with your line manager.',
    ),
  );
});

test('the same definition always gives the same bytes', () => {
  for (const def of BUILT_IN_PROTOCOLS) {
    const once = renderDiagram(def);
    assert.equal(renderDiagram(structuredClone(def)), once);
    assert.equal(renderDiagram(JSON.parse(JSON.stringify(def))), once);
  }
});

test('hostile text is escaped everywhere it appears', () => {
  const evil = `<script>alert("x")</script> & 'quotes' ]]> <!--`;
  const def: ProtocolDefinition = {
    id: 'evil',
    version: 1,
    title: evil,
    start: 'one',
    steps: [
      {
        id: 'one',
        title: evil,
        responsible: 'service:Tom & Jerry <Services>',
        fields: [{ name: 'who', label: `Who "exactly" <b>`, type: 'user' }],
        deadline: { workingDays: 3, from: 'x<y' },
        outcomes: [
          { id: 'a', label: evil, to: 'two' },
          { id: 'b', label: 'Stop', end: `<end & "done">` },
        ],
      },
      {
        id: 'two',
        title: 'Two',
        responsible: 'line_manager_of:who',
        outcomes: [{ id: 'back', label: `Back <again>`, to: 'one' }],
      },
    ],
  };
  const svg = renderDiagram(def);
  assertWellFormed(svg);
  assert.doesNotMatch(svg, /<script|<b>|<again>|<Services>|<!--|"exactly"/);
  assert.ok(svg.includes('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &apos;quotes&apos;'));
  assert.ok(svg.includes('Tom &amp; Jerry &lt;Services&gt;'));
  assert.ok(svg.includes('Back &lt;again&gt;'));
  assert.ok(svg.includes('End: &lt;end &amp; &quot;done&quot;&gt;'));
  // Ids are never valid like this, but the drawing still cannot be broken by them.
  const badIds = JSON.parse(JSON.stringify(def).replaceAll('"one"', '"o\\"n<e"').replace('"evil"', '"e\\"v>il"'));
  assert.equal(badIds.steps[0].id, 'o"n<e');
  assertWellFormed(renderDiagram(badIds));
  // Characters XML cannot hold at all are dropped rather than breaking the file.
  assertWellFormed(renderDiagram({ ...def, title: 'Bell\u0007 and lone surrogate \uD800 and form feed \u000C' }));
});

test('long titles are wrapped into lines of about 28 characters', () => {
  const title = 'Decide whether the receiving team accepts the transfer of the case and its open actions';
  const def: ProtocolDefinition = {
    id: 'long',
    version: 1,
    title: 'Long',
    start: 'only',
    steps: [{ id: 'only', title, responsible: 'team_manager', outcomes: [{ id: 'done', label: 'Done', end: 'done' }] }],
  };
  const svg = renderDiagram(def);
  const lines = wrap(title, 28);
  assert.ok(lines.length >= 3);
  for (const line of lines) {
    assert.ok(line.length <= 28, line);
    assert.ok(svg.includes(`font-weight="bold" fill="#0b0c0c">${line}</text>`), line);
  }
  assert.equal(lines.join(' '), title);
  assert.deepEqual(wrap('a-very-long-identifier-with-no-spaces-at-all-in-it', 20), [
    'a-very-long-identifi',
    'er-with-no-spaces-at',
    '-all-in-it',
  ]);
  assert.deepEqual(wrap('', 28), ['']);
});

test('deadlines in words', () => {
  const cases: [DeadlineDef, string][] = [
    [{ workingDays: 5 }, '5 working days'],
    [{ workingDays: 1 }, '1 working day'],
    [{ workingDays: 5, from: 'step' }, '5 working days'],
    [{ workingDays: 5, from: 'follow_up_email' }, '5 working days from the follow up email'],
    [{ weeks: 20, from: 'request', source: 'SEND Regulations 2014 reg 13(2)' }, '20 weeks from the request'],
    [{ weeks: 1 }, '1 week'],
    [{ days: 15 }, '15 days'],
    [{ days: 15, from: 'started' }, '15 days from the start of the protocol'],
    [{ days: 15, beginningWith: true }, '15 days beginning with the day the step starts'],
    [
      { days: 15, beginningWith: true, from: 'service_of_the_draft_plan' },
      '15 days beginning with the day of the service of the draft plan',
    ],
  ];
  for (const [deadline, words] of cases) assert.equal(deadlineWords(deadline), words, JSON.stringify(deadline));
});

test('the text outline lists the steps in the order a case meets them, with where each outcome leads', () => {
  const outline = describeProtocolText(cumbriaAdviceQuery);
  assert.deepEqual(
    outline.map((s) => s.id),
    [
      'review_advice',
      'discuss_with_line_manager',
      'contact_advice_giver',
      'log_follow_up',
      'await_updated_advice',
      'line_manager_completes',
    ],
  );
  assert.deepEqual(outline[1], {
    id: 'discuss_with_line_manager',
    title: 'Discuss the advice with your line manager',
    responsible: 'Line manager of whoever started it',
    deadline: '2 working days',
    deadlineSource: 'Cumbria advice query protocol step 2 ("as soon as possible"; 2 working days chosen locally)',
    overdue: ['remind', 'escalate to SEND manager 1 working day later'],
    outcomes: [
      { id: 'use_initial', label: 'Use the initial advice as it is', next: 'End: initial advice used' },
      {
        id: 'option_1',
        label: 'Option 1: contact the advice giver about a small point',
        next: 'Contact the advice giver about the small point',
      },
      {
        id: 'option_2',
        label: 'Option 2: log a follow-up to the advice giver and their manager',
        next: 'Log the follow-up email to the advice giver and their manager',
      },
    ],
  });
  assert.deepEqual(outline[4], {
    id: 'await_updated_advice',
    title: 'Return the updated advice',
    responsible: 'Advice giver',
    deadline: '5 working days from the follow up email',
    deadlineSource: 'Cumbria advice query protocol step 3, Option 2',
    overdue: ['remind', 'escalate to advice giver’s line manager', 'notify SEND manager 2 working days later'],
    outcomes: [
      { id: 'received', label: 'Updated advice received: close the follow-up', next: 'End: follow up closed' },
      {
        id: 'giver_away',
        label: 'The advice giver is away: their line manager takes it on',
        next: 'Make sure the updated advice is returned',
      },
    ],
  });
  assert.equal(outline[0]?.deadline, null);
  assert.deepEqual(outline[0]?.overdue, []);
});

test('the outline words every kind of responsible role and overdue rung', () => {
  const def: ProtocolDefinition = {
    id: 'words',
    version: 1,
    title: 'Words',
    start: 'a',
    steps: [
      {
        id: 'a',
        title: 'A',
        responsible: 'allocated_worker',
        fields: [{ name: 'chair', label: 'Forum chair for this case', type: 'user' }],
        deadline: { days: 3 },
        overdue: [
          { action: 'remind' },
          { action: 'notify', to: 'service:Adult Social Care', after: { days: 0 } },
          { action: 'escalate', to: 'field:chair', after: { days: 2 } },
          { action: 'move', to: 'b', after: { workingDays: 10 } },
        ],
        outcomes: [{ id: 'on', label: 'On', to: 'b' }],
      },
      { id: 'b', title: 'B', responsible: 'role:send_manager', outcomes: [{ id: 'done', label: 'Done', end: 'done' }] },
    ],
  };
  const [a, b] = describeProtocolText(def);
  assert.deepEqual(a?.overdue, [
    'remind',
    'notify Adult Social Care',
    'escalate to forum chair for this case 2 days later',
    'move on to “B” 10 working days later',
  ]);
  assert.equal(b?.responsible, 'SEND manager');
  const who = (ref: string) =>
    describeProtocolText({
      ...def,
      steps: [
        { ...(def.steps[0] as ProtocolDefinition['steps'][number]), responsible: ref },
        def.steps[1] as ProtocolDefinition['steps'][number],
      ],
    })[0]?.responsible;
  assert.equal(who('line_manager'), 'Line manager');
  assert.equal(who('starter'), 'Whoever started it');
  assert.equal(who('starter_line_manager'), 'Line manager of whoever started it');
  assert.equal(who('service_lead'), 'Service lead');
  assert.equal(who('line_manager_of:chair'), 'Forum chair for this case’s line manager');
  // The overdue move is drawn as a dashed arrow of its own.
  const svg = renderDiagram(def);
  assert.equal(svg.split('stroke-dasharray="6 4"').length - 1, 1);
  assert.ok(svg.includes('>If overdue</text>'));
});

test('any graph, even an invalid one, draws as well-formed SVG with no overlapping boxes, the same each time', () => {
  const graph = fc.integer({ min: 1, max: 9 }).chain((n) =>
    fc.record({
      start: fc.integer({ min: 0, max: n }),
      steps: fc.array(
        fc.record({
          title: fc.string({ unit: 'binary', maxLength: 70 }),
          outcomes: fc.array(
            fc.oneof(fc.integer({ min: 0, max: n - 1 }), fc.constantFrom('done', 'stopped', 'withdrawn')),
            { maxLength: 4 },
          ),
          move: fc.option(fc.integer({ min: 0, max: n - 1 }), { nil: undefined }),
        }),
        { minLength: n, maxLength: n },
      ),
    }),
  );
  fc.assert(
    fc.property(graph, ({ start, steps }) => {
      const def: ProtocolDefinition = {
        id: 'random',
        version: 1,
        title: 'Random',
        start: `s${start}`,
        steps: steps.map((s, i) => ({
          id: `s${i}`,
          title: s.title || `Step ${i}`,
          responsible: 'allocated_worker',
          deadline: { workingDays: 1 },
          overdue: s.move === undefined ? [] : [{ action: 'move' as const, to: `s${s.move}` }],
          outcomes: s.outcomes.map((o, k) =>
            typeof o === 'number'
              ? { id: `o${k}`, label: `To ${o}`, to: `s${o}` }
              : { id: `o${k}`, label: `End ${o}`, end: o },
          ),
        })),
      };
      const svg = renderDiagram(def);
      assertWellFormed(svg);
      assertNoOverlap(svg);
      assert.equal(renderDiagram(def), svg);
      assert.doesNotMatch(svg, /NaN|Infinity|undefined/);
    }),
    { numRuns: 150, seed: 20261122 },
  );
});
