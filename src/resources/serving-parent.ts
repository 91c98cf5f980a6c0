import type { CollectionBehaviour } from './collection.js';
import type { ResourceRegistry } from './registry.js';

/**
 * The parent of fixed keys a contained collection's objects are under, when something outside a
 * URL names it (an agent's `profile` in a fixture or a heartbeat): the parent's keys that serve
 * the collection (its `servedBy`), and the canonical key a name means.
 */
export interface ServingParent {
  /** The parent's fixed keys that serve the collection, in the parent's order. */
  keys: string[];
  /** The key a name means (any case, as the URL would take it), or undefined when it names none that serves. */
  key(name: unknown): string | undefined;
}

/** The serving parent of a collection directly under a collection of fixed keys; undefined for any other. */
export function servingParent(registry: ResourceRegistry, behaviour: CollectionBehaviour): ServingParent | undefined {
  const parent = registry.collection(behaviour.path.slice(0, behaviour.path.lastIndexOf('/')));
  if (!parent?.fixedKeys) return undefined;
  const keys = [...parent.fixedKeys].filter((key) => (behaviour.servedBy?.([key]) ?? true) === true);
  return {
    keys,
    key(name) {
      const key = typeof name === 'string' ? registry.normalizeKey(parent.type, name) : undefined;
      return key !== undefined && keys.includes(key) ? key : undefined;
    },
  };
}
