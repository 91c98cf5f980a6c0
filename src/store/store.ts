import type { Dialect } from './dialect.js';
import type { TableMapping } from './table.js';
import type { JsonField } from './row-json.js';

/** An entity as the engine handles it: model property names, JSON values. */
export type Entity = Record<string, unknown>;

/** Where rows live: always a tenant, plus the parent keys a table's scope columns name. */
export interface Scope {
  tenantId: string;
  parents?: string[];
}

/**
 * A SQL condition over a table's columns, with `?` placeholders and their parameters. Built by
 * code (behaviour rules, the query translator), never from client text spliced into SQL.
 */
export interface Condition {
  sql: string;
  params: unknown[];
}

export interface ListOptions {
  top: number;
  /** Keyset paging: only rows whose id sorts after this one. */
  afterId?: string;
  where?: Condition;
  /** Rows to pass over first (`$skip`). */
  offset?: number;
  /** The ORDER BY expression list, built from the model (default: `id`). */
  orderBy?: string;
}

export interface InsertOptions {
  /** Values for columns the model does not show (foreign keys such as `connector_group_id`). */
  hidden?: Record<string, unknown>;
  /** Insert only when no row has the same key (or unique value); never an error. */
  ifAbsent?: boolean;
}

/** A many-to-many link table: its name, and the columns holding each side's id. */
export interface LinkMapping {
  table: string;
  sourceColumn: string;
  targetColumn: string;
  /** Columns after `tenant_id` that scope the link (`profile_id`). */
  scopeColumns: string[];
}

export interface SigningKeyRow {
  kid: string;
  privateJwk: string;
  publicJwk: string;
}

/** An application registered to get tokens from localgraph (not the Graph `application` entity). */
export interface AppRegistrationRow {
  clientId: string;
  tenantId: string;
  displayName: string;
  servicePrincipalId: string;
  /** The client secret, hashed (see src/auth/secrets.ts); never the secret itself. */
  secretHash: string;
  /** Granted application permissions (app-only tokens' `roles`). */
  roles: string[];
  /** Consented delegated permissions (user tokens' `scp`). */
  scopes: string[];
  createdAt: string;
}

/** A user who can sign in with a password at the token endpoint. */
export interface RegisteredUserRow {
  tenantId: string;
  id: string;
  userPrincipalName: string;
  displayName: string;
  /** The password, hashed; never the password itself. */
  passwordHash: string;
  createdAt: string;
}

/**
 * Everything localgraph keeps. Every entity operation is scoped by tenant in SQL, so no code
 * path can reach another tenant's rows by id alone.
 */
export interface Store {
  readonly dialect: Dialect;
  insert(table: TableMapping, scope: Scope, entity: Entity, options?: InsertOptions): Promise<'inserted' | 'duplicate'>;
  get(table: TableMapping, scope: Scope, id: string): Promise<Entity | undefined>;
  list(table: TableMapping, scope: Scope, options: ListOptions): Promise<Entity[]>;
  /**
   * The same page as {@link list}, each row written as Graph JSON by the database (see
   * row-json.ts); undefined where the database does not write JSON rows (then use `list`).
   */
  listJson(
    table: TableMapping,
    scope: Scope,
    options: ListOptions,
    fields: readonly JsonField[],
  ): Promise<string[] | undefined>;
  count(table: TableMapping, scope: Scope, where?: Condition): Promise<number>;
  /** Adds a row to a link table (`agent_group_agents`); `duplicate` when it exists. */
  link(link: LinkMapping, scope: Scope, sourceId: string, targetId: string): Promise<'inserted' | 'duplicate'>;
  /** Removes a row from a link table; false when there was none. */
  unlink(link: LinkMapping, scope: Scope, sourceId: string, targetId: string): Promise<boolean>;
  /** The first row matching `where`, in id order. */
  findOne(table: TableMapping, scope: Scope, where: Condition): Promise<Entity | undefined>;
  /** Changes a row; `where` adds a condition the row must meet (the change is refused otherwise). */
  update(
    table: TableMapping,
    scope: Scope,
    id: string,
    changes: Entity,
    options?: { hidden?: Record<string, unknown>; where?: Condition },
  ): Promise<boolean>;
  delete(table: TableMapping, scope: Scope, id: string, options?: { where?: Condition }): Promise<boolean>;
  /** Runs `work` in one transaction against a store bound to it. */
  transaction<T>(work: (store: Store) => Promise<T>): Promise<T>;

