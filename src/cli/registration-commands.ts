import { allPermissions, defaultIdentity } from '../auth/identity.js';
import {
  DuplicateRegistrationError,
  PERMISSION_PATTERN,
  registerApp,
  registerUser,
  resetAppSecret,
  setUserPassword,
  UPN_PATTERN,
} from '../auth/registrations.js';
import { randomIds } from '../http/app.js';
import { isGuid } from '../odata/guid.js';
import { openStore, type StoreLocation } from '../store/open.js';
import { existingStorage, STORAGE_OPTIONS, storageHelp } from './storage-options.js';
import type { SqlStore } from '../store/sql-store.js';
import { parseList, parseOptions, UsageError } from './usage.js';
import { servedFamily } from '../family/served-family.js';

export const appAddHelp = `Usage: localgraph app add [--data DIR | --database-url URL] [--tenant GUID] --name NAME [--roles "A B"] [--scopes "A B"]

Registers an application that gets tokens from the token endpoint, and prints
{"tenantId","clientId","clientSecret"} as JSON. The secret is shown only now (it is stored
hashed). Works while a server runs on the same data folder or database, without a restart.

${storageHelp}
  --tenant GUID    tenant of the application (default: the folder's default tenant)
  --name NAME      display name
  --roles "A B"    application permissions granted (app-only tokens' roles)
  --scopes "A B"   delegated permissions consented (user tokens' scp)
  -h, --help       this help`;

export const userAddHelp = `Usage: localgraph user add [--data DIR | --database-url URL] [--tenant GUID] --upn UPN --password P [--name NAME]

Creates a user who signs in with a password at the token endpoint (password grant), and prints
{"tenantId","id","userPrincipalName"} as JSON. The password is stored hashed. Works while a
server runs on the same data folder or database, without a restart.

${storageHelp}
  --tenant GUID    tenant of the user (default: the folder's default tenant)
  --upn UPN        user principal name, e.g. alice@contoso.com
  --password P     password
  --name NAME      display name (default: the part of the UPN before @)
  -h, --help       this help`;

export const appListHelp = `Usage: localgraph app list [--data DIR | --database-url URL] [--tenant GUID]

Prints the tenant's registered applications as a JSON array of {"tenantId","clientId",
"displayName","roles","scopes","createdAt"}: never a secret (only hashes are stored; to get a
usable one, localgraph app reset-secret).

${storageHelp}
  --tenant GUID    tenant (default: the folder's default tenant)
  -h, --help       this help`;

export const appResetSecretHelp = `Usage: localgraph app reset-secret [--data DIR | --database-url URL] --client-id ID

Gives the application a new client secret and prints {"tenantId","clientId","clientSecret"}
as JSON. The old secret stops working at once, also on a running server.

${storageHelp}
  --client-id ID   the application's client id (localgraph app list shows them)
  -h, --help       this help`;

export const userSetPasswordHelp = `Usage: localgraph user set-password [--data DIR | --database-url URL] [--tenant GUID] --upn UPN --password P

Sets the user's password and prints {"tenantId","id","userPrincipalName"} as JSON. The old
password stops working at once, also on a running server.

${storageHelp}
  --tenant GUID    tenant of the user (default: the folder's default tenant)
  --upn UPN        the user's principal name (any case)
  --password P     the new password
  -h, --help       this help`;

/** Permission names no permission row uses: most likely typos, said on stderr. */
function unknownPermissions(names: string[]): string[] {
  const { scopes, roles } = allPermissions(servedFamily);
  const known = new Set([...scopes, ...roles].map((p) => p.toLowerCase()));
  return names.filter((name) => !known.has(name.toLowerCase()));
}

function checkPermissions(option: string, names: string[]): string[] {
  for (const name of names)
    if (!PERMISSION_PATTERN.test(name)) throw new UsageError(`${option}: '${name}' is not a permission name`);
  return names;
}

async function withStore<T>(
  location: StoreLocation,
  tenant: string | undefined,
  work: (store: SqlStore, tenantId: string) => Promise<T>,
): Promise<T> {
  if (tenant !== undefined && !isGuid(tenant)) throw new UsageError(`--tenant must be a GUID, not '${tenant}'`);
  const store = await openStore(location, servedFamily);
  try {
    const tenantId = (tenant ?? (await defaultIdentity(store, randomIds, new Date())).tenantId).toLowerCase();
    return await work(store, tenantId);
  } finally {
    await store.close();
  }
}

