import { defaultIdentity, userObjectId } from '../auth/identity.js';
import { activeSigningKey } from '../auth/signing-key.js';
import { DEFAULT_TOKEN_LIFETIME_SECONDS, issueAccessToken } from '../auth/tokens.js';
import { randomIds } from '../http/app.js';
import { isGuid } from '../odata/guid.js';
import { openStore } from '../store/open.js';
import { existingStorage, STORAGE_OPTIONS, storageHelp } from './storage-options.js';
import { parseList, parseOptions, UsageError } from './usage.js';
import { servedFamily } from '../family/served-family.js';

export const tokenHelp = `Usage: localgraph token [--data DIR | --database-url URL] [--tenant GUID] (--scopes "A B" | --roles "A B") [--user UPN] [--lifetime SECONDS]

Prints an access token signed by the store's key, with the claims of an Entra ID token for
Microsoft Graph. Works while a server runs on the same folder or database.

${storageHelp}
  --tenant GUID       tenant (tid) of the token (default: the folder's default tenant)
  --scopes "A B"      delegated permissions (scp): a user token
  --roles "A B"       application permissions (roles): an app-only token
  --user UPN          the signed-in user of a delegated token (default: ${'admin@localgraph.onmicrosoft.com'})
  --lifetime SECONDS  lifetime (default: ${DEFAULT_TOKEN_LIFETIME_SECONDS})
  -h, --help          this help`;

export async function tokenCommand(args: string[]): Promise<number> {
  const values = parseOptions(args, {
    ...STORAGE_OPTIONS,
    tenant: { type: 'string' },
    scopes: { type: 'string' },
    roles: { type: 'string' },
    user: { type: 'string' },
    lifetime: { type: 'string' },
  });
  if (values.help) {
    console.log(tokenHelp);
    return 0;
  }
  if ((values.scopes === undefined) === (values.roles === undefined))
    throw new UsageError('give exactly one of --scopes (delegated) or --roles (app-only)');
  if (values.roles !== undefined && values.user !== undefined)
    throw new UsageError('--user goes with --scopes: app-only tokens have no user');
  if (values.tenant !== undefined && !isGuid(values.tenant))
    throw new UsageError(`--tenant must be a GUID, not '${values.tenant}'`);
  if (values.lifetime !== undefined && !/^[1-9]\d*$/.test(values.lifetime))
    throw new UsageError('--lifetime must be a positive number of seconds');

  const store = await openStore(existingStorage(values), servedFamily);
  try {
    const now = new Date();
    const identity = await defaultIdentity(store, randomIds, now);
    const tenantId = (values.tenant ?? identity.tenantId).toLowerCase();
    await store.ensureTenant(tenantId, now);
    const key = await activeSigningKey(store, now);
    const upn = values.user ?? identity.userPrincipalName;
    const token = await issueAccessToken(
      key,
      {
        tenantId,
        appId: identity.appId,
        lifetimeSeconds: values.lifetime === undefined ? undefined : Number(values.lifetime),
        ...(values.scopes !== undefined
          ? {
              scopes: parseList(values.scopes),
              user: {
                objectId:
                  values.user === undefined && tenantId === identity.tenantId
                    ? identity.userId
                    : userObjectId(tenantId, upn),
                userPrincipalName: upn,
              },
            }
          : { roles: parseList(values.roles), servicePrincipalId: identity.servicePrincipalId }),
      },
      now,
    );
    console.log(token);
    return 0;
  } finally {
    await store.close();
  }
}
