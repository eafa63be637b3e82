// Draws a protocol as a flow diagram from the same definition the engine runs (style.md point 8), so the
// picture cannot drift from the behaviour; and gives the same content as an ordered outline, the text
// alternative shown beside the picture.
//
// The layout is a small layered ("Sugiyama") drawing: steps are put in layers by their longest path from the
// start, edges that jump layers get invisible waypoints, every edge label is a node of its own (so labels
// never sit on boxes or on each other), the order within each layer is improved by barycentre sweeps, and
// x positions are pulled towards neighbours without ever overlapping. Edges back to an earlier layer (loops)
// climb on their own waypoints beside the boxes in between, leaving the lower box from its top and entering
// the earlier one from below; a step's arrow back to itself loops out of its right-hand side. Everything is
// computed, not random, so the same definition always gives the same bytes. Text widths are estimates (no
// font metrics without a browser), erring wide.
import { isRole, ROLES } from '../roles.ts';
import { anchorLabel } from './deadline.ts';
import type { DeadlineDef, OverdueRung, ProtocolDefinition, StepDef } from './definition.ts';

/** One step of the outline: what the diagram's box says, in words, in the order a case meets the steps. */
export interface StepOutline {
  id: string;
  title: string;
  /** Who is responsible, in words: "Line manager", "SEND manager", "Advice giver’s line manager". */
  responsible: string;
  /** "5 working days", "20 weeks from the request", or null when the step has no deadline. */
  deadline: string | null;
  /** Where the deadline comes from, when the protocol says ("SEND Regulations 2014 reg 13(2)"). */
  deadlineSource: string | null;
  /** The overdue ladder, one rung each: "remind", "escalate to line manager 1 working day later". */
  overdue: string[];
  outcomes: {
    id: string;
    label: string;
    /** The next step's title, or "End: <result>". */
    next: string;
  }[];
}

// ---- words -------------------------------------------------------------------------------------------

function plural(n: number, unit: string): string {
  return `${n} ${unit}${n === 1 ? '' : 's'}`;
}

/** The deadline in words, as the step's box and the outline show it. */
export function deadlineWords(d: DeadlineDef): string {
  const from = d.from && d.from !== 'step' ? d.from : null;
  if ('workingDays' in d) return `${plural(d.workingDays, 'working day')}${from ? ` from ${anchorLabel(from)}` : ''}`;
  if ('weeks' in d) return `${plural(d.weeks, 'week')}${from ? ` from ${anchorLabel(from)}` : ''}`;
  if (d.beginningWith)
    return `${plural(d.days, 'day')} beginning with ${from ? `the day of ${anchorLabel(from)}` : 'the day the step starts'}`;
  return `${plural(d.days, 'day')}${from ? ` from ${anchorLabel(from)}` : ''}`;
}

const RELATIVE_WORDS: Record<string, string> = {
  allocated_worker: 'allocated worker',
  line_manager: 'line manager',
  team_manager: 'team manager',
  service_manager: 'service manager',
  service_lead: 'service lead',
  forum_chair: 'forum chair',
  starter: 'whoever started it',
  starter_line_manager: 'line manager of whoever started it',
  receiving_team_manager: 'team manager of the receiving team',
};

/** "Advice giver" → "advice giver", but "SENCO" stays "SENCO". */
function lowerFirst(s: string): string {
  return /^[A-Z][a-z]/.test(s) ? s[0]!.toLowerCase() + s.slice(1) : s;
}

function upperFirst(s: string): string {
  return s ? s[0]!.toUpperCase() + s.slice(1) : s;
}

function userFieldLabels(def: ProtocolDefinition): Map<string, string> {
  const labels = new Map<string, string>();
  for (const s of def.steps)
    for (const f of s.fields ?? []) if (f.type === 'user' && !labels.has(f.name)) labels.set(f.name, f.label);
  return labels;
}

/** A responsible reference in words, lower case to sit inside a sentence: "escalate to line manager". */
function whoWords(ref: string, fields: Map<string, string>): string {
  const relative = RELATIVE_WORDS[ref];
  if (relative) return relative;
  const fieldLabel = (name: string) => lowerFirst(fields.get(name) ?? name.replace(/_/g, ' '));
  if (ref.startsWith('role:')) {
    const role = ref.slice(5);
    return isRole(role) ? lowerFirst(ROLES[role].label) : role.replace(/_/g, ' ');
  }
  if (ref.startsWith('service:')) return ref.slice(8);
  if (ref.startsWith('field:')) return fieldLabel(ref.slice(6));
  if (ref.startsWith('line_manager_of:')) return `${fieldLabel(ref.slice(16))}’s line manager`;
  return ref.replace(/_/g, ' ');
}

