// A small HTML normaliser for comparing markup as a DOM, not as bytes: one line per tag (attributes sorted, class
// spacing collapsed) or text (whitespace collapsed, trimmed); entities decoded; comments dropped; `<x/>` as `<x></x>`.
// Used by test/govuk-components.test.ts and bench/render.ts.
const VOID = new Set(['area', 'base', 'br', 'col', 'embed', 'hr', 'img', 'input', 'link', 'meta', 'source', 'wbr']);
const NAMED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0' };

function decode(s: string): string {
  return s.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, e: string) => {
    if (e[0] === '#')
      return String.fromCodePoint(e[1] === 'x' || e[1] === 'X' ? Number.parseInt(e.slice(2), 16) : Number(e.slice(1)));
    return NAMED[e] ?? whole;
  });
}

const TOKEN =
  /<!--[\s\S]*?-->|<\/?([a-zA-Z][\w-]*)((?:\s+[^\s"'>/=]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s>]+))?)*)\s*(\/?)>|[^<]+/g;
const ATTRIBUTE = /([^\s"'>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+)))?/g;

/** Tags with sorted attributes (class tokens' spacing collapsed), text with whitespace collapsed; entities decoded. */
export function normalise(html: string): string[] {
  const out: string[] = [];
  for (const m of html.matchAll(TOKEN)) {
    const [whole, name, attrs = '', selfClosing] = m;
    if (whole.startsWith('<!--')) continue;
    if (!name) {
      const text = decode(whole).replace(/\s+/g, ' ').trim();
      if (text) out.push(`text ${JSON.stringify(text)}`);
      continue;
    }
    const tag = name.toLowerCase();
    if (whole.startsWith('</')) {
      out.push(`</${tag}>`);
      continue;
    }
    const pairs = [...attrs.matchAll(ATTRIBUTE)].map((a) => {
      let value = decode(a[2] ?? a[3] ?? a[4] ?? '');
      if (a[1] === 'class') value = value.replace(/\s+/g, ' ').trim();
      return `${a[1]}=${JSON.stringify(value)}`;
    });
    out.push(`<${tag} ${pairs.sort().join(' ')}>`);
    if (selfClosing && !VOID.has(tag)) out.push(`</${tag}>`);
  }
  return out;
}
