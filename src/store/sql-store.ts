import type { Dialect } from './dialect.js';
import type { SqlDatabase, SqlExecutor } from './sql.js';
import type {
  AppRegistrationRow,
  Condition,
  Entity,
  HeartbeatRow,
  HeartbeatTable,
  InsertOptions,
  LinkMapping,
  ListOptions,
  RegisteredUserRow,
  Scope,
  SigningKeyRow,
  Store,
} from './store.js';
import type { JsonField } from './row-json.js';
import type { TableMapping } from './table.js';

function appRegistrationFromRow(row: Record<string, string>): AppRegistrationRow {
  return {
    clientId: row.client_id,
    tenantId: row.tenant_id,
    displayName: row.display_name,
    servicePrincipalId: row.service_principal_id,
    secretHash: row.secret_hash,
    roles: JSON.parse(row.app_roles) as string[],
    scopes: JSON.parse(row.delegated_scopes) as string[],
    createdAt: row.created_at,
  };
}

function registeredUserFromRow(row: Record<string, string>): RegisteredUserRow {
  return {
    tenantId: row.tenant_id,
    id: row.id,
    userPrincipalName: row.user_principal_name,
    displayName: row.display_name,
    passwordHash: row.password_hash,
    createdAt: row.created_at,
  };
}

/** The one SQL implementation of {@link Store}, over any {@link SqlDatabase}. */
export class SqlStore implements Store {
  readonly dialect: Dialect;

  constructor(
    private readonly db: SqlDatabase,
    private readonly executor: SqlExecutor = db,
  ) {
    this.dialect = db.dialect;
  }

  private scopeWhere(table: TableMapping, scope: Scope): { sql: string; params: unknown[] } {
    const parents = scope.parents ?? [];
    if (parents.length !== table.scopeColumns.length)
      throw new Error(`store: ${table.table} needs ${table.scopeColumns.length} parent keys`);
    const sql = ['tenant_id = ?', ...table.scopeColumns.map((c) => `${c} = ?`)].join(' AND ');
    return { sql, params: [scope.tenantId, ...parents] };
  }

  private toRow(table: TableMapping, entity: Entity): { columns: string[]; values: unknown[] } {
    const columns: string[] = [];
    const values: unknown[] = [];
    let open: Record<string, unknown> | undefined;
    for (const [property, value] of Object.entries(entity)) {
      const column = table.byProperty.get(property);
      if (!column) {
        if (!table.openColumn) throw new Error(`store: ${table.table} has no column for ${property}`);
        (open ??= {})[property] = value;
        continue;
      }
      columns.push(column.column);
      values.push(
        column.kind === 'json' && value !== null && value !== undefined ? JSON.stringify(value) : (value ?? null),
      );
    }
    if (open) {
      columns.push(table.openColumn!);
      values.push(JSON.stringify(open));
    }
    return { columns, values };
  }

  private fromRow(table: TableMapping, row: Record<string, unknown>): Entity {
    const entity: Entity = {};
    for (const c of table.columns) {
      const value = row[c.column];
      if (value === null || value === undefined) entity[c.property] = null;
      else if (c.kind === 'json') entity[c.property] = JSON.parse(String(value));
      else if (c.kind === 'boolean') entity[c.property] = this.dialect.readBoolean(value);
      else if (c.kind === 'integer') entity[c.property] = Number(value);
      else entity[c.property] = value;
    }
    const open = table.openColumn ? row[table.openColumn] : undefined;
    if (typeof open === 'string') Object.assign(entity, JSON.parse(open) as Entity);
    return entity;
  }

  private selectList(table: TableMapping): string {
    return [...table.columns.map((c) => c.column), ...(table.openColumn ? [table.openColumn] : [])].join(', ');
  }