function rungWords(rung: OverdueRung, fields: Map<string, string>, titleOf: (id: string) => string): string {
  const what =
    rung.action === 'remind'
      ? 'remind'
      : rung.action === 'move'
        ? `move on to “${titleOf(rung.to ?? '')}”`
        : `${rung.action === 'escalate' ? 'escalate to' : 'notify'} ${whoWords(rung.to ?? '', fields)}`;
  const n = rung.after ? ('workingDays' in rung.after ? rung.after.workingDays : rung.after.days) : 0;
  if (!rung.after || n === 0) return what;
  return `${what} ${plural(n, 'workingDays' in rung.after ? 'working day' : 'day')} later`;
}

/** An end result as people read it: "follow_up_closed" → "End: follow up closed". */
function endWords(result: string): string {
  return `End: ${result.replace(/_/g, ' ')}`;
}

/** Steps in the order a case meets them: breadth first from the start, then any the start cannot reach. */
function stepOrder(def: ProtocolDefinition, byId: Map<string, StepDef>): StepDef[] {
  const seen = new Set<string>();
  const order: StepDef[] = [];
  const queue = byId.has(def.start) ? [def.start] : [];
  if (queue.length) seen.add(def.start);
  while (queue.length) {
    const s = byId.get(queue.shift() as string) as StepDef;
    order.push(s);
    const next = [
      ...s.outcomes.map((o) => o.to),
      ...(s.overdue ?? []).map((r) => (r.action === 'move' ? r.to : undefined)),
    ];
    for (const id of next) {
      if (id !== undefined && byId.has(id) && !seen.has(id)) {
        seen.add(id);
        queue.push(id);
      }
    }
  }
  for (const s of byId.values()) if (!seen.has(s.id)) order.push(s);
  return order;
}

function stepsById(def: ProtocolDefinition): Map<string, StepDef> {
  const byId = new Map<string, StepDef>();
  for (const s of def.steps) if (!byId.has(s.id)) byId.set(s.id, s);
  return byId;
}

/** The protocol as an ordered outline: step → outcomes → next. The accessible alternative to the diagram. */
export function describeProtocolText(def: ProtocolDefinition): StepOutline[] {
  const byId = stepsById(def);
  const fields = userFieldLabels(def);
  const titleOf = (id: string) => byId.get(id)?.title ?? `unknown step ${id}`;
  return stepOrder(def, byId).map((s) => ({
    id: s.id,
    title: s.title,
    responsible: s.responsible ? upperFirst(whoWords(s.responsible, fields)) : 'Nobody (no responsible role set)',
    deadline: s.deadline ? deadlineWords(s.deadline) : null,
    deadlineSource: s.deadline?.source ?? null,
    overdue: (s.overdue ?? []).map((r) => rungWords(r, fields, titleOf)),
    outcomes: s.outcomes.map((o) => ({
      id: o.id,
      label: o.label,
      next: o.to !== undefined ? titleOf(o.to) : endWords(o.end ?? ''),
    })),
  }));
}

/** One sentence per step, for the SVG's <desc> and each box's <title>. */
function stepSentence(n: number, s: StepOutline): string {
  const parts = [`Step ${n}: ${s.title}.`, `Responsible: ${s.responsible}.`];
  if (s.deadline) parts.push(`Deadline: ${s.deadline}.`);
  if (s.overdue.length) parts.push(`When overdue: ${s.overdue.join(', then ')}.`);
  if (s.outcomes.length) parts.push(`Outcomes: ${s.outcomes.map((o) => `${o.label} → ${o.next}`).join('; ')}.`);
  return parts.join(' ');
}

// ---- text and XML ------------------------------------------------------------------------------------

/** Escapes text for XML content and attributes, dropping characters XML 1.0 cannot hold at all. */
export function escapeXml(text: string): string {
  return (
    text
      // biome-ignore lint/suspicious/noControlCharactersInRegex: these are exactly the characters XML forbids
      .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, '')
      .replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '')
      .replace(/&/g, '&amp;')
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;')
      .replace(/"/g, '&quot;')
      .replace(/'/g, '&apos;')
  );
}

