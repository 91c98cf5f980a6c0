/**
 * A seeded PostgreSQL schema for the read scenarios on PostgreSQL, the counterpart of
 * bench/lib/seed.ts's folders, with the same rows: a first localgraph start makes and migrates the
 * schema, `localgraph token --database-url … --tenant` makes each tenant, one GET per tenant makes
 * its profiles and default connector group; then the rows go straight into the table (multi-row
 * INSERTs in one transaction: creating 12k connectors over HTTP would take longer than the
 * measurement), and ANALYZE gives the planner the statistics a live database would have by then.
 */
import { connect, freshSchema } from './postgres.js';
import { CONNECTORS_PATH, MAIN_TENANT, OTHER_TENANTS, SCOPES, SEED_COLUMNS, seedRow } from './seed.js';
import { localgraphToken, startLocalgraph, type ServerOptions } from './targets.js';

/** Rows per INSERT (7 parameters each; PostgreSQL allows 65535). */
const BATCH = 1000;
const PAGE = 100;

export interface SeededSchema {
  /** `--database-url` for localgraph on the schema */
  url: string;
  /** a delegated token (Directory.ReadWrite.All) for the main tenant, valid a day */
  token: string;
  /** ids of the first page of the main tenant's connectors by id */
  firstPage: string[];
  drop(): Promise<void>;
}

/** Tenants made by localgraph itself, so the rows sit beside exactly what a live instance would have. */
async function makeTenants(serverOptions: ServerOptions, url: string): Promise<string> {
  const server = await startLocalgraph(serverOptions, { databaseUrl: url });
  try {
    let mainToken = '';
    for (const tenant of [MAIN_TENANT, ...OTHER_TENANTS]) {
      const token = await localgraphToken(url, tenant, SCOPES);
      if (tenant === MAIN_TENANT) mainToken = token;
      const response = await fetch(`${server.baseUrl}${CONNECTORS_PATH}`, {
        headers: { authorization: `Bearer ${token}` },
      });
      const body = await response.text();
      if (response.status !== 200)
        throw new Error(
          `postgres seed: GET connectors for tenant ${tenant} answered ${response.status}: ${body.slice(0, 300)}`,
        );
    }
    return mainToken;
  } finally {
    await server.stop();
  }
}

export async function seedSchema(
  serverOptions: ServerOptions,
  options: { rows: number; otherRows: number },
  log: (message: string) => void,
): Promise<SeededSchema> {
  const schema = freshSchema('list');
  try {
    const token = await makeTenants(serverOptions, schema.url);
    const start = performance.now();
    const client = await connect();
    let firstPage: string[];
    try {
      const table = `${schema.name}.connectors`;
      await client.query('BEGIN');
      for (const tenant of [MAIN_TENANT, ...OTHER_TENANTS]) {
        const group = (
          await client.query<{ id: string }>(
            `SELECT id FROM ${schema.name}.connector_groups WHERE tenant_id = $1 AND is_default`,
            [tenant],
          )
        ).rows[0]?.id;
        if (group === undefined) throw new Error(`postgres seed: tenant ${tenant} has no default connector group`);
        const n = tenant === MAIN_TENANT ? options.rows : options.otherRows;
        for (let from = 0; from < n; from += BATCH) {
          const rows = Array.from(
            { length: Math.min(BATCH, n - from) },
            (_, k) => seedRow(tenant, from + k, group).values,
          );
          const placeholders = rows.map(
            (_, r) => `(${SEED_COLUMNS.map((_, c) => `$${r * SEED_COLUMNS.length + c + 1}`).join(', ')})`,
          );
          await client.query(
            `INSERT INTO ${table} (${SEED_COLUMNS.join(', ')}) VALUES ${placeholders.join(', ')}`,
            rows.flat(),
          );
        }
      }
      await client.query('COMMIT');
      await client.query(`ANALYZE ${table}`);
      firstPage = (
        await client.query<{ id: string }>(`SELECT id FROM ${table} WHERE tenant_id = $1 ORDER BY id LIMIT ${PAGE}`, [
          MAIN_TENANT,
        ])
      ).rows.map((r) => r.id);
    } finally {
      await client.end();
    }
    log(
      `seeded ${options.rows} + 2 × ${options.otherRows} connectors in PostgreSQL schema ${schema.name} in ${((performance.now() - start) / 1000).toFixed(1)} s`,
    );
    return { url: schema.url, token, firstPage, drop: () => schema.drop() };
  } catch (error) {
    await schema.drop().catch(() => undefined);
    throw error;
  }
}