  async insert(
    table: TableMapping,
    scope: Scope,
    entity: Entity,
    options: InsertOptions = {},
  ): Promise<'inserted' | 'duplicate'> {
    const { columns, values } = this.toRow(table, entity);
    const hidden = Object.entries(options.hidden ?? {});
    const all = ['tenant_id', ...table.scopeColumns, ...columns, ...hidden.map(([c]) => c)];
    const placeholders = all.map(() => '?').join(', ');
    const conflict = options.ifAbsent ? ' ON CONFLICT DO NOTHING' : '';
    try {
      const result = await this.executor.run(
        `INSERT INTO ${table.table} (${all.join(', ')}) VALUES (${placeholders})${conflict}`,
        [scope.tenantId, ...(scope.parents ?? []), ...values, ...hidden.map(([, v]) => v)],
      );
      return result.changes > 0 ? 'inserted' : 'duplicate';
    } catch (error) {
      if (this.dialect.isUniqueViolation(error)) return 'duplicate';
      throw error;
    }
  }

  async get(table: TableMapping, scope: Scope, id: string): Promise<Entity | undefined> {
    const where = this.scopeWhere(table, scope);
    const row = await this.executor.get<Record<string, unknown>>(
      `SELECT ${this.selectList(table)} FROM ${table.table} WHERE ${where.sql} AND id = ?`,
      [...where.params, id],
    );
    return row ? this.fromRow(table, row) : undefined;
  }

  /** A page's SELECT with `selectList` (and its parameters) for columns. */
  private listSql(
    table: TableMapping,
    scope: Scope,
    options: ListOptions,
    selectList: string,
    selectParams: unknown[] = [],
  ): { sql: string; params: unknown[] } {
    const where = this.scopeWhere(table, scope);
    const params = [...selectParams, ...where.params];
    let sql = `SELECT ${selectList} FROM ${table.table} WHERE ${where.sql}`;
    if (options.afterId !== undefined) {
      sql += ' AND id > ?';
      params.push(options.afterId);
    }
    if (options.where) {
      sql += ` AND (${options.where.sql})`;
      params.push(...options.where.params);
    }
    // A page in id order with no condition visits at most its LIMIT rows (+ OFFSET): no deadline
    // check needed. Any other page may visit many rows (src/store/query-deadline.ts).
    const bounded =
      !options.where &&
      !options.offset &&
      (options.orderBy === undefined || options.orderBy === `${table.table}.id ASC`);
    if (this.dialect.liveCheck && !bounded) sql += ` AND ${this.dialect.liveCheck(`${table.table}.rowid`)}`;
    sql += ` ORDER BY ${options.orderBy ?? 'id'} LIMIT ?`;
    params.push(options.top);
    if (options.offset) {
      sql += ' OFFSET ?';
      params.push(options.offset);
    }
    return { sql, params };
  }

  async list(table: TableMapping, scope: Scope, options: ListOptions): Promise<Entity[]> {
    const { sql, params } = this.listSql(table, scope, options, this.selectList(table));
    const rows = await this.executor.all<Record<string, unknown>>(sql, params);
    return rows.map((r) => this.fromRow(table, r));
  }

  async listJson(
    table: TableMapping,
    scope: Scope,
    options: ListOptions,
    fields: readonly JsonField[],
  ): Promise<string[] | undefined> {
    if (!this.dialect.jsonObject) return undefined;
    const object = this.dialect.jsonObject(fields);
    const { sql, params } = this.listSql(table, scope, options, `${object.sql} AS json`, object.params);
    const rows = await this.executor.all<{ json: string }>(sql, params);
    return rows.map((r) => r.json);
  }

  async count(table: TableMapping, scope: Scope, where?: Condition): Promise<number> {
    const scoped = this.scopeWhere(table, scope);
    const extra =
      (where ? ` AND (${where.sql})` : '') +
      (this.dialect.liveCheck ? ` AND ${this.dialect.liveCheck(`${table.table}.rowid`)}` : '');
    const row = await this.executor.get<{ n: number | string }>(
      `SELECT COUNT(*) AS n FROM ${table.table} WHERE ${scoped.sql}${extra}`,
      [...scoped.params, ...(where?.params ?? [])],
    );
    return Number(row?.n ?? 0);
  }