/** Wraps text into lines of at most `max` characters, breaking at spaces (and inside over-long words). */
export function wrap(text: string, max: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (let word of text.trim().split(/\s+/)) {
    while (word.length > max) {
      if (line) lines.push(line);
      line = '';
      lines.push(word.slice(0, max));
      word = word.slice(max);
    }
    if (!line) line = word;
    else if (line.length + 1 + word.length <= max) line += ` ${word}`;
    else {
      lines.push(line);
      line = word;
    }
  }
  if (line || lines.length === 0) lines.push(line);
  return lines;
}

/** Numbers for attributes: one decimal place at most, never "-0". */
function num(v: number): string {
  const r = Math.round(v * 10) / 10;
  return String(r === 0 ? 0 : r);
}

// ---- layout ------------------------------------------------------------------------------------------

const FONT = 'Arial, Helvetica, sans-serif';
const INK = '#0b0c0c';
const SECONDARY = '#505a5f';
const OVERDUE_INK = '#942514';
const END_FILL = '#f3f2f1';
const LINE = '#505a5f';

/** Estimated advance width of one character: generous, so text stays inside its box. */
const charWidth = (fontSize: number) => fontSize * 0.6;

const STEP_WIDTH = 248;
const STEP_PAD = 12;
const TITLE = { size: 13, line: 17, chars: 28 };
const META = { size: 11, line: 14, chars: 36 };
const LABEL = { size: 11, line: 13, chars: 28 };
const END = { size: 12, line: 15, chars: 28 };
const MARGIN = 20;
/** Space between a layer of boxes and the labels above and below it, where lines bend. */
const GAP = 22;
/** How far a step's arrow back to itself bulges out of its right-hand side. */
const SELF_LOOP = 36;

type Kind = 'start' | 'step' | 'end' | 'label' | 'dummy';

interface Node {
  key: string;
  kind: Kind;
  rank: number;
  w: number;
  h: number;
  /** Room kept free to the right of the box, for arrows from a step back to itself and their labels. */
  padRight: number;
  /** Centre x, then top y once placed. */
  x: number;
  y: number;
  /** Tie-break for the initial order: discovery order. */
  seq: number;
  preds: Node[];
  succs: Node[];
  lines: string[];
}

interface Edge {
  index: number;
  from: string;
  to: string;
  label: string;
  dashed: boolean;
  /** Goes back to a step already on the path here (a loop): drawn upwards. */
  back: boolean;
  /** The nodes the line runs through, top to bottom, whichever way the arrow points. */
  chain: Node[];
}

/** Where an edge's line runs through a node: label nodes carry the line on their left, text to its right. */
const lineX = (n: Node) => (n.kind === 'label' ? n.x - n.w / 2 + 4 : n.x);

const textWidth = (lines: string[], size: number) => Math.max(0, ...lines.map((l) => l.length)) * charWidth(size);

function separation(a: Node, b: Node): number {
  const thin = (n: Node) => n.kind === 'dummy' || n.kind === 'label';
  return a.w / 2 + a.padRight + b.w / 2 + (thin(a) || thin(b) ? 16 : 40);
}

/**
 * Moves a layer's nodes as close as possible (least squares) to where their neighbours want them, keeping
 * their order and spacing: isotonic regression by pool-adjacent-violators on x minus the spacing so far.
 */
function placeRow(row: Node[], desired: number[]): void {
  const offset: number[] = [];
  for (let i = 0; i < row.length; i++)
    offset.push(i === 0 ? 0 : (offset[i - 1] as number) + separation(row[i - 1] as Node, row[i] as Node));
  const blocks: { sum: number; count: number }[] = [];
  for (let i = 0; i < row.length; i++) {
    blocks.push({ sum: (desired[i] as number) - (offset[i] as number), count: 1 });
    while (blocks.length > 1) {
      const last = blocks[blocks.length - 1] as { sum: number; count: number };
      const prev = blocks[blocks.length - 2] as { sum: number; count: number };
      if (prev.sum / prev.count <= last.sum / last.count) break;
      prev.sum += last.sum;
      prev.count += last.count;
      blocks.pop();
    }
  }
  let i = 0;
  for (const b of blocks) {
    for (let k = 0; k < b.count; k++, i++) (row[i] as Node).x = b.sum / b.count + (offset[i] as number);
  }
}

