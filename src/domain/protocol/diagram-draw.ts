// Draws a laid-out protocol as a standalone SVG document: lines and their labels first, boxes last over them,
// with a <title> per box and a <desc> of the whole so a screen reader gets the same content as the picture.
import type { ProtocolDefinition, StepDef } from './definition.ts';
import { type Layout, lineX, type Node } from './diagram-layout.ts';
import {
  END,
  END_FILL,
  escapeXml,
  FONT,
  INK,
  LABEL,
  LINE,
  MARGIN,
  META,
  num,
  type Point,
  SELF_LOOP,
  STEP_PAD,
  smoothPath,
  stepMeta,
  TITLE,
  textLines,
  wrap,
} from './diagram-svg.ts';
import { plural, type StepOutline, stepSentence } from './diagram-words.ts';

export function drawDiagram(
  def: ProtocolDefinition,
  byId: Map<string, StepDef>,
  outline: StepOutline[],
  { nodes: all, drawn, selfLoops, rankTop, rankHeight, right, bottom, bottomPort, topPort }: Layout,
): string {
  // Element ids, unique on a page that shows one diagram; made safe even for a definition that is not valid.
  const safe = (id: string) => id.replace(/[^a-zA-Z0-9_-]/g, '-');
  const prefix = `ho-${safe(def.id)}`;
  const outlineById = new Map(outline.map((o) => [o.id, o]));

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
