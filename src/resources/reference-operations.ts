import { errors } from '../graph/errors.js';
import { resolvePath } from '../odata/path.js';
import type { LinkMapping, Store } from '../store/store.js';
import { bodyOf, loadEntity, scopeOf, writeEntity, type Call, type GraphResponse } from './call.js';
import type { Relationship } from './collection.js';
import { collectionContextPath, contextUrl } from './context-url.js';
import { countCollection, listPage } from './entity-operations.js';
import type { ResourceRegistry } from './registry.js';
import { relatedCondition } from './related-condition.js';
import { resolveTarget, type RelatedTarget } from './target.js';

/**
 * Non-contained navigations: listing the related entities, and `$ref` writes that add, move,
 * set or remove references, whatever the storage (a column on either side, or a link table).
 */

function linkMapping(relationship: Relationship, target: RelatedTarget): LinkMapping {
  const storage = relationship.storage;
  if (storage.kind !== 'link') throw new Error('not a link relationship');
  return {
    table: storage.table,
    sourceColumn: storage.sourceColumn,
    targetColumn: storage.targetColumn,
    scopeColumns: target.source.behaviour.table.scopeColumns,
  };
}

function targetParents(target: RelatedTarget): string[] {
  return target.relationship.targetParents(target.source.parentKeys);
}

/** `GET .../memberOf`, `GET .../connectorGroup`, `GET .../members/{id}`, `GET .../members/$count`. */
export async function getRelated(call: Call, target: RelatedTarget): Promise<GraphResponse> {
  const { ctx } = call;
  const source = await loadEntity(
    ctx.store,
    target.source.behaviour,
    scopeOf(call, target.source.behaviour, target.source.parentKeys),
    target.source.key,
  );
  const parents = targetParents(target);
  // A collection reached only through this navigation is canonically addressed by it.
  const contextPath =
    target.relationship.storage.kind === 'tenant'
      ? call.request.path.contextPath
      : collectionContextPath(target.target, parents);
  const where = relatedCondition(call, target);
  if (target.count) return countCollection(call, target.target, parents, where);
  if (target.navigation.type.collection && target.key === undefined)
    return listPage(call, target.target, parents, contextPath, where);

  const scope = scopeOf(call, target.target, parents);
  let entity =
    target.key === undefined
      ? await ctx.store.findOne(target.target.table, scope, where)
      : await ctx.store.findOne(target.target.table, scope, {
          sql: `id = ? AND (${where.sql})`,
          params: [target.key, ...where.params],
        });
  if (!entity && target.key === undefined && target.relationship.fallback) {
    target.relationship.guardSource?.(ctx, source);
    entity = await ctx.store.get(target.target.table, scope, target.relationship.fallback(ctx));
  }
  if (!entity) throw errors.resourceNotFound(target.key ?? target.navigation.name);
  return {
    status: 200,
    body: {
      '@odata.context': contextUrl(
        call.request.url.origin,
        call.request.version,
        contextPath,
        call.options.select,
        true,
      ),
      ...writeEntity(call, target.target, entity),
    },
  };
}

/** The key of the entity an `@odata.id` names, which must belong to the relationship's targets. */
function referencedKey(call: Call, registry: ResourceRegistry, target: RelatedTarget): string {
  const body = call.request.body;
  const url =
    typeof body === 'object' && body !== null && !Array.isArray(body)
      ? (body as Record<string, unknown>)['@odata.id']
      : undefined;
  if (typeof url !== 'string' || url.trim() === '') throw errors.referenceRequired();
  return keyOfReference(registry, target, url);
}

