// The command line: clear one-line errors that say what to type instead.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import net from 'node:net';
import { test } from 'node:test';
import { testDatabase } from './helpers.ts';

const { url, ownerUrl } = await testDatabase();
// As on a server: DATABASE_URL is the app role, DATABASE_OWNER_URL the owner that migrates (docs/database-roles.md).
const roles = { DATABASE_URL: url, DATABASE_OWNER_URL: ownerUrl };

function cli(args: string[], env: Record<string, string> = {}) {
  const started = Date.now();
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'src/main.ts', ...args], {
    // Outside demo mode Handover needs a mail transport (or email plainly off) to start.
    env: { ...process.env, LOG_LEVEL: 'silent', MAIL_TRANSPORT: 'off', ...env },
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { ...r, ms: Date.now() - started };
}

test('a wrong DATABASE_URL fails fast with one clear line', () => {
  const down = cli(['migrate'], { DATABASE_URL: 'postgres://nobody:x@127.0.0.1:1/handover' });
  assert.equal(down.status, 1);
  assert.equal(down.stderr.trim().split('\n').length, 1, down.stderr);
  assert.match(down.stderr, /Cannot connect to PostgreSQL at 127\.0\.0\.1:1\/handover: .*Check DATABASE_URL/);
  assert.doesNotMatch(down.stderr, / {4}at /, 'no stack trace');
  const wrongKind = cli(['migrate'], { DATABASE_URL: 'mysql://x@localhost/db' });
  assert.equal(wrongKind.status, 1);
  assert.match(wrongKind.stderr, /DATABASE_URL must start with postgres:\/\//);
  const badPort = cli(['migrate'], { PORT: 'eighty' });
  assert.match(badPort.stderr, /PORT must be a whole number/);
  const noMail = cli(['serve'], { DATABASE_URL: url, MAIL_TRANSPORT: '' });
  assert.equal(noMail.status, 1);
  assert.match(noMail.stderr, /No way to send email: .*SMTP_URL .*NOTIFY_API_KEY.*MAIL_TRANSPORT=off/);
});

test('migrate, token create and its errors', () => {
  const m = cli(['migrate'], roles);
  assert.equal(m.status, 0, m.stderr);
  assert.match(m.stdout, /up to date/);
  const t = cli(['token', 'create', '--user', 'nobody@nowhere.example'], roles);
  assert.equal(t.status, 2);
  assert.match(t.stderr, /No active user has the email nobody@nowhere\.example/);
  const missing = cli(['token', 'create'], roles);
  assert.notEqual(missing.status, 0);
  assert.match(missing.stderr, /--user/);
  const unknown = cli(['frobnicate']);
  assert.notEqual(unknown.status, 0);
  assert.match(unknown.stderr, /npx handover --help/);
});

test('serve on a busy port says so in one line and stops', async () => {
  const blocker = net.createServer();
  await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', () => r()));
  const port = (blocker.address() as net.AddressInfo).port;
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts', 'serve'], {
    env: {
      ...process.env,
      ...roles,
      PORT: String(port),
      DEMO_MODE: 'false',
      MAIL_TRANSPORT: 'off',
      LOG_LEVEL: 'silent',
    },
  });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  const code = await new Promise<number | null>((r) => child.on('exit', r));
  blocker.close();
  assert.equal(code, 2);
  assert.match(stderr, new RegExp(`Port ${port} is already in use`));
});
