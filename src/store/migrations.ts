import type { Dialect } from './dialect.js';
import type { SqlDatabase, SqlExecutor } from './sql.js';

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
      const text = d.textType;
      return [
        `CREATE TABLE settings (name ${text} PRIMARY KEY, value ${text} NOT NULL)`,
        `CREATE TABLE tenants (id ${text} PRIMARY KEY, created_at ${text} NOT NULL)`,
        `CREATE TABLE signing_keys (kid ${text} PRIMARY KEY, private_jwk ${json} NOT NULL, public_jwk ${json} NOT NULL, created_at ${text} NOT NULL)`,
        `CREATE TABLE profiles (
          tenant_id ${text} NOT NULL, id ${text} NOT NULL,
          hybrid_agent_updater_configuration ${json}, is_default_access_enabled ${bool}, is_enabled ${bool},
          PRIMARY KEY (tenant_id, id))`,
        `CREATE TABLE connector_groups (
          tenant_id ${text} NOT NULL, id ${text} NOT NULL,
          connector_group_type ${text} NOT NULL, is_default ${bool} NOT NULL, name ${text} NOT NULL, region ${text},
          PRIMARY KEY (tenant_id, id))`,
        // The database, not the code, keeps one default group per tenant.
        `CREATE UNIQUE INDEX connector_groups_one_default ON connector_groups (tenant_id) WHERE is_default = TRUE`,
        // A connector is in exactly one group: a required reference, which also keeps a group with
        // connectors from being deleted.
        `CREATE TABLE connectors (
          tenant_id ${text} NOT NULL, id ${text} NOT NULL,
          external_ip ${text} NOT NULL, machine_name ${text} NOT NULL, status ${text} NOT NULL, version ${text} NOT NULL,
          connector_group_id ${text} NOT NULL,
          PRIMARY KEY (tenant_id, id),
          FOREIGN KEY (tenant_id, connector_group_id) REFERENCES connector_groups (tenant_id, id))`,
        `CREATE INDEX connectors_by_group ON connectors (tenant_id, connector_group_id, id)`,
        `CREATE TABLE applications (
          tenant_id ${text} NOT NULL, id ${text} NOT NULL,
          deleted_date_time ${text}, app_id ${text} NOT NULL, created_date_time ${text}, description ${text}, display_name ${text},
          identifier_uris ${json}, on_premises_publishing ${json}, sign_in_audience ${text}, tags ${json}, web ${json},
          open_properties ${json},
          connector_group_id ${text},
          PRIMARY KEY (tenant_id, id),
          FOREIGN KEY (tenant_id, connector_group_id) REFERENCES connector_groups (tenant_id, id))`,
        `CREATE UNIQUE INDEX applications_by_app_id ON applications (tenant_id, app_id)`,
        `CREATE INDEX applications_by_group ON applications (tenant_id, connector_group_id, id)`,
        `CREATE TABLE ip_application_segments (
          tenant_id ${text} NOT NULL, application_id ${text} NOT NULL, id ${text} NOT NULL,
          action ${text} NOT NULL, destination_host ${text}, destination_type ${text}, port INTEGER, ports ${json}, protocol ${text},
          PRIMARY KEY (tenant_id, application_id, id),
          FOREIGN KEY (tenant_id, application_id) REFERENCES applications (tenant_id, id) ON DELETE CASCADE)`,
        `CREATE TABLE agents (
          tenant_id ${text} NOT NULL, profile_id ${text} NOT NULL, id ${text} NOT NULL,
          external_ip ${text} NOT NULL, machine_name ${text} NOT NULL, status ${text} NOT NULL, supported_publishing_types ${json} NOT NULL,
          PRIMARY KEY (tenant_id, profile_id, id))`,
        `CREATE TABLE agent_groups (
          tenant_id ${text} NOT NULL, profile_id ${text} NOT NULL, id ${text} NOT NULL,
          display_name ${text} NOT NULL, is_default ${bool} NOT NULL, publishing_type ${text} NOT NULL,
          PRIMARY KEY (tenant_id, profile_id, id))`,
        `CREATE TABLE published_resources (
          tenant_id ${text} NOT NULL, profile_id ${text} NOT NULL, id ${text} NOT NULL,
          display_name ${text}, publishing_type ${text} NOT NULL, resource_name ${text},
          PRIMARY KEY (tenant_id, profile_id, id))`,
        `CREATE TABLE agent_group_agents (
          tenant_id ${text} NOT NULL, profile_id ${text} NOT NULL, agent_group_id ${text} NOT NULL, agent_id ${text} NOT NULL,
          PRIMARY KEY (tenant_id, profile_id, agent_group_id, agent_id),
          FOREIGN KEY (tenant_id, profile_id, agent_group_id) REFERENCES agent_groups (tenant_id, profile_id, id) ON DELETE CASCADE,
          FOREIGN KEY (tenant_id, profile_id, agent_id) REFERENCES agents (tenant_id, profile_id, id) ON DELETE CASCADE)`,
        `CREATE INDEX agent_group_agents_by_agent ON agent_group_agents (tenant_id, profile_id, agent_id)`,
        `CREATE TABLE agent_group_published_resources (
          tenant_id ${text} NOT NULL, profile_id ${text} NOT NULL, agent_group_id ${text} NOT NULL, published_resource_id ${text} NOT NULL,
          PRIMARY KEY (tenant_id, profile_id, agent_group_id, published_resource_id),
          FOREIGN KEY (tenant_id, profile_id, agent_group_id) REFERENCES agent_groups (tenant_id, profile_id, id) ON DELETE CASCADE,
          FOREIGN KEY (tenant_id, profile_id, published_resource_id) REFERENCES published_resources (tenant_id, profile_id, id) ON DELETE CASCADE)`,
        `CREATE INDEX agent_group_published_resources_by_resource ON agent_group_published_resources (tenant_id, profile_id, published_resource_id)`,
        `CREATE TABLE sensors (
          tenant_id ${text} NOT NULL, id ${text} NOT NULL,
          external_ip ${text} NOT NULL, is_audit_mode ${bool}, is_breakglass_enabled ${bool} NOT NULL,
          machine_name ${text} NOT NULL, status ${text} NOT NULL, version ${text} NOT NULL,
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
        client_id ${d.textType} PRIMARY KEY, tenant_id ${d.textType} NOT NULL, display_name ${d.textType} NOT NULL,
        service_principal_id ${d.textType} NOT NULL, secret_hash ${d.textType} NOT NULL,
        app_roles ${d.jsonType} NOT NULL, delegated_scopes ${d.jsonType} NOT NULL, created_at ${d.textType} NOT NULL,
        FOREIGN KEY (tenant_id) REFERENCES tenants (id))`,
      `CREATE INDEX app_registrations_by_tenant ON app_registrations (tenant_id, display_name)`,
      // upn_key is the user principal name lower-cased by the code (sign-in ignores its case).
      `CREATE TABLE registered_users (
        tenant_id ${d.textType} NOT NULL, id ${d.textType} NOT NULL, user_principal_name ${d.textType} NOT NULL, upn_key ${d.textType} NOT NULL,
        display_name ${d.textType} NOT NULL, password_hash ${d.textType} NOT NULL, created_at ${d.textType} NOT NULL,
        PRIMARY KEY (tenant_id, id),
        FOREIGN KEY (tenant_id) REFERENCES tenants (id))`,
      `CREATE UNIQUE INDEX registered_users_by_upn ON registered_users (tenant_id, upn_key)`,
    ],
  },
  {
    version: 3,
    description: 'heartbeats of connectors, agents and sensors (the connector life simulation)',
    statements: (d) => [
      // profile_id: 'applicationProxy' for connectors, 'privateAccess' for sensors, the agent's profile.
      `CREATE TABLE heartbeats (
        tenant_id ${d.textType} NOT NULL, kind ${d.textType} NOT NULL, profile_id ${d.textType} NOT NULL, id ${d.textType} NOT NULL,
        last_seen ${d.textType} NOT NULL,
        PRIMARY KEY (tenant_id, kind, profile_id, id))`,
    ],
  },
  {
    version: 4,
    description: 'indexes for filtered and ordered connector pages',
    statements: (d) => {
      // The expression must be the one the filter translator writes, for the index to serve it.
      const folded = d.functions.foldCase('machine_name');
      return [
        `CREATE INDEX connectors_by_status ON connectors (tenant_id, status, id)`,
        `CREATE INDEX connectors_by_machine_name ON connectors (tenant_id, ${folded}, id)`,
        `CREATE INDEX connectors_by_status_machine_name ON connectors (tenant_id, status, ${folded}, id)`,
      ];
    },
  },
  {
    version: 5,
    description: 'indexes that serve the queries localgraph sends (query-plans.test.ts proves each)',
    statements: (d) => {
      const folded = d.functions.foldCase('app_id');
      return [
        // SQLite never chose it (without statistics it reads connectors_by_machine_name and checks
        // the status), and the filtered page meets its goals without it: one index less per write.
        'DROP INDEX connectors_by_status_machine_name',
        // `appId eq '…'` compares lower(app_id), as every string comparison does: an index on the
        // bare column kept appIds unique but served no lookup. Unique ignoring case is what a
        // GUID's uniqueness means anyway.
        'DROP INDEX applications_by_app_id',
        `CREATE UNIQUE INDEX applications_by_app_id ON applications (tenant_id, ${folded})`,
        // Covering: an agent's (a resource's) groups are read from the index alone; without the
        // group id in it, SQLite preferred scanning the profile's links in the primary key.
        'DROP INDEX agent_group_agents_by_agent',
        'CREATE INDEX agent_group_agents_by_agent ON agent_group_agents (tenant_id, profile_id, agent_id, agent_group_id)',
        'DROP INDEX agent_group_published_resources_by_resource',
        'CREATE INDEX agent_group_published_resources_by_resource ON agent_group_published_resources (tenant_id, profile_id, published_resource_id, agent_group_id)',
      ];
    },
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
  const known = migrations[migrations.length - 1].version;
  const run = () => db.transaction(async (tx) => {
    await tx.run('CREATE TABLE IF NOT EXISTS localgraph_schema (version INTEGER PRIMARY KEY, description TEXT NOT NULL, applied_at TEXT NOT NULL)');
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
  return db.withMigrationLock ? db.withMigrationLock(run) : run();
}