  async link(link: LinkMapping, scope: Scope, sourceId: string, targetId: string): Promise<'inserted' | 'duplicate'> {
    const columns = ['tenant_id', ...link.scopeColumns, link.sourceColumn, link.targetColumn];
    const result = await this.executor.run(
      `INSERT INTO ${link.table} (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')}) ON CONFLICT DO NOTHING`,
      [scope.tenantId, ...(scope.parents ?? []), sourceId, targetId],
    );
    return result.changes > 0 ? 'inserted' : 'duplicate';
  }

  async unlink(link: LinkMapping, scope: Scope, sourceId: string, targetId: string): Promise<boolean> {
    const where = [
      'tenant_id = ?',
      ...link.scopeColumns.map((c) => `${c} = ?`),
      `${link.sourceColumn} = ?`,
      `${link.targetColumn} = ?`,
    ].join(' AND ');
    const result = await this.executor.run(`DELETE FROM ${link.table} WHERE ${where}`, [
      scope.tenantId,
      ...(scope.parents ?? []),
      sourceId,
      targetId,
    ]);
    return result.changes > 0;
  }

  async findOne(table: TableMapping, scope: Scope, where: Condition): Promise<Entity | undefined> {
    const [row] = await this.list(table, scope, { top: 1, where });
    return row;
  }

  async update(
    table: TableMapping,
    scope: Scope,
    id: string,
    changes: Entity,
    options: { hidden?: Record<string, unknown>; where?: Condition } = {},
  ): Promise<boolean> {
    const where = this.scopeWhere(table, scope);
    const { columns, values } = this.toRow(table, changes);
    for (const [column, value] of Object.entries(options.hidden ?? {})) {
      columns.push(column);
      values.push(value);
    }
    const extra = options.where ? ` AND (${options.where.sql})` : '';
    const extraParams = options.where?.params ?? [];
    if (columns.length === 0) {
      const row = await this.executor.get(
        `SELECT 1 AS found FROM ${table.table} WHERE ${where.sql} AND id = ?${extra}`,
        [...where.params, id, ...extraParams],
      );
      return row !== undefined;
    }
    const result = await this.executor.run(
      `UPDATE ${table.table} SET ${columns.map((c) => `${c} = ?`).join(', ')} WHERE ${where.sql} AND id = ?${extra}`,
      [...values, ...where.params, id, ...extraParams],
    );
    return result.changes > 0;
  }

  async delete(table: TableMapping, scope: Scope, id: string, options: { where?: Condition } = {}): Promise<boolean> {
    const where = this.scopeWhere(table, scope);
    const extra = options.where ? ` AND (${options.where.sql})` : '';
    const result = await this.executor.run(`DELETE FROM ${table.table} WHERE ${where.sql} AND id = ?${extra}`, [
      ...where.params,
      id,
      ...(options.where?.params ?? []),
    ]);
    return result.changes > 0;
  }

  transaction<T>(work: (store: Store) => Promise<T>): Promise<T> {
    if (this.executor !== this.db) return work(this);
    return this.db.transaction((tx) => work(new SqlStore(this.db, tx)));
  }

  async ping(): Promise<void> {
    await this.executor.get('SELECT 1 AS ok');
  }

  async getSetting(name: string): Promise<string | undefined> {
    const row = await this.executor.get<{ value: string }>('SELECT value FROM settings WHERE name = ?', [name]);
    return row?.value;
  }

  async putSetting(name: string, value: string): Promise<void> {
    await this.executor.run(
      'INSERT INTO settings (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value',
      [name, value],
    );
  }

  async putSettingIfAbsent(name: string, value: string): Promise<string> {
    await this.executor.run('INSERT INTO settings (name, value) VALUES (?, ?) ON CONFLICT (name) DO NOTHING', [
      name,
      value,
    ]);
    return (await this.getSetting(name)) as string;
  }

  async ensureTenant(id: string, createdAt: Date): Promise<void> {
    await this.executor.run('INSERT INTO tenants (id, created_at) VALUES (?, ?) ON CONFLICT (id) DO NOTHING', [
      id,
      createdAt.toISOString(),
    ]);
  }

