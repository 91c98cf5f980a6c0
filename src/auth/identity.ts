import { createHash } from 'node:crypto';
import type { Store } from '../store/store.js';
import type { IdGenerator } from '../resources/id-generator.js';
import { familyRegistry, type Family } from '../family/family.js';
import { DuplicateRegistrationError, registerApp, registerUser } from './registrations.js';
import { newPassword } from './secrets.js';

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
export const DEFAULT_APP_NAME = 'localgraph default app';
/** The setting the default tenant's id is kept under. */
export const DEFAULT_TENANT_SETTING = 'default.tenantId';

async function setting(store: Store, name: string, make: () => string): Promise<string> {
  return (await store.getSetting(name)) ?? store.putSettingIfAbsent(name, make());
}

export async function defaultIdentity(store: Store, ids: IdGenerator, now: Date): Promise<DefaultIdentity> {
  const tenantId = await setting(store, DEFAULT_TENANT_SETTING, () => ids.newId());
  await store.ensureTenant(tenantId, now);
  return {
    tenantId,
    appId: await setting(store, 'default.appId', () => ids.newId()),
    servicePrincipalId: await setting(store, 'default.servicePrincipalId', () => ids.newId()),
    userId: await setting(store, 'default.userId', () => ids.newId()),
    userPrincipalName: DEFAULT_UPN,
  };
}

/**
 * Makes `tenantId` the default tenant when the store has none yet (a seed fixture's first
 * tenant, so that the default app, user and printed token act where the seeded data is);
 * resolves with the default tenant, which an earlier start may have chosen already.
 */
export async function adoptDefaultTenant(store: Store, tenantId: string): Promise<string> {
  return store.putSettingIfAbsent(DEFAULT_TENANT_SETTING, tenantId.toLowerCase());
}

/** A stable object id for a user name in a tenant, for users named only on the command line. */
export function userObjectId(tenantId: string, userPrincipalName: string): string {
  const hex = createHash('sha256').update(`${tenantId.toLowerCase()}/${userPrincipalName.toLowerCase()}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${((parseInt(hex[16], 16) & 3) | 8).toString(16)}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** Every delegated and every application permission the family's rows name: what the default app holds. */
export function allPermissions(family: Family): { scopes: string[]; roles: string[] } {
  const rows = familyRegistry(family).permissions();
  return {
    scopes: [...new Set(rows.flatMap((row) => row.delegated))].sort(),
    roles: [...new Set(rows.flatMap((row) => row.application))].sort(),
  };
}

/** Credentials made by this call, in clear, to be shown once; absent when they existed already. */
export interface NewDefaultCredentials {
  clientSecret?: string;
  password?: string;
}

/**
 * Makes the default identity real: the default app becomes a registered client (every
 * permission of the family served granted and consented) and the default user a user with a password, so
 * the token endpoint works from the first start. Only the process that creates them learns the
 * secret and the password; every later start finds them registered and gets nothing back.
 */
export async function ensureDefaultRegistrations(
  store: Store,
  identity: DefaultIdentity,
  family: Family,
  ids: IdGenerator,
  now: Date,
): Promise<NewDefaultCredentials> {
  const created: NewDefaultCredentials = {};
  if (!(await store.getAppRegistration(identity.appId))) {
    const app = await registerApp(
      store,
      {
        tenantId: identity.tenantId,
        displayName: DEFAULT_APP_NAME,
        clientId: identity.appId,
        servicePrincipalId: identity.servicePrincipalId,
        ...allPermissions(family),
      },
      ids,
      now,
    );
    created.clientSecret = app?.clientSecret;
  }
  if (!(await store.findRegisteredUser(identity.tenantId, identity.userPrincipalName))) {
    const password = newPassword();
    try {
      await registerUser(
        store,
        {
          tenantId: identity.tenantId,
          userPrincipalName: identity.userPrincipalName,
          password,
          id: identity.userId,
          displayName: 'localgraph admin',
        },
        ids,
        now,
      );
      created.password = password;
    } catch (error) {
      if (!(error instanceof DuplicateRegistrationError)) throw error;
    }
  }
  return created;
}
