import type { PermissionRow } from '../auth/permission-row.js';
import type { Model, StructuredType } from '../model/model.js';
import { defaultKeyNormalizer, type KeyNormalizer } from '../odata/path.js';
import type { CollectionBehaviour } from './collection.js';
import { dataTables } from './data-tables.js';

/** The behaviours of a family's collections, built over its model. */
export interface FamilyBehaviours {
  /** Every collection a path addresses (entity sets and contained navigations). */
  collections: CollectionBehaviour[];
  /** Targets of relationships that no path addresses directly. */
  hidden?: CollectionBehaviour[];
  /** Canonicalises the keys the default rule (GUIDs lower-cased) does not; undefined leaves a key to it. */
  normalizeKey?(type: StructuredType, key: string): string | undefined;
}

/**
 * Every behaviour a family serves, by collection path. Routing, validation and serialisation
 * come from the model; the behaviours come from the family (src/family/).
 */
export class ResourceRegistry {
  private readonly collections = new Map<string, CollectionBehaviour>();
  /** Targets of relationships that no path addresses directly (not listed by `all()`). */
  private readonly hidden = new Map<string, CollectionBehaviour>();
  readonly normalizeKey: KeyNormalizer;

  constructor(
    readonly model: Model,
    behaviours: FamilyBehaviours,
  ) {
    for (const behaviour of behaviours.collections) this.collections.set(behaviour.path.toLowerCase(), behaviour);
    // Reached only through a navigation (its relationship names it), never by a path of its own.
    for (const behaviour of behaviours.hidden ?? []) this.hidden.set(behaviour.path.toLowerCase(), behaviour);
    const familyKey = behaviours.normalizeKey;
    this.normalizeKey = familyKey
      ? (type: StructuredType, key: string) => familyKey(type, key) ?? defaultKeyNormalizer(type, key)
      : defaultKeyNormalizer;
  }

  collection(path: string): CollectionBehaviour | undefined {
    return this.collections.get(path.toLowerCase()) ?? this.hidden.get(path.toLowerCase());
  }

  all(): CollectionBehaviour[] {
    return [...this.collections.values()];
  }

  /**
   * Every operation's permission row, collection by collection in the family's order: what the
   * permission policy enforces and the permission table of docs/identity.md shows.
   */
  permissions(): PermissionRow[] {
    return [...this.collections.values(), ...this.hidden.values()].flatMap((behaviour) => behaviour.permissions);
  }

  /**
   * Every table of a tenant's Graph data (each collection's and each link table), children
   * before the tables they refer to: what a reset clears and a fixture must cover.
   */
  dataTables(): string[] {
    return dataTables([...this.collections.values(), ...this.hidden.values()], (path) => this.collection(path));
  }
}
