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

/**
 * localgraph's own tables (settings, tenants, signing keys, sign-in registrations, heartbeats),
 * whatever the family. A family's migration of the same version runs in the same transaction,
 * after these (see {@link migrateFamily}).
 */
export const coreMigrations: Migration[] = [
  {
    version: 1,
    description: 'tenants, signing keys, settings',
    statements: (d) => {
      const json = d.jsonType;
      const text = d.textType;
      return [
        `CREATE TABLE settings (name ${text} PRIMARY KEY, value ${text} NOT NULL)`,
        `CREATE TABLE tenants (id ${text} PRIMARY KEY, created_at ${text} NOT NULL)`,
        `CREATE TABLE signing_keys (kid ${text} PRIMARY KEY, private_jwk ${json} NOT NULL, public_jwk ${json} NOT NULL, created_at ${text} NOT NULL)`,
      ];
    },
  },
  {
    version: 2,
    description:
      'sign-in registrations: applications (client id, hashed secret, granted permissions) and users (hashed password)',
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

/**
 * The migrations of a family's database: localgraph's own and the family's, merged by version
 * (the family's description first, its statements after the core's).
 */
export function familyMigrations(family: { migrations: Migration[] }): Migration[] {
  const versions = [...new Set([...coreMigrations, ...family.migrations].map((m) => m.version))].sort((a, b) => a - b);
  return versions.map((version) => {
    const core = coreMigrations.find((m) => m.version === version);
    const own = family.migrations.find((m) => m.version === version);
    return {
      version,
      description: [own, core].flatMap((m) => (m ? [m.description] : [])).join(', '),
      statements: (dialect: Dialect) => [...(core?.statements(dialect) ?? []), ...(own?.statements(dialect) ?? [])],
    };
  });
}

/** Brings a family's schema up to the newest version this build knows; returns that version. */
export async function migrateFamily(
  db: SqlDatabase,
  family: { migrations: Migration[] },
  now: () => Date = () => new Date(),
): Promise<number> {
  const migrations = familyMigrations(family);
  const known = migrations[migrations.length - 1].version;
  const run = () =>
    db.transaction(async (tx) => {
      await tx.run(
        'CREATE TABLE IF NOT EXISTS localgraph_schema (version INTEGER PRIMARY KEY, description TEXT NOT NULL, applied_at TEXT NOT NULL)',
      );
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
