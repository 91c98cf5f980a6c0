import type { Condition, Entity, Scope, Store } from '../store/store.js';
import type { TableMapping } from '../store/table.js';

const PAGE = 500;

/** Every row of a table in a scope (optionally filtered), in id order, a page at a time. */
export async function readAll(store: Store, table: TableMapping, scope: Scope, where?: Condition): Promise<Entity[]> {
  const rows: Entity[] = [];
  for (;;) {
    const page = await store.list(table, scope, {
      top: PAGE,
      where,
      afterId: rows.length > 0 ? String(rows[rows.length - 1].id) : undefined,
    });
    rows.push(...page);
    if (page.length < PAGE) return rows;
  }
}

/** An entity as a fixture writes it: declared properties that are null are left out. */
export function clean(table: TableMapping, entity: Entity): Entity {
  const out: Entity = {};
  for (const [name, value] of Object.entries(entity)) {
    if ((value === null || value === undefined) && table.byProperty.has(name)) continue;
    out[name] = value;
  }
  return out;
}
