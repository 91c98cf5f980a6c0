import { errors } from '../graph/errors.js';
import { readEntityBody } from '../odata/entity-body.js';
import { mergeComplex } from '../odata/merge.js';
import { nextLink, pageSize } from '../odata/paging.js';
import {
  afterCondition,
  cursorValues,
  decodeCursor,
  encodeCursor,
  filterToSql,
  orderBySql,
  parseFilter,
  parseOrderBy,
  queryHash,
  type OrderKey,
} from '../odata/query/index.js';
import { isGuid } from '../odata/guid.js';
import type { Condition, Entity } from '../store/store.js';
import { jsonFields } from '../odata/serialize.js';
import type { JsonField } from '../store/row-json.js';
import {
  combineGuards,
  explainRefusal,
  loadEntity,
  scopeOf,
  serializeOptions,
  writeEntity,
  type Call,
  type GraphResponse,
} from './call.js';
import type { CollectionBehaviour } from './collection.js';
import { contextUrl } from './context-url.js';
import { writeExpanded } from './expand.js';
import type { CollectionTarget, EntityTarget } from './target.js';

/** List, create, get, update and delete on a collection and its entities, for every behaviour. */

function context(call: Call, entity: boolean, path = call.request.path.contextPath): string {
  return contextUrl(call.request.url.origin, call.request.version, path, call.options.select, entity);
}

/** Conditions that all must hold, as one. */
function allOf(conditions: Array<Condition | undefined>): Condition | undefined {
  const present = conditions.filter((c): c is Condition => c !== undefined);
  if (present.length === 0) return undefined;
  return { sql: present.map((c) => `(${c.sql})`).join(' AND '), params: present.flatMap((c) => c.params) };
}

/**
 * One page of a collection: `$filter` and the keyset cursor as SQL conditions, `$orderby` (always
 * ending with id) as the SQL order, so a page costs an index range scan whatever the table's
 * size; a nextLink when the page (`$top`, `Prefer: odata.maxpagesize` or the default) left rows behind.
 */
export async function listPage(
  call: Call,
  behaviour: CollectionBehaviour,
  parentKeys: string[],
  contextPath: string,
  where?: Condition,
): Promise<GraphResponse> {
  const { options, request, ctx } = call;
  const { model, store } = ctx;
  const table = behaviour.table;
  const filter = options.filter === undefined ? undefined : parseFilter(options.filter, behaviour.type, model);
  const keys = parseOrderBy(options.orderBy, behaviour.type, model);
  // The cursor is bound to the query: hashed only when a token is read or written, and once.
  let hashed: string | undefined;
  const hash = () => (hashed ??= queryHash(filter, keys, behaviour.path));
  const filtered = allOf([where, filter && filterToSql(filter, table, store.dialect)]);
  const after =
    options.skipToken === undefined
      ? undefined
      : afterCondition(keys, decodeCursor(options.skipToken, hash()), table, store.dialect);
  const size = pageSize(options.top, request.preferences.maxPageSize);
  const scope = scopeOf(call, behaviour, parentKeys);
  // `$skip` applies to the first page only: later pages continue after the last row served.
  const offset = after === undefined ? options.skip : undefined;
  // One row more than the page tells whether another page exists.
  const listOptions = {
    top: size + 1,
    where: allOf([filtered, after]),
    orderBy: orderBySql(keys, table, store.dialect),
    offset,
  };
  const count = options.count && request.eventual ? () => store.count(table, scope, filtered) : undefined;
  // Only where the database writes JSON rows (its dialect's jsonObject) and nothing is expanded.
  const jsonRowsPossible = store.dialect.jsonObject !== undefined && !options.expand?.length;
  const fields = jsonRowsPossible ? jsonFields(model, behaviour.type, table, serializeOptions(call)) : undefined;
  const jsonRows = fields && keysIn(keys, fields) ? await store.listJson(table, scope, listOptions, fields) : undefined;
  if (jsonRows) {
    // The rows come written as Graph JSON (src/store/row-json.ts): the body is joined, not stringified.
    const page = jsonRows.slice(0, size);
    let json = `{"@odata.context":${JSON.stringify(context(call, false, contextPath))}`;
    if (count) json += `,"@odata.count":${await count()}`;
    json += `,"value":[${page.join(',')}]`;
    if (jsonRows.length > size) {
      const last = JSON.parse(page[page.length - 1]) as Entity;
      json += `,"@odata.nextLink":${JSON.stringify(nextLink(request.url, encodeCursor(cursorValues(keys, last), hash())))}`;
    }
    return { status: 200, json: `${json}}` };
  }
  const rows = await store.list(table, scope, listOptions);
  const page = rows.slice(0, size);
  const body: Record<string, unknown> = { '@odata.context': context(call, false, contextPath) };
  // Graph's directory counts only for advanced queries (ConsistencyLevel: eventual); otherwise `$count=true` is ignored.
  if (count) body['@odata.count'] = await count();
  body.value = options.expand?.length
    ? await Promise.all(page.map((e) => writeExpanded(call, behaviour, parentKeys, e, options.expand)))
    : page.map((e) => writeEntity(call, behaviour, e));
  // `$top` is a page size as in Graph: rows left behind get a nextLink, which keeps `$top`.
  if (rows.length > size) {
    body['@odata.nextLink'] = nextLink(request.url, encodeCursor(cursorValues(keys, page[page.length - 1]), hash()));
  }
  return { status: 200, body };
}

/**
 * Whether a page's JSON rows hold the values of its sort keys as stored (for the nextLink's
 * cursor): each key a property of the row, not an enum whose members the row may hide.
 */