  async insertSigningKey(key: SigningKeyRow, createdAt: Date): Promise<void> {
    await this.executor.run('INSERT INTO signing_keys (kid, private_jwk, public_jwk, created_at) VALUES (?, ?, ?, ?)', [
      key.kid,
      key.privateJwk,
      key.publicJwk,
      createdAt.toISOString(),
    ]);
  }

  async getSigningKey(kid: string): Promise<SigningKeyRow | undefined> {
    const row = await this.executor.get<{ kid: string; private_jwk: string; public_jwk: string }>(
      'SELECT kid, private_jwk, public_jwk FROM signing_keys WHERE kid = ?',
      [kid],
    );
    return row ? { kid: row.kid, privateJwk: row.private_jwk, publicJwk: row.public_jwk } : undefined;
  }

  async listSigningKeys(): Promise<SigningKeyRow[]> {
    const rows = await this.executor.all<{ kid: string; private_jwk: string; public_jwk: string }>(
      'SELECT kid, private_jwk, public_jwk FROM signing_keys ORDER BY created_at, kid',
    );
    return rows.map((row) => ({ kid: row.kid, privateJwk: row.private_jwk, publicJwk: row.public_jwk }));
  }

  async hasTenant(id: string): Promise<boolean> {
    return (await this.executor.get('SELECT 1 AS found FROM tenants WHERE id = ?', [id])) !== undefined;
  }

