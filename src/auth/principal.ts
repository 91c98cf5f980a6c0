/** Who is calling, as a verified token says. */
export interface Principal {
  tenantId: string;
  /** User object id (delegated) or service principal object id (app-only). */
  objectId: string;
  kind: 'user' | 'app';
  /** Delegated permissions (`scp`), for user tokens. */
  scopes: ReadonlySet<string>;
  /** Application permissions (`roles`), for app-only tokens. */
  roles: ReadonlySet<string>;
  appId?: string;
  userPrincipalName?: string;
}
