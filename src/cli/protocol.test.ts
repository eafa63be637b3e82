import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { Command } from 'commander';
import { parse as parseYaml } from 'yaml';
import type { ProtocolDefinition } from '../domain/protocol/definition.ts';
import { renderDiagram } from '../domain/protocol/diagram.ts';
import { validateProtocol } from '../domain/protocol/validate.ts';
import { ROLE_NAMES } from '../domain/roles.ts';
import { ProtocolRegistry } from '../modules/protocols/registry.ts';
import { cumbriaAdviceQuery } from '../protocols/cumbria-advice-query.ts';
import { registerProtocolCommands } from './protocol.ts';
import { UserError } from './user-error.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));
const EXAMPLE = 'docs/examples/referral-chase.yaml';
const exampleText = readFileSync(path.join(root, EXAMPLE), 'utf8');

// A council's protocols folder: the worked example, a file with two mistakes, and a file that is not a protocol.
const tmp = mkdtempSync(path.join(os.tmpdir(), 'handover-protocol-cli-'));
after(() => rmSync(tmp, { recursive: true, force: true }));
const council = path.join(tmp, 'council');
mkdirSync(council);
writeFileSync(path.join(council, 'referral-chase.yaml'), exampleText);
const badProtocol = {
  id: 'bad-protocol',
  version: 1,
  title: 'Bad protocol',
  start: 'first',
  steps: [
    { id: 'first', title: 'First', responsible: 'role:wizard', outcomes: [{ id: 'on', label: 'On', to: 'second' }] },
    {
      id: 'second',
      title: 'Second',
      responsible: 'allocated_worker',
      overdue: [{ action: 'remind' }],
      outcomes: [{ id: 'done', label: 'Done', end: 'done' }],
    },
  ],
};
const badProblems = [
  `step first: unknown role "wizard" (known roles: ${ROLE_NAMES.join(', ')})`,
  'step second: overdue rung 1 (remind): the step has no deadline, so it can never be overdue',
];
writeFileSync(path.join(council, 'broken.json'), JSON.stringify(badProtocol));
writeFileSync(path.join(council, 'README.txt'), 'Not a protocol: ignored.');

function file(name: string, content: unknown): string {
  const at = path.join(tmp, name);
  writeFileSync(at, typeof content === 'string' ? content : JSON.stringify(content, null, 2));
  return at;
}
const lines = (text: string) => text.split('\n').filter((l) => l !== '');
const noSuch = (id: string) => `No protocol called ${id}. Run npx handover protocol list to see them.`;

