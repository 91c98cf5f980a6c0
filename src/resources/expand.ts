import { errors } from '../graph/errors.js';
import type { ExpandItem } from '../odata/query-options.js';
import { filterToSql, orderBySql, parseFilter, parseOrderBy } from '../odata/query/index.js';
import type { Condition, Entity, ListOptions } from '../store/store.js';
import { scopeOf, writeEntity, type Call } from './call.js';
import type { CollectionBehaviour } from './collection.js';
import { collectionPattern } from './operations.js';
import { relatedCondition } from './related-condition.js';
import type { RelatedTarget } from './target.js';

/**
 * `$expand`: the related entities of each entity inlined under the navigation's name, with the
 * item's own `$select`, `$filter`, `$orderby`, `$top` and nested `$expand`. As Graph's directory
 * does, an expanded collection holds at most 20 entities and no nextLink. Every entity expanded
 * is counted against the request's budget (expand-budget.ts) (shared by the items of a `$batch`).
 */
export const MAX_EXPANDED = 20;

export async function writeExpanded(
  call: Call,
  behaviour: CollectionBehaviour,
  parentKeys: string[],
  entity: Entity,
  expand: ExpandItem[] | undefined,
): Promise<Record<string, unknown>> {
  const out = writeEntity(call, behaviour, entity);
  for (const item of expand ?? []) out[item.navigation] = await expandOne(call, behaviour, parentKeys, entity, item);
  return out;
}

async function expandOne(
  call: Call,
  behaviour: CollectionBehaviour,
  parentKeys: string[],
  entity: Entity,
  item: ExpandItem,
): Promise<unknown> {
  const { registry, ctx } = call;
  const navigation = behaviour.type.navigations.get(item.navigation)!;
  // Expanding reads the navigation: the caller needs what reading it directly needs.
  call.request.authorize('GET', `${collectionPattern(ctx.model, behaviour)}/{id}/${navigation.name}`);
  const nested: Call = { ...call, options: item.options };
  const key = String(entity.id);

  if (navigation.containsTarget) {
    const contained = registry.collection(`${behaviour.path}/${navigation.name}`);
    const keys = [...parentKeys, key];
    if (!contained || (contained.servedBy?.(keys) ?? true) !== true) return [];
    const rows = await ctx.store.list(contained.table, scopeOf(call, contained, keys), pageOf(call, contained, item));
    call.request.expandBudget.take(rows.length);
    return Promise.all(rows.map((row) => writeExpanded(nested, contained, keys, row, item.options.expand)));
  }

  const relationship = behaviour.relationships?.[navigation.name];
  const target = relationship && registry.collection(relationship.target);
  if (!relationship || !target) throw errors.expandNotSupported(navigation.name);
  const related: RelatedTarget = {
    kind: 'related',
    source: { kind: 'entity', behaviour, parentKeys, key },
    navigation,
    relationship,
    target,
    ref: false,
    count: false,
  };
  const targetKeys = relationship.targetParents(parentKeys);
  const scope = scopeOf(call, target, targetKeys);
  const where = relatedCondition(call, related);
  if (!navigation.type.collection) {
    let row = await ctx.store.findOne(target.table, scope, where);
    if (!row && relationship.fallback) row = await ctx.store.get(target.table, scope, relationship.fallback(ctx));
    if (row) call.request.expandBudget.take(1);
    return row ? writeExpanded(nested, target, targetKeys, row, item.options.expand) : null;
  }
  const rows = await ctx.store.list(target.table, scope, pageOf(call, target, item, where));
  call.request.expandBudget.take(rows.length);
  return Promise.all(rows.map((row) => writeExpanded(nested, target, targetKeys, row, item.options.expand)));
}

/** The expanded page: the item's `$filter` and `$orderby` (id last), at most `$top` and never more than {@link MAX_EXPANDED}. */
function pageOf(call: Call, target: CollectionBehaviour, item: ExpandItem, where?: Condition): ListOptions {
  const { model, store } = call.ctx;
  const options = item.options;
  const filter =
    options.filter === undefined
      ? undefined
      : filterToSql(parseFilter(options.filter, target.type, model), target.table, store.dialect);
  const conditions = [where, filter].filter((c): c is Condition => c !== undefined);
  return {
    top: Math.min(options.top ?? MAX_EXPANDED, MAX_EXPANDED),
    where:
      conditions.length === 0
        ? undefined
        : { sql: conditions.map((c) => `(${c.sql})`).join(' AND '), params: conditions.flatMap((c) => c.params) },
    orderBy:
      options.orderBy === undefined
        ? undefined
        : orderBySql(parseOrderBy(options.orderBy, target.type, model), target.table, store.dialect),
  };
}
