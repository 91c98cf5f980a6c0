import type { Family } from '../family/family.js';
import type { IdGenerator } from '../resources/id-generator.js';
import type { Store } from '../store/store.js';
import { allPermissions } from './identity.js';
import { DuplicateRegistrationError, registerApp, registerUser } from './registrations.js';

/**
 * Well-known development credentials (`serve --dev-credentials`, always with `--in-memory`), as
 * Azurite has `devstoreaccount1`: a tenant, an application holding every permission of the
 * family served, and a user, all fixed and published, so that a CI job or a sample in any
 * language can hard-code them. They guard nothing: localgraph refuses them on a non-loopback
 * address unless told `--allow-dev-credentials-on-network`.
 */
export const DEV_CREDENTIALS = Object.freeze({
  tenantId: '6c6f6361-6c67-4000-8000-000000000001',
  clientId: '6c6f6361-6c67-4000-8000-000000000002',
  clientSecret: 'localgraph-dev-secret~not-for-production',
  servicePrincipalId: '6c6f6361-6c67-4000-8000-000000000003',
  userId: '6c6f6361-6c67-4000-8000-000000000004',
  userPrincipalName: 'dev@localgraph.onmicrosoft.com',
  password: 'Localgraph-Dev-Password-1',
});

export const DEV_APP_NAME = 'localgraph dev credentials app';

/**
 * Provisions the development credentials (idempotent): a tenant of their own beside the default
 * one, so that two servers never share a default tenant by accident (a `--trust-issuer` pair, a
 * test suite's servers) while every server has the same dev tenant.
 */
export async function ensureDevCredentials(store: Store, family: Family, ids: IdGenerator, now: Date): Promise<void> {
  const dev = DEV_CREDENTIALS;
  await store.ensureTenant(dev.tenantId, now);
  if (!(await store.getAppRegistration(dev.clientId))) {
    await registerApp(
      store,
      {
        tenantId: dev.tenantId,
        displayName: DEV_APP_NAME,
        clientId: dev.clientId,
        servicePrincipalId: dev.servicePrincipalId,
        clientSecret: dev.clientSecret,
        ...allPermissions(family),
      },
      ids,
      now,
    );
  }
  if (!(await store.findRegisteredUser(dev.tenantId, dev.userPrincipalName))) {
    try {
      await registerUser(
        store,
        {
          tenantId: dev.tenantId,
          userPrincipalName: dev.userPrincipalName,
          password: dev.password,
          id: dev.userId,
          displayName: 'localgraph dev user',
        },
        ids,
        now,
      );
    } catch (error) {
      if (!(error instanceof DuplicateRegistrationError)) throw error;
    }
  }
}
