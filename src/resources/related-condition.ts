import type { Condition } from '../store/store.js';
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
      return { sql: `id IN (SELECT ${storage.column} FROM ${source.behaviour.table.table} WHERE ${scopeSql} AND id = ?)`, params: [...scopeParams, source.key] };
    case 'targetColumn':
      return { sql: `${storage.column} = ?`, params: [source.key] };
    case 'tenant':
      return storage.sourceKeys.includes(source.key) ? { sql: '1 = 1', params: [] } : { sql: '1 = 0', params: [] };
    case 'link':
      return {
        sql: `id IN (SELECT ${storage.targetColumn} FROM ${storage.table} WHERE ${scopeSql} AND ${storage.sourceColumn} = ?)`,
        params: [...scopeParams, source.key],
      };
  }
}
