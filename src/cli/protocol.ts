// `handover protocol …`: lets council IT staff check a protocol file before putting it in PROTOCOLS_DIR, and
// see what is loaded, in the file format or as a diagram. None of it needs the database.
import type { Command } from 'commander';
import { stringify as toYaml } from 'yaml';
import { readConfig } from '../config.ts';
import type { ProtocolDefinition } from '../domain/protocol/definition.ts';
import { renderDiagram } from '../domain/protocol/diagram.ts';
import { type LoadProblem, loadProtocolFile, ProtocolRegistry } from '../modules/protocols/registry.ts';
import { BUILT_IN_PROTOCOLS } from '../protocols/index.ts';
import { UserError } from './user-error.ts';

const EXAMPLE = {
  validate: 'npx handover protocol validate referral-chase.yaml',
  show: 'npx handover protocol show cumbria-advice-query --version 1',
};

async function loadRegistry(): Promise<{ registry: ProtocolRegistry; problems: LoadProblem[] }> {
  const dir = readConfig().protocolsDir;
  try {
    return await ProtocolRegistry.load(dir);
  } catch (e) {
    // Two files (or a file and a built-in) with the same id and version: the message says which and what to do.
    throw new UserError(e instanceof Error ? e.message : String(e));
  }
}

/** One line per problem, "file: step x: what is wrong", the same shape as `protocol validate`. */
function printLoadProblems(problems: LoadProblem[]): void {
  for (const p of problems) for (const line of p.problems) console.error(`${p.file}: ${line}`);
}

function versionOption(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value) || Number(value) < 1) {
    throw new UserError(
      `--version must be a whole number of at least 1, e.g. ${EXAMPLE.show}; got ${JSON.stringify(value)}`,
    );
  }
  return Number(value);
}

async function findProtocol(id: string, version: string | undefined): Promise<ProtocolDefinition> {
  const wanted = versionOption(version);
  const { registry, problems } = await loadRegistry();
  const def = registry.get(id, wanted);
  if (def) return def;
  const newest = registry.get(id);
  if (newest)
    throw new UserError(`Protocol ${id} has no version ${wanted} loaded; the newest is version ${newest.version}.`);
  // The protocol may be in a file that failed to load: say why, so "no protocol called X" is not a mystery.
  printLoadProblems(problems);
  throw new UserError(`No protocol called ${id}. Run npx handover protocol list to see them.`);
}

/** The folder loads only these; anything else is refused before reading it. */
const isProtocolFile = (name: string) => /\.(json|ya?ml)$/i.test(name);

/** Problems the registry would refuse at start-up that a single file cannot show on its own. */
function clashes(def: ProtocolDefinition): string[] {
  const builtIn = BUILT_IN_PROTOCOLS.find((b) => b.id === def.id && b.version === def.version);
  return builtIn
    ? [
        `protocol: ${def.id} version ${def.version} is a built-in protocol; give your protocol its own id, e.g. yourcouncil-${def.id}`,
      ]
    : [];
}

export function registerProtocolCommands(program: Command): void {
  const protocol = program
    .command('protocol')
    .description(
      'protocols: the built-in ones and your council’s own files in PROTOCOLS_DIR (see docs/protocol-authoring.md)',
    );

  protocol
    .command('list')
    .description('list the loaded protocols (newest version of each): id, version, title, where it came from')
    .action(async () => {
      const { registry, problems } = await loadRegistry();
      const entries = registry.list();
      const idWidth = Math.max(...entries.map((e) => e.definition.id.length));
      const versionWidth = Math.max(...entries.map((e) => `version ${e.definition.version}`.length));
      for (const { definition: d, origin } of entries) {
        console.log(`${d.id.padEnd(idWidth)}  ${`version ${d.version}`.padEnd(versionWidth)}  ${d.title}  (${origin})`);
      }
      printLoadProblems(problems);
    });

  protocol
    .command('validate')
    .description('check a protocol file (.json, .yaml or .yml); exits 1 and lists the problems if it is not valid')
    .argument('<file>', 'the protocol file')
    .action(async (file: string) => {
      if (!isProtocolFile(file)) {
        throw new UserError(
          `FILE must end .json, .yaml or .yml (the protocols folder loads only those), e.g. ${EXAMPLE.validate}; got ${JSON.stringify(file)}`,
        );
      }
      const loaded = await loadProtocolFile(file);
      const problems = loaded.ok ? clashes(loaded.definition) : loaded.problems;
      if (problems.length > 0 || !loaded.ok) {
        for (const p of problems) console.log(`${file}: ${p}`);
        process.exitCode = 1;
        return;
      }
      const d = loaded.definition;
      console.log(
        `${file}: valid (${d.id} version ${d.version}, ${d.steps.length} step${d.steps.length === 1 ? '' : 's'})`,
      );
    });

  protocol
    .command('show')
    .description(
      'print a protocol in the file format: YAML, or JSON with --json (save it as a starting point for your own)',
    )
    .argument('<id>', 'the protocol id, as shown by protocol list')
    .option('--version <n>', 'a particular version (default: the newest)')
    .option('--json', 'print JSON instead of YAML')
    .action(async (id: string, options: { version?: string; json?: boolean }) => {
      const def = await findProtocol(id, options.version);
      console.log(options.json ? JSON.stringify(def, null, 2) : toYaml(def, { lineWidth: 0 }).trimEnd());
    });

  protocol
    .command('diagram')
    .description(
      'print a protocol’s diagram as SVG, from its id or straight from a file you are writing, e.g. npx handover protocol diagram referral-chase.yaml > diagram.svg',
    )
    .argument('<protocol>', 'a protocol id, as shown by protocol list, or a .json, .yaml or .yml file')
    .option('--version <n>', 'a particular version (default: the newest)')
    .action(async (idOrFile: string, options: { version?: string }) => {
      if (!isProtocolFile(idOrFile)) {
        console.log(renderDiagram(await findProtocol(idOrFile, options.version)));
        return;
      }
      if (options.version !== undefined)
        throw new UserError('--version picks a version of a loaded protocol; a file holds just one, so leave it out');
      const loaded = await loadProtocolFile(idOrFile);
      if (!loaded.ok) {
        // The picture goes to stdout (usually a file); the problems to the screen.
        for (const p of loaded.problems) console.error(`${idOrFile}: ${p}`);
        process.exitCode = 1;
        return;
      }
      console.log(renderDiagram(loaded.definition));
    });
}
