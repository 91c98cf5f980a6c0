import type { Model, StructuredType } from '../model/model.js';
import { defaultKeyNormalizer, type KeyNormalizer } from '../odata/path.js';
import type { CollectionBehaviour } from './collection.js';
import { connectorsBehaviour } from './connectors.js';
import { PROFILE_TYPE, profileKeyNormalizer } from './profiles.js';

/**
 * Every behaviour module localgraph serves, by collection path. Adding a resource means adding
 * its module here; routing, validation and serialisation come from the model.
 */
export class ResourceRegistry {
  private readonly collections = new Map<string, CollectionBehaviour>();
  readonly normalizeKey: KeyNormalizer;
  /** The profile keys a tenant has: every publishing type but the evolvable-enum sentinel. */
  readonly profileIds: ReadonlySet<string>;

  constructor(readonly model: Model) {
    for (const behaviour of [connectorsBehaviour(model)]) this.collections.set(behaviour.path.toLowerCase(), behaviour);
    const profileKey = profileKeyNormalizer(model);
    this.normalizeKey = (type: StructuredType, key: string) => profileKey(type, key) ?? defaultKeyNormalizer(type, key);
    this.profileIds = new Set(model.enumType('microsoft.graph.onPremisesPublishingType').members.filter((m) => m !== 'unknownFutureValue'));
  }

  collection(path: string): CollectionBehaviour | undefined {
    return this.collections.get(path.toLowerCase());
  }

  all(): CollectionBehaviour[] {
    return [...this.collections.values()];
  }

  /** Whether a parent key addresses an entity that exists for every tenant (the profiles). */
  isKnownParent(type: StructuredType, key: string): boolean {
    return type.qualifiedName !== PROFILE_TYPE || this.profileIds.has(key);
  }
}
