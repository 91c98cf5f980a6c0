import { errors } from '../graph/errors.js';
import type { ResolvedPath, Step } from '../odata/path.js';
import type { Condition, Store } from '../store/store.js';
import type { TableMapping } from '../store/table.js';
import type { ResourceRegistry } from './registry.js';

/**
 * Alternate keys (`applications(appId='…')`, `applications(uniqueName='…')`, also under
 * `connectorGroups/{id}/applications(…)`): each is looked up once, in the tenant, and replaced by
 * the entity's id, so that everything after path resolution deals in ids only. The types with
 * alternate keys are entity sets scoped by the tenant alone (applications).
 */
export async function settleAlternateKeys(
  registry: ResourceRegistry,
  store: Store,
  tenantId: string,
  path: ResolvedPath,
): Promise<ResolvedPath> {
  if (!path.steps.some((step) => step.kind === 'key' && step.keyProperty !== undefined)) return path;
  const steps: Step[] = [];
  for (const step of path.steps) {
    if (step.kind !== 'key' || step.keyProperty === undefined) {
      steps.push(step);
      continue;
    }
    const set = [...registry.model.entitySets.values()].find((s) => s.type === step.type);
    const behaviour = set && registry.collection(set.name);
    if (!behaviour || behaviour.table.scopeColumns.length > 0) throw errors.badKey(`${step.keyProperty}='${step.key}'`);
    const row = await store.findOne(
      behaviour.table,
      { tenantId },
      propertyEquals(behaviour.table, store, step.keyProperty, step.key),
    );
    if (!row) throw errors.resourceNotFound(`${step.keyProperty}='${step.key}'`);
    steps.push({ kind: 'key', key: String(row.id), type: step.type });
  }
  return { ...path, steps };
}

/** `property = value`, on its column, or inside the open-properties document when the model does not declare it. */
function propertyEquals(table: TableMapping, store: Store, property: string, value: string): Condition {
  const column = table.byProperty.get(property);
  if (column) return { sql: `${column.column} = ?`, params: [value] };
  if (!table.openColumn) throw errors.badKey(`${property}='${value}'`);
  // A dynamic property (uniqueName: application is an open type here), read from its JSON text.
  return store.dialect.openPropertyEquals(table.openColumn, property, value);
}
