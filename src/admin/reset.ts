import type { Store } from '../store/store.js';
import { APP_REGISTRATIONS_TABLE, HEARTBEATS_TABLE, USERS_TABLE } from './fixture.js';

export interface ResetOptions {
  /** One tenant; every tenant when absent. */
  tenantId?: string;
  /** Also remove the sign-in registrations (apps and users); kept by default. */
  registrations?: boolean;
}

/**
 * Removes the Graph data (`dataTables`: the registry's, every collection and link table) and the
 * heartbeats of one tenant or of all; the tenants themselves stay, so their tokens keep working,
 * and each gets its default connector group and profiles back on its next request (once the
 * engine forgets it). Returns the tenants reset.
 */
export async function resetTenants(
  store: Store,
  dataTables: readonly string[],
  options: ResetOptions = {},
): Promise<string[]> {
  const tables = [
    ...dataTables,
    HEARTBEATS_TABLE,
    ...(options.registrations ? [APP_REGISTRATIONS_TABLE, USERS_TABLE] : []),
  ];
  return store.transaction(async (tx) => {
    const tenants =
      options.tenantId === undefined
        ? await tx.listTenants()
        : (await tx.hasTenant(options.tenantId))
          ? [options.tenantId]
          : [];
    await tx.clearTenantRows(tables, options.tenantId);
    return tenants;
  });
}
