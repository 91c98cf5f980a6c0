import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

/**
 * Client secrets and user passwords are kept only as salted scrypt hashes, so a copied data
 * folder does not give away the credentials it checks. The stored form names its parameters
 * (`scrypt$N$r$p$salt$hash`), so stronger ones can be chosen later without breaking old rows.
 */
const N = 16384;
const R = 8;
const P = 1;
const KEY_LENGTH = 32;
const SALT_LENGTH = 16;

function derive(secret: string, salt: Buffer, n: number, r: number, p: number): Promise<Buffer> {
  const options: ScryptOptions = { N: n, r, p, maxmem: 256 * n * r + 1024 * 1024 };
  return new Promise((resolve, reject) =>
    scrypt(secret.normalize('NFC'), salt, KEY_LENGTH, options, (error, key) => (error ? reject(error) : resolve(key))),
  );
}

/** Hashes a secret with a fresh random salt. */
export async function hashSecret(secret: string): Promise<string> {
  const salt = randomBytes(SALT_LENGTH);
  const hash = await derive(secret, salt, N, R, P);
  return ['scrypt', N, R, P, salt.toString('base64url'), hash.toString('base64url')].join('$');
}

/**
 * The stored form this localgraph writes, and the only one it reads: its own scrypt parameters,
 * a 16-byte salt and a 32-byte hash. The parameters decide how much memory and CPU a check costs,
 * so they are never taken from a stored row (a fixture could otherwise set a cost that hangs
 * the server at the next sign-in).
 */
const OWN_HASH = new RegExp(`^scrypt\\$${N}\\$${R}\\$${P}\\$[A-Za-z0-9_-]{22}\\$[A-Za-z0-9_-]{43}$`);

/** Whether `stored` is a hash in localgraph's own form (what {@link hashSecret} writes). */
export function isOwnHash(stored: string): boolean {
  return OWN_HASH.test(stored);
}

/** Whether `secret` is the one `stored` was made from; false for a stored form it cannot read. */
export async function verifySecret(secret: string, stored: string): Promise<boolean> {
  if (!isOwnHash(stored)) return false;
  const [, n, r, p, salt, hash] = stored.split('$');
  const expected = Buffer.from(hash, 'base64url');
  try {
    const actual = await derive(secret, Buffer.from(salt, 'base64url'), Number(n), Number(r), Number(p));
    return actual.length === expected.length && timingSafeEqual(actual, expected);
  } catch {
    return false; // parameters scrypt refuses: not a hash this code wrote
  }
}

/**
 * A new client secret: 40 characters like Entra ID's (a 3-character prefix, `~`, then random
 * URL-safe characters), so code that checks a secret's shape accepts it.
 */
export function newClientSecret(): string {
  return `lgQ~${randomBytes(27).toString('base64url')}`.slice(0, 40);
}

/** A new random password that meets Entra ID's complexity rules (upper, lower, digit, symbol). */
export function newPassword(): string {
  return `Lg-${randomBytes(12).toString('base64url')}-7a`;
}
