import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { childExploitation } from '../screening/child-exploitation.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));
const tmp = mkdtempSync(path.join(os.tmpdir(), 'handover-screening-cli-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

function handover(args: string[], env: Record<string, string> = {}) {
  return new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts', 'screening', ...args], {
      cwd: root,
      env: { ...process.env, SCREENING_DIR: '', ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => {
      stdout += c;
    });
    child.stderr.setEncoding('utf8').on('data', (c: string) => {
      stderr += c;
    });
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

const goodFile = path.join(tmp, 'good.json');
writeFileSync(goodFile, JSON.stringify({ ...childExploitation, id: 'wiltshire-exploitation' }));
const bad = structuredClone(childExploitation) as { levels: unknown[]; rules: { atLeast: string }[] };
(bad.rules[0] as { atLeast: string }).atLeast = 'critical';
bad.levels.push({ code: 'low', label: 'Again' });
const badFile = path.join(tmp, 'bad.json');
writeFileSync(badFile, JSON.stringify({ ...bad, id: 'wiltshire-bad' }));

test('validate: a good file exits 0 with a summary; a bad one exits 1 with one line per problem', async () => {
  const [ok, no, clash] = await Promise.all([
    handover(['validate', goodFile]),
    handover(['validate', badFile]),
    handover(['validate', path.join(tmp, 'missing.yaml')]),
  ]);
  assert.deepEqual(ok, {
    status: 0,
    stdout: `${goodFile}: valid (wiltshire-exploitation version 1, 3 levels, 8 domains, 22 indicators, 2 rules)\n`,
    stderr: '',
  });
  assert.deepEqual(no, {
    status: 1,
    stdout: [
      `${badFile}: level low: the code is used by more than one level`,
      `${badFile}: rule young_child_any_high: atLeast names unknown level "critical" (the instrument’s levels are low, medium, high, low)`,
      '',
    ].join('\n'),
    stderr: '',
  });
  assert.equal(clash.status, 1);
});

test('list: the built-in, and a council file from SCREENING_DIR', async () => {
  const list = await handover(['list'], { SCREENING_DIR: tmp });
  assert.equal(list.status, 0);
  const lines = list.stdout.trim().split('\n');
  assert.equal(lines.length, 2, list.stdout);
  assert.match(list.stdout, /^child-exploitation +version 1 +Child exploitation screening .*\(built-in\)$/m);
  assert.match(list.stdout, /^wiltshire-exploitation +version 1 .*good\.json\)$/m);
  assert.match(list.stderr, /bad\.json: level low: the code is used by more than one level/);
});
