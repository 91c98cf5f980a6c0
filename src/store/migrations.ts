import type { Dialect, SqlDatabase, SqlExecutor } from './sql.js';

/**
 * Versioned schema migrations, run at start. Each version is applied once, in one transaction,
 * and recorded in `localgraph_schema`. A database written by a newer localgraph (a version this
 * build does not know) is refused rather than guessed at.
 */
export interface Migration {
  version: number;
  description: string;
  statements(dialect: Dialect): string[];
}

export const migrations: Migration[] = [
  {
    version: 1,
    description: 'the on-premises publishing family, tenants, signing keys, settings',
    statements: (d) => {
      const bool = d.booleanType;
      const json = d.jsonType;
      return [
        `CREATE TABLE settings (name TEXT PRIMARY KEY, value TEXT NOT NULL)`,
        `CREATE TABLE tenants (id TEXT PRIMARY KEY, created_at TEXT NOT NULL)`,
        `CREATE TABLE signing_keys (kid TEXT PRIMARY KEY, private_jwk ${json} NOT NULL, public_jwk ${json} NOT NULL, created_at TEXT NOT NULL)`,
        `CREATE TABLE profiles (
          tenant_id TEXT NOT NULL, id TEXT NOT NULL,
          hybrid_agent_updater_configuration ${json}, is_default_access_enabled ${bool}, is_enabled ${bool},
          PRIMARY KEY (tenant_id, id))`,
        `CREATE TABLE connector_groups (
          tenant_id TEXT NOT NULL, id TEXT NOT NULL,
          connector_group_type TEXT NOT NULL, is_default ${bool} NOT NULL, name TEXT NOT NULL, region TEXT,
          PRIMARY KEY (tenant_id, id))`,
        // The database, not the code, keeps one default group per tenant.
        `CREATE UNIQUE INDEX connector_groups_one_default ON connector_groups (tenant_id) WHERE is_default = TRUE`,
        // A connector is in exactly one group: a required reference, which also keeps a group with
        // connectors from being deleted.
        `CREATE TABLE connectors (
          tenant_id TEXT NOT NULL, id TEXT NOT NULL,
          external_ip TEXT NOT NULL, machine_name TEXT NOT NULL, status TEXT NOT NULL, version TEXT NOT NULL,
          connector_group_id TEXT NOT NULL,
          PRIMARY KEY (tenant_id, id),
          FOREIGN KEY (tenant_id, connector_group_id) REFERENCES connector_groups (tenant_id, id))`,
        `CREATE INDEX connectors_by_group ON connectors (tenant_id, connector_group_id, id)`,
        `CREATE TABLE applications (
          tenant_id TEXT NOT NULL, id TEXT NOT NULL,
          deleted_date_time TEXT, app_id TEXT NOT NULL, created_date_time TEXT, description TEXT, display_name TEXT,
          identifier_uris ${json}, on_premises_publishing ${json}, sign_in_audience TEXT, tags ${json}, web ${json},
          open_properties ${json},
          connector_group_id TEXT,
          PRIMARY KEY (tenant_id, id),
          FOREIGN KEY (tenant_id, connector_group_id) REFERENCES connector_groups (tenant_id, id))`,
        `CREATE UNIQUE INDEX applications_by_app_id ON applications (tenant_id, app_id)`,
        `CREATE INDEX applications_by_group ON applications (tenant_id, connector_group_id, id)`,
        `CREATE TABLE ip_application_segments (
          tenant_id TEXT NOT NULL, application_id TEXT NOT NULL, id TEXT NOT NULL,
          action TEXT NOT NULL, destination_host TEXT, destination_type TEXT, port INTEGER, ports ${json}, protocol TEXT,
          PRIMARY KEY (tenant_id, application_id, id),
          FOREIGN KEY (tenant_id, application_id) REFERENCES applications (tenant_id, id) ON DELETE CASCADE)`,
        `CREATE TABLE agents (
          tenant_id TEXT NOT NULL, profile_id TEXT NOT NULL, id TEXT NOT NULL,
          external_ip TEXT NOT NULL, machine_name TEXT NOT NULL, status TEXT NOT NULL, supported_publishing_types ${json} NOT NULL,
          PRIMARY KEY (tenant_id, profile_id, id))`,
        `CREATE TABLE agent_groups (
          tenant_id TEXT NOT NULL, profile_id TEXT NOT NULL, id TEXT NOT NULL,
          display_name TEXT NOT NULL, is_default ${bool} NOT NULL, publishing_type TEXT NOT NULL,
          PRIMARY KEY (tenant_id, profile_id, id))`,
        `CREATE TABLE published_resources (
          tenant_id TEXT NOT NULL, profile_id TEXT NOT NULL, id TEXT NOT NULL,
          display_name TEXT, publishing_type TEXT NOT NULL, resource_name TEXT,
          PRIMARY KEY (tenant_id, profile_id, id))`,
        `CREATE TABLE agent_group_agents (
          tenant_id TEXT NOT NULL, profile_id TEXT NOT NULL, agent_group_id TEXT NOT NULL, agent_id TEXT NOT NULL,
          PRIMARY KEY (tenant_id, profile_id, agent_group_id, agent_id),
          FOREIGN KEY (tenant_id, profile_id, agent_group_id) REFERENCES agent_groups (tenant_id, profile_id, id) ON DELETE CASCADE,
          FOREIGN KEY (tenant_id, profile_id, agent_id) REFERENCES agents (tenant_id, profile_id, id) ON DELETE CASCADE)`,
        `CREATE INDEX agent_group_agents_by_agent ON agent_group_agents (tenant_id, profile_id, agent_id)`,
        `CREATE TABLE agent_group_published_resources (
          tenant_id TEXT NOT NULL, profile_id TEXT NOT NULL, agent_group_id TEXT NOT NULL, published_resource_id TEXT NOT NULL,
          PRIMARY KEY (tenant_id, profile_id, agent_group_id, published_resource_id),
          FOREIGN KEY (tenant_id, profile_id, agent_group_id) REFERENCES agent_groups (tenant_id, profile_id, id) ON DELETE CASCADE,
          FOREIGN KEY (tenant_id, profile_id, published_resource_id) REFERENCES published_resources (tenant_id, profile_id, id) ON DELETE CASCADE)`,
        `CREATE INDEX agent_group_published_resources_by_resource ON agent_group_published_resources (tenant_id, profile_id, published_resource_id)`,
        `CREATE TABLE sensors (
          tenant_id TEXT NOT NULL, id TEXT NOT NULL,
          external_ip TEXT NOT NULL, is_audit_mode ${bool}, is_breakglass_enabled ${bool} NOT NULL,
          machine_name TEXT NOT NULL, status TEXT NOT NULL, version TEXT NOT NULL,
          PRIMARY KEY (tenant_id, id))`,
      ];
    },
  },
  {
    version: 2,
    description: 'sign-in registrations: applications (client id, hashed secret, granted permissions) and users (hashed password)',
    statements: (d) => [
      // Not the Graph `applications` entity set: these are the clients that get tokens from
      // localgraph's token endpoint. A client id is unique across tenants, as in Entra ID.
      `CREATE TABLE app_registrations (
        client_id TEXT PRIMARY KEY, tenant_id TEXT NOT NULL, display_name TEXT NOT NULL,
        service_principal_id TEXT NOT NULL, secret_hash TEXT NOT NULL,
        app_roles ${d.jsonType} NOT NULL, delegated_scopes ${d.jsonType} NOT NULL, created_at TEXT NOT NULL,
        FOREIGN KEY (tenant_id) REFERENCES tenants (id))`,
      `CREATE INDEX app_registrations_by_tenant ON app_registrations (tenant_id, display_name)`,
      // upn_key is the user principal name lower-cased by the code (sign-in ignores its case).
      `CREATE TABLE registered_users (
        tenant_id TEXT NOT NULL, id TEXT NOT NULL, user_principal_name TEXT NOT NULL, upn_key TEXT NOT NULL,
        display_name TEXT NOT NULL, password_hash TEXT NOT NULL, created_at TEXT NOT NULL,
        PRIMARY KEY (tenant_id, id),
        FOREIGN KEY (tenant_id) REFERENCES tenants (id))`,
      `CREATE UNIQUE INDEX registered_users_by_upn ON registered_users (tenant_id, upn_key)`,
    ],
  },
];