/** The key of the entity a reference URL names, which must be one of the relationship's targets. */
function keyOfReference(registry: ResourceRegistry, target: RelatedTarget, url: string): string {
  let path = url.trim();
  try {
    path = new URL(path).pathname;
  } catch {
    // not absolute: a path relative to the service root
  }
  path = path.replace(/^\/+/, '').replace(/^(beta|v1\.0)\//i, '');
  const expected = target.relationship.target;
  let resolved;
  try {
    resolved = resolveTarget(registry, resolvePath(registry.model, path, registry.normalizeKey));
  } catch {
    throw errors.invalidReference(url, expected);
  }
  const parents = targetParents(target);
  if (
    resolved.kind !== 'entity' ||
    resolved.behaviour.path !== expected ||
    resolved.parentKeys.join('/') !== parents.join('/')
  ) {
    throw errors.invalidReference(url, expected);
  }
  return resolved.key;
}

/** `POST .../$ref`: adds a link, or moves the reference (a connector joins another group). */
export async function addReference(
  call: Call,
  registry: ResourceRegistry,
  target: RelatedTarget,
): Promise<GraphResponse> {
  const { relationship } = target;
  if (!relationship.add || !target.navigation.type.collection || target.key !== undefined)
    throw errors.methodNotAllowed();
  const targetKey = referencedKey(call, registry, target);
  return writeReferenceTransaction(call, target, targetKey);
}

/** `PUT .../connectorGroup/$ref`: sets a single-valued reference. */
export async function setReference(
  call: Call,
  registry: ResourceRegistry,
  target: RelatedTarget,
): Promise<GraphResponse> {
  if (!target.relationship.set || target.navigation.type.collection) throw errors.methodNotAllowed();
  const targetKey = referencedKey(call, registry, target);
  return writeReferenceTransaction(call, target, targetKey);
}

async function writeReferenceTransaction(call: Call, target: RelatedTarget, targetKey: string): Promise<GraphResponse> {
  try {
    return await call.ctx.store.transaction(async (store) => {
      await writeReference(call, store, target, targetKey);
      return { status: 204 };
    });
  } catch (error) {
    // The target was deleted between our look and the write: the database kept the reference valid.
    if (call.ctx.store.dialect.isForeignKeyViolation(error)) throw errors.resourceNotFound(targetKey);
    throw error;
  }
}

async function writeReference(call: Call, store: Store, target: RelatedTarget, targetKey: string): Promise<void> {
  const { source, relationship } = target;
  const sourceScope = scopeOf(call, source.behaviour, source.parentKeys);
  const sourceEntity = await loadEntity(store, source.behaviour, sourceScope, source.key);
  relationship.guardSource?.(call.ctx, sourceEntity);
  const targetScope = scopeOf(call, target.target, targetParents(target));
  await loadEntity(store, target.target, targetScope, targetKey);
  const storage = relationship.storage;
  if (storage.kind === 'sourceColumn')
    await store.update(
      source.behaviour.table,
      sourceScope,
      source.key,
      {},
      { hidden: { [storage.column]: targetKey } },
    );
  else if (storage.kind === 'targetColumn')
    await store.update(target.target.table, targetScope, targetKey, {}, { hidden: { [storage.column]: source.key } });
  else if ((await store.link(linkMapping(relationship, target), sourceScope, source.key, targetKey)) === 'duplicate') {
    throw errors.referenceExists(target.navigation.name);
  }
}

/**
 * `DELETE .../{id}/$ref` (a link), `DELETE .../$ref?$id={url}` (the same link named by its URL, as
 * the Kiota SDKs send it; `@id` too) or `DELETE .../connectorGroup/$ref` (a single reference).
 */
export async function removeReference(
  call: Call,
  registry: ResourceRegistry,
  named: RelatedTarget,
): Promise<GraphResponse> {
  const { source, relationship } = named;
  if (!relationship.remove) throw errors.methodNotAllowed();
  const params = call.request.url.searchParams;
  const byUrl =
    named.navigation.type.collection && named.key === undefined
      ? (params.get('$id') ?? params.get('@id') ?? params.get('id'))
      : null;
  if (named.navigation.type.collection && named.key === undefined && (byUrl === null || byUrl.trim() === '')) {
    throw errors.invalidQueryOption(
      "Removing a reference from a collection's $ref needs the reference: $id=<URL of the object>.",
    );
  }
  const target = byUrl === null ? named : { ...named, key: keyOfReference(registry, named, byUrl) };
  const collection = target.navigation.type.collection;
  if (collection !== (target.key !== undefined)) throw errors.methodNotAllowed();
  const storage = relationship.storage;
  return call.ctx.store.transaction(async (store) => {
    const sourceScope = scopeOf(call, source.behaviour, source.parentKeys);
    // No guard here: removing an assignment is always allowed (an app whose app proxy settings were
    // cleared must still be able to release its connector group).
    await loadEntity(store, source.behaviour, sourceScope, source.key);
    if (storage.kind === 'link') {
      if (!(await store.unlink(linkMapping(relationship, target), sourceScope, source.key, target.key!)))
        throw errors.resourceNotFound(target.key!);
    } else if (storage.kind === 'sourceColumn' && !collection) {
      await store.update(source.behaviour.table, sourceScope, source.key, {}, { hidden: { [storage.column]: null } });
    } else {
      throw errors.methodNotAllowed();
    }
    return { status: 204 };
  });
}

/** `GET .../$ref`: the references themselves, as `@odata.id` URLs. */
export async function listReferences(call: Call, target: RelatedTarget): Promise<GraphResponse> {
  const page = await getRelated({ ...call, options: { ...call.options, select: ['id'] } }, { ...target, ref: false });
  const root = `${call.request.url.origin}/${call.request.version}/${collectionContextPath(target.target, targetParents(target))}`;
  const body = bodyOf(page) as { value?: Array<{ id: string }>; id?: string; '@odata.nextLink'?: string };
  const ref = (id: string) => ({ '@odata.id': `${root}/${id}` });
  if (body.value === undefined)
    return {
      status: 200,
      body: { '@odata.context': `${call.request.url.origin}/${call.request.version}/$metadata#$ref`, ...ref(body.id!) },
    };
  return {
    status: 200,
    body: {
      '@odata.context': `${call.request.url.origin}/${call.request.version}/$metadata#Collection($ref)`,
      value: body.value.map((e) => ref(e.id)),
      ...(body['@odata.nextLink'] ? { '@odata.nextLink': body['@odata.nextLink'] } : {}),
    },
  };
}
