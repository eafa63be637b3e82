// `handover screening …`: lets council staff check a screening instrument file before putting it in SCREENING_DIR,
// and see which instruments are loaded. None of it needs the database (docs/screening-authoring.md).
import type { Command } from 'commander';
import { readConfig } from '../config.ts';
import type { InstrumentDefinition } from '../domain/screening/definition.ts';
import {
  type InstrumentLoadProblem,
  InstrumentRegistry,
  isInstrumentFile,
  loadInstrumentFile,
} from '../modules/screening/registry.ts';
import { BUILT_IN_INSTRUMENTS } from '../screening/index.ts';
import { UserError } from './user-error.ts';

const EXAMPLE = 'npx handover screening validate my-instrument.yaml';

/** Problems the registry would refuse at start-up that a single file cannot show on its own. */
function clashes(def: InstrumentDefinition): string[] {
  return BUILT_IN_INSTRUMENTS.some((b) => b.id === def.id && b.version === def.version)
    ? [
        `instrument: ${def.id} version ${def.version} is a built-in instrument; give yours a new version or its own id, e.g. yourcouncil-${def.id}`,
      ]
    : [];
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

function printLoadProblems(problems: InstrumentLoadProblem[]): void {
  for (const p of problems) for (const line of p.problems) console.error(`${p.file}: ${line}`);
}

export function registerScreeningCommands(program: Command): void {
  const screening = program
    .command('screening')
    .description(
      'screening instruments: the built-in ones and your council’s own files in SCREENING_DIR (see docs/screening-authoring.md)',
    );

  screening
    .command('list')
    .description('list the loaded instruments (newest version of each): id, version, title, where it came from')
    .action(async () => {
      let loaded: Awaited<ReturnType<typeof InstrumentRegistry.load>>;
      try {
        loaded = await InstrumentRegistry.load(readConfig().screeningDir);
      } catch (e) {
        throw new UserError(e instanceof Error ? e.message : String(e));
      }
      const entries = loaded.registry.list();
      const idWidth = Math.max(...entries.map((e) => e.definition.id.length));
      const versionWidth = Math.max(...entries.map((e) => `version ${e.definition.version}`.length));
      for (const { definition: d, origin } of entries)
        console.log(`${d.id.padEnd(idWidth)}  ${`version ${d.version}`.padEnd(versionWidth)}  ${d.title}  (${origin})`);
      printLoadProblems(loaded.problems);
    });

  screening
    .command('validate')
    .description('check an instrument file (.json, .yaml or .yml); exits 1 and lists the problems if it is not valid')
    .argument('<file>', 'the instrument file')
    .action(async (file: string) => {
      if (!isInstrumentFile(file)) {
        throw new UserError(
          `FILE must end .json, .yaml or .yml (the screening folder loads only those), e.g. ${EXAMPLE}; got ${JSON.stringify(file)}`,
        );
      }
      const loaded = await loadInstrumentFile(file);
      const problems = loaded.ok ? clashes(loaded.definition) : loaded.problems;
      if (!loaded.ok || problems.length > 0) {
        for (const p of problems) console.log(`${file}: ${p}`);
        process.exitCode = 1;
        return;
      }
      const d = loaded.definition;
      const indicators = d.domains.reduce((n, x) => n + x.indicators.length, 0);
      console.log(
        `${file}: valid (${d.id} version ${d.version}, ${plural(d.levels.length, 'level')}, ${plural(d.domains.length, 'domain')}, ${plural(indicators, 'indicator')}, ${plural(d.rules?.length ?? 0, 'rule')})`,
      );
    });
}
