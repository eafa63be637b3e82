// The screening instruments a screening can use: the built-ins at once, SCREENING_DIR read on first use (the
// service is built synchronously). A screening keeps the id and version it used, so an old one still reads.
import type { InstrumentDefinition } from '../../domain/screening/definition.ts';
import { NotFound } from '../../http/errors.ts';
import { InstrumentRegistry } from '../screening/registry.ts';
import type { SafeguardingCtx } from './context.ts';

/** Loads the instruments once; a file with problems is left out (the CLI `screening check` reports them). */
export function instrumentLoader(dir: string | null): () => Promise<InstrumentRegistry> {
  let loading: Promise<InstrumentRegistry> | null = null;
  return () => {
    loading ??= InstrumentRegistry.load(dir).then((r) => r.registry);
    return loading;
  };
}

export async function instrumentFor(
  ctx: Pick<SafeguardingCtx, 'instruments'>,
  id: string,
  version?: number,
): Promise<InstrumentDefinition> {
  const found = (await ctx.instruments()).get(id, version);
  if (!found) throw new NotFound('That screening instrument is not loaded.');
  return found;
}

export const levelLabel = (instrument: InstrumentDefinition, code: string | null) =>
  instrument.levels.find((l) => l.code === code)?.label ?? code ?? '';
