import type { CollectionBehaviour } from './collection.js';

/**
 * Every table a tenant's Graph data lives in, derived from the behaviours: each collection's
 * table and each link table a relationship names, ordered so that a table comes before every
 * table it refers to (the order rows can be deleted in, children first). What refers to what:
 * a contained collection to its parent's, a column relationship's holder to the other side, a
 * link table to both sides.
 */
export function dataTables(
  behaviours: readonly CollectionBehaviour[],
  byPath: (path: string) => CollectionBehaviour | undefined,
): string[] {
  const tables: string[] = [];
  const refersTo = new Map<string, Set<string>>();
  const add = (table: string) => {
    if (!refersTo.has(table)) {
      refersTo.set(table, new Set());
      tables.push(table);
    }
  };
  const refer = (from: string, to: string) => {
    add(from);
    add(to);
    if (from !== to) refersTo.get(from)!.add(to);
  };
  for (const b of behaviours) add(b.table.table);
  for (const b of behaviours) {
    for (const parent of behaviours) if (b.path.startsWith(`${parent.path}/`)) refer(b.table.table, parent.table.table);
    for (const [name, relationship] of Object.entries(b.relationships ?? {})) {
      const target = byPath(relationship.target);
      if (!target) throw new Error(`${b.path}: relationship ${name} names no collection (${relationship.target})`);
      const storage = relationship.storage;
      if (storage.kind === 'sourceColumn') refer(b.table.table, target.table.table);
      else if (storage.kind === 'targetColumn') refer(target.table.table, b.table.table);
      else if (storage.kind === 'link') {
        refer(storage.table, b.table.table);
        refer(storage.table, target.table.table);
      }
    }
  }
  // Kahn's algorithm, keeping the registration order among tables free to go.
  const ordered: string[] = [];
  const referredBy = (table: string) => tables.filter((t) => !ordered.includes(t) && refersTo.get(t)!.has(table));
  while (ordered.length < tables.length) {
    const next = tables.find((t) => !ordered.includes(t) && referredBy(t).length === 0);
    if (!next)
      throw new Error(
        `the tables refer to each other in a cycle: ${tables.filter((t) => !ordered.includes(t)).join(', ')}`,
      );
    ordered.push(next);
  }
  return ordered;
}
