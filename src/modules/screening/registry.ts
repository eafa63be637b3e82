// Loaded screening instruments: the built-ins plus a council's own files in SCREENING_DIR, read and checked the
// way protocols are (src/modules/protocols/registry.ts). Nothing is stored yet: screenings (issue 12 part 2) will
// record the instrument version each one used.
import fs from 'node:fs/promises';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import type { InstrumentDefinition } from '../../domain/screening/definition.ts';
import { validateInstrument } from '../../domain/screening/validate.ts';
import { BUILT_IN_INSTRUMENTS } from '../../screening/index.ts';

export interface InstrumentLoadProblem {
  file: string;
  problems: string[];
}

export type LoadedInstrument =
  | { ok: true; definition: InstrumentDefinition; file: string }
  | { ok: false; file: string; problems: string[] };

export const isInstrumentFile = (name: string) => /\.(json|ya?ml)$/i.test(name);

/** Reads and checks one instrument file (.json, .yaml or .yml). */
export async function loadInstrumentFile(file: string): Promise<LoadedInstrument> {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch {
    return { ok: false, file, problems: [`cannot read ${file}: check the path`] };
  }
  const yaml = /\.ya?ml$/i.test(file);
  let data: unknown;
  try {
    data = yaml ? parseYaml(text) : JSON.parse(text);
  } catch (e) {
    return {
      ok: false,
      file,
      problems: [`not valid ${yaml ? 'YAML' : 'JSON'}: ${(e as Error).message.split('\n')[0]}`],
    };
  }
  const v = validateInstrument(data);
  return v.ok ? { ok: true, definition: v.definition, file } : { ok: false, file, problems: v.problems };
}

export class InstrumentRegistry {
  private readonly byKey = new Map<string, InstrumentDefinition>();
  private readonly origins = new Map<string, string>();

  constructor(entries: { definition: InstrumentDefinition; origin: string }[]) {
    for (const { definition, origin } of entries) {
      const key = `${definition.id}@${definition.version}`;
      if (this.byKey.has(key))
        throw new Error(
          `Screening instrument ${definition.id} version ${definition.version} is defined twice (${this.origins.get(key)} and ${origin}): give one a new version.`,
        );
      this.byKey.set(key, definition);
      this.origins.set(key, origin);
    }
  }

  /** Built-ins plus every *.json, *.yaml, *.yml file in dir. Files with problems are reported, not loaded. */
  static async load(dir: string | null): Promise<{ registry: InstrumentRegistry; problems: InstrumentLoadProblem[] }> {
    const entries = BUILT_IN_INSTRUMENTS.map((definition) => ({ definition, origin: 'built-in' }));
    const problems: InstrumentLoadProblem[] = [];
    if (dir) {
      let names: string[] = [];
      try {
        names = (await fs.readdir(dir)).filter(isInstrumentFile).sort();
      } catch {
        problems.push({ file: dir, problems: [`the screening folder ${dir} cannot be read: check SCREENING_DIR`] });
      }
      for (const name of names) {
        const loaded = await loadInstrumentFile(path.join(dir, name));
        if (loaded.ok) entries.push({ definition: loaded.definition, origin: loaded.file });
        else problems.push({ file: loaded.file, problems: loaded.problems });
      }
    }
    return { registry: new InstrumentRegistry(entries), problems };
  }

  /** The newest version of each instrument, by title. */
  list(): { definition: InstrumentDefinition; origin: string }[] {
    const newest = new Map<string, InstrumentDefinition>();
    for (const d of this.byKey.values()) {
      const current = newest.get(d.id);
      if (!current || current.version < d.version) newest.set(d.id, d);
    }
    return [...newest.values()]
      .sort((a, b) => a.title.localeCompare(b.title))
      .map((d) => ({ definition: d, origin: this.origins.get(`${d.id}@${d.version}`) ?? '' }));
  }

  get(id: string, version?: number): InstrumentDefinition | undefined {
    if (version !== undefined) return this.byKey.get(`${id}@${version}`);
    return this.list().find((e) => e.definition.id === id)?.definition;
  }
}
