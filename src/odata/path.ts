import { errors } from '../graph/errors.js';
import {
  isNavigation,
  type EntitySet,
  type Model,
  type Navigation,
  type Property,
  type StructuredType,
} from '../model/model.js';
import { isGuid } from './guid.js';
import { splitPath, type RawSegment } from './segments.js';

/**
 * Resolves a Graph URL path against the model: which entity set, keys, navigations, properties
 * and casts it walks through, and what it finally addresses. Nothing here knows any particular
 * resource; adding an entity set to the model makes its paths resolvable.
 */

export type Step =
  | { kind: 'entitySet'; set: EntitySet; type: StructuredType }
  | { kind: 'key'; key: string; type: StructuredType; keyProperty?: string }
  | { kind: 'navigation'; navigation: Navigation; type: StructuredType }
  | { kind: 'property'; property: Property; type?: StructuredType }
  | { kind: 'cast'; type: StructuredType };

export type TargetKind = 'collection' | 'entity' | 'property' | 'ref' | 'count';

export interface ResolvedPath {
  steps: Step[];
  kind: TargetKind;
  /** The structured type addressed (items' type for collections); absent for primitive properties. */
  type?: StructuredType;
  /** The generic pattern of the path, keys replaced by `{id}`: what permissions and logs key on. */
  pattern: string;
  /**
   * The canonical path as a context URL writes it, e.g. `onPremisesPublishingProfiles('applicationProxy')/connectors`;
   * for an entity addressed by key, the path of its collection (a context URL then appends `/$entity`).
   */
  contextPath: string;
}

/** Canonicalises a key for a type (GUIDs lower-cased, profile ids to their enum spelling). */
export type KeyNormalizer = (type: StructuredType, key: string) => string;

type Shape = 'collection' | 'entity' | 'complex' | 'primitive' | 'end';

export const defaultKeyNormalizer: KeyNormalizer = (_type, key) => (isGuid(key) ? key.toLowerCase() : key);

/**
 * Alternate keys Graph declares (`Org.OData.Core.V1.AlternateKeys`): `applications(appId='…')` and
 * `applications(uniqueName='…')` address an application by those properties instead of its id.
 */
export const ALTERNATE_KEYS: Readonly<Record<string, readonly string[]>> = {
  'microsoft.graph.application': ['appId', 'uniqueName'],
};

export function resolvePath(
  model: Model,
  path: string,
  normalizeKey: KeyNormalizer = defaultKeyNormalizer,
): ResolvedPath {
  const raw = splitPath(path);
  if (raw.length === 0) throw errors.segmentNotFound('');
  const first = raw[0];
  const set = model.findEntitySet(first.name);
  if (!set) throw errors.segmentNotFound(first.text);

  const steps: Step[] = [{ kind: 'entitySet', set, type: set.type }];
  let shape: Shape = 'collection';
  let type: StructuredType | undefined = set.type;
  let kind: TargetKind = 'collection';
  // `$ref` is only meaningful on a non-contained navigation (a reference, not an owned entity).
  let referenceable = false;
  let pattern = `/${set.name}`;
  let contextPath = set.name;
  let beforeKey = contextPath;

  const applyKey = (key: string, segment: RawSegment): void => {
    if (shape !== 'collection' || !type) throw errors.segmentNotFound(segment.text);
    let keyProperty: string | undefined;
    if (segment.keyProperty !== undefined) {
      keyProperty = ALTERNATE_KEYS[type.qualifiedName]?.find(
        (name) => name.toLowerCase() === segment.keyProperty!.toLowerCase(),
      );
      if (!keyProperty) throw errors.badKey(segment.text);
    }
    const normalized = keyProperty ? key : normalizeKey(type, key);
    steps.push({ kind: 'key', key: normalized, type, ...(keyProperty ? { keyProperty } : {}) });
    shape = 'entity';
    kind = 'entity';
    pattern += '/{id}';
    beforeKey = contextPath;
    contextPath += keyProperty
      ? `(${keyProperty}='${normalized.replace(/'/g, "''")}')`
      : `('${normalized.replace(/'/g, "''")}')`;
  };

  if (first.key !== undefined) applyKey(first.key, first);

  for (const segment of raw.slice(1)) {
    if (shape === 'end' || shape === 'primitive') throw errors.segmentNotFound(segment.text);
    if (segment.name === '$ref' || segment.name === '$count') {
      const isRef = segment.name === '$ref';
      const allowed = isRef ? referenceable && (shape === 'collection' || shape === 'entity') : shape === 'collection';
      if (!allowed || segment.key !== undefined) throw errors.segmentNotFound(segment.text);
      kind = isRef ? 'ref' : 'count';
      pattern += `/${segment.name}`;
      shape = 'end';
      continue;
    }
    const cast = segment.name.includes('.') ? model.findStructuredType(segment.name) : undefined;
    if (cast) {
      if (!type?.isAssignableFrom(cast) || segment.key !== undefined) throw errors.segmentNotFound(segment.text);
      steps.push({ kind: 'cast', type: cast });
      type = cast;
      pattern += `/${cast.qualifiedName}`;
      contextPath += `/${cast.qualifiedName}`;
      continue;
    }
    if (shape === 'collection') {
      if (segment.key !== undefined) throw errors.segmentNotFound(segment.text);
      applyKey(segment.name, segment);
      continue;
    }
    const member: Property | Navigation | undefined = type?.member(segment.name);
    if (!member) throw errors.segmentNotFound(segment.text);
    if (isNavigation(member)) {
      const target = model.structured(member.type.name);
      steps.push({ kind: 'navigation', navigation: member, type: target });
      type = target;
      referenceable = !member.containsTarget;
      shape = member.type.collection ? 'collection' : 'entity';
      kind = member.type.collection ? 'collection' : 'entity';
      pattern += `/${member.name}`;
      contextPath += `/${member.name}`;
      if (segment.key !== undefined) applyKey(segment.key, segment);
      continue;
    }
    if (segment.key !== undefined) throw errors.segmentNotFound(segment.text);
    const structured: StructuredType | undefined =
      member.type.kind === 'complex' ? model.structured(member.type.name) : undefined;
    steps.push({ kind: 'property', property: member, type: structured });
    type = structured;
    referenceable = false;
    shape = structured && !member.type.collection ? 'complex' : 'primitive';
    kind = 'property';
    pattern += `/${member.name}`;
    contextPath += `/${member.name}`;
  }

  const endsWithKey = steps[steps.length - 1].kind === 'key' && kind === 'entity';
  return { steps, kind, type, pattern, contextPath: endsWithKey ? beforeKey : contextPath };
}

/** The keys of a resolved path, in order. */
export function pathKeys(path: ResolvedPath): string[] {
  return path.steps.flatMap((s) => (s.kind === 'key' ? [s.key] : []));
}
