// Issue 9, finding 9, on the command line: `token create --name N --days D` checks its options before it opens
// the database, and names the option and the fix. (Creating a token is tested in test/tokens.test.ts.)
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';

function cli(args: string[], env: Record<string, string> = {}) {
  return spawnSync(process.execPath, ['--import', 'tsx', 'src/main.ts', ...args], {
    env: { ...process.env, LOG_LEVEL: 'silent', ...env },
    encoding: 'utf8',
    timeout: 60_000,
  });
}

// Nothing listens on port 1: a valid command would fail to connect, so these messages come from the option check.
const NO_DATABASE = { DATABASE_URL: 'postgres://x@127.0.0.1:1/handover', DEMO_MODE: 'true' };

test('token create: a bad --name or --days is refused in one line each, before the database is opened', () => {
  const bad = cli(['token', 'create', '--user', 'someone@council.example', '--name', ' ', '--days', '0'], NO_DATABASE);
  assert.equal(bad.status, 2, bad.stderr);
  assert.match(bad.stderr, /^--name: Enter a name for the token/m);
  assert.match(bad.stderr, /^--days: The number of days must be a whole number from 1 to 365 \(API_TOKEN_MAX_DAYS\)/m);
  assert.doesNotMatch(bad.stderr, /Cannot connect| {4}at /);

  const tooLong = cli(['token', 'create', '--user', 'someone@council.example', '--days', '366'], NO_DATABASE);
  assert.equal(tooLong.status, 2);
  assert.match(tooLong.stderr, /--days: .*from 1 to 365/);

  // Good options get as far as the database.
  const good = cli(
    ['token', 'create', '--user', 'someone@council.example', '--name', 'Nightly', '--days', '7'],
    NO_DATABASE,
  );
  assert.notEqual(good.status, 0);
  assert.match(good.stderr, /Cannot connect to PostgreSQL/);
});
