import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Store } from '../store/store.js';

/**
 * The admin API's credential: a random key made on first start and kept in the store's settings
 * (`admin.key`), so it survives restarts; `--admin-key` or `LOCALGRAPH_ADMIN_KEY` override it.
 * It is not a Graph token and grants nothing on the Graph surface.
 */
export const ADMIN_KEY_SETTING = 'admin.key';
export const ADMIN_KEY_HEADER = 'x-localgraph-admin-key';

export function newAdminKey(): string {
  return `lgadm_${randomBytes(24).toString('base64url')}`;
}

/** The stored key, made now if there is none (first writer wins when two processes race). */
export async function ensureAdminKey(store: Store): Promise<{ key: string; created: boolean }> {
  const found = await store.getSetting(ADMIN_KEY_SETTING);
  if (found) return { key: found, created: false };
  const made = newAdminKey();
  const key = await store.putSettingIfAbsent(ADMIN_KEY_SETTING, made);
  return { key, created: key === made };
}

/** The key a request presents: `Authorization: Bearer <key>` or `x-localgraph-admin-key: <key>`. */
export function presentedAdminKey(headers: Record<string, string | string[] | undefined>): string | undefined {
  const header = headers[ADMIN_KEY_HEADER];
  if (typeof header === 'string' && header.length > 0) return header.trim();
  const authorization = headers.authorization;
  const bearer = typeof authorization === 'string' ? /^Bearer\s+(\S+)\s*$/i.exec(authorization) : null;
  return bearer?.[1];
}

/** Compares in constant time (over digests, so lengths leak nothing either). */
export function adminKeyMatches(expected: string, presented: string | undefined): boolean {
  if (presented === undefined || expected.length === 0) return false;
  const digest = (value: string) => createHash('sha256').update(value).digest();
  return timingSafeEqual(digest(expected), digest(presented));
}