function keysIn(keys: readonly OrderKey[], fields: readonly JsonField[]): boolean {
  return keys.every(
    (key) => key.path.length === 1 && fields.some((f) => f.name === key.path[0] && f.hidden === undefined),
  );
}

export function listCollection(call: Call, target: CollectionTarget): Promise<GraphResponse> {
  return listPage(call, target.behaviour, target.parentKeys, call.request.path.contextPath);
}

export async function getEntity(call: Call, target: EntityTarget): Promise<GraphResponse> {
  const { behaviour } = target;
  const entity = await loadEntity(call.ctx.store, behaviour, scopeOf(call, behaviour, target.parentKeys), target.key);
  return {
    status: 200,
    body: {
      '@odata.context': context(call, true),
      ...(await writeExpanded(call, behaviour, target.parentKeys, entity, call.options.expand)),
    },
  };
}

export async function createEntity(call: Call, target: CollectionTarget): Promise<GraphResponse> {
  const { behaviour, parentKeys } = target;
  const { ctx } = call;
  const create = behaviour.create;
  if (!create) throw errors.methodNotAllowed();
  const input = readEntityBody(ctx.model, behaviour.type, call.request.body, create.rules, 'create');
  if (input.id !== undefined && input.id !== null) {
    if (create.clientId !== 'guid' || !isGuid(String(input.id)))
      throw errors.invalidValue('id', behaviour.type.name, 'The id must be a GUID.');
    input.id = String(input.id).toLowerCase();
  } else {
    input.id = ctx.ids.newId();
  }
  const entity: Entity = { ...create.defaults(ctx, parentKeys), ...input };
  for (const property of behaviour.type.properties.keys()) if (!(property in entity)) entity[property] = null;
  create.prepare?.(ctx, entity);
  const inserted = await ctx.store.insert(behaviour.table, scopeOf(call, behaviour, parentKeys), entity, {
    hidden: create.hidden?.(ctx, parentKeys),
  });
  if (inserted === 'duplicate') throw errors.objectConflict('id', String(entity.id));
  return {
    status: create.status?.(ctx) ?? 201,
    body: { '@odata.context': context(call, true), ...writeEntity(call, behaviour, entity) },
  };
}

export async function updateEntity(call: Call, target: EntityTarget): Promise<GraphResponse> {
  const { behaviour, parentKeys, key } = target;
  const { ctx } = call;
  const update = behaviour.update;
  if (!update) throw errors.methodNotAllowed();
  const changes = readEntityBody(ctx.model, behaviour.type, call.request.body, update.rules, 'update');
  const scope = scopeOf(call, behaviour, parentKeys);
  const guards = update.guards?.(changes) ?? [];
  const complexChanges = Object.keys(changes).filter((name) => {
    const type = behaviour.type.properties.get(name)?.type;
    return type?.kind === 'complex' && !type.collection && changes[name] !== null;
  });
  return ctx.store.transaction(async (store) => {
    if (behaviour.table.openColumn || complexChanges.length > 0) {
      const current = await loadEntity(store, behaviour, scope, key);
      for (const name of complexChanges) {
        const type = ctx.model.structured(behaviour.type.properties.get(name)!.type.name);
        changes[name] = mergeComplex(ctx.model, type, current[name], changes[name] as Record<string, unknown>);
      }
      // Open properties live in one document: keep the ones this PATCH does not name.
      if (behaviour.table.openColumn) {
        for (const [name, value] of Object.entries(current))
          if (!behaviour.type.properties.has(name) && !Object.hasOwn(changes, name)) changes[name] = value;
      }
    }
    update.prepare?.(ctx, changes);
    if (!(await store.update(behaviour.table, scope, key, changes, { where: combineGuards(guards) }))) {
      await explainRefusal(store, behaviour, scope, key, guards);
    }
    if ((update.status?.(ctx) ?? 204) === 204) return { status: 204 };
    const entity = await loadEntity(store, behaviour, scope, key);
    return { status: 200, body: { '@odata.context': context(call, true), ...writeEntity(call, behaviour, entity) } };
  });
}

export async function deleteEntity(call: Call, target: EntityTarget): Promise<GraphResponse> {
  const { behaviour, parentKeys, key } = target;
  const remove = behaviour.remove;
  if (!remove) throw errors.methodNotAllowed();
  const scope = scopeOf(call, behaviour, parentKeys);
  const guards = remove.guards ?? [];
  try {
    return await call.ctx.store.transaction(async (store) => {
      if (!(await store.delete(behaviour.table, scope, key, { where: combineGuards(guards) }))) {
        await explainRefusal(store, behaviour, scope, key, guards);
      }
      return { status: 204 };
    });
  } catch (error) {
    // A row that still references this one (a connector that joined the group meanwhile): the
    // database refused; say which rule, from a fresh look.
    if (call.ctx.store.dialect.isForeignKeyViolation(error))
      await explainRefusal(call.ctx.store, behaviour, scope, key, guards);
    throw error;
  }
}

export async function countCollection(
  call: Call,
  behaviour: CollectionBehaviour,
  parentKeys: string[],
  where?: Condition,
): Promise<GraphResponse> {
  if (!call.request.eventual) throw errors.consistencyRequired();
  const { options, ctx } = call;
  // `/$count?$filter=…` counts what the filter keeps, as Graph's directory does.
  const filter =
    options.filter === undefined
      ? undefined
      : filterToSql(parseFilter(options.filter, behaviour.type, ctx.model), behaviour.table, ctx.store.dialect);
  const count = await ctx.store.count(behaviour.table, scopeOf(call, behaviour, parentKeys), allOf([where, filter]));
  return { status: 200, text: String(count) };
}
