// A node:test reporter that writes the whole run's counts to the file named by HANDOVER_TEST_SUMMARY, so
// scripts/run-tests.mjs can judge the run by what ran, not only by the exit code (see issue on the test gate).
// It also keeps each file's wall time (its own summary event), so the run can name its slowest files: CI has a time
// limit, and the slow files are where time is won back.

import { writeFileSync } from 'node:fs';
import path from 'node:path';

export default async function* testGateReporter(source) {
  const files = [];
  for await (const event of source) {
    if (event.type !== 'test:summary') continue;
    if (event.data.file !== undefined) {
      files.push({ file: path.relative(process.cwd(), event.data.file), ms: Math.round(event.data.duration_ms) });
    } else if (process.env.HANDOVER_TEST_SUMMARY) {
      writeFileSync(
        process.env.HANDOVER_TEST_SUMMARY,
        JSON.stringify({ success: event.data.success, counts: event.data.counts, files }),
      );
    }
  }
  yield '';
}
