import type { IdGenerator } from '../resources/id-generator.js';
import type { AppRegistrationRow, Entity, RegisteredUserRow, Scope, Store } from '../store/store.js';
import type { TableMapping } from '../store/table.js';
import { APP_REGISTRATIONS_TABLE, HEARTBEATS_TABLE, USERS_TABLE, type FixtureContext } from './fixture.js';
import { checkFixture, type CheckedTenant } from './fixture-check.js';
import { importPlain } from './fixture-plain.js';
import { fail } from './fixture-read.js';
import type { FixtureWriter } from './fixture-section.js';

export interface ImportSummary {
  tenants: { id: string; counts: Record<string, number> }[];
}

/**
 * Checks a fixture, then writes each of its tenants in one transaction: the tenant's Graph data
 * (and, when named, its registrations) are replaced by the fixture's. Nothing is written when
 * the document is invalid. The caller must make the engine forget these tenants afterwards.
 */
export async function importFixture(
  store: Store,
  ctx: FixtureContext,
  doc: unknown,
  services: { ids: IdGenerator; now: Date },
): Promise<ImportSummary> {
  const checked = checkFixture(ctx, doc, services.ids, services.now);
  const summary: ImportSummary = { tenants: [] };
  for (const [i, tenant] of checked.tenants.entries()) {
    await store.transaction((tx) => writeTenant(tx, ctx, tenant, `tenants[${i}]`, services.now));
    summary.tenants.push({ id: tenant.id, counts: counts(ctx, tenant) });
  }
  return summary;
}

/** How many of each collection a tenant's fixture held, in the order the fixture shows them. */
function counts(ctx: FixtureContext, t: CheckedTenant): Record<string, number> {
  const family = [...t.family];
  const held = ctx.sections.flatMap((section) =>
    'plain' in section
      ? [[section.plain.name, t.plain.get(section.plain.name)?.length ?? 0] as const]
      : Object.entries(family.shift()!.counts),
  );
  return {
    ...Object.fromEntries(held),
    ...(t.appRegistrations ? { appRegistrations: t.appRegistrations.length } : {}),
    ...(t.users ? { users: t.users.length } : {}),
  };
}

async function writeTenant(
  tx: Store,
  ctx: FixtureContext,
  tenant: CheckedTenant,
  path: string,
  now: Date,
): Promise<void> {
  await tx.ensureTenant(tenant.id, now);
  const tables: string[] = [...ctx.dataTables, HEARTBEATS_TABLE];
  if (tenant.appRegistrations) tables.push(APP_REGISTRATIONS_TABLE);
  if (tenant.users) tables.push(USERS_TABLE);
  await tx.clearTenantRows(tables, tenant.id);

  const writer: FixtureWriter = {
    tx,
    tenantId: tenant.id,
    async insert(table: TableMapping, where: Scope, entity: Entity, at: string, hidden?: Record<string, unknown>) {
      if ((await tx.insert(table, where, entity, { hidden })) === 'duplicate')
        fail(at, `conflicts with another object of this tenant (a duplicate id or unique value).`);
    },
  };
  // The plain sections first: the family's may link to them (an agent group's agents).
  for (const section of ctx.sections)
    if ('plain' in section) await importPlain(writer, section.plain, tenant.plain.get(section.plain.name) ?? [], path);
  for (const section of tenant.family) await section.write(writer);

  for (const [i, app] of (tenant.appRegistrations ?? []).entries()) {
    const row: AppRegistrationRow = { ...app, tenantId: tenant.id };
    if ((await tx.insertAppRegistration(row)) === 'duplicate')
      fail(`${path}.appRegistrations[${i}].clientId`, `client id '${app.clientId}' is registered in another tenant.`);
  }
  for (const [i, user] of (tenant.users ?? []).entries()) {
    const row: RegisteredUserRow = { ...user, tenantId: tenant.id };
    if ((await tx.insertRegisteredUser(row)) === 'duplicate')
      fail(`${path}.users[${i}]`, `user '${user.userPrincipalName}' conflicts with another user of this tenant.`);
  }
}
