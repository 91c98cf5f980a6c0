import type { Entity, Store } from '../store/store.js';
import { compare, FIXTURE_VERSION, type Fixture, type FixtureContext, type TenantFixture } from './fixture.js';
import { exportPlain } from './fixture-plain.js';

/** The fixture of one tenant, or of every tenant. Deterministic: the same state gives the same document. */
export async function exportFixture(store: Store, ctx: FixtureContext, tenantId?: string): Promise<Fixture> {
  const tenants = tenantId === undefined ? await store.listTenants() : [tenantId];
  const result: TenantFixture[] = [];
  for (const id of [...tenants].sort(compare)) result.push(await exportTenant(store, ctx, id));
  return { version: FIXTURE_VERSION, tenants: result };
}

async function exportTenant(store: Store, ctx: FixtureContext, tenantId: string): Promise<TenantFixture> {
  const sections: Record<string, Entity[]> = {};
  for (const section of ctx.sections) {
    if ('plain' in section) sections[section.plain.name] = await exportPlain(store, section.plain, tenantId);
    else Object.assign(sections, await section.family.export(store, tenantId));
  }
  const appRegistrations = (await store.listAppRegistrations(tenantId))
    .map((row) => ({
      clientId: row.clientId,
      displayName: row.displayName,
      servicePrincipalId: row.servicePrincipalId,
      secretHash: row.secretHash,
      roles: row.roles,
      scopes: row.scopes,
      createdAt: row.createdAt,
    }))
    .sort((a, b) => compare(a.clientId, b.clientId));
  const users = (await store.listRegisteredUsers(tenantId))
    .map((row) => ({
      id: row.id,
      userPrincipalName: row.userPrincipalName,
      displayName: row.displayName,
      passwordHash: row.passwordHash,
      createdAt: row.createdAt,
    }))
    .sort((a, b) => compare(a.id, b.id));
  // In the document's order, whatever order the sections were read in.
  const ordered = ctx.members.map((name) => [name, sections[name] ?? []]);
  return { id: tenantId, ...Object.fromEntries(ordered), appRegistrations, users };
}
