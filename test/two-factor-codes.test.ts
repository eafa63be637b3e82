// Issue 17, unit: the TOTP check (RFC 6238 codes, one step either side, a code good once), the secret's grouping
// and QR code, and recovery codes (single use is checked over HTTP in two-factor-signin; here their shape and hash).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  acceptedStep,
  codeAt,
  groupedSecret,
  newRecoveryCodes,
  newTotpSecret,
  qrCodeSvg,
  readTotpCode,
  recoveryCodeHash,
} from '../src/modules/two-factor/codes.ts';

// RFC 6238 appendix B's SHA-1 secret ("12345678901234567890") in base32; its test vectors are 8 digits, of which
// a 6-digit app shows the last 6.
const RFC_SECRET = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';

test('codes are what every authenticator app shows (RFC 6238 vectors, SHA-1, 30 seconds, 6 digits)', () => {
  assert.equal(codeAt(RFC_SECRET, new Date(59_000)), '287082');
  assert.equal(codeAt(RFC_SECRET, new Date(1_111_111_109_000)), '081804');
  assert.equal(codeAt(RFC_SECRET, new Date(1_234_567_890_000)), '005924');
  assert.equal(codeAt(RFC_SECRET, new Date(2_000_000_000_000)), '279037');
});

test('acceptedStep: the current step and one either side, never two away', () => {
  const secret = newTotpSecret();
  const now = new Date('2026-11-23T10:00:10Z');
  const step = Math.floor(now.getTime() / 30_000);
  const at = (steps: number) => new Date(now.getTime() + steps * 30_000);
  assert.equal(acceptedStep(secret, codeAt(secret, now), now, null), step);
  assert.equal(acceptedStep(secret, codeAt(secret, at(-1)), now, null), step - 1, 'a phone 30 seconds slow');
  assert.equal(acceptedStep(secret, codeAt(secret, at(1)), now, null), step + 1, 'a phone 30 seconds fast');
  assert.equal(acceptedStep(secret, codeAt(secret, at(-2)), now, null), null, 'a minute old');
  assert.equal(acceptedStep(secret, codeAt(secret, at(2)), now, null), null, 'a minute ahead');
  assert.equal(acceptedStep(newTotpSecret(), codeAt(secret, now), now, null), null, "another secret's code");
});

test('acceptedStep: a code is good once: its step or any before the last used is refused', () => {
  const secret = newTotpSecret();
  const now = new Date('2026-11-23T10:00:10Z');
  const used = acceptedStep(secret, codeAt(secret, now), now, null);
  assert.ok(used !== null);
  assert.equal(acceptedStep(secret, codeAt(secret, now), now, used), null, 'the same code again');
  assert.equal(
    acceptedStep(secret, codeAt(secret, new Date(now.getTime() - 30_000)), now, used),
    null,
    'an older code after a newer one',
  );
  const later = new Date(now.getTime() + 30_000);
  assert.equal(acceptedStep(secret, codeAt(secret, later), later, used), used + 1, 'the next code works');
});

test('readTotpCode: six digits, spaces and dashes ignored, anything else refused', () => {
  assert.equal(readTotpCode(' 123 456 '), '123456');
  assert.equal(readTotpCode('123-456'), '123456');
  for (const bad of ['', '12345', '1234567', '12345a', '１２３４５６']) assert.equal(readTotpCode(bad), null, bad);
});

test('secrets are 160 bits in base32, printed in groups of 4; the QR code is inline SVG with a name', async () => {
  const secret = newTotpSecret();
  assert.match(secret, /^[A-Z2-7]{32}$/);
  assert.notEqual(newTotpSecret(), secret);
  assert.match(groupedSecret(secret), /^([A-Z2-7]{4} ){7}[A-Z2-7]{4}$/);
  const svg = await qrCodeSvg(secret, 'fiona@example.test');
  assert.match(svg, /^<svg role="img" aria-label="QR code to add Handover to your authenticator app"/);
  assert.ok(!svg.includes('style='), 'no inline style (CSP)');
});

test('recovery codes: ten, different, readable; hashed so case, spaces and the dash do not matter', () => {
  const codes = newRecoveryCodes();
  assert.equal(codes.length, 10);
  assert.equal(new Set(codes).size, 10);
  for (const c of codes) assert.match(c, /^[a-hjkmnp-z2-9]{5}-[a-hjkmnp-z2-9]{5}$/);
  const c = codes[0] as string;
  const h = recoveryCodeHash(c);
  assert.match(h ?? '', /^[0-9a-f]{64}$/);
  assert.equal(recoveryCodeHash(` ${c.toUpperCase().replace('-', ' ')} `), h);
  assert.notEqual(recoveryCodeHash(codes[1] as string), h);
  assert.equal(recoveryCodeHash('short'), null);
  assert.equal(recoveryCodeHash(''), null);
});
