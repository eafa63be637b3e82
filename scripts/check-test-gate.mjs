// Self-test of the test gate, run by .ci/run before the suite: the suite's own command (scripts/run-tests.mjs,
// with the embedded PostgreSQL global set-up) must exit non-zero on a failing, a cancelled and a broken test
// file, and zero on a passing one. If the gate ever swallows a failure again, CI stops here.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const dir = mkdtempSync(path.join(os.tmpdir(), 'handover-gate-selftest-'));
const cases = [
  { name: 'failing assertion', expect: 'fail', body: "test('fails', () => { assert.equal(1, 2); });" },
  {
    name: 'cancelled (timed out) test',
    expect: 'fail',
    body: "test('never ends', { timeout: 50 }, () => new Promise(() => {}));",
  },
  { name: 'file that throws while loading', expect: 'fail', body: "throw new Error('broken test file');" },
  { name: 'skipped test', expect: 'fail', body: "test('skipped', { skip: true }, () => {});" },
  { name: 'passing test', expect: 'pass', body: "test('passes', () => { assert.equal(1, 1); });" },
];

let wrong = 0;
for (const [i, c] of cases.entries()) {
  const file = path.join(dir, `case-${i}.test.ts`);
  writeFileSync(file, `import assert from 'node:assert/strict';\nimport { test } from 'node:test';\n${c.body}\n`);
  const run = spawnSync(process.execPath, ['scripts/run-tests.mjs', file], { encoding: 'utf8' });
  const got = run.status === 0 ? 'pass' : 'fail';
  const ok = got === c.expect;
  if (!ok) wrong++;
  console.log(
    `${ok ? 'ok  ' : 'WRONG'} ${c.name}: exit code ${run.status} (expected ${c.expect === 'pass' ? '0' : 'non-zero'})`,
  );
  if (!ok) console.log(run.stdout.slice(-2000), run.stderr.slice(-2000));
}
rmSync(dir, { recursive: true, force: true });
if (wrong > 0) {
  console.error(`The test gate is not honest: ${wrong} case(s) ended with the wrong exit code.`);
  process.exit(1);
}
console.log('The test gate fails a failing run and passes a passing one.');
