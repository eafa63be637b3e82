// The S13 injection corpus (quality.md S13, issue 9) and a request builder driven by the OpenAPI document, so a
// new API field is covered without editing the test.

export interface Payload {
  kind: 'sql' | 'xss' | 'template' | 'control' | 'unicode' | 'whitespace';
  value: string;
}

const tenKb = '<b>ten kB</b> — '.repeat(640).slice(0, 10_240);

export const PAYLOADS: Payload[] = [
  { kind: 'sql', value: "' OR 1=1 --" },
  { kind: 'sql', value: '"; DROP TABLE people; --' },
  { kind: 'sql', value: "\\'" },
  { kind: 'sql', value: '$1' },
  { kind: 'sql', value: '%' },
  { kind: 'sql', value: '_' },
  { kind: 'xss', value: '<script>alert(1)</script>' },
  { kind: 'xss', value: '"><img src=x onerror=alert(1)>' },
  { kind: 'xss', value: 'javascript:alert(1)' },
  { kind: 'template', value: '{{7*7}}' },
  { kind: 'template', value: '{% raw %}' },
  { kind: 'template', value: ['$', '{7*7}'].join('') }, // ${7*7}, written so no linter takes it for a slip
  { kind: 'control', value: 'nul\u0000here' },
  { kind: 'control', value: 'start\u0001of heading' },
  { kind: 'control', value: 'escape\u001b[31m' },
  { kind: 'control', value: 'next\u0085line' },
  { kind: 'control', value: 'lone \ud800 surrogate' },
  { kind: 'unicode', value: 'right-to-left \u202Eevil.exe\u202C' },
  { kind: 'unicode', value: 'family 👩\u200D👩\u200D👧 joined' },
  { kind: 'unicode', value: 'Zoe\u0308 combining e\u0301\u0327' },
  { kind: 'unicode', value: 'emoji 😀🎉' },
  { kind: 'unicode', value: 'astral 𠜎𝕳𝖆𝖓𝖉' },
  { kind: 'unicode', value: tenKb },
  { kind: 'whitespace', value: 'two  spaces\tand a tab' },
  { kind: 'whitespace', value: 'line one\r\nline two' },
];

/** Raw (unescaped) fragments that must never appear in a page: their presence means a payload was reflected as HTML. */
export const UNESCAPED = ['<script>alert(1)</script>', '<img src=x onerror=alert(1)>', 'href="javascript:alert(1)"'];

export interface JsonSchema {
  type?: string | string[];
  format?: string;
  enum?: unknown[];
  nullable?: boolean;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  minItems?: number;
  anyOf?: JsonSchema[];
}

export interface Operation {
  method: 'POST' | 'PUT' | 'PATCH';
  /** Path in Fastify form: /api/v1/people/:personId */
  path: string;
  body: JsonSchema;
}

/** The writes of the OpenAPI document that take a JSON body. */
export function writeOperations(doc: { paths: Record<string, Record<string, unknown>> }): Operation[] {
  const ops: Operation[] = [];
  for (const [p, methods] of Object.entries(doc.paths)) {
    for (const [m, op] of Object.entries(methods)) {
      if (!['post', 'put', 'patch'].includes(m)) continue;
      const body = (op as { requestBody?: { content?: Record<string, { schema?: JsonSchema }> } }).requestBody
        ?.content?.['application/json']?.schema;
      if (body?.properties)
        ops.push({
          method: m.toUpperCase() as Operation['method'],
          path: p.replace(/\{(\w+)\}/g, ':$1'),
          body,
        });
    }
  }
  return ops;
}

/** Read routes of the OpenAPI document (JSON only). */
export function readPaths(doc: { paths: Record<string, Record<string, unknown>> }): string[] {
  return Object.entries(doc.paths)
    .filter(([p, methods]) => 'get' in methods && !p.endsWith('.csv'))
    .map(([p]) => p.replace(/\{(\w+)\}/g, ':$1'));
}

const first = (s: JsonSchema): JsonSchema => (s.anyOf ? (s.anyOf.find((x) => x.type !== 'null') ?? s) : s);

const isStringSchema = (s: JsonSchema) => {
  const t = first(s).type;
  return t === 'string' || (Array.isArray(t) && t.includes('string'));
};