function crossings(rows: Node[][]): number {
  let count = 0;
  const pos = new Map<Node, number>();
  for (const row of rows) for (const [i, n] of row.entries()) pos.set(n, i);
  for (const row of rows) {
    const links: [number, number][] = [];
    for (const a of row) for (const b of a.succs) links.push([pos.get(a) as number, pos.get(b) as number]);
    for (let i = 0; i < links.length; i++) {
      for (let j = i + 1; j < links.length; j++) {
        const [a1, b1] = links[i] as [number, number];
        const [a2, b2] = links[j] as [number, number];
        if ((a1 - a2) * (b1 - b2) < 0) count++;
      }
    }
  }
  return count;
}

/** Reorders one layer by the mean position of each node's neighbours in the layer before (or after). */
function sweepRow(row: Node[], neighbours: (n: Node) => Node[], pos: Map<Node, number>): Node[] {
  const key = new Map<Node, number>();
  row.forEach((n, i) => {
    const ns = neighbours(n);
    key.set(n, ns.length ? ns.reduce((sum, m) => sum + (pos.get(m) as number), 0) / ns.length : i);
  });
  return row
    .map((n, i) => ({ n, i }))
    .sort((a, b) => (key.get(a.n) as number) - (key.get(b.n) as number) || a.i - b.i)
    .map(({ n }) => n);
}

/** Barycentre sweeps down and up, keeping the order with the fewest crossings. */
function orderRows(rows: Node[][]): Node[][] {
  let best = rows.map((r) => [...r]);
  let bestCount = crossings(best);
  const current = best.map((r) => [...r]);
  const pos = new Map<Node, number>();
  for (const row of current) for (const [i, n] of row.entries()) pos.set(n, i);
  for (let iteration = 0; iteration < 8 && bestCount > 0; iteration++) {
    const down = iteration % 2 === 0;
    const indices = current.map((_, i) => i);
    for (const r of down ? indices.slice(1) : indices.slice(0, -1).reverse()) {
      const row = sweepRow(current[r] as Node[], (n) => (down ? n.preds : n.succs), pos);
      for (const [i, n] of row.entries()) pos.set(n, i);
      current[r] = row;
    }
    const count = crossings(current);
    if (count < bestCount) {
      best = current.map((r) => [...r]);
      bestCount = count;
    }
  }
  return best;
}

/** x positions: packed, then pulled towards neighbours above and below, never overlapping. */
function positionRows(rows: Node[][]): void {
  for (const row of rows) {
    let x = 0;
    row.forEach((n, i) => {
      if (i > 0) x += separation(row[i - 1] as Node, n);
      n.x = x;
    });
    const shift = x / 2;
    for (const n of row) n.x -= shift;
  }
  const pull = (row: Node[], neighbours: (n: Node) => Node[]) =>
    placeRow(
      row,
      row.map((n) => {
        const ns = neighbours(n);
        if (!ns.length) return n.x;
        const target = ns.reduce((sum, m) => sum + lineX(m), 0) / ns.length;
        return target - (lineX(n) - n.x);
      }),
    );
  for (let round = 0; round < 4; round++) {
    for (const row of rows.slice(1)) pull(row, (n) => n.preds);
    for (const row of rows.slice(0, -1).reverse()) pull(row, (n) => n.succs);
  }
  for (let round = 0; round < 2; round++) for (const row of rows) pull(row, (n) => [...n.preds, ...n.succs]);
}

/**
 * Long edges: line up the waypoints on one x where that fits, so the line runs straight down; where it does
 * not, each waypoint joins the straight run above it when it can, so the line only bends where it must.
 */
