import type { Method } from '../auth/permission-row.js';
import { isNavigation, type Model, type Navigation, type StructuredType } from '../model/model.js';
import type { CollectionBehaviour } from './collection.js';
import type { ResourceRegistry } from './registry.js';

/**
 * Every operation of the family, derived from the model (what exists) and the behaviour modules
 * (what localgraph serves): the source of the coverage table in docs/coverage.md and of the
 * check that every served operation has a permission row.
 */
export interface Operation {
  method: Method;
  /** The path pattern as permissions and logs write it: `/onPremisesPublishingProfiles/{id}/connectors/{id}`. */
  pattern: string;
  implemented: boolean;
}

/** The URL pattern of a behaviour's collection: keys after each entity set or contained navigation. */
export function collectionPattern(model: Model, behaviour: CollectionBehaviour): string {
  const [set, ...rest] = behaviour.path.split('/');
  let pattern = `/${set}`;
  let type: StructuredType = model.entitySets.get(set)!.type;
  let keyed = false;
  for (const name of rest) {
    if (!keyed && !pattern.endsWith('}') && type.kind === 'entity') {
      pattern += '/{id}';
      keyed = true;
    }
    const member = type.member(name)!;
    if (!isNavigation(member) && member.type.kind === 'complex') {
      type = model.structured(member.type.name);
      // A navigation declared on a derived complex type is reached through a cast segment.
      const next = rest[rest.indexOf(name) + 1];
      const owner =
        next && !type.member(next)
          ? type.derived.find((d) => {
              const candidate = d.member(next);
              return candidate && isNavigation(candidate) && candidate.type.name === behaviour.type.qualifiedName;
            })
          : undefined;
      pattern += `/${member.name}${owner ? `/${owner.qualifiedName}` : ''}`;
      if (owner) type = owner;
      continue;
    }
    pattern += `/${member.name}`;
    type = model.structured(member.type.name);
    keyed = false;
  }
  return pattern;
}

/** What one behaviour serves: its collection, its entities, their properties and navigations. */
export function servedOperations(model: Model, behaviour: CollectionBehaviour): Operation[] {
  const collection = collectionPattern(model, behaviour);
  const item = `${collection}/{id}`;
  const op = (method: Method, pattern: string): Operation => ({ method, pattern, implemented: true });
  const ops: Operation[] = [op('GET', collection), op('GET', item)];
  if (behaviour.create) ops.push(op('POST', collection));
  if (behaviour.update) ops.push(op('PATCH', item));
  if (behaviour.remove) ops.push(op('DELETE', item));
  for (const name of Object.keys(behaviour.properties ?? {}))
    ops.push(op('GET', `${item}/${name}`), op('PATCH', `${item}/${name}`));
  for (const [name, relationship] of Object.entries(behaviour.relationships ?? {})) {
    const single = !behaviour.type.navigations.get(name)!.type.collection;
    ops.push(op('GET', `${item}/${name}`));
    if (!single) ops.push(op('GET', `${item}/${name}/{id}`));
    if (relationship.add) ops.push(op('POST', `${item}/${name}/$ref`));
    if (relationship.set) ops.push(op('PUT', `${item}/${name}/$ref`));
    if (relationship.remove) ops.push(op('DELETE', single ? `${item}/${name}/$ref` : `${item}/${name}/{id}/$ref`));
    if (relationship.remove && !single) ops.push(op('DELETE', `${item}/${name}/$ref`));
  }
  return ops;
}

/** How deep complex properties are looked into (a type that contains itself would recurse forever). */
const MAX_COMPLEX_DEPTH = 6;

/** A navigation declared on a complex type, reached from an entity through complex properties. */
interface ComplexNavigation {
  /** The segments after the entity's key, casts included (`onPremisesPublishing`, `segmentsConfiguration`, a cast). */
  segments: string[];
  /** The same without the casts, as behaviour paths name it. */
  properties: string[];
  navigation: Navigation;
}

/**
 * Every navigation reachable from `type` through its complex properties, on the declared complex
 * type or, through a cast segment, on a type derived from it (those of the base are reached
 * without the cast), at any depth up to {@link MAX_COMPLEX_DEPTH}.
 */
function complexNavigations(
  model: Model,
  type: StructuredType,
  segments: string[] = [],
  properties: string[] = [],
): ComplexNavigation[] {
  const found: ComplexNavigation[] = [];
  if (properties.length >= MAX_COMPLEX_DEPTH) return found;
  for (const property of type.properties.values()) {
    if (property.type.kind !== 'complex') continue;
    const declared = model.structured(property.type.name);
    for (const actual of declared.selfAndDerived()) {
      const path = [...segments, property.name, ...(actual === declared ? [] : [actual.qualifiedName])];
      const names = [...properties, property.name];
      for (const navigation of actual.navigations.values()) {
        if (actual !== declared && declared.navigations.has(navigation.name)) continue;
        found.push({ segments: path, properties: names, navigation });
      }
      found.push(...complexNavigations(model, actual, path, names));
    }
  }
  return found;
}

/**
 * Navigations the model declares on served types that no behaviour serves: on the entity type
 * itself, or reached through its complex properties (`applications/{id}/onPremisesPublishing/…`).
 */
function unservedNavigations(model: Model, registry: ResourceRegistry): Operation[] {
  const ops: Operation[] = [];
  for (const behaviour of registry.all()) {
    const item = `${collectionPattern(model, behaviour)}/{id}`;
    for (const navigation of behaviour.type.navigations.values()) {
      const served = navigation.containsTarget
        ? registry.collection(`${behaviour.path}/${navigation.name}`)
        : behaviour.relationships?.[navigation.name];
      if (!served) ops.push({ method: 'GET', pattern: `${item}/${navigation.name}`, implemented: false });
    }
    for (const { segments, properties, navigation } of complexNavigations(model, behaviour.type)) {
      // Served when a behaviour holds that path for that very type (a cast picks one of several).
      const served = registry.collection([behaviour.path, ...properties, navigation.name].join('/'));
      if (served?.type.qualifiedName === model.structured(navigation.type.name).qualifiedName) continue;
      ops.push({ method: 'GET', pattern: [item, ...segments, navigation.name].join('/'), implemented: false });
    }
  }
  return ops;
}

export function familyOperations(model: Model, registry: ResourceRegistry): Operation[] {
  return [...registry.all().flatMap((b) => servedOperations(model, b)), ...unservedNavigations(model, registry)];
}
