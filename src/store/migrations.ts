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
    description: 'settings, tenants, signing keys, connectors',
    statements: (d) => [
      `CREATE TABLE settings (name TEXT PRIMARY KEY, value TEXT NOT NULL)`,
      `CREATE TABLE tenants (id TEXT PRIMARY KEY, created_at TEXT NOT NULL)`,
      `CREATE TABLE signing_keys (kid TEXT PRIMARY KEY, private_jwk ${d.jsonType} NOT NULL, public_jwk ${d.jsonType} NOT NULL, created_at TEXT NOT NULL)`,
      `CREATE TABLE connectors (
        tenant_id TEXT NOT NULL,
        id TEXT NOT NULL,
        external_ip TEXT NOT NULL,
        machine_name TEXT NOT NULL,
        status TEXT NOT NULL,
        version TEXT NOT NULL,
        PRIMARY KEY (tenant_id, id)
      )`,
    ],
  },
];

export class SchemaTooNewError extends Error {
  constructor(found: number, known: number) {
    super(
      `This database was written by a newer localgraph (schema version ${found}; this build knows up to ${known}). ` +
        'Upgrade localgraph, or point it at another data folder or database.',
    );
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
