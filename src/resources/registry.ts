import type { Model, StructuredType } from '../model/model.js';
import { defaultKeyNormalizer, type KeyNormalizer } from '../odata/path.js';
import { applicationsBehaviour } from './applications.js';
import type { CollectionBehaviour } from './collection.js';
import { dataTables } from './data-tables.js';
import { connectorGroupsBehaviour } from './connector-groups.js';
import { connectorsBehaviour } from './connectors.js';
import { agentGroupsBehaviour, agentsBehaviour, publishedResourcesBehaviour } from './hybrid-agents.js';
import { ipApplicationSegmentsBehaviour } from './ip-application-segments.js';
import { profileIds, profileKeyNormalizer, profilesBehaviour, tenantSegmentsBehaviour } from './profiles.js';
import { sensorsBehaviour } from './sensors.js';
import { familyTables, type FamilyTables } from './tables.js';

/**
 * Every behaviour module localgraph serves, by collection path. Adding a resource means adding
 * its module here; routing, validation and serialisation come from the model.
 */
export class ResourceRegistry {
  private readonly collections = new Map<string, CollectionBehaviour>();
  /** Targets of relationships that no path addresses directly (not listed by `all()`). */
  private readonly hidden = new Map<string, CollectionBehaviour>();
  readonly tables: FamilyTables;
  readonly normalizeKey: KeyNormalizer;
  /** The profile keys every tenant has. */
  readonly profileIds: ReadonlySet<string>;

  constructor(readonly model: Model) {
    this.tables = familyTables(model);
    const t = this.tables;
    const behaviours = [
      profilesBehaviour(model, t),
      connectorsBehaviour(t),
      connectorGroupsBehaviour(t),
      applicationsBehaviour(t),
      ipApplicationSegmentsBehaviour(t),
      agentsBehaviour(t),
      agentGroupsBehaviour(t),
      publishedResourcesBehaviour(t),
      sensorsBehaviour(t),
    ];
    for (const behaviour of behaviours) this.collections.set(behaviour.path.toLowerCase(), behaviour);
    // Reached only through a navigation (its relationship names it), never by a path of its own.
    const tenantSegments = tenantSegmentsBehaviour(t);
    this.hidden.set(tenantSegments.path.toLowerCase(), tenantSegments);
    const profileKey = profileKeyNormalizer(model);
    this.normalizeKey = (type: StructuredType, key: string) => profileKey(type, key) ?? defaultKeyNormalizer(type, key);
    this.profileIds = profileIds(model);
  }

  collection(path: string): CollectionBehaviour | undefined {
    return this.collections.get(path.toLowerCase()) ?? this.hidden.get(path.toLowerCase());
  }

  all(): CollectionBehaviour[] {
    return [...this.collections.values()];
  }

  /**
   * Every table of a tenant's Graph data (each collection's and each link table), children
   * before the tables they refer to: what a reset clears and a fixture must cover.
   */
  dataTables(): string[] {
    return dataTables([...this.collections.values(), ...this.hidden.values()], (path) => this.collection(path));
  }
}