// ---- through the real entry point --------------------------------------------------------------------

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `handover protocol …args` through src/main.ts. PROTOCOLS_DIR is empty (built-ins only) unless set. */
function handover(args: string[], env: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts', 'protocol', ...args], {
      cwd: root,
      env: { ...process.env, PROTOCOLS_DIR: '', ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

describe('npx handover protocol … via src/main.ts', () => {
  // Each start of the CLI takes a second or more, so they all start at once and each test awaits its own.
  const badFile = file('bad.json', badProtocol);
  const badYaml = file('bad.yaml', 'id: x\nsteps: [unclosed\n');
  const start = (args: string[], env?: Record<string, string>) => handover(args, env);
  const runs = {
    validateExample: start(['validate', EXAMPLE]),
    validateBad: start(['validate', badFile]),
    validateBadYaml: start(['validate', badYaml]),
    list: start(['list']),
    listCouncil: start(['list'], { PROTOCOLS_DIR: council }),
    showJson: start(['show', 'cumbria-advice-query', '--version', '1', '--json']),
    showYaml: start(['show', 'cumbria-advice-query', '--version', '1']),
    showCouncil: start(['show', 'referral-chase'], { PROTOCOLS_DIR: council }),
    diagram: start(['diagram', 'cumbria-advice-query', '--version', '1']),
    unknown: start(['diagram', 'no-such-protocol']),
  };

  test('validate: the worked example in docs/protocol-authoring.md is valid', async () => {
    assert.deepEqual(await runs.validateExample, {
      status: 0,
      stdout: `${EXAMPLE}: valid (referral-chase version 2, 2 steps)\n`,
      stderr: '',
    });
  });

  test('validate: a bad file exits 1 with one line per problem, naming the file and the step', async () => {
    const run = await runs.validateBad;
    assert.deepEqual(run, { status: 1, stdout: badProblems.map((p) => `${badFile}: ${p}\n`).join(''), stderr: '' });
    const yaml = await runs.validateBadYaml;
    assert.equal(yaml.status, 1);
    assert.ok(yaml.stdout.startsWith(`${badYaml}: not valid YAML: `), yaml.stdout);
    assert.equal(lines(yaml.stdout).length, 1);
  });

  test('list: the built-ins; with PROTOCOLS_DIR, the council’s protocols too and its bad files on stderr', async () => {
    const { registry } = await ProtocolRegistry.load(null);
    const builtIns = registry.list().map(({ definition: d, origin }) => [d.id, d.version, d.title, origin]);
    const parse = (stdout: string) =>
      lines(stdout).map((line) => {
        const m = /^(\S+) +version (\d+) +(.+) {2}\((.+)\)$/.exec(line);
        assert.ok(m, `one protocol per line: ${line}`);
        return [m[1], Number(m[2]), m[3], m[4]];
      });
    const list = await runs.list;
    assert.equal(list.stderr, '');
    assert.equal(list.status, 0);
    assert.deepEqual(parse(list.stdout), builtIns);

    const withCouncil = await runs.listCouncil;
    assert.equal(withCouncil.status, 0);
    const listed = parse(withCouncil.stdout);
    assert.deepEqual(
      listed.find(([id]) => id === 'referral-chase'),
      ['referral-chase', 2, 'Chase a referral response', path.join(council, 'referral-chase.yaml')],
      'the council’s version 2 of the built-in referral chase is the newest',
    );
    assert.deepEqual(
      builtIns.find(([id]) => id === 'referral-chase'),
      ['referral-chase', 1, 'Chase a referral response', 'built-in'],
    );
    assert.deepEqual(
      listed.filter(([id]) => id !== 'referral-chase'),
      builtIns.filter(([id]) => id !== 'referral-chase'),
    );
    assert.deepEqual(
      lines(withCouncil.stderr),
      badProblems.map((p) => `${path.join(council, 'broken.json')}: ${p}`),
    );
  });

  test('show: JSON or YAML in the file format, which validates back to the same definition', async () => {
    const json = await runs.showJson;
    const yaml = await runs.showYaml;
    const councilYaml = await runs.showCouncil;
    for (const run of [json, yaml, councilYaml]) {
      assert.equal(run.stderr, '');
      assert.equal(run.status, 0);
    }
    assert.deepEqual(validateProtocol(JSON.parse(json.stdout)), { ok: true, definition: cumbriaAdviceQuery });
    assert.deepEqual(validateProtocol(parseYaml(yaml.stdout)), { ok: true, definition: cumbriaAdviceQuery });
    assert.deepEqual(parseYaml(councilYaml.stdout), parseYaml(exampleText));
  });

  test('diagram: the SVG on stdout, the same as the app draws', async () => {
    assert.deepEqual(await runs.diagram, { status: 0, stdout: `${renderDiagram(cumbriaAdviceQuery)}\n`, stderr: '' });
  });

  test('an unknown protocol is a one-line error, exit 2', async () => {
    assert.deepEqual(await runs.unknown, { status: 2, stdout: '', stderr: `${noSuch('no-such-protocol')}\n` });
  });
});

// ---- in-process, for the many smaller cases ----------------------------------------------------------

/** Runs `handover protocol …args` in-process against a program holding only these commands. */
async function run(
  args: string[],
  protocolsDir = '',
): Promise<{ out: string; err: string; exitCode: number | undefined; error?: unknown }> {
  const program = new Command('handover').exitOverride().configureOutput({ writeErr: () => {}, writeOut: () => {} });
  registerProtocolCommands(program);
  let out = '';
  let err = '';
  const saved = { log: console.log, error: console.error, dir: process.env.PROTOCOLS_DIR, exitCode: process.exitCode };
  console.log = (...values: unknown[]) => {
    out += `${values.map(String).join(' ')}\n`;
  };
  console.error = (...values: unknown[]) => {
    err += `${values.map(String).join(' ')}\n`;
  };
  // config.ts is the only reader of the environment; the command reads its config as the real CLI does.
  process.env.PROTOCOLS_DIR = protocolsDir;
  process.exitCode = undefined;
  try {
    await program.parseAsync(['protocol', ...args], { from: 'user' });
    return { out, err, exitCode: process.exitCode as number | undefined };
  } catch (error) {
    return { out, err, exitCode: process.exitCode as number | undefined, error };
  } finally {
    console.log = saved.log;
    console.error = saved.error;
    if (saved.dir === undefined) delete process.env.PROTOCOLS_DIR;
    else process.env.PROTOCOLS_DIR = saved.dir;
    process.exitCode = saved.exitCode;
  }
}

function assertUserError(result: { error?: unknown; out: string }, message: string): void {
  assert.ok(result.error instanceof UserError, `a UserError, got ${String(result.error)}`);
  assert.equal(result.error.message, message);
  assert.equal(result.out, '');
}

test('the worked example in docs/protocol-authoring.md is docs/examples/referral-chase.yaml, word for word', () => {
  const guide = readFileSync(path.join(root, 'docs/protocol-authoring.md'), 'utf8');
  assert.ok(guide.includes(`\`\`\`yaml\n${exampleText}\`\`\`\n`), 'the guide shows the example file as it is');
});

test('validate: .yml and .json files; "1 step"; a copy of a built-in made from show', async () => {
  const single = file(
    'single.yml',
    'id: one-step\nversion: 3\ntitle: One step\nstart: only\nsteps:\n  - id: only\n    title: Only\n    responsible: starter\n    outcomes:\n      - { id: done, label: Done, end: done }\n',
  );
  assert.deepEqual(await run(['validate', single]), {
    out: `${single}: valid (one-step version 3, 1 step)\n`,
    err: '',
    exitCode: undefined,
  });
  const json = file('referral.json', parseYaml(exampleText));
  assert.deepEqual(await run(['validate', json]), {
    out: `${json}: valid (referral-chase version 2, 2 steps)\n`,
    err: '',
    exitCode: undefined,
  });

  // What show prints, saved with an id of the council's own, is a valid file to start from.
  for (const format of [[], ['--json']]) {
    const shown = await run(['show', 'cumbria-advice-query', ...format]);
    const def = (format.length ? JSON.parse(shown.out) : parseYaml(shown.out)) as ProtocolDefinition;
    const copy = file(
      `copy.${format.length ? 'json' : 'yaml'}`,
      format.length
        ? { ...def, id: 'mycouncil-advice-query' }
        : shown.out.replace(/^id: .*$/m, 'id: mycouncil-advice-query'),
    );
    const checked = await run(['validate', copy]);
    assert.equal(
      checked.out,
      `${copy}: valid (mycouncil-advice-query version ${def.version}, ${def.steps.length} steps)\n`,
    );
    assert.equal(checked.exitCode, undefined);
  }
});

test('validate: what the registry would refuse, a missing file, a file that is not one object, a wrong extension', async () => {
  const clash = file('clash.json', cumbriaAdviceQuery);
  assert.deepEqual(await run(['validate', clash]), {
    out: `${clash}: protocol: cumbria-advice-query version 1 is a built-in protocol; give your protocol its own id, e.g. yourcouncil-cumbria-advice-query\n`,
    err: '',
    exitCode: 1,
  });
  const missing = path.join(tmp, 'missing.yaml');
  assert.deepEqual(await run(['validate', missing]), {
    out: `${missing}: cannot read ${missing}: check the path\n`,
    err: '',
    exitCode: 1,
  });
  const list = file('list.yaml', '- just\n- a list\n');
  assert.deepEqual(await run(['validate', list]), {
    out: `${list}: protocol: the file must hold one object with id, version, title, start and steps\n`,
    err: '',
    exitCode: 1,
  });
  const empty = file('empty.json', '');
  const emptyRun = await run(['validate', empty]);
  assert.equal(emptyRun.exitCode, 1);
  assert.ok(emptyRun.out.startsWith(`${empty}: not valid JSON: `), emptyRun.out);
  assertUserError(
    await run(['validate', 'referral-chase.txt']),
    'FILE must end .json, .yaml or .yml (the protocols folder loads only those), e.g. npx handover protocol validate referral-chase.yaml; got "referral-chase.txt"',
  );
});

test('show and diagram: --version picks a version; bad versions and unknown ids say what to do', async () => {
  const { registry } = await ProtocolRegistry.load(null);
  const newest = registry.get('cumbria-advice-query') as ProtocolDefinition;
  assert.deepEqual(JSON.parse((await run(['show', 'cumbria-advice-query', '--json'])).out), newest);
  assert.deepEqual(
    JSON.parse((await run(['show', 'cumbria-advice-query', '--version', '1', '--json'])).out),
    cumbriaAdviceQuery,
  );
  assert.equal((await run(['diagram', 'referral-chase'], council)).out, `${renderDiagram(parseYaml(exampleText))}\n`);

  assertUserError(
    await run(['diagram', 'cumbria-advice-query', '--version', '99']),
    `Protocol cumbria-advice-query has no version 99 loaded; the newest is version ${newest.version}.`,
  );
  for (const bad of ['latest', '0', '-1', '1.5']) {
    assertUserError(
      await run(['show', 'cumbria-advice-query', '--version', bad]),
      `--version must be a whole number of at least 1, e.g. npx handover protocol show cumbria-advice-query --version 1; got "${bad}"`,
    );
  }
  assertUserError(await run(['show', 'no-such-protocol']), noSuch('no-such-protocol'));
  // A council's version is only found when PROTOCOLS_DIR points at its folder: without it, the built-in.
  assert.equal(parseYaml((await run(['show', 'referral-chase'])).out).version, 1);
  assertUserError(
    await run(['show', 'referral-chase', '--version', '2']),
    'Protocol referral-chase has no version 2 loaded; the newest is version 1.',
  );
  // The protocol asked for is in a file that failed to load: its problems come first, so the error is no mystery.
  const broken = await run(['show', 'bad-protocol'], council);
  assertUserError(broken, noSuch('bad-protocol'));
  assert.deepEqual(
    lines(broken.err),
    badProblems.map((p) => `${path.join(council, 'broken.json')}: ${p}`),
  );
});

test('diagram: straight from a file being written; a bad file lists its problems on stderr', async () => {
  assert.deepEqual(await run(['diagram', path.join(root, EXAMPLE)]), {
    out: `${renderDiagram(parseYaml(exampleText))}\n`,
    err: '',
    exitCode: undefined,
  });
  const bad = file('bad-for-diagram.json', badProtocol);
  assert.deepEqual(await run(['diagram', bad]), {
    out: '',
    err: badProblems.map((p) => `${bad}: ${p}\n`).join(''),
    exitCode: 1,
  });
  assertUserError(
    await run(['diagram', bad, '--version', '1']),
    '--version picks a version of a loaded protocol; a file holds just one, so leave it out',
  );
});

test('list: a missing folder is reported and the built-ins still listed; two files with one id and version stop it', async () => {
  const missing = path.join(tmp, 'no-such-folder');
  const listed = await run(['list'], missing);
  assert.equal(listed.err, `${missing}: the protocols folder ${missing} cannot be read: check PROTOCOLS_DIR\n`);
  assert.equal(listed.out, (await run(['list'])).out);

  const twice = path.join(tmp, 'twice');
  mkdirSync(twice);
  writeFileSync(path.join(twice, 'a.yaml'), exampleText);
  writeFileSync(
    path.join(twice, 'b.yaml'),
    exampleText.replace('title: Chase a referral response', 'title: Chase a referral response (edited)'),
  );
  assertUserError(
    await run(['list'], twice),
    `Protocol referral-chase version 2 is defined twice (${path.join(twice, 'a.yaml')} and ${path.join(twice, 'b.yaml')}): give one a new version.`,
  );
});