  /** Answers when the database takes queries (readiness); throws when it cannot be reached. */
  ping(): Promise<void>;
  getSetting(name: string): Promise<string | undefined>;
  /** Stores `value` unless the setting exists; returns whichever value is stored (first writer wins). */
  putSettingIfAbsent(name: string, value: string): Promise<string>;
  /** Stores `value`, replacing any earlier one. */
  putSetting(name: string, value: string): Promise<void>;
  ensureTenant(id: string, createdAt: Date): Promise<void>;
  insertSigningKey(key: SigningKeyRow, createdAt: Date): Promise<void>;
  getSigningKey(kid: string): Promise<SigningKeyRow | undefined>;
  /** Every signing key, oldest first (the published JWKS). */
  listSigningKeys(): Promise<SigningKeyRow[]>;
  hasTenant(id: string): Promise<boolean>;
  /** Registers a client; `duplicate` when the client id is taken. */
  insertAppRegistration(row: AppRegistrationRow): Promise<'inserted' | 'duplicate'>;
  /** A registration by client id, in any tenant (client ids are unique, as in Entra ID). */
  getAppRegistration(clientId: string): Promise<AppRegistrationRow | undefined>;
  /** Adds a user; `duplicate` when the tenant has the id or the user principal name (in any case). */
  insertRegisteredUser(row: RegisteredUserRow): Promise<'inserted' | 'duplicate'>;
  /** A tenant's user by user principal name, ignoring case. */
  findRegisteredUser(tenantId: string, userPrincipalName: string): Promise<RegisteredUserRow | undefined>;
  /** Replaces an application's client secret hash; false when no application has that client id. */
  replaceAppSecretHash(clientId: string, secretHash: string): Promise<boolean>;
  /** Replaces a user's password hash (user principal name in any case); false when the tenant has no such user. */
  replaceUserPasswordHash(tenantId: string, userPrincipalName: string, passwordHash: string): Promise<boolean>;

  // The control plane (src/admin/): reset, fixtures, heartbeats.
  /** Every tenant id, sorted. */
  listTenants(): Promise<string[]>;
  /**
   * Deletes every row of these tables (in this order: children first) for one tenant, or for
   * every tenant. Table names come from code (the table mappings), never from a client.
   */
  clearTenantRows(tables: readonly string[], tenantId?: string): Promise<void>;
  /** A tenant's registered applications, by client id. */
  listAppRegistrations(tenantId: string): Promise<AppRegistrationRow[]>;
  /** A tenant's registered users, by id. */
  listRegisteredUsers(tenantId: string): Promise<RegisteredUserRow[]>;
  /** Records (or moves forward) the last heartbeat of an object. */
  recordHeartbeat(row: HeartbeatRow): Promise<void>;
  /** Recorded heartbeats, of one tenant or all, in key order. */
  listHeartbeats(tenantId?: string): Promise<HeartbeatRow[]>;
  /**
   * Sets `inactive` the active objects of these tables whose last heartbeat is before `cutoff`
   * (ISO 8601), `active` again the inactive ones heard from since, and forgets heartbeats of
   * objects that no longer exist. Objects that never sent a heartbeat are left alone.
   */
  sweepHeartbeats(cutoff: string, tables: readonly HeartbeatTable[]): Promise<{ inactive: number; active: number }>;
  close(): Promise<void>;
}

/** The last heartbeat of an object, by its kind (the family's name for its collection), parent and id. */
export interface HeartbeatRow {
  tenantId: string;
  kind: string;
  /** The key of the parent the object is under; '' for a collection without one. */
  parent: string;
  id: string;
  /** ISO 8601, by the server's clock. */
  lastSeen: string;
}

/**
 * A table whose `status` column heartbeats of one kind drive, and how a heartbeat row finds its
 * object: by id and the parent, a column of the table or the one parent all its rows are under.
 */
export interface HeartbeatTable {
  kind: string;
  table: string;
  parent: { column: string } | { fixed: string };
}
