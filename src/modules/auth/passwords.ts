import { Algorithm, hash, verify } from '@node-rs/argon2';

// OWASP / ASVS L2: argon2id, m ≥ 19 MiB, t ≥ 2 (quality.md S11).
const OPTIONS = { algorithm: Algorithm.Argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

// A handful of the most common passwords; anything on it is refused. Long passphrases are welcome.
const COMMON = new Set([
  'password',
  'password1',
  'password123',
  'password1234',
  'password12345',
  '123456789012',
  'qwertyuiop',
  'letmein123',
  'welcome123',
  'iloveyou123',
  'administrator',
  'passw0rd1234',
  'changeme1234',
  'handover1234',
  'qwerty123456',
  '111111111111',
  'abc123456789',
  'football1234',
  'monkey123456',
  'sunshine1234',
  'princess1234',
]);

export const MIN_PASSWORD_LENGTH = 12;
export const MAX_PASSWORD_LENGTH = 256;

/** null when acceptable, otherwise the message to show beside the field. */
export function passwordProblem(password: string): string | null {
  if (password.length < MIN_PASSWORD_LENGTH)
    return `Password must be at least ${MIN_PASSWORD_LENGTH} characters; a passphrase of three or four words works well`;
  if (password.length > MAX_PASSWORD_LENGTH) return `Password must be ${MAX_PASSWORD_LENGTH} characters or fewer`;
  if (COMMON.has(password.toLowerCase())) return 'Password is too common; choose a passphrase nobody would guess';
  return null;
}

export function hashPassword(password: string): Promise<string> {
  return hash(password, OPTIONS);
}

let verifications = 0;
/** How many passwords have been checked against a hash in this process: the throttling tests count them (S12). */
export const passwordVerifications = () => verifications;

export async function verifyPassword(stored: string | null, password: string): Promise<boolean> {
  // Compare against a real hash even for unknown users so timing does not reveal who has an account.
  const target = stored ?? (await dummyHash());
  verifications++;
  try {
    const ok = await verify(target, password);
    return stored !== null && ok;
  } catch {
    return false;
  }
}

let dummy: Promise<string> | null = null;
function dummyHash(): Promise<string> {
  dummy ??= hash('not-a-real-password-for-timing', OPTIONS);
  return dummy;
}