export interface StringField {
  name: string;
  /** Free text: what a person types, not an id or one of a list of values. */
  free: boolean;
  list: boolean;
}

/** Top-level fields that take a string (or a list of strings). */
export function stringFields(body: JsonSchema): StringField[] {
  const out: StringField[] = [];
  for (const [name, raw] of Object.entries(body.properties ?? {})) {
    const s = first(raw);
    const list = s.type === 'array' && !!s.items && isStringSchema(s.items);
    const leaf = list ? first(s.items as JsonSchema) : s;
    if (!list && !isStringSchema(s)) continue;
    // Free text: what a person types. Ids (format uuid) and enums are refused by the schema before any code runs.
    out.push({ name, free: !leaf.format && !leaf.enum, list });
  }
  return out;
}

export type IdPool = Record<string, string[]>;

/** Which id a field or path parameter names: `to_team_id` and `teamId` both want a team. */
export function idKind(name: string): string | null {
  const n = name.replace(/Id$/, '_id').toLowerCase();
  if (!n.endsWith('_id')) return null;
  if (n.includes('team')) return 'team';
  if (n.includes('service')) return 'service';
  if (n.includes('locality')) return 'locality';
  if (n.includes('hub')) return 'hub';
  if (/user|worker|manager|owner|giver/.test(n)) return 'user';
  return n.replace(/_id$/, '').replace(/^(owner|issue|to|from|action)_/, '');
}

export function sample(name: string, schema: JsonSchema, ids: IdPool): unknown {
  const s = first(schema);
  const kind = idKind(name);
  const known = ids[`value:${name}`]?.[0] ?? (name.startsWith('to_') && kind ? ids[`path:${kind}`]?.[0] : undefined);
  if (known) return known;
  if (s.enum) return s.enum[0];
  if (s.type === 'integer' || s.type === 'number') return 1;
  if (s.type === 'boolean') return false;
  if (s.type === 'array') return s.minItems ? [sample(name, s.items ?? {}, ids)] : [];
  if (s.type === 'object') return {};
  if (s.format === 'uuid' || kind) return (kind && ids[kind]?.[0]) ?? '00000000-0000-4000-8000-000000000000';
  if (/date|_due$/.test(name)) return '2026-11-23';
  if (name.includes('email')) return 'someone@example.org';
  if (name === 'phone') return '01632 960 001';
  if (name === 'password') return 'correct-horse-battery-2026';
  return 'Sample text';
}

/**
 * A body with every required field (and every field in `plain`) filled in with an ordinary value, and each field
 * sent set to its value.
 */
export function bodyWith(
  op: Operation,
  sent: { field: StringField; value: string }[],
  ids: IdPool,
  plain: string[] = [],
) {
  const body: Record<string, unknown> = {};
  for (const name of [...(op.body.required ?? []), ...plain])
    body[name] = sample(name, op.body.properties?.[name] ?? {}, ids);
  for (const { field, value } of sent) body[field.name] = field.list ? [value] : value;
  return body;
}

/** Fills path parameters from the pool; null when one cannot be named. */
export function fillPath(path: string, ids: IdPool, fallback: boolean): string | null {
  let missing = false;
  const url = path.replace(/:(\w+)/g, (_, param: string) => {
    const kind = idKind(param) ?? `value:${param}`;
    const id = ids[`path:${kind}`]?.[0] ?? ids[kind]?.[0];
    if (!id) missing = true;
    return id ?? '00000000-0000-4000-8000-000000000000';
  });
  return missing && !fallback ? null : url;
}

/** Every string in a JSON value. */
export function strings(v: unknown, out: string[] = []): string[] {
  if (typeof v === 'string') out.push(v);
  else if (Array.isArray(v)) for (const x of v) strings(x, out);
  else if (v && typeof v === 'object') for (const x of Object.values(v)) strings(x, out);
  return out;
}

/** HTML text as a reader sees it: the entities the templates write, decoded. */
export function decodeHtml(html: string): string {
  return html
    .replace(/&#x([0-9a-f]+);/gi, (_, h: string) => String.fromCodePoint(Number.parseInt(h, 16)))
    .replace(/&#(\d+);/g, (_, d: string) => String.fromCodePoint(Number(d)))
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&');
}
