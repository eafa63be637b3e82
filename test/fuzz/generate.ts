// Values for the API fuzzer (quality.md R2), made from the OpenAPI document's own JSON schemas: mostly valid, so
// requests reach the service and the database, and then broken in the ways real clients break them (a field
// missing or unknown, a wrong type, NUL bytes, numbers past 32 bits, impossible dates, very long or odd text).
// Deterministic from a seed, so a failure can be replayed.

export type Schema = Record<string, unknown>;
export type Random = () => number;

/** A small seeded generator (mulberry32): the same seed gives the same requests. */
export function seeded(seed: number): Random {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const pick = <T>(r: Random, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)] as T;
export const chance = (r: Random, p: number) => r() < p;

export function randomUuid(r: Random): string {
  const hex = () => Math.floor(r() * 16).toString(16);
  const part = (n: number) => Array.from({ length: n }, hex).join('');
  return `${part(8)}-${part(4)}-4${part(3)}-a${part(3)}-${part(12)}`;
}

/** Strings a careless or hostile client sends. */
export const NASTY_STRINGS = [
  '',
  ' ',
  'a\u0000b',
  '\u0000',
  "'; DROP TABLE people; --",
  '<script>alert(1)</script>',
  '{{ 7*7 }}',
  '../../etc/passwd',
  '\ud800',
  '\u202eevil',
  '👩‍👧‍👦',
  'x'.repeat(10_001),
  '2026-02-30',
  '9999-12-31',
  '0000-00-00',
  'null',
  '%00',
  '\r\nSet-Cookie: a=b',
];
export const NASTY_NUMBERS = [2 ** 31, -(2 ** 31) - 1, 2 ** 53 + 2, -1, 0, 1.5, 1e308, Number.MAX_SAFE_INTEGER];

const SINGULAR: Record<string, string> = { people: 'person', children: 'child' };
const USERS = ['worker', 'owner', 'manager', 'assignee', 'advice_giver', 'coordinator', 'chair', 'user', 'member'];

/** "team_id" → "team", "worker_id" → "user": the kind of record a field or path parameter names. */
export function kindOfField(name: string): string {
  const stem = name
    .replace(/_ids?$|Ids?$/, '')
    .replace(/([a-z])([A-Z])/g, '$1_$2')
    .toLowerCase();
  return USERS.some((u) => stem.endsWith(u)) ? 'user' : stem;
}

/** The kind of record a collection path segment holds: "people" → "person", "transfers" → "transfer". */
export function kindOfSegment(segment: string): string {
  const s = segment.replace(/-/g, '_');
  return SINGULAR[s] ?? s.replace(/ies$/, 'y').replace(/s$/, '');
}

export class IdPool {
  readonly byKind = new Map<string, string[]>();
  readonly all: string[] = [];
  add(kind: string, id: string) {
    const list = this.byKind.get(kind) ?? [];
    if (!list.includes(id) && list.length < 300) list.push(id);
    this.byKind.set(kind, list);
    if (!this.all.includes(id) && this.all.length < 3000) this.all.push(id);
  }
  /** Mostly an id of the right kind, sometimes any known id, sometimes one that names nothing. */
  choose(r: Random, kind: string): string {
    const list = this.byKind.get(kind) ?? [];
    const roll = r();
    if (roll < 0.8 && list.length > 0) return pick(r, list);
    if (roll < 0.9 && this.all.length > 0) return pick(r, this.all);
    return randomUuid(r);
  }
}

export class Generator {
  constructor(
    readonly r: Random,
    readonly components: Record<string, Schema>,
    /** Ids seen in earlier answers, by kind ("person", "team", …), so valid requests name records that exist. */
    readonly ids: IdPool,
  ) {}

  resolve(s: Schema): Schema {
    const ref = s.$ref;
    if (typeof ref === 'string') {
      const name = ref.split('/').pop() as string;
      return this.resolve(this.components[name] ?? {});
    }
    return s;
  }

