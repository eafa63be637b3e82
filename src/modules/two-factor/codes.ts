// The codes of two-factor sign-in (issue 17): TOTP as every authenticator app reads it (RFC 6238: SHA-1, 6 digits,
// 30 seconds), checked one step either side for clock drift and accepted once; and single-use recovery codes.
import { createHash, randomInt } from 'node:crypto';
import { Secret, TOTP } from 'otpauth';
import QRCode from 'qrcode';

const PERIOD = 30;
const DIGITS = 6;
const ISSUER = 'Handover';
export const RECOVERY_CODE_COUNT = 10;

function totp(secretBase32: string, label = 'Handover') {
  return new TOTP({
    issuer: ISSUER,
    label,
    algorithm: 'SHA1',
    digits: DIGITS,
    period: PERIOD,
    secret: Secret.fromBase32(secretBase32),
  });
}

/** A new 160-bit secret (RFC 4226's recommended length), base32 as apps take it. */
export function newTotpSecret(): string {
  return new Secret({ size: 20 }).base32;
}

/** The secret in groups of 4 for typing into an app by hand. */
export function groupedSecret(secretBase32: string): string {
  return secretBase32.match(/.{1,4}/g)?.join(' ') ?? '';
}

/** What a person types: digits only, spaces and dashes ignored; null unless exactly 6 digits. */
export function readTotpCode(input: string): string | null {
  const code = input.replace(/[\s-]/g, '');
  return /^\d{6}$/.test(code) ? code : null;
}

/**
 * The time step `code` is good for, or null: the current step or one either side (a phone's clock a little out),
 * and never a step at or before `lastUsedStep`, so a code seen once (over a shoulder, in a proxy's log) is refused.
 */
export function acceptedStep(secretBase32: string, code: string, at: Date, lastUsedStep: number | null): number | null {
  const t = totp(secretBase32);
  const delta = t.validate({ token: code, timestamp: at.getTime(), window: 1 });
  if (delta === null) return null;
  const step = t.counter({ timestamp: at.getTime() }) + delta;
  if (lastUsedStep !== null && step <= lastUsedStep) return null;
  return step;
}

/** The code an app shows at `at` (for tests and the demo's tries). */
export function codeAt(secretBase32: string, at: Date): string {
  return totp(secretBase32).generate({ timestamp: at.getTime() });
}

/**
 * The QR code of the otpauth:// URI, as inline SVG: no image request, and nothing written to disk. The account's
 * email labels it in the app, so a person with several accounts can tell them apart.
 */
export async function qrCodeSvg(secretBase32: string, accountLabel: string): Promise<string> {
  const svg = await QRCode.toString(totp(secretBase32, accountLabel).toString(), {
    type: 'svg',
    margin: 2,
    errorCorrectionLevel: 'M',
  });
  // The text alternative is the secret key printed beside it; the image itself is named for screen readers.
  return svg
    .replace(
      '<svg ',
      '<svg role="img" aria-label="QR code to add Handover to your authenticator app" width="200" height="200" ',
    )
    .trim();
}

// Recovery codes: 10 characters from an alphabet with no look-alikes (no 0/o, 1/l/i), about 49 bits each.
const ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789';

export function newRecoveryCodes(): string[] {
  return Array.from({ length: RECOVERY_CODE_COUNT }, () => {
    let s = '';
    for (let i = 0; i < 10; i++) s += ALPHABET[randomInt(ALPHABET.length)];
    return `${s.slice(0, 5)}-${s.slice(5)}`;
  });
}

/** How a recovery code is stored and looked up: case, spaces and the dash do not matter. */
export function recoveryCodeHash(input: string): string | null {
  const normal = input.toLowerCase().replace(/[\s-]/g, '');
  if (!/^[a-z0-9]{10}$/.test(normal)) return null;
  return createHash('sha256').update(`handover-recovery\n${normal}`).digest('hex');
}
