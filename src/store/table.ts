import type { StructuredType } from '../model/model.js';

/**
 * How an entity type is laid out in a table: one column per structural property, named in
 * snake_case; complex and collection-valued properties are stored as JSON documents. Derived
 * from the model, so the only hand-written part of storing a type is its migration.
 */
export type ColumnKind = 'text' | 'boolean' | 'integer' | 'json';

export interface Column {
  property: string;
  column: string;
  kind: ColumnKind;
}

export interface TableMapping {
  table: string;
  type: StructuredType;
  columns: Column[];
  /** Columns, after `tenant_id`, that place a row under its parent (e.g. `profile_id`). */
  scopeColumns: string[];
  /** For open types: the JSON column that keeps properties the model does not declare. */
  openColumn?: string;
  byProperty: Map<string, Column>;
}

export function snakeCase(name: string): string {
  return name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

export function tableFor(
  table: string,
  type: StructuredType,
  scopeColumns: string[] = [],
  openColumn?: string,
): TableMapping {
  const columns: Column[] = [...type.properties.values()].map((p) => {
    let kind: ColumnKind = 'text';
    if (p.type.collection || p.type.kind === 'complex') kind = 'json';
    else if (p.type.name === 'Edm.Boolean') kind = 'boolean';
    else if (p.type.name === 'Edm.Int32' || p.type.name === 'Edm.Int64') kind = 'integer';
    return { property: p.name, column: snakeCase(p.name), kind };
  });
  return { table, type, columns, scopeColumns, openColumn, byProperty: new Map(columns.map((c) => [c.property, c])) };
}
