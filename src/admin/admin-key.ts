import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Store } from '../store/store.js';

/**
 * The admin API's credential: a random key made on first start and shown once. The store keeps
 * only its SHA-256 digest (`admin.keyHash`), so a copy of the data folder or database does not
 * give the key away; `--admin-key` or `LOCALGRAPH_ADMIN_KEY` give one instead, which is never
 * stored. A plain hash suffices (no scrypt): the made key has 192 random bits, nothing to guess.
 * It is not a Graph token and grants nothing on the Graph surface.
 */
export const ADMIN_KEY_HASH_SETTING = 'admin.keyHash';
/** Where versions before issue 16 kept the key in clear; moved to its digest at the next start. */
export const LEGACY_ADMIN_KEY_SETTING = 'admin.key';
export const ADMIN_KEY_HEADER = 'x-localgraph-admin-key';

export function newAdminKey(): string {
  return `lgadm_${randomBytes(24).toString('base64url')}`;
}

/** The stored form of a key: `sha256$<base64url digest>`. */
export function adminKeyHash(key: string): string {
  return `sha256$${digest(key).toString('base64url')}`;
}

/** What the store holds of the admin key, and the key itself only when this call made it. */
export interface StoredAdminKey {
  hash: string;
  /** The key in clear: only for the process that made it (to show once). */
  key?: string;
  /** The key was kept in clear by an older version and is now kept as its digest. */
  migrated?: boolean;
}

/**
 * The stored key's digest, made now (with a new key) if there is none: first writer wins when
 * two processes race, and only the winner learns the key.
 */
export async function ensureAdminKey(store: Store): Promise<StoredAdminKey> {
  const found = await store.getSetting(ADMIN_KEY_HASH_SETTING);
  if (found) return { hash: found };
  const legacy = await store.getSetting(LEGACY_ADMIN_KEY_SETTING);
  if (legacy) {
    const hash = await store.putSettingIfAbsent(ADMIN_KEY_HASH_SETTING, adminKeyHash(legacy));
    await store.putSetting(LEGACY_ADMIN_KEY_SETTING, '');
    return { hash, migrated: true };
  }
  const made = newAdminKey();
  const hash = await store.putSettingIfAbsent(ADMIN_KEY_HASH_SETTING, adminKeyHash(made));
  return hash === adminKeyHash(made) ? { hash, key: made } : { hash };
}

/** Replaces the stored key with a new one; returns it (to show once). */
export async function replaceAdminKey(store: Store): Promise<string> {
  const made = newAdminKey();
  await store.putSetting(ADMIN_KEY_HASH_SETTING, adminKeyHash(made));
  await store.putSetting(LEGACY_ADMIN_KEY_SETTING, '');
  return made;
}

/** The key a request presents: `Authorization: Bearer <key>` or `x-localgraph-admin-key: <key>`. */
export function presentedAdminKey(headers: Record<string, string | string[] | undefined>): string | undefined {
  const header = headers[ADMIN_KEY_HEADER];
  if (typeof header === 'string' && header.length > 0) return header.trim();
  const authorization = headers.authorization;
  const bearer = typeof authorization === 'string' ? /^Bearer\s+(\S+)\s*$/i.exec(authorization) : null;
  return bearer?.[1];
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}

/** Compares a presented key with a stored hash in constant time (over digests, so lengths leak nothing either). */
export function adminKeyMatches(expectedHash: string, presented: string | undefined): boolean {
  const expected = /^sha256\$([\w-]{43})$/.exec(expectedHash);
  if (presented === undefined || !expected) return false;
  return timingSafeEqual(Buffer.from(expected[1], 'base64url'), digest(presented));
}