/** `localgraph app add` */
export async function appAddCommand(args: string[]): Promise<number> {
  const values = parseOptions(args, {
    ...STORAGE_OPTIONS,
    tenant: { type: 'string' },
    name: { type: 'string' },
    roles: { type: 'string' },
    scopes: { type: 'string' },
  });
  if (values.help) {
    console.log(appAddHelp);
    return 0;
  }
  if (values.name === undefined || values.name.trim() === '') throw new UsageError('--name is required');
  const roles = checkPermissions('--roles', parseList(values.roles));
  const scopes = checkPermissions('--scopes', parseList(values.scopes));
  const unknown = unknownPermissions([...roles, ...scopes]);
  if (unknown.length > 0)
    console.error(`localgraph: no operation of the family needs ${unknown.join(', ')} (granted anyway)`);
  return withStore(existingStorage(values), values.tenant, async (store, tenantId) => {
    const app = await registerApp(
      store,
      { tenantId, displayName: values.name!.trim(), roles, scopes },
      randomIds,
      new Date(),
    );
    if (!app) throw new Error('a new client id collided with an existing one; run the command again');
    console.log(JSON.stringify({ tenantId, clientId: app.registration.clientId, clientSecret: app.clientSecret }));
    return 0;
  });
}

/** `localgraph user add` */
export async function userAddCommand(args: string[]): Promise<number> {
  const values = parseOptions(args, {
    ...STORAGE_OPTIONS,
    tenant: { type: 'string' },
    upn: { type: 'string' },
    password: { type: 'string' },
    name: { type: 'string' },
  });
  if (values.help) {
    console.log(userAddHelp);
    return 0;
  }
  if (values.upn === undefined || !UPN_PATTERN.test(values.upn))
    throw new UsageError(
      `--upn must be a user principal name like alice@contoso.com${values.upn === undefined ? '' : `, not '${values.upn}'`}`,
    );
  if (values.password === undefined || values.password === '') throw new UsageError('--password is required');
  return withStore(existingStorage(values), values.tenant, async (store, tenantId) => {
    try {
      const user = await registerUser(
        store,
        { tenantId, userPrincipalName: values.upn!, password: values.password!, displayName: values.name },
        randomIds,
        new Date(),
      );
      console.log(JSON.stringify({ tenantId, id: user.id, userPrincipalName: user.userPrincipalName }));
      return 0;
    } catch (error) {
      if (error instanceof DuplicateRegistrationError) throw new Error(error.message);
      throw error;
    }
  });
}

/** `localgraph app list` */
export async function appListCommand(args: string[]): Promise<number> {
  const values = parseOptions(args, { ...STORAGE_OPTIONS, tenant: { type: 'string' } });
  if (values.help) {
    console.log(appListHelp);
    return 0;
  }
  return withStore(existingStorage(values), values.tenant, async (store, tenantId) => {
    const apps = await store.listAppRegistrations(tenantId);
    const shown = apps.map(({ clientId, displayName, roles, scopes, createdAt }) => ({
      tenantId,
      clientId,
      displayName,
      roles,
      scopes,
      createdAt,
    }));
    console.log(JSON.stringify(shown, null, 2));
    return 0;
  });
}

/** `localgraph app reset-secret` */
export async function appResetSecretCommand(args: string[]): Promise<number> {
  const values = parseOptions(args, { ...STORAGE_OPTIONS, 'client-id': { type: 'string' } });
  if (values.help) {
    console.log(appResetSecretHelp);
    return 0;
  }
  const clientId = values['client-id'];
  if (clientId === undefined || !isGuid(clientId))
    throw new UsageError(`--client-id must be a GUID${clientId === undefined ? '' : `, not '${clientId}'`}`);
  return withStore(existingStorage(values), undefined, async (store) => {
    const reset = await resetAppSecret(store, clientId);
    if (!reset) throw new Error(`no application has client id ${clientId} (localgraph app list shows them)`);
    console.log(
      JSON.stringify({
        tenantId: reset.registration.tenantId,
        clientId: reset.registration.clientId,
        clientSecret: reset.clientSecret,
      }),
    );
    return 0;
  });
}

/** `localgraph user set-password` */
export async function userSetPasswordCommand(args: string[]): Promise<number> {
  const values = parseOptions(args, {
    ...STORAGE_OPTIONS,
    tenant: { type: 'string' },
    upn: { type: 'string' },
    password: { type: 'string' },
  });
  if (values.help) {
    console.log(userSetPasswordHelp);
    return 0;
  }
  if (values.upn === undefined || !UPN_PATTERN.test(values.upn))
    throw new UsageError(
      `--upn must be a user principal name like alice@contoso.com${values.upn === undefined ? '' : `, not '${values.upn}'`}`,
    );
  if (values.password === undefined || values.password === '') throw new UsageError('--password is required');
  return withStore(existingStorage(values), values.tenant, async (store, tenantId) => {
    const user = await setUserPassword(store, tenantId, values.upn!, values.password!);
    if (!user) throw new Error(`tenant ${tenantId} has no user ${values.upn}`);
    console.log(JSON.stringify({ tenantId, id: user.id, userPrincipalName: user.userPrincipalName }));
    return 0;
  });
}