export class SchemaTooNewError extends Error {
  constructor(found: number, known: number) {
    super(
      `This database was written by a newer localgraph (schema version ${found}; this build knows up to ${known}). ` +
        'Upgrade localgraph, or point it at another data folder or database.',
    );
    this.name = 'SchemaTooNewError';
  }
}

async function currentVersion(db: SqlExecutor): Promise<number> {
  const row = await db.get<{ version: number | null }>('SELECT MAX(version) AS version FROM localgraph_schema');
  return Number(row?.version ?? 0);
}

/** Brings the schema up to the newest version this build knows; returns that version. */
export async function migrate(db: SqlDatabase, now: () => Date = () => new Date()): Promise<number> {
  await db.exec('CREATE TABLE IF NOT EXISTS localgraph_schema (version INTEGER PRIMARY KEY, description TEXT NOT NULL, applied_at TEXT NOT NULL)');
  const known = migrations[migrations.length - 1].version;
  return db.transaction(async (tx) => {
    const found = await currentVersion(tx);
    if (found > known) throw new SchemaTooNewError(found, known);
    for (const migration of migrations.filter((m) => m.version > found)) {
      for (const statement of migration.statements(db.dialect)) await tx.run(statement);
      await tx.run('INSERT INTO localgraph_schema (version, description, applied_at) VALUES (?, ?, ?)', [
        migration.version,
        migration.description,
        now().toISOString(),
      ]);
    }
    return known;
  });
}