  /** A value the schema accepts (as far as this generator knows the keywords). */
  valid(schema: Schema, depth = 0, name = ''): unknown {
    const s = this.resolve(schema);
    const { r } = this;
    if ('const' in s) return s.const;
    if (Array.isArray(s.enum)) return pick(r, s.enum);
    const alternatives = (s.anyOf ?? s.oneOf) as Schema[] | undefined;
    if (alternatives) return this.valid(pick(r, alternatives), depth, name);
    if (Array.isArray(s.allOf)) return Object.assign({}, ...s.allOf.map((x) => this.valid(x as Schema, depth)));
    const type = Array.isArray(s.type) ? pick(r, s.type as string[]) : s.type;
    switch (type) {
      case 'object':
        return this.object(s, depth);
      case 'array': {
        if (depth > 4) return [];
        const min = Number(s.minItems ?? 0);
        const max = Math.min(Number(s.maxItems ?? 3), min + 3);
        const n = min + Math.floor(r() * (max - min + 1));
        return Array.from({ length: n }, () => this.valid((s.items as Schema) ?? {}, depth + 1));
      }
      case 'integer':
      case 'number': {
        const min = Number(s.minimum ?? 0);
        const max = Number(s.maximum ?? min + 100);
        const v = min + r() * (max - min);
        return type === 'integer' ? Math.floor(v) : v;
      }
      case 'boolean':
        return chance(r, 0.5);
      case 'null':
        return null;
      case 'string':
        return this.string(s, name);
      default:
        return chance(r, 0.5) ? 'text' : 1;
    }
  }

  private object(s: Schema, depth: number): Record<string, unknown> {
    const props = (s.properties ?? {}) as Record<string, Schema>;
    const required = new Set((s.required ?? []) as string[]);
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(props)) {
      if (required.has(k) || (depth < 4 && chance(this.r, 0.6))) out[k] = this.valid(v, depth + 1, k);
    }
    return out;
  }

  private string(s: Schema, name: string): string {
    const { r } = this;
    const day = () => String(1 + Math.floor(r() * 28)).padStart(2, '0');
    const month = () => String(1 + Math.floor(r() * 12)).padStart(2, '0');
    switch (s.format) {
      case 'uuid':
        return this.ids.choose(r, kindOfField(name));
      case 'date':
        return `${pick(r, ['2008', '2010', '2026', '2027'])}-${month()}-${day()}`;
      case 'date-time':
        return `2026-${month()}-${day()}T10:00:00Z`;
      case 'email':
        return `someone${Math.floor(r() * 1000)}@fuzz.test.example`;
      case 'uri':
        return 'https://fuzz.test.example/x';
    }
    const min = Number(s.minLength ?? 1);
    const max = Math.min(Number(s.maxLength ?? 40), min + 40);
    const length = min + Math.floor(r() * (max - min + 1));
    const words = ['Ava', 'plan', 'review', 'school', 'north', 'x', 'risk', 'carer'];
    let text = '';
    while (text.length < length) text += `${pick(r, words)} `;
    return text.slice(0, Math.max(length, min));
  }

  /** A value of the wrong kind for the schema, or one past its bounds. */
  broken(schema: Schema): unknown {
    const s = this.resolve(schema);
    const { r } = this;
    const kinds: (() => unknown)[] = [
      () => pick(r, NASTY_STRINGS),
      () => pick(r, NASTY_NUMBERS),
      () => null,
      () => ({ nested: pick(r, NASTY_STRINGS) }),
      () => [pick(r, NASTY_STRINGS)],
      () => chance(r, 0.5),
    ];
    if (s.type === 'string' && chance(r, 0.5)) {
      const v = this.valid(s);
      return `${String(v).slice(0, 5)}\u0000${String(v).slice(5)}`;
    }
    return pick(r, kinds)();
  }

  /** A body for a request: usually valid, sometimes broken in one place, now and then not an object at all. */
  body(schema: Schema): unknown {
    const { r } = this;
    const s = this.resolve(schema);
    const value = this.valid(s);
    const roll = r();
    if (roll < 0.45 || typeof value !== 'object' || value === null || Array.isArray(value)) return value;
    const obj = { ...(value as Record<string, unknown>) };
    const keys = Object.keys((s.properties ?? {}) as object);
    if (roll < 0.8 && keys.length > 0) {
      const k = pick(r, keys);
      obj[k] = this.broken(((s.properties as Record<string, Schema>)[k] ?? {}) as Schema);
    } else if (roll < 0.88 && keys.length > 0) delete obj[pick(r, keys)];
    else if (roll < 0.94)
      obj[pick(r, ['nickname', '__proto__', 'constructor', 'id', 'version'])] = pick(r, NASTY_STRINGS);
    else return pick(r, [[], 'text', 42, null, [obj]]);
    return obj;
  }
}
