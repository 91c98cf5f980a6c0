import { errors } from '../graph/errors.js';
import type { Navigation, Property } from '../model/model.js';
import type { ResolvedPath } from '../odata/path.js';
import type { CollectionBehaviour, Relationship } from './collection.js';
import type { ResourceRegistry } from './registry.js';

/**
 * What a resolved path addresses in terms of behaviour: a collection, one of its entities, a
 * complex property of an entity, or the targets of a non-contained navigation (or their `$ref`).
 */
export interface CollectionTarget {
  kind: 'collection';
  behaviour: CollectionBehaviour;
  parentKeys: string[];
  /** The stored entity the collection is contained in (an application), which must exist. */
  parent?: EntityTarget;
  count: boolean;
}

export interface EntityTarget {
  kind: 'entity';
  behaviour: CollectionBehaviour;
  parentKeys: string[];
  key: string;
  parent?: EntityTarget;
}

export interface PropertyTarget {
  kind: 'property';
  owner: EntityTarget;
  property: Property;
}

export interface RelatedTarget {
  kind: 'related';
  source: EntityTarget;
  navigation: Navigation;
  relationship: Relationship;
  target: CollectionBehaviour;
  /** The key of one related entity (`members/{id}`), if addressed. */
  key?: string;
  ref: boolean;
  count: boolean;
}

export type Target = CollectionTarget | EntityTarget | PropertyTarget | RelatedTarget;

function notImplemented(path: ResolvedPath): never {
  throw errors.notImplemented(`The path '${path.pattern}'`);
}

export function resolveTarget(registry: ResourceRegistry, path: ResolvedPath): Target {
  const names: string[] = [];
  let current: Target | undefined;
  let entity: EntityTarget | undefined;

  const enterCollection = (name: string, parentKeys: string[], parent?: EntityTarget) => {
    names.push(name);
    const behaviour = registry.collection(names.join('/'));
    if (!behaviour) notImplemented(path);
    const served = behaviour.servedBy?.(parentKeys) ?? true;
    if (served !== true) throw errors.notServed(served);
    current = {
      kind: 'collection',
      behaviour,
      parentKeys,
      count: false,
      parent: parent && !parent.behaviour.fixedKeys ? parent : undefined,
    };
  };

  for (const step of path.steps) {
    switch (step.kind) {
      case 'entitySet':
        enterCollection(step.set.name, []);
        break;
      case 'key':
        if (current?.kind === 'collection') {
          if (current.behaviour.fixedKeys && !current.behaviour.fixedKeys.has(step.key))
            throw errors.resourceNotFound(step.key);
          entity = {
            kind: 'entity',
            behaviour: current.behaviour,
            parentKeys: current.parentKeys,
            key: step.key,
            parent: current.parent,
          };
          current = entity;
        } else if (current?.kind === 'related' && current.key === undefined && current.navigation.type.collection) {
          current = { ...current, key: step.key };
        } else notImplemented(path);
        break;
      case 'navigation': {
        const owner: Target | undefined = current;
        if (owner?.kind === 'property' && step.navigation.containsTarget) {
          enterCollection(step.navigation.name, [...owner.owner.parentKeys, owner.owner.key], owner.owner);
        } else if (owner?.kind === 'entity' && step.navigation.containsTarget) {
          enterCollection(step.navigation.name, [...owner.parentKeys, owner.key], owner);
        } else if (owner?.kind === 'entity') {
          const relationship = owner.behaviour.relationships?.[step.navigation.name];
          if (!relationship) notImplemented(path);
          const target = registry.collection(relationship.target);
          if (!target) notImplemented(path);
          current = {
            kind: 'related',
            source: owner,
            navigation: step.navigation,
            relationship,
            target,
            ref: false,
            count: false,
          };
        } else notImplemented(path);
        break;
      }
      case 'property':
        if (current?.kind !== 'entity' && current?.kind !== 'property') notImplemented(path);
        names.push(step.property.name);
        current = {
          kind: 'property',
          owner: current.kind === 'entity' ? current : current.owner,
          property: step.property,
        };
        break;
      case 'cast':
        break;
    }
  }
  if (!current || (!entity && current.kind !== 'collection')) notImplemented(path);
  if (path.kind === 'ref' || path.kind === 'count') {
    if (current.kind === 'related') current = { ...current, ref: path.kind === 'ref', count: path.kind === 'count' };
    else if (current.kind === 'collection' && path.kind === 'count') current = { ...current, count: true };
    else notImplemented(path);
  }
  return current;
}
