// Loaded protocols: the built-ins plus a council's own files. Every version ever loaded is kept in the
// database, so a running instance always finds the definition it started on.
import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import type { Db } from '../../db/database.ts';
import type { ProtocolDefinition } from '../../domain/protocol/definition.ts';
import { validateProtocol } from '../../domain/protocol/validate.ts';
import { BUILT_IN_PROTOCOLS } from '../../protocols/index.ts';

export interface LoadProblem {
  file: string;
  problems: string[];
}

export type Loaded =
  | { ok: true; definition: ProtocolDefinition; file: string }
  | { ok: false; file: string; problems: string[] };

/** Reads and checks one protocol file (.json, .yaml or .yml). */
export async function loadProtocolFile(file: string): Promise<Loaded> {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch {
    return { ok: false, file, problems: [`cannot read ${file}: check the path`] };
  }
  let data: unknown;
  try {
    data = /\.ya?ml$/i.test(file) ? parseYaml(text) : JSON.parse(text);
  } catch (e) {
    return {
      ok: false,
      file,
      problems: [`not valid ${/\.ya?ml$/i.test(file) ? 'YAML' : 'JSON'}: ${(e as Error).message.split('\n')[0]}`],
    };
  }
  const v = validateProtocol(data);
  return v.ok ? { ok: true, definition: v.definition, file } : { ok: false, file, problems: v.problems };
}

export function checksum(def: ProtocolDefinition): string {
  return createHash('sha256').update(JSON.stringify(def)).digest('hex');
}

export class ProtocolRegistry {
  private readonly byKey = new Map<string, ProtocolDefinition>();
  private readonly origins = new Map<string, string>();

  constructor(entries: { definition: ProtocolDefinition; origin: string }[]) {
    for (const { definition, origin } of entries) {
      const key = `${definition.id}@${definition.version}`;
      if (this.byKey.has(key))
        throw new Error(
          `Protocol ${definition.id} version ${definition.version} is defined twice (${this.origins.get(key)} and ${origin}): give one a new version.`,
        );
      this.byKey.set(key, definition);
      this.origins.set(key, origin);
    }
  }

  /** Built-ins plus every *.json, *.yaml, *.yml file in dir. Files with problems are reported, not loaded. */
  static async load(dir: string | null): Promise<{ registry: ProtocolRegistry; problems: LoadProblem[] }> {
    const entries = BUILT_IN_PROTOCOLS.map((definition) => ({ definition, origin: 'built-in' }));
    const problems: LoadProblem[] = [];
    if (dir) {
      let names: string[] = [];
      try {
        names = (await fs.readdir(dir)).filter((n) => /\.(json|ya?ml)$/i.test(n)).sort();
      } catch {
        problems.push({ file: dir, problems: [`the protocols folder ${dir} cannot be read: check PROTOCOLS_DIR`] });
      }
      for (const name of names) {
        const loaded = await loadProtocolFile(path.join(dir, name));
        if (loaded.ok) entries.push({ definition: loaded.definition, origin: loaded.file });
        else problems.push({ file: loaded.file, problems: loaded.problems });
      }
    }
    return { registry: new ProtocolRegistry(entries), problems };
  }

  /** The newest version of each protocol. */
  list(): { definition: ProtocolDefinition; origin: string }[] {
    const newest = new Map<string, ProtocolDefinition>();
    for (const d of this.byKey.values()) {
      const current = newest.get(d.id);
      if (!current || current.version < d.version) newest.set(d.id, d);
    }
    return [...newest.values()]
      .sort((a, b) => a.title.localeCompare(b.title))
      .map((d) => ({ definition: d, origin: this.origins.get(`${d.id}@${d.version}`) ?? '' }));
  }

  /** Every loaded version of one protocol, oldest first. */
  versions(id: string): { definition: ProtocolDefinition; origin: string }[] {
    return [...this.byKey.entries()]
      .filter(([, d]) => d.id === id)
      .sort(([, a], [, b]) => a.version - b.version)
      .map(([key, definition]) => ({ definition, origin: this.origins.get(key) ?? '' }));
  }

  get(id: string, version?: number): ProtocolDefinition | undefined {
    if (version !== undefined) return this.byKey.get(`${id}@${version}`);
    return this.list().find((e) => e.definition.id === id)?.definition;
  }

  /**
   * Records every loaded version in the database. A version already recorded with different content is an
   * error: a change to a protocol needs a new version number, or running instances would change under people.
   */
  async sync(db: Db): Promise<void> {
    for (const [key, def] of this.byKey) {
      const sum = checksum(def);
      const existing = await db
        .selectFrom('protocol_versions')
        .where('protocol_id', '=', def.id)
        .where('version', '=', def.version)
        .select('checksum')
        .executeTakeFirst();
      if (existing && existing.checksum !== sum) {
        throw new Error(
          `Protocol ${def.id} version ${def.version} (${this.origins.get(key)}) differs from the version ${def.version} already in use: give the changed protocol version ${def.version + 1}.`,
        );
      }
      if (!existing) {
        await db
          .insertInto('protocol_versions')
          .values({
            protocol_id: def.id,
            version: def.version,
            title: def.title,
            origin: this.origins.get(key) ?? '',
            definition: JSON.stringify(def),
            checksum: sum,
          })
          .onConflict((oc) => oc.columns(['protocol_id', 'version']).doNothing())
          .execute();
      }
    }
  }
}

/** A definition as it was recorded when an instance started. */
export async function recordedDefinition(db: Db, id: string, version: number): Promise<ProtocolDefinition | undefined> {
  const row = await db
    .selectFrom('protocol_versions')
    .where('protocol_id', '=', id)
    .where('version', '=', version)
    .select('definition')
    .executeTakeFirst();
  return row?.definition as ProtocolDefinition | undefined;
}
