// SVG building blocks for the protocol diagram: the look (font, colours, text and box sizes), text wrapping,
// XML escaping, number formatting and path drawing. Text widths are estimates (no font metrics without a
// browser), erring wide.
import type { StepOutline } from './diagram-words.ts';

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
export function num(v: number): string {
  const r = Math.round(v * 10) / 10;
  return String(r === 0 ? 0 : r);
}

export const FONT = 'Arial, Helvetica, sans-serif';
export const INK = '#0b0c0c';
export const SECONDARY = '#505a5f';
export const OVERDUE_INK = '#942514';
export const END_FILL = '#f3f2f1';
export const LINE = '#505a5f';

/** Estimated advance width of one character: generous, so text stays inside its box. */
export const charWidth = (fontSize: number) => fontSize * 0.6;

export const STEP_WIDTH = 248;
export const STEP_PAD = 12;
export const TITLE = { size: 13, line: 17, chars: 28 };
export const META = { size: 11, line: 14, chars: 36 };
export const LABEL = { size: 11, line: 13, chars: 28 };
export const END = { size: 12, line: 15, chars: 28 };
export const MARGIN = 20;
/** Space between a layer of boxes and the labels above and below it, where lines bend. */
export const GAP = 22;
/** How far a step's arrow back to itself bulges out of its right-hand side. */
export const SELF_LOOP = 36;

export const textWidth = (lines: string[], size: number) =>
  Math.max(0, ...lines.map((l) => l.length)) * charWidth(size);

/** What a step's box says under its title: who is responsible, the deadline and the overdue ladder. */
export function stepMeta(o: StepOutline): { lines: string[]; fill: string }[] {
  return [
    { lines: wrap(o.responsible, META.chars), fill: SECONDARY },
    ...(o.deadline ? [{ lines: wrap(`Due: ${o.deadline}`, META.chars), fill: INK }] : []),
    ...(o.overdue.length ? [{ lines: wrap(`Overdue: ${o.overdue.join(' → ')}`, META.chars), fill: OVERDUE_INK }] : []),
  ];
}

export interface Point {
  x: number;
  y: number;
  /** The line reaches this point straight down from the one before (through a label or waypoint). */
  straight?: boolean;
}

/** Curves between layers (vertical at both ends, so lines leave and enter boxes square), straight within. */
export function smoothPath(points: Point[]): string {
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

export function textLines(lines: string[], x: number, y: number, lineHeight: number, attrs: string): string {
  return lines
    .map((line, i) => `<text x="${num(x)}" y="${num(y + i * lineHeight)}" ${attrs}>${escapeXml(line)}</text>`)
    .join('');
}
