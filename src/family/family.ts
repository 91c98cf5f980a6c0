import type { FixtureSection } from '../admin/fixture-section.js';
import type { SchemaDecl } from '../model/edm.js';
import { Model } from '../model/model.js';
import type { Clock } from '../resources/clock.js';
import type { IdGenerator } from '../resources/id-generator.js';
import { ResourceRegistry, type FamilyBehaviours } from '../resources/registry.js';
import type { TenantDefaults } from '../resources/tenant-defaults.js';
import type { Migration } from '../store/migrations.js';
import type { Store } from '../store/store.js';
import type { HeartbeatTarget } from './heartbeat-target.js';

/**
 * An API family localgraph serves: everything that differs from one family to another, passed to
 * `createApp` as one value. The engine, the store and the HTTP layer know nothing else of it.
 */
export interface Family {
  /** A short name, for messages. */
  name: string;
  /** The CSDL schema: types, entity sets, annotations. `$metadata`, paths and validation come from it. */
  schema: SchemaDecl;
  /** The rules of each collection the model cannot state (storage, writable properties, guards, permissions). */
  behaviours(model: Model): FamilyBehaviours;
  /**
   * The family's own sections of a tenant's fixture: collections with link fields in the fixture
   * format (src/admin/fixture-section.ts). A collection held as a plain list needs none: its
   * behaviour declares `fixture`.
   */
  fixtureSections?(registry: ResourceRegistry): FixtureSection[];
  /**
   * The family's tables, by schema version: each runs in one transaction with localgraph's own
   * migration of the same version (src/store/migrations.ts, `migrateFamily`).
   */
  migrations: Migration[];
  /**
   * Makes a tenant's built-in objects exist (idempotently; several processes may race) on its
   * first request, and returns what behaviours read of them (`OperationContext.tenant`).
   */
  tenantDefaults(tx: Store, tenantId: string, services: { clock: Clock; ids: IdGenerator }): Promise<TenantDefaults>;
  /** The collections whose objects report heartbeats (the admin API's connector life simulation); none without it. */
  heartbeats?: HeartbeatTarget[];
}

/** Checks a family's declarations hang together, and returns it. */
export function defineFamily(family: Family): Family {
  const versions = family.migrations.map((m) => m.version);
  if (new Set(versions).size !== versions.length || versions.some((v, i) => i > 0 && v <= versions[i - 1])) {
    throw new Error(`family ${family.name}: migration versions must increase, each once (${versions.join(', ')})`);
  }
  if (family.schema.entitySets.length === 0) throw new Error(`family ${family.name}: no entity set`);
  return family;
}

const models = new WeakMap<Family, Model>();

/** The family's model, resolved once per process. */
export function familyModel(family: Family): Model {
  let model = models.get(family);
  if (!model) {
    model = new Model(family.schema);
    models.set(family, model);
  }
  return model;
}

const registries = new WeakMap<Family, ResourceRegistry>();

/** The family's behaviours by collection path, built once per process. */
export function familyRegistry(family: Family): ResourceRegistry {
  let registry = registries.get(family);
  if (!registry) {
    const model = familyModel(family);
    registry = new ResourceRegistry(model, family.behaviours(model));
    registries.set(family, registry);
  }
  return registry;
}
