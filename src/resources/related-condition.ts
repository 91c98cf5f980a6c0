import type { Condition, LinkMapping, Scope } from '../store/store.js';
import { scopeOf, type Call } from './call.js';
import type { RelatedTarget } from './target.js';

/** The condition on the target table that selects the entities related to the source. */
export function relatedCondition(call: Call, target: RelatedTarget): Condition {
  const { source, relationship } = target;
  const scope = scopeOf(call, source.behaviour, source.parentKeys);
  const scopeSql = ['tenant_id = ?', ...source.behaviour.table.scopeColumns.map((c) => `${c} = ?`)].join(' AND ');
  const scopeParams = [scope.tenantId, ...(scope.parents ?? [])];
  const storage = relationship.storage;
  switch (storage.kind) {
    case 'sourceColumn':
      return {
        sql: `id IN (SELECT ${storage.column} FROM ${source.behaviour.table.table} WHERE ${scopeSql} AND id = ?)`,
        params: [...scopeParams, source.key],
      };
    case 'targetColumn':
      return { sql: `${storage.column} = ?`, params: [source.key] };
    case 'tenant':
      return storage.sourceKeys.includes(source.key) ? { sql: '1 = 1', params: [] } : { sql: '1 = 0', params: [] };
    case 'link':
      return linkedTargets({ ...storage, scopeColumns: source.behaviour.table.scopeColumns }, scope, source.key);
  }
}

/** The targets a link table holds for one source (`id IN (...)`), in the source's scope. */
export function linkedTargets(link: LinkMapping, scope: Scope, sourceKey: string): Condition {
  const scopeSql = ['tenant_id = ?', ...link.scopeColumns.map((c) => `${c} = ?`)].join(' AND ');
  return {
    sql: `id IN (SELECT ${link.targetColumn} FROM ${link.table} WHERE ${scopeSql} AND ${link.sourceColumn} = ?)`,
    params: [scope.tenantId, ...(scope.parents ?? []), sourceKey],
  };
}
