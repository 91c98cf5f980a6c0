import { errors, type ErrorDetail } from '../graph/errors.js';
import type { PermissionRow } from './permission-row.js';
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

  constructor(rows: PermissionRow[]) {
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
    const row = this.rows.get(`${verb} ${base.toLowerCase()}`);
    if (row) return row;
    // Reading one related entity (`members/{id}`) needs what reading the navigation needs.
    if (verb === 'GET' && base.endsWith('/{id}'))
      return this.rows.get(`GET ${base.slice(0, -'/{id}'.length).toLowerCase()}`);
    // `DELETE .../$ref?$id=…` removes the reference `DELETE .../{id}/$ref` removes.
    if (verb === 'DELETE' && base.endsWith('/$ref'))
      return this.rows.get(`DELETE ${base.slice(0, -'/$ref'.length).toLowerCase()}/{id}/$ref`);
    return undefined;
  }

  check(principal: Principal, method: string, pattern: string): void {
    const row = this.row(method, pattern);
    if (!row) {
      const base = pattern.replace(/\/\$(count|ref)$/, '').toLowerCase();
      // `X/{id}/$ref` of a navigation whose `X/$ref` is known: a method that navigation does not allow.
      const itemRef = pattern.replace(/\/\{id\}\/\$ref$/, '/$ref').toLowerCase();
      // `X/{id}` of a navigation `X` that is read: one related entity, which no other method changes there.
      const related = /\/\{id\}$/.test(pattern) ? pattern.slice(0, -'/{id}'.length).toLowerCase() : undefined;
      if (
        this.patterns.has(pattern.toLowerCase()) ||
        this.patterns.has(base) ||
        this.patterns.has(itemRef) ||
        (related !== undefined && this.patterns.has(related))
      ) {
        throw errors.methodNotAllowed();
      }
      throw errors.notImplemented(`The path '${pattern}'`);
    }
    const granted = principal.kind === 'user' ? principal.scopes : principal.roles;
    const allowed = principal.kind === 'user' ? row.delegated : row.application;
    if (!allowed.some((p) => granted.has(p))) {
      const denial = explainDenial(row, principal);
      const details = denialDetails(denial);
      throw errors.accessDenied(details, { denied: { ...denial, reason: details.map((d) => d.message).join(' ') } });
    }
  }
}

/** Why a token was refused an operation: what the operation accepts for this kind of token, what the token carries. */
export interface Denial {
  operation: string;
  token: 'delegated' | 'app-only';
  /** The permissions the operation accepts for this kind of token (least privileged first). */
  accepted: string[];
  /** The permissions the token carries (`scp` of a delegated token, `roles` of an app-only one). */
  carried: string[];
  /** An app-only token, and the operation supports no application permissions: only a delegated token can call it. */
  delegatedOnly: boolean;
  /** With `delegatedOnly`: the delegated permissions a user token needs one of. */
  delegated: string[];
}

export function explainDenial(row: PermissionRow, principal: Principal): Denial {
  const user = principal.kind === 'user';
  return {
    operation: `${row.method} ${row.pattern}`,
    token: user ? 'delegated' : 'app-only',
    accepted: user ? row.delegated : row.application,
    carried: [...(user ? principal.scopes : principal.roles)].sort(),
    delegatedOnly: !user && row.application.length === 0,
    delegated: row.delegated,
  };
}

const list = (names: string[]) => names.join(', ');

/** A denial as Graph's `error.details`: one entry for what is accepted, one for what the token carries. */
export function denialDetails(denial: Denial): ErrorDetail[] {
  const claim = denial.token === 'delegated' ? 'scp' : 'roles';
  const kind = denial.token === 'delegated' ? 'delegated permissions' : 'application permissions';
  const accepted: ErrorDetail = denial.delegatedOnly
    ? {
        code: 'DelegatedTokenRequired',
        message: `${denial.operation} supports no application permissions: call it with a delegated (user) token that carries one of the delegated permissions ${list(denial.delegated)}.`,
        target: claim,
      }
    : denial.accepted.length === 0
      ? { code: 'RequiredPermissions', message: `${denial.operation} supports no ${kind}.`, target: claim }
      : {
          code: 'RequiredPermissions',
          message: `${denial.operation} accepts a token with one of the ${kind} ${list(denial.accepted)}.`,
          target: claim,
        };
  const carried: ErrorDetail = {
    code: 'TokenPermissions',
    message:
      denial.carried.length === 0
        ? `The ${denial.token} token carries no ${kind} (claim '${claim}').`
        : `The ${denial.token} token carries the ${kind} ${list(denial.carried)} (claim '${claim}').`,
    target: claim,
  };
  return [accepted, carried];
}
