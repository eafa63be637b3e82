// Draws a protocol as a flow diagram from the same definition the engine runs (style.md point 8), so the
// picture cannot drift from the behaviour; and gives the same content as an ordered outline, the text
// alternative shown beside the picture.
//
// The work is split by idea: diagram-words.ts (wording shared with the outline), diagram-layout.ts (layers,
// positions, edge routing), diagram-svg.ts (the look, text wrapping, escaping, paths) and diagram-draw.ts
// (the SVG document). This file keeps the entry points.
import type { ProtocolDefinition, StepDef } from './definition.ts';
import { drawDiagram } from './diagram-draw.ts';
import { layoutDiagram } from './diagram-layout.ts';
import {
  deadlineWords,
  endWords,
  rungWords,
  type StepOutline,
  upperFirst,
  userFieldLabels,
  whoWords,
} from './diagram-words.ts';

export { escapeXml, wrap } from './diagram-svg.ts';
export { deadlineWords, type StepOutline } from './diagram-words.ts';

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

/**
 * The protocol as a standalone SVG: a box per step (title, who, deadline, overdue ladder), an arrow per
 * outcome labelled with it (dashed: an overdue rung that moves the case on), "End: …" nodes for results,
 * and the start marked. No scripts and no style sheet (presentation attributes only, which a content
 * security policy allows when the SVG is inlined in a page). The same definition gives the same bytes.
 */
export function renderDiagram(def: ProtocolDefinition): string {
  const byId = stepsById(def);
  const outline = describeProtocolText(def);
  const outlineById = new Map(outline.map((o) => [o.id, o]));

  return drawDiagram(def, byId, outline, layoutDiagram(def, byId, outlineById));
}
