import { createHash } from 'node:crypto';
import type { Store } from '../store/store.js';
import type { IdGenerator } from '../resources/collection.js';

/**
 * The identities a fresh localgraph starts with: a default tenant, an application (client) and
 * an administrator user, so a token can be had before anything is registered. Kept in the
 * store; concurrent first starts agree on one set (first writer wins).
 */
export interface DefaultIdentity {
  tenantId: string;
  appId: string;
  servicePrincipalId: string;
  userId: string;
  userPrincipalName: string;
}

export const DEFAULT_UPN = 'admin@localgraph.onmicrosoft.com';

async function setting(store: Store, name: string, make: () => string): Promise<string> {
  return (await store.getSetting(name)) ?? store.putSettingIfAbsent(name, make());
}

export async function defaultIdentity(store: Store, ids: IdGenerator, now: Date): Promise<DefaultIdentity> {
  const tenantId = await setting(store, 'default.tenantId', () => ids.newId());
  await store.ensureTenant(tenantId, now);
  return {
    tenantId,
    appId: await setting(store, 'default.appId', () => ids.newId()),
    servicePrincipalId: await setting(store, 'default.servicePrincipalId', () => ids.newId()),
    userId: await setting(store, 'default.userId', () => ids.newId()),
    userPrincipalName: DEFAULT_UPN,
  };
}

/** A stable object id for a user name in a tenant, for users named only on the command line. */
export function userObjectId(tenantId: string, userPrincipalName: string): string {
  const hex = createHash('sha256').update(`${tenantId.toLowerCase()}/${userPrincipalName.toLowerCase()}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${((parseInt(hex[16], 16) & 3) | 8).toString(16)}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