function straighten(edges: Edge[], rows: Node[][]): void {
  const where = new Map<Node, { row: Node[]; i: number }>();
  for (const row of rows) for (const [i, n] of row.entries()) where.set(n, { row, i });
  const fits = (n: Node, c: number) => {
    const { row, i } = where.get(n) as { row: Node[]; i: number };
    const x = c - (lineX(n) - n.x);
    const left = row[i - 1];
    const right = row[i + 1];
    return (
      (!left || x - left.x >= separation(left, n) - 0.01) && (!right || right.x - x >= separation(n, right) - 0.01)
    );
  };
  const move = (n: Node, c: number) => {
    n.x = c - (lineX(n) - n.x);
  };
  for (const e of edges) {
    const inner = e.chain.slice(1, -1);
    if (inner.length < 2) continue;
    const xs = inner.map(lineX).sort((a, b) => a - b);
    const median = xs[Math.floor(xs.length / 2)] as number;
    const candidates = [
      ...new Set([...xs, lineX(e.chain[0] as Node), lineX(e.chain[e.chain.length - 1] as Node)]),
    ].sort((a, b) => Math.abs(a - median) - Math.abs(b - median) || a - b);
    const c = candidates.find((x) => inner.every((n) => fits(n, x)));
    if (c !== undefined) {
      for (const n of inner) move(n, c);
      continue;
    }
    let run = lineX(inner[0] as Node);
    for (const n of inner.slice(1)) {
      if (fits(n, run)) move(n, run);
      else run = lineX(n);
    }
  }
}

// ---- drawing -----------------------------------------------------------------------------------------

interface Point {
  x: number;
  y: number;
  /** The line reaches this point straight down from the one before (through a label or waypoint). */
  straight?: boolean;
}

/** Curves between layers (vertical at both ends, so lines leave and enter boxes square), straight within. */
function smoothPath(points: Point[]): string {
  const first = points[0] as Point;
  let d = `M${num(first.x)},${num(first.y)}`;
  for (let i = 1; i < points.length; i++) {
    const p = points[i - 1] as Point;
    const q = points[i] as Point;
    if (q.straight || p.x === q.x) d += ` L${num(q.x)},${num(q.y)}`;
    else {
      const my = (p.y + q.y) / 2;
      d += ` C${num(p.x)},${num(my)} ${num(q.x)},${num(my)} ${num(q.x)},${num(q.y)}`;
    }
  }
  return d;
}

function textLines(lines: string[], x: number, y: number, lineHeight: number, attrs: string): string {
  return lines
    .map((line, i) => `<text x="${num(x)}" y="${num(y + i * lineHeight)}" ${attrs}>${escapeXml(line)}</text>`)
    .join('');
}

/**
 * The protocol as a standalone SVG: a box per step (title, who, deadline, overdue ladder), an arrow per
 * outcome labelled with it (dashed: an overdue rung that moves the case on), "End: …" nodes for results,
 * and the start marked. No scripts and no style sheet (presentation attributes only, which a content
 * security policy allows when the SVG is inlined in a page). The same definition gives the same bytes.
 */
