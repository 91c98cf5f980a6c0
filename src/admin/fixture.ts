import type { Model } from '../model/model.js';
import { NOT_HYBRID_AGENT_PROFILES, profileIds as modelProfileIds } from '../resources/profiles.js';
import { familyTables, type FamilyTables } from '../resources/tables.js';
import type { AppRegistrationRow, Entity, LinkMapping, RegisteredUserRow } from '../store/store.js';

/**
 * Fixtures: a tenant's whole state as one JSON document, in Graph's property names plus a few
 * link fields (`connectorGroupId`, `profile`, `agentIds`, ...), so a test suite can load a known
 * world, and save the current one:
 *
 * ```json
 * { "version": 1, "tenants": [ { "id": "…", "profiles": [], "connectorGroups": [], "connectors": [],
 *   "applications": [], "agents": [], "agentGroups": [], "publishedResources": [], "sensors": [],
 *   "appRegistrations": [], "users": [] } ] }
 * ```
 *
 * Export is deterministic (everything sorted by id, properties in the model's order, nulls left
 * out), and import stores exactly what export shows, so export → reset → import → export gives the
 * same bytes. Import replaces the Graph data of each tenant it names (in one transaction per
 * tenant); sign-in registrations (`appRegistrations`, `users`: hashed secrets as stored) are
 * replaced only when the tenant names them.
 */

export const FIXTURE_VERSION = 1;

export interface Fixture {
  version: number;
  tenants: TenantFixture[];
}

export interface TenantFixture {
  id: string;
  profiles: Entity[];
  connectorGroups: Entity[];
  /** Each with `connectorGroupId`. */
  connectors: Entity[];
  /** Each with `connectorGroupId` (when assigned) and `applicationSegments`. */
  applications: Entity[];
  /** Each with `profile`. */
  agents: Entity[];
  /** Each with `profile`, `agentIds`, `publishedResourceIds`. */
  agentGroups: Entity[];
  /** Each with `profile`. */
  publishedResources: Entity[];
  sensors: Entity[];
  appRegistrations?: AppRegistrationFixture[];
  users?: UserFixture[];
}

/** A registered client, as stored (the secret hashed); its tenant is the fixture tenant's. */
export type AppRegistrationFixture = Omit<AppRegistrationRow, 'tenantId'>;

/** A registered user, as stored (the password hashed); its tenant is the fixture tenant's. */
export type UserFixture = Omit<RegisteredUserRow, 'tenantId'>;

/** What fixtures need of the model: the tables and the profile keys. */
export interface FixtureContext {
  model: Model;
  tables: FamilyTables;
  profileIds: ReadonlySet<string>;
  /** The profiles that serve hybrid agents (all but applicationProxy and privateAccess), sorted. */
  hybridProfiles: string[];
}

export function fixtureContext(model: Model): FixtureContext {
  const profileIds = modelProfileIds(model);
  return {
    model,
    tables: familyTables(model),
    profileIds,
    hybridProfiles: [...profileIds].filter((p) => !NOT_HYBRID_AGENT_PROFILES.has(p)).sort(compare),
  };
}

export const AGENT_LINKS: LinkMapping = { table: 'agent_group_agents', sourceColumn: 'agent_group_id', targetColumn: 'agent_id', scopeColumns: ['profile_id'] };
export const RESOURCE_LINKS: LinkMapping = {
  table: 'agent_group_published_resources',
  sourceColumn: 'agent_group_id',
  targetColumn: 'published_resource_id',
  scopeColumns: ['profile_id'],
};

/** The tables of a tenant's Graph data (and its heartbeats), children before parents. */
export const GRAPH_DATA_TABLES = [
  'ip_application_segments',
  AGENT_LINKS.table,
  RESOURCE_LINKS.table,
  'agents',
  'agent_groups',
  'published_resources',
  'sensors',
  'applications',
  'connectors',
  'connector_groups',
  'profiles',
  'heartbeats',
] as const;
export const APP_REGISTRATIONS_TABLE = 'app_registrations';
export const USERS_TABLE = 'registered_users';

export function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
