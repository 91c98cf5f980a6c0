import { errors } from '../graph/errors.js';
import { permissionMatrix, type PermissionRow } from './permission-matrix.js';
import type { Principal } from './principal.js';

/**
 * Enforces the permission matrix: a delegated token needs one of the row's scopes, an app-only
 * token one of its roles. An operation with no row is never performed (failing closed keeps a
 * newly served path from being open by accident): another method of a known path is 405, a path
 * with no row at all is 501 (a test keeps every served operation in the matrix).
 */
export class PermissionPolicy {
  private readonly rows = new Map<string, PermissionRow>();
  private readonly patterns = new Set<string>();

  constructor(rows: PermissionRow[] = permissionMatrix) {
    for (const row of rows) {
      this.rows.set(`${row.method} ${row.pattern.toLowerCase()}`, row);
      this.patterns.add(row.pattern.toLowerCase());
    }
  }

  /**
   * The row for an operation. Reading `$count` or `$ref` of a collection needs what reading the
   * collection needs, so those GETs share its row.
   */
  row(method: string, pattern: string): PermissionRow | undefined {
    const verb = method.toUpperCase();
    const base = verb === 'GET' ? pattern.replace(/\/\$(count|ref)$/, '') : pattern;
    return this.rows.get(`${verb} ${base.toLowerCase()}`);
  }

  check(principal: Principal, method: string, pattern: string): void {
    const row = this.row(method, pattern);
    if (!row) {
      const base = pattern.replace(/\/\$(count|ref)$/, '').toLowerCase();
      if (this.patterns.has(pattern.toLowerCase()) || this.patterns.has(base)) throw errors.methodNotAllowed();
      throw errors.notImplemented(`The path '${pattern}'`);
    }
    const granted = principal.kind === 'user' ? principal.scopes : principal.roles;
    const allowed = principal.kind === 'user' ? row.delegated : row.application;
    if (!allowed.some((p) => granted.has(p))) throw errors.accessDenied();
  }
}