export function renderDiagram(def: ProtocolDefinition): string {
  // Element ids, unique on a page that shows one diagram; made safe even for a definition that is not valid.
  const safe = (id: string) => id.replace(/[^a-zA-Z0-9_-]/g, '-');
  const prefix = `ho-${safe(def.id)}`;
  const byId = stepsById(def);
  const outline = describeProtocolText(def);
  const outlineById = new Map(outline.map((o) => [o.id, o]));

  // Nodes: the start marker, the steps and one per distinct end result. Edges in definition order.
  const nodes = new Map<string, Node>();
  const node = (key: string, kind: Kind, w: number, h: number, lines: string[]): Node => {
    const n: Node = { key, kind, rank: 0, w, h, padRight: 0, x: 0, y: 0, seq: 0, preds: [], succs: [], lines };
    nodes.set(key, n);
    return n;
  };
  const stepMeta = (o: StepOutline) => [
    { lines: wrap(o.responsible, META.chars), fill: SECONDARY },
    ...(o.deadline ? [{ lines: wrap(`Due: ${o.deadline}`, META.chars), fill: INK }] : []),
    ...(o.overdue.length ? [{ lines: wrap(`Overdue: ${o.overdue.join(' → ')}`, META.chars), fill: OVERDUE_INK }] : []),
  ];
  const hasStart = byId.has(def.start);
  if (hasStart) node('start', 'start', 64, 26, ['Start']);
  for (const s of byId.values()) {
    const lines = wrap(s.title, TITLE.chars);
    const metaLines = stepMeta(outlineById.get(s.id) as StepOutline).reduce((sum, m) => sum + m.lines.length, 0);
    node(`s:${s.id}`, 'step', STEP_WIDTH, STEP_PAD * 2 + lines.length * TITLE.line + 4 + metaLines * META.line, lines);
  }
  const edges: Edge[] = [];
  const out = new Map<string, Edge[]>();
  const addEdge = (from: string, to: string, label: string, dashed: boolean) => {
    const e: Edge = { index: edges.length, from, to, label, dashed, back: false, chain: [] };
    edges.push(e);
    out.set(from, [...(out.get(from) ?? []), e]);
  };
  if (hasStart) addEdge('start', `s:${def.start}`, '', false);
  for (const s of byId.values()) {
    for (const o of s.outcomes) {
      if (o.to !== undefined) {
        if (byId.has(o.to)) addEdge(`s:${s.id}`, `s:${o.to}`, o.label, false);
      } else if (o.end !== undefined) {
        const key = `e:${o.end}`;
        if (!nodes.has(key)) {
          const lines = wrap(endWords(o.end), END.chars);
          node(
            key,
            'end',
            Math.min(STEP_WIDTH, Math.max(120, textWidth(lines, END.size) + 28)),
            lines.length * END.line + 14,
            lines,
          );
        }
        addEdge(`s:${s.id}`, key, o.label, false);
      }
    }
    for (const r of s.overdue ?? []) {
      if (r.action === 'move' && r.to !== undefined && byId.has(r.to))
        addEdge(`s:${s.id}`, `s:${r.to}`, 'If overdue', true);
    }
  }

  // Depth first from the start (then from any step it cannot reach): an edge to a node still on the stack
  // closes a loop. The rest form an acyclic graph, layered by longest path so every arrow points down.
  const state = new Map<string, 'open' | 'done'>();
  const postorder: string[] = [];
  let seq = 0;
  const visit = (key: string) => {
    state.set(key, 'open');
    (nodes.get(key) as Node).seq = seq++;
    for (const e of out.get(key) ?? []) {
      const st = state.get(e.to);
      if (st === 'open') e.back = true;
      else if (st === undefined) visit(e.to);
    }
    state.set(key, 'done');
    postorder.push(key);
  };
  if (hasStart) visit('start');
  for (const s of byId.values()) if (!state.has(`s:${s.id}`)) visit(`s:${s.id}`);
  const layer = new Map<string, number>();
  for (const key of nodes.keys()) layer.set(key, key === 'start' ? 0 : 1);
  for (const key of [...postorder].reverse()) {
    for (const e of out.get(key) ?? []) {
      if (!e.back) layer.set(e.to, Math.max(layer.get(e.to) as number, (layer.get(key) as number) + 1));
    }
  }
  for (const n of nodes.values()) n.rank = 2 * (layer.get(n.key) as number);

  // Each edge becomes a chain through the ranks between its ends: a label node (just below where a forward
  // edge leaves, just above where a loop leaves) and invisible waypoints, so lines and labels get places of
  // their own and never cross a box. A step's arrows back to itself loop out of its right-hand side.
  const selfLoops = new Map<Node, Edge[]>();
  let extra = 0;
  for (const e of edges) {
    const from = nodes.get(e.from) as Node;
    const to = nodes.get(e.to) as Node;
    if (from === to) {
      const loops = [...(selfLoops.get(from) ?? []), e];
      selfLoops.set(from, loops);
      const labelWidth = Math.max(...loops.map((l) => textWidth(wrap(l.label, LABEL.chars), LABEL.size)));
      from.padRight = SELF_LOOP + 16 * (loops.length - 1) + labelWidth + 4;
      continue;
    }
    const [upper, lower] = e.back ? [to, from] : [from, to];
    const labelRank = e.back ? lower.rank - 1 : upper.rank + 1;
    const chain = [upper];
    for (let r = upper.rank + 1; r < lower.rank; r++) {
      const labelled = r === labelRank && e.label !== '';
      const lines = labelled ? wrap(e.label, LABEL.chars) : [];
      const n = node(
        `x:${extra++}`,
        labelled ? 'label' : 'dummy',
        labelled ? textWidth(lines, LABEL.size) + 14 : 0,
        labelled ? lines.length * LABEL.line + 4 : 0,
        lines,
      );
      n.rank = r;
      n.seq = upper.seq + (e.index + 1) / (edges.length + 1);
      chain.push(n);
    }
    chain.push(lower);
    for (let i = 1; i < chain.length; i++) {
      (chain[i - 1] as Node).succs.push(chain[i] as Node);
      (chain[i] as Node).preds.push(chain[i - 1] as Node);
    }
    e.chain = chain;
  }
  const drawn = edges.filter((e) => e.chain.length > 0);

  const rankCount = Math.max(0, ...[...nodes.values()].map((n) => n.rank)) + 1;
  const rows: Node[][] = Array.from({ length: rankCount }, () => []);
  for (const n of [...nodes.values()].sort((a, b) => a.seq - b.seq)) (rows[n.rank] as Node[]).push(n);
  const ordered = orderRows(rows);
  positionRows(ordered);
  straighten(drawn, ordered);

  // Vertical: ranks stacked; boxes centred in theirs; waypoints run the full height of theirs.
  const rankTop: number[] = [];
  const rankHeight: number[] = [];
  let y = MARGIN;
  ordered.forEach((row, r) => {
    if (r > 0) y += GAP;
    rankTop[r] = y;
    rankHeight[r] = Math.max(r % 2 === 0 ? 0 : 12, ...row.map((n) => n.h));
    for (const n of row) n.y = y + ((rankHeight[r] as number) - n.h) / 2;
    y += rankHeight[r] as number;
  });
  const bottom = y;

  // Horizontal: shift so the leftmost thing sits at the margin.
  const all = [...nodes.values()];
  const left = Math.min(MARGIN, ...all.map((n) => n.x - n.w / 2));
  for (const n of all) n.x += MARGIN - left;
  const right = Math.max(MARGIN, ...all.map((n) => n.x + n.w / 2 + n.padRight));

  // Ports: where lines leave the bottom of a box and reach its top, spread in the order of where they go.
  const bottomPort = new Map<Edge, number>();
  const topPort = new Map<Edge, number>();
  const spread = (n: Node, list: { e: Edge; x: number }[], ports: Map<Edge, number>) => {
    list.sort((a, b) => a.x - b.x || a.e.index - b.e.index);
    const inner = n.kind === 'step' ? n.w - 2 * STEP_PAD : n.w - 16;
    for (const [i, { e }] of list.entries()) ports.set(e, n.x - inner / 2 + (inner * (i + 1)) / (list.length + 1));
  };
  for (const n of all) {
    if (n.kind === 'label' || n.kind === 'dummy') continue;
    spread(
      n,
      drawn.filter((e) => e.chain[0] === n).map((e) => ({ e, x: lineX(e.chain[1] as Node) })),
      bottomPort,
    );
    spread(
      n,
      drawn
        .filter((e) => e.chain[e.chain.length - 1] === n)
        .map((e) => ({ e, x: lineX(e.chain[e.chain.length - 2] as Node) })),
      topPort,
    );
  }

  const parts: string[] = [];
  const stroke = (dashed: boolean) =>
    `fill="none" stroke="${LINE}" stroke-width="1.5"${dashed ? ' stroke-dasharray="6 4"' : ''} marker-end="url(#${prefix}-arrow)"`;
  const labelAttrs = `font-size="${LABEL.size}" fill="${INK}" stroke="#ffffff" stroke-width="3" paint-order="stroke" stroke-linejoin="round"`;

  for (const e of drawn) {
    const upper = e.chain[0] as Node;
    const lower = e.chain[e.chain.length - 1] as Node;
    const points: Point[] = [{ x: bottomPort.get(e) as number, y: upper.y + upper.h }];
    for (const n of e.chain.slice(1, -1)) {
      const top = n.kind === 'dummy' ? (rankTop[n.rank] as number) : n.y;
      const foot = n.kind === 'dummy' ? top + (rankHeight[n.rank] as number) : n.y + n.h;
      points.push({ x: lineX(n), y: top }, { x: lineX(n), y: foot, straight: true });
    }
    points.push({ x: topPort.get(e) as number, y: lower.y });
    // A loop is drawn from where it leaves (the lower box) up to where it goes.
    if (e.back) {
      const reversed = points.map((p, i) => ({ x: p.x, y: p.y, straight: points[i + 1]?.straight ?? false })).reverse();
      points.splice(0, points.length, ...reversed);
    }
    parts.push(`<path d="${smoothPath(points)}" ${stroke(e.dashed)}/>`);
    const label = e.chain.find((n) => n.kind === 'label');
    if (label) parts.push(textLines(label.lines, lineX(label) + 6, label.y + LABEL.size, LABEL.line, labelAttrs));
  }
  for (const [n, loops] of selfLoops) {
    const edgeX = n.x + n.w / 2;
    let labelY =
      n.y + n.h / 2 - (loops.reduce((sum, e) => sum + wrap(e.label, LABEL.chars).length, 0) * LABEL.line) / 2;
    loops.forEach((e, k) => {
      const bulge = edgeX + SELF_LOOP + 16 * k;
      const y1 = n.y + n.h * (0.7 + 0.08 * k);
      const y2 = n.y + n.h * (0.3 - 0.08 * k);
      parts.push(
        `<path d="M${num(edgeX)},${num(y1)} C${num(bulge)},${num(y1)} ${num(bulge)},${num(y2)} ${num(edgeX)},${num(y2)}" ${stroke(e.dashed)}/>`,
      );
      const lines = wrap(e.label, LABEL.chars);
      parts.push(
        textLines(lines, edgeX + SELF_LOOP + 16 * (loops.length - 1) + 2, labelY + LABEL.size, LABEL.line, labelAttrs),
      );
      labelY += lines.length * LABEL.line;
    });
  }

  // Boxes last, over the lines.
  const stepNumber = new Map(outline.map((o, i) => [o.id, i + 1]));
  for (const n of all) {
    const x = n.x - n.w / 2;
    const rect = `x="${num(x)}" y="${num(n.y)}" width="${num(n.w)}" height="${num(n.h)}"`;
    if (n.kind === 'start') {
      parts.push(
        `<g id="${prefix}-start"><title>Start: ${escapeXml(byId.get(def.start)?.title ?? '')}</title>` +
          `<rect ${rect} rx="${num(n.h / 2)}" fill="${INK}"/>` +
          `<text x="${num(n.x)}" y="${num(n.y + 17)}" font-size="12" font-weight="bold" fill="#ffffff" text-anchor="middle">Start</text></g>`,
      );
    } else if (n.kind === 'end') {
      parts.push(
        `<g><title>${escapeXml(n.lines.join(' '))}</title>` +
          `<rect ${rect} rx="${num(Math.min(n.h / 2, 16))}" fill="${END_FILL}" stroke="${INK}" stroke-width="1.5"/>` +
          textLines(
            n.lines,
            n.x,
            n.y + 7 + END.size,
            END.line,
            `font-size="${END.size}" fill="${INK}" text-anchor="middle"`,
          ) +
          `</g>`,
      );
    } else if (n.kind === 'step') {
      const id = n.key.slice(2);
      const o = outlineById.get(id) as StepOutline;
      const tx = x + STEP_PAD;
      let ty = n.y + STEP_PAD + TITLE.size;
      let body = textLines(n.lines, tx, ty, TITLE.line, `font-size="${TITLE.size}" font-weight="bold" fill="${INK}"`);
      ty += n.lines.length * TITLE.line + 4;
      for (const m of stepMeta(o)) {
        body += textLines(m.lines, tx, ty, META.line, `font-size="${META.size}" fill="${m.fill}"`);
        ty += m.lines.length * META.line;
      }
      parts.push(
        `<g id="${prefix}-step-${safe(id)}"><title>${escapeXml(stepSentence(stepNumber.get(id) as number, o))}</title>` +
          `<rect ${rect} rx="4" fill="#ffffff" stroke="${INK}" stroke-width="${id === def.start ? 3 : 2}"/>` +
          body +
          `</g>`,
      );
    }
  }

  const width = Math.ceil(right + MARGIN);
  const height = Math.ceil(bottom + MARGIN);
  const first = byId.get(def.start);
  const summary = [
    `${def.title}, version ${def.version}: a flow diagram of ${plural(outline.length, 'step')}${first ? `, starting with “${first.title}”` : ''}.`,
    ...outline.map((o, i) => stepSentence(i + 1, o)),
  ].join(' ');
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-labelledby="${prefix}-title" aria-describedby="${prefix}-desc" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="${FONT}">`,
    `<title id="${prefix}-title">${escapeXml(def.title)}</title>`,
    `<desc id="${prefix}-desc">${escapeXml(summary)}</desc>`,
    `<defs><marker id="${prefix}-arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="10" markerHeight="10" markerUnits="userSpaceOnUse" orient="auto"><path d="M0,0 L10,5 L0,10 z" fill="${LINE}"/></marker></defs>`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    ...parts,
    '</svg>',
  ].join('\n');
}