  async insertAppRegistration(row: AppRegistrationRow): Promise<'inserted' | 'duplicate'> {
    const result = await this.executor.run(
      `INSERT INTO app_registrations (client_id, tenant_id, display_name, service_principal_id, secret_hash, app_roles, delegated_scopes, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
      [
        row.clientId,
        row.tenantId,
        row.displayName,
        row.servicePrincipalId,
        row.secretHash,
        JSON.stringify(row.roles),
        JSON.stringify(row.scopes),
        row.createdAt,
      ],
    );
    return result.changes > 0 ? 'inserted' : 'duplicate';
  }

  async getAppRegistration(clientId: string): Promise<AppRegistrationRow | undefined> {
    const row = await this.executor.get<Record<string, string>>('SELECT * FROM app_registrations WHERE client_id = ?', [
      clientId,
    ]);
    return row && appRegistrationFromRow(row);
  }

  async insertRegisteredUser(row: RegisteredUserRow): Promise<'inserted' | 'duplicate'> {
    const result = await this.executor.run(
      `INSERT INTO registered_users (tenant_id, id, user_principal_name, upn_key, display_name, password_hash, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
      [
        row.tenantId,
        row.id,
        row.userPrincipalName,
        row.userPrincipalName.toLowerCase(),
        row.displayName,
        row.passwordHash,
        row.createdAt,
      ],
    );
    return result.changes > 0 ? 'inserted' : 'duplicate';
  }

  async findRegisteredUser(tenantId: string, userPrincipalName: string): Promise<RegisteredUserRow | undefined> {
    const row = await this.executor.get<Record<string, string>>(
      'SELECT * FROM registered_users WHERE tenant_id = ? AND upn_key = ?',
      [tenantId, userPrincipalName.toLowerCase()],
    );
    return row && registeredUserFromRow(row);
  }

  async replaceAppSecretHash(clientId: string, secretHash: string): Promise<boolean> {
    const result = await this.executor.run('UPDATE app_registrations SET secret_hash = ? WHERE client_id = ?', [
      secretHash,
      clientId,
    ]);
    return result.changes > 0;
  }

  async replaceUserPasswordHash(tenantId: string, userPrincipalName: string, passwordHash: string): Promise<boolean> {
    const result = await this.executor.run(
      'UPDATE registered_users SET password_hash = ? WHERE tenant_id = ? AND upn_key = ?',
      [passwordHash, tenantId, userPrincipalName.toLowerCase()],
    );
    return result.changes > 0;
  }

  async listTenants(): Promise<string[]> {
    const rows = await this.executor.all<{ id: string }>('SELECT id FROM tenants ORDER BY id');
    return rows.map((r) => r.id);
  }

  async clearTenantRows(tables: readonly string[], tenantId?: string): Promise<void> {
    for (const table of tables) {
      if (!/^[a-z_]+$/.test(table)) throw new Error(`store: invalid table name ${table}`);
      if (tenantId === undefined) await this.executor.run(`DELETE FROM ${table}`);
      else await this.executor.run(`DELETE FROM ${table} WHERE tenant_id = ?`, [tenantId]);
    }
  }

  async listAppRegistrations(tenantId: string): Promise<AppRegistrationRow[]> {
    const rows = await this.executor.all<Record<string, string>>(
      'SELECT * FROM app_registrations WHERE tenant_id = ? ORDER BY client_id',
      [tenantId],
    );
    return rows.map(appRegistrationFromRow);
  }

  async listRegisteredUsers(tenantId: string): Promise<RegisteredUserRow[]> {
    const rows = await this.executor.all<Record<string, string>>(
      'SELECT * FROM registered_users WHERE tenant_id = ? ORDER BY id',
      [tenantId],
    );
    return rows.map(registeredUserFromRow);
  }

  // The heartbeats table keeps the parent key in profile_id, named for the family it was made for.
  async recordHeartbeat(row: HeartbeatRow): Promise<void> {
    await this.executor.run(
      `INSERT INTO heartbeats (tenant_id, kind, profile_id, id, last_seen) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (tenant_id, kind, profile_id, id) DO UPDATE SET last_seen = excluded.last_seen`,
      [row.tenantId, row.kind, row.parent, row.id, row.lastSeen],
    );
  }

  async listHeartbeats(tenantId?: string): Promise<HeartbeatRow[]> {
    const where = tenantId === undefined ? '' : ' WHERE tenant_id = ?';
    const rows = await this.executor.all<Record<string, string>>(
      `SELECT tenant_id, kind, profile_id, id, last_seen FROM heartbeats${where} ORDER BY tenant_id, kind, profile_id, id`,
      tenantId === undefined ? [] : [tenantId],
    );
    return rows.map((r) => ({
      tenantId: r.tenant_id,
      kind: r.kind,
      parent: r.profile_id,
      id: r.id,
      lastSeen: r.last_seen,
    }));
  }

  async sweepHeartbeats(
    cutoff: string,
    tables: readonly HeartbeatTable[],
  ): Promise<{ inactive: number; active: number }> {
    let inactive = 0;
    let active = 0;
    for (const { kind, table, parent } of tables) {
      if (!/^[a-z_]+$/.test(table) || ('column' in parent && !/^[a-z_]+$/.test(parent.column)))
        throw new Error(`store: invalid heartbeat target ${table}`);
      // The object's parent, on the table under the given alias, with its parameter when fixed.
      const parentOf = (alias: string) =>
        'column' in parent ? { sql: `${alias}.${parent.column}`, params: [] } : { sql: '?', params: [parent.fixed] };
      const heard = (comparison: string) => ({
        sql: `EXISTS (SELECT 1 FROM heartbeats h WHERE h.tenant_id = ${table}.tenant_id AND h.kind = ? AND h.profile_id = ${parentOf(table).sql} AND h.id = ${table}.id AND h.last_seen ${comparison} ?)`,
        params: [kind, ...parentOf(table).params, cutoff],
      });
      const stale = heard('<');
      const fresh = heard('>=');
      inactive += (
        await this.executor.run(
          `UPDATE ${table} SET status = 'inactive' WHERE status = 'active' AND ${stale.sql}`,
          stale.params,
        )
      ).changes;
      active += (
        await this.executor.run(
          `UPDATE ${table} SET status = 'active' WHERE status = 'inactive' AND ${fresh.sql}`,
          fresh.params,
        )
      ).changes;
      const objectParent = parentOf('o');
      await this.executor.run(
        `DELETE FROM heartbeats WHERE kind = ? AND NOT EXISTS (SELECT 1 FROM ${table} o WHERE o.tenant_id = heartbeats.tenant_id AND o.id = heartbeats.id AND ${objectParent.sql} = heartbeats.profile_id)`,
        [kind, ...objectParent.params],
      );
    }
    return { inactive, active };
  }

  close(): Promise<void> {
    return this.db.close();
  }
}
