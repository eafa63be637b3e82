// Lays the protocol out as a small layered ("Sugiyama") drawing: steps are put in layers by their longest
// path from the start, edges that jump layers get invisible waypoints, every edge label is a node of its own
// (so labels never sit on boxes or on each other), the order within each layer is improved by barycentre
// sweeps, and x positions are pulled towards neighbours without ever overlapping. Edges back to an earlier
// layer (loops) climb on their own waypoints beside the boxes in between, leaving the lower box from its top
// and entering the earlier one from below; a step's arrow back to itself loops out of its right-hand side.
// Everything is computed, not random, so the same definition always gives the same positions.
import type { ProtocolDefinition, StepDef } from './definition.ts';
import {
  END,
  GAP,
  LABEL,
  MARGIN,
  META,
  SELF_LOOP,
  STEP_PAD,
  STEP_WIDTH,
  stepMeta,
  TITLE,
  textWidth,
  wrap,
} from './diagram-svg.ts';
import { endWords, type StepOutline } from './diagram-words.ts';

export type Kind = 'start' | 'step' | 'end' | 'label' | 'dummy';

export interface Node {
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

export interface Edge {
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
export const lineX = (n: Node) => (n.kind === 'label' ? n.x - n.w / 2 + 4 : n.x);

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

/** Everything the drawing needs: placed nodes, the edges' chains, loops onto themselves and the ports. */
export interface Layout {
  /** Every node, placed (centre x, top y), in the order made: start, steps, ends, then waypoints and labels. */
  nodes: Node[];
  /** Edges between different nodes, each with its chain. */
  drawn: Edge[];
  /** A step's arrows back to itself, drawn out of its right-hand side. */
  selfLoops: Map<Node, Edge[]>;
  rankTop: number[];
  rankHeight: number[];
  /** The right-hand edge of the rightmost thing, and the bottom of the last layer. */
  right: number;
  bottom: number;
  /** Where each edge leaves the bottom of its upper box and reaches the top of its lower one. */
  bottomPort: Map<Edge, number>;
  topPort: Map<Edge, number>;
}

export function layoutDiagram(
  def: ProtocolDefinition,
  byId: Map<string, StepDef>,
  outlineById: Map<string, StepOutline>,
): Layout {
  // Nodes: the start marker, the steps and one per distinct end result. Edges in definition order.
  const nodes = new Map<string, Node>();
  const node = (key: string, kind: Kind, w: number, h: number, lines: string[]): Node => {
    const n: Node = { key, kind, rank: 0, w, h, padRight: 0, x: 0, y: 0, seq: 0, preds: [], succs: [], lines };
    nodes.set(key, n);
    return n;
  };
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

  return { nodes: all, drawn, selfLoops, rankTop, rankHeight, right, bottom, bottomPort, topPort };
}
