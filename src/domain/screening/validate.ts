// Checks a screening instrument: its shape, then its meaning. Each problem names where it is (level, domain,
// indicator or rule) and what is wrong, one line each, the same way protocol validation does.
import { Value } from '@sinclair/typebox/value';
import { DEFAULT_AGES, DEFAULT_COUNTING_ANSWERS, type InstrumentDefinition, InstrumentSchema } from './definition.ts';

export type InstrumentValidation = { ok: true; definition: InstrumentDefinition } | { ok: false; problems: string[] };

type Named = { id?: unknown; code?: unknown };
const label = (list: Named[] | undefined, i: number, key: 'id' | 'code') => {
  const v = list?.[i]?.[key];
  return typeof v === 'string' ? v : `#${i + 1}`;
};
const rest = (s: string | undefined) => (s ? ` ${s.slice(1).replace(/\//g, '.')}` : '');

/** "domain missing indicator ran_away level" for /domains/0/indicators/3/level. */
function where(input: unknown, path: string): string {
  const d = input as {
    levels?: Named[];
    domains?: (Named & { indicators?: Named[] })[];
    rules?: Named[];
  };
  const ind = /^\/domains\/(\d+)\/indicators\/(\d+)(.*)$/.exec(path);
  if (ind) {
    const domain = d.domains?.[Number(ind[1])];
    return `domain ${label(d.domains, Number(ind[1]), 'id')} indicator ${label(domain?.indicators, Number(ind[2]), 'id')}${rest(ind[3])}`;
  }
  const m = /^\/(levels|domains|rules)\/(\d+)(.*)$/.exec(path);
  if (m) {
    const kind = m[1] as 'levels' | 'domains' | 'rules';
    const name = label(d[kind], Number(m[2]), kind === 'levels' ? 'code' : 'id');
    return `${kind.slice(0, -1)} ${name}${rest(m[3])}`;
  }
  return path ? `instrument ${path.slice(1).replace(/\//g, '.')}` : 'instrument';
}

function shapeProblems(input: unknown): string[] {
  const seen = new Set<string>();
  for (const e of Value.Errors(InstrumentSchema, input)) seen.add(`${where(input, e.path)}: ${e.message}`);
  return [...seen].slice(0, 50);
}

function duplicates(ids: string[]): string[] {
  const seen = new Set<string>();
  const twice = new Set<string>();
  for (const id of ids) (seen.has(id) ? twice : seen).add(id);
  return [...twice];
}

export function validateInstrument(input: unknown): InstrumentValidation {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    return {
      ok: false,
      problems: ['instrument: the file must hold one object with id, version, title, levels and domains'],
    };
  }
  const shape = shapeProblems(input);
  if (shape.length) return { ok: false, problems: shape };
  const def = input as InstrumentDefinition;
  const problems: string[] = [];
  const levels = def.levels.map((l) => l.code);
  const known = new Set(levels);
  const levelList = levels.join(', ');
  const unknownLevel = (code: string) => `unknown level "${code}" (the instrument’s levels are ${levelList})`;

  for (const code of duplicates(levels)) problems.push(`level ${code}: the code is used by more than one level`);
  const ages = def.ages ?? DEFAULT_AGES;
  if (ages.from > ages.to) problems.push(`instrument ages: from (${ages.from}) is after to (${ages.to})`);
  const counting = def.countingAnswers ?? DEFAULT_COUNTING_ANSWERS;
  for (const a of counting)
    if (a === 'no' || a === 'not_known')
      problems.push(`instrument countingAnswers: "${a}" cannot count towards a level (use yes and possible)`);

  for (const id of duplicates(def.domains.map((d) => d.id)))
    problems.push(`domain ${id}: the id is used by more than one domain`);
  const indicators = def.domains.flatMap((d) => d.indicators.map((i) => ({ domain: d.id, i })));
  for (const id of duplicates(indicators.map((x) => x.i.id)))
    problems.push(`indicator ${id}: the id is used by more than one indicator (ids are unique across domains)`);
  const indicatorIds = new Set(indicators.map((x) => x.i.id));
  for (const { domain, i } of indicators) {
    const at = `domain ${domain} indicator ${i.id}`;
    if (!known.has(i.level)) problems.push(`${at}: suggests ${unknownLevel(i.level)}`);
    const allowed = i.answers ?? [];
    if (i.answers && !allowed.some((a) => counting.includes(a)))
      problems.push(`${at}: none of its answers (${allowed.join(', ')}) counts towards a level`);
  }

  for (const id of duplicates((def.rules ?? []).map((r) => r.id)))
    problems.push(`rule ${id}: the id is used by more than one rule`);
  for (const r of def.rules ?? []) {
    const at = `rule ${r.id}`;
    if (!known.has(r.atLeast)) problems.push(`${at}: atLeast names ${unknownLevel(r.atLeast)}`);
    const s = r.when.suggestedAtLeast;
    if (s !== undefined && !known.has(s)) problems.push(`${at}: when.suggestedAtLeast names ${unknownLevel(s)}`);
    for (const id of r.when.indicators ?? [])
      if (!indicatorIds.has(id)) problems.push(`${at}: when.indicators names unknown indicator "${id}"`);
    if (r.when.answers.every((a) => a === 'no' || a === 'not_known'))
      problems.push(
        `${at}: when.answers must include yes or possible, or the rule would raise the level on no concern`,
      );
  }
  return problems.length ? { ok: false, problems } : { ok: true, definition: def };
}
