// Demo mode and the mail transport (issue 9, finding 1): outside demo mode email really leaves, or is plainly off.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ConfigError, readConfig } from './config.ts';

const DB = 'postgres://handover:x@db.example.internal:5432/handover';

test('production (NODE_ENV=production, or a DATABASE_URL without DEMO_MODE) refuses to start without a way to send email', () => {
  for (const env of [{ NODE_ENV: 'production' }, { DATABASE_URL: DB }, { NODE_ENV: 'production', DATABASE_URL: DB }]) {
    assert.throws(
      () => readConfig(env),
      (e: unknown) =>
        e instanceof ConfigError &&
        /SMTP_URL/.test(e.message) &&
        /NOTIFY_API_KEY/.test(e.message) &&
        /MAIL_TRANSPORT=off/.test(e.message),
      JSON.stringify(env),
    );
  }
});

test('the log transport (mail readable in the app) is refused outside demo mode', () => {
  assert.throws(
    () => readConfig({ DATABASE_URL: DB, MAIL_TRANSPORT: 'log' }),
    /MAIL_TRANSPORT=log .* only in demo mode/,
  );
  assert.throws(
    () => readConfig({ NODE_ENV: 'production', DEMO_MODE: 'false', MAIL_TRANSPORT: 'log' }),
    /only in demo mode/,
  );
});

test('demo mode never runs with NODE_ENV=production', () => {
  assert.throws(
    () => readConfig({ NODE_ENV: 'production', DEMO_MODE: 'true' }),
    /DEMO_MODE=true cannot be used with NODE_ENV=production/,
  );
  assert.equal(readConfig({ NODE_ENV: 'production', MAIL_TRANSPORT: 'off' }).demoMode, false);
});

test('production starts with a real transport, or with email plainly off when asked', () => {
  const smtp = readConfig({ DATABASE_URL: DB, SMTP_URL: 'smtp://mail.example.gov.uk:587' });
  assert.deepEqual([smtp.demoMode, smtp.mailTransport], [false, 'smtp']);
  const notify = readConfig({ NODE_ENV: 'production', NOTIFY_API_KEY: 'key', NOTIFY_TEMPLATE_ID: 'template' });
  assert.deepEqual([notify.demoMode, notify.mailTransport], [false, 'notify']);
  const off = readConfig({ DATABASE_URL: DB, MAIL_TRANSPORT: 'off' });
  assert.deepEqual([off.demoMode, off.mailTransport], [false, 'off']);
  assert.throws(
    () => readConfig({ DATABASE_URL: DB, MAIL_TRANSPORT: 'pigeon' }),
    /MAIL_TRANSPORT must be smtp, notify, off/,
  );
});

test('demo mode (the embedded database, not production) keeps email in the app by default', () => {
  const demo = readConfig({});
  assert.deepEqual([demo.demoMode, demo.mailTransport], [true, 'log']);
  const asked = readConfig({ DATABASE_URL: DB, DEMO_MODE: 'true' });
  assert.deepEqual([asked.demoMode, asked.mailTransport], [true, 'log']);
});
