/**
 * Graph's permissions for one operation, as data: for a method and path pattern, the delegated
 * scopes and the application roles that allow it (least privileged first). An empty list means
 * that kind of token is not supported, as Graph's docs write "Not supported". Each collection's
 * behaviour holds the rows of its operations (`CollectionBehaviour.permissions`); the family's
 * list is theirs in the registry's order (`ResourceRegistry.permissions()`), and the permission
 * table of docs/identity.md is rendered from it (`npm run docs`).
 */
export type Method = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

export interface PermissionRow {
  method: Method;
  pattern: string;
  delegated: string[];
  application: string[];
  note: string;
}

/** One row per method, the rest the same. */
export function rows(
  methods: Method[],
  pattern: string,
  delegated: string[],
  application: string[],
  note: string,
): PermissionRow[] {
  return methods.map((method) => ({ method, pattern, delegated, application, note }));
}
