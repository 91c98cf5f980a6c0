import type { Principal } from '../auth/principal.js';
import { errors } from '../graph/errors.js';
import type { Preferences } from '../graph/prefer.js';
import type { ResolvedPath } from '../odata/path.js';
import type { QueryOptions } from '../odata/query-options.js';
import { serializeEntity, type SerializeOptions } from '../odata/serialize.js';
import type { Entity, Scope, Store } from '../store/store.js';
import type { CollectionBehaviour, Guard, OperationContext } from './collection.js';
import type { ExpandBudget } from './expand-budget.js';
import type { ResourceRegistry } from './registry.js';

/** One Graph request as the engine sees it, after token verification and path resolution. */
export interface GraphRequest {
  method: string;
  /** The absolute request URL, on localgraph's own scheme and host. */
  url: URL;
  /** `beta`: the version segment, for context URLs. */
  version: string;
  path: ResolvedPath;
  body: unknown;
  preferences: Preferences;
  principal: Principal;
  /** `ConsistencyLevel: eventual` was sent: Graph's advanced directory queries are allowed. */
  eventual: boolean;
  /** What `$expand` may still add to the response (shared by the items of a `$batch`). */
  expandBudget: ExpandBudget;
  /** Checks the caller may perform another operation too (what an `$expand` reads); throws 403 if not. */
  authorize(method: string, pattern: string): void;
}

export interface GraphResponse {
  status: number;
  body?: unknown;
  /** The JSON body already written (a list page of rows the database wrote as JSON), sent as is. */
  json?: string;
  /** `text/plain` bodies (`/$count`). */
  text?: string;
}

/** A request in flight: what every operation needs. */
export interface Call {
  request: GraphRequest;
  ctx: OperationContext;
  options: QueryOptions;
  registry: ResourceRegistry;
}

export function scopeOf(call: Call, behaviour: CollectionBehaviour, parentKeys: string[]): Scope {
  return behaviour.scope(call.request.principal.tenantId, parentKeys);
}

/** Serialises an entity as the request asked (`$select`, evolvable enums). */
/** A response's body as a value, whether it was built as one or written as JSON. */
export function bodyOf(response: GraphResponse): unknown {
  return response.json === undefined ? response.body : JSON.parse(response.json);
}

/** How a request wants its entities written: its `Prefer` and `$select` (or `select`). */
export function serializeOptions(call: Call, select = call.options.select): SerializeOptions {
  return {
    includeUnknownEnumMembers: call.request.preferences.includeUnknownEnumMembers,
    select: select?.includes('*') ? undefined : select,
  };
}

export function writeEntity(
  call: Call,
  behaviour: CollectionBehaviour,
  entity: Entity,
  select = call.options.select,
): Record<string, unknown> {
  return serializeEntity(call.ctx.model, behaviour.type, entity, serializeOptions(call, select));
}

/** Loads an entity or answers 404 as Graph does. */
export async function loadEntity(
  store: Store,
  behaviour: CollectionBehaviour,
  scope: Scope,
  key: string,
): Promise<Entity> {
  const entity = await store.get(behaviour.table, scope, key);
  if (!entity) throw errors.resourceNotFound(key);
  return entity;
}

/**
 * After a guarded write changed nothing: 404 when the row does not exist, else the refusal of
 * the first guard the row fails.
 */
export async function explainRefusal(
  store: Store,
  behaviour: CollectionBehaviour,
  scope: Scope,
  key: string,
  guards: Guard[],
): Promise<never> {
  await loadEntity(store, behaviour, scope, key);
  for (const guard of guards) {
    const passes = await store.findOne(behaviour.table, scope, {
      sql: `id = ? AND (${guard.where.sql})`,
      params: [key, ...guard.where.params],
    });
    if (!passes) throw guard.refusal(key);
  }
  // The row changed between the write and this look: report it as the conflict it is.
  throw errors.concurrentChange(key);
}

/** All guards combined into one condition, for the write itself. */
export function combineGuards(guards: Guard[]): { sql: string; params: unknown[] } | undefined {
  if (guards.length === 0) return undefined;
  return { sql: guards.map((g) => `(${g.where.sql})`).join(' AND '), params: guards.flatMap((g) => g.where.params) };
}
