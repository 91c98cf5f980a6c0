import { ON_PREMISES_COLLECTIONS } from '../family/on-premises/on-premises.js';
import { errors } from '../graph/errors.js';
import type { Model } from '../model/model.js';
import type { CollectionBehaviour } from '../resources/collection.js';
import type { IdGenerator } from '../resources/id-generator.js';
import { NOT_HYBRID_AGENT_PROFILES } from '../family/on-premises/profiles.js';
import type { ResourceRegistry } from '../resources/registry.js';
import type { AppRegistrationRow, Entity, LinkMapping, RegisteredUserRow } from '../store/store.js';
import type { TableMapping } from '../store/table.js';

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

/**
 * The collections a tenant's fixture holds (the family's named collections), by the behaviour
 * path that serves each: the fixture's tables and server-set defaults come from these behaviours.
 * (Application segments are held inside their application, `applicationSegments`.)
 */
export const FIXTURE_COLLECTIONS = ON_PREMISES_COLLECTIONS;

export type FixtureCollection = keyof typeof FIXTURE_COLLECTIONS;

/**
 * The collections a fixture holds as plain lists, with no link field but `profile` for those under
 * a hybrid agent profile: exported, checked, completed and imported by one generic piece of code
 * (fixture-plain.ts), so that a new collection of this kind needs only its line here (and in
 * {@link FIXTURE_COLLECTIONS}). `label` names an item in refusals.
 */
export const PLAIN_SECTIONS: readonly PlainSection[] = [
  { name: 'agents', label: 'Agent', byProfile: true },
  { name: 'publishedResources', label: 'Published resource', byProfile: true },
  { name: 'sensors', label: 'Sensor' },
];

export interface PlainSection {
  name: FixtureCollection;
  label: string;
  byProfile?: boolean;
}

/** The link tables a fixture holds as id lists on an agent group: the relationship each comes from. */
export const FIXTURE_LINKS = {
  agentIds: { path: FIXTURE_COLLECTIONS.agentGroups, relationship: 'agents' },
  publishedResourceIds: { path: FIXTURE_COLLECTIONS.agentGroups, relationship: 'publishedResources' },
} as const;

export type FixtureLink = keyof typeof FIXTURE_LINKS;

/** What fixtures need of the registry: each collection's behaviour, the link tables, the profile keys. */
export interface FixtureContext {
  model: Model;
  behaviours: Record<FixtureCollection, CollectionBehaviour>;
  tables: Record<FixtureCollection, TableMapping>;
  links: Record<FixtureLink, LinkMapping>;
  /** Every table of a tenant's Graph data, children first (the registry's): what an import replaces. */
  dataTables: readonly string[];
  profileIds: ReadonlySet<string>;
  /** The profiles that serve hybrid agents (all but applicationProxy and privateAccess), sorted. */
  hybridProfiles: string[];
}

export function fixtureContext(registry: ResourceRegistry): FixtureContext {
  const entries = Object.entries(FIXTURE_COLLECTIONS) as [FixtureCollection, string][];
  const behaviours = Object.fromEntries(
    entries.map(([name, path]) => [name, required(registry.collection(path), path)]),
  ) as Record<FixtureCollection, CollectionBehaviour>;
  const tables = Object.fromEntries(entries.map(([name]) => [name, behaviours[name].table])) as Record<
    FixtureCollection,
    TableMapping
  >;
  const links = Object.fromEntries(
    Object.entries(FIXTURE_LINKS).map(([name, { path, relationship }]) => {
      const source = required(registry.collection(path), path);
      const storage = source.relationships?.[relationship]?.storage;
      if (storage?.kind !== 'link')
        throw errors.notImplemented(`Fixtures for a family whose ${path} has no link relationship ${relationship}`);
      return [
        name,
        {
          table: storage.table,
          sourceColumn: storage.sourceColumn,
          targetColumn: storage.targetColumn,
          scopeColumns: source.table.scopeColumns,
        },
      ];
    }),
  ) as Record<FixtureLink, LinkMapping>;
  const profileIds = behaviours.profiles.fixedKeys ?? new Set<string>();
  return {
    model: registry.model,
    behaviours,
    tables,
    links,
    dataTables: registry.dataTables(),
    profileIds,
    hybridProfiles: [...profileIds].filter((p) => !NOT_HYBRID_AGENT_PROFILES.has(p)).sort(compare),
  };
}

/** A fixture collection's behaviour; a server of another family has none (fixtures are the on-premises family's format). */
function required(behaviour: CollectionBehaviour | undefined, path: string): CollectionBehaviour {
  if (!behaviour) throw errors.notImplemented(`Fixtures (and heartbeats) for a family without ${path}`);
  return behaviour;
}

/**
 * What the server sets on an entity it creates, for the properties a fixture may leave out:
 * those that must have a value and those no client writes (read-only). Nullable, writable
 * properties stay as the fixture says, so that an export imports back unchanged.
 */
export function serverDefaults(
  ctx: FixtureContext,
  collection: FixtureCollection,
  services: { ids: IdGenerator; now: Date },
  parents: string[],
): Entity {
  const behaviour = ctx.behaviours[collection];
  const defaults = behaviour.create?.defaults({ ids: services.ids, clock: { now: () => services.now } }, parents) ?? {};
  return Object.fromEntries(
    Object.entries(defaults).filter(([name]) => {
      const property = behaviour.type.properties.get(name);
      return property !== undefined && (!property.nullable || property.readOnly === true);
    }),
  );
}

/** Sign-in registrations and heartbeats: tenant rows beside the Graph data. */
export const HEARTBEATS_TABLE = 'heartbeats';
export const APP_REGISTRATIONS_TABLE = 'app_registrations';
export const USERS_TABLE = 'registered_users';

export function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
