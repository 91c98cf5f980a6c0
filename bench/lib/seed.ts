/**
 * Seeded data folders for the read scenarios: many connectors are far too slow to create over
 * HTTP, so the bench makes a real localgraph folder once per run (a first start runs the
 * migrations; `localgraph token --tenant` makes each tenant; one authenticated request per tenant
 * makes its profiles and default connector group), stops the server, and for each data set copies
 * that folder and bulk-inserts rows straight into `<copy>/localgraph.db`, in one transaction with
 * prepared multi-row INSERTs.
 *
 * Rows, per tenant, for i = 0 … n-1 (deterministic apart from the random ids):
 *   id                  a random lower-case v4 UUID (so id order has nothing to do with i)
 *   machine_name        host-<i>                  (startswith 'host-1': 1111…/10^k ≈ 11.1 % of rows)
 *   status              'inactive' for 1 row in 5 (by a hash of i), else 'active'
 *   external_ip         10.<i/65536>.<i/256>.<i>  (mod 256)
 *   version             1.5.3437.0
 *   connector_group_id  the tenant's default group
 * The main tenant gets `rows`; each other tenant `otherRows`, with the same machine names, so a
 * missing tenant condition would show in the checked pages.
 */
import { randomUUID } from 'node:crypto';
import { cpSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { removeTempDir, tempDir } from './processes.js';
import { localgraphToken, startLocalgraph, type ServerOptions } from './targets.js';

export const MAIN_TENANT = '11111111-1111-4111-8111-111111111111';
export const OTHER_TENANTS = ['22222222-2222-4222-8222-222222222222', '33333333-3333-4333-8333-333333333333'];
export const SCOPES = 'Directory.ReadWrite.All';
export const CONNECTORS_PATH = 'onPremisesPublishingProfiles/applicationProxy/connectors';
/** The prefix of the filtered scenario's `startswith(machineName, …)`. */
export const FILTER_PREFIX = 'host-1';
/** Rows of a page the checks remember. */
const PAGE = 100;

export interface SeedOptions {
  /** connectors in the main tenant */
  rows: number;
  /** connectors in each of the other two tenants */
  otherRows: number;
  /** prefix for the temporary folder's name */
  label: string;
}

/** What the seed put in, for checking answers. */
export interface SeedFacts {
  rows: number;
  otherRows: number;
  /** main-tenant rows with status 'inactive' */
  inactive: number;
  /** main-tenant rows with status 'inactive' whose machine name starts with FILTER_PREFIX */
  filtered: number;
  /** ids of the first page of `status eq 'inactive' and startswith(machineName, FILTER_PREFIX)`, ordered by machineName, id */
  filteredPage: string[];
  /** ids of the first page of the main tenant's connectors by id */
  firstPage: string[];
  /** milliseconds: the first start (migrations, tenants; once per run, shared by every folder), and the bulk insert with index builds */
  setupMs: number;
  insertMs: number;
}

export interface SeededFolder {
  dataDir: string;
  dbFile: string;
  /** a delegated token (Directory.ReadWrite.All) for the main tenant, valid a day */
  token: string;
  facts: SeedFacts;
  remove(): void;
}

function status(i: number): 'active' | 'inactive' {
  return (Math.imul(i + 1, 0x9e3779b1) >>> 0) % 5 === 0 ? 'inactive' : 'active';
}

/** The connectors table's columns the seed fills, in the order of {@link seedRow}'s values. */
export const SEED_COLUMNS = [
  'tenant_id',
  'id',
  'external_ip',
  'machine_name',
  'status',
  'version',
  'connector_group_id',
] as const;

/** Row i of a tenant (see the module comment), with a fresh random id; shared with the PostgreSQL seed. */
export function seedRow(
  tenant: string,
  i: number,
  group: string,
): { id: string; name: string; status: 'active' | 'inactive'; values: unknown[] } {
  const id = randomUUID();
  const name = `host-${i}`;
  const s = status(i);
  return {
    id,
    name,
    status: s,
    values: [tenant, id, `10.${(i >>> 16) & 255}.${(i >>> 8) & 255}.${i & 255}`, name, s, '1.5.3437.0', group],
  };
}

interface Template {
  dir: string;
  /** main tenant's token */
  token: string;
  setupMs: number;
}

let template: Promise<Template> | undefined;

/**
 * A folder with localgraph's schema and the three tenants (profiles, default connector group)
 * but no connectors, made once per bench run: a first start (migrations), a token per tenant
 * (the CLI makes the tenant) and one GET connectors each. Seeded folders are copies of it.
 */
export function emptyFolder(serverOptions: ServerOptions): Promise<Template> {
  template ??= (async () => {
    const start = performance.now();
    const dir = tempDir('template');
    const server = await startLocalgraph(serverOptions, { dataDir: dir });
    try {
      const tenants = [MAIN_TENANT, ...OTHER_TENANTS];
      const tokens = await Promise.all(tenants.map((tenant) => localgraphToken(dir, tenant, SCOPES)));
      for (const [i, tenant] of tenants.entries()) {
        const response = await fetch(`${server.baseUrl}${CONNECTORS_PATH}`, {
          headers: { authorization: `Bearer ${tokens[i]}` },
        });
        const body = await response.text();
        if (response.status !== 200)
          throw new Error(
            `seed: GET connectors for tenant ${tenant} answered ${response.status}: ${body.slice(0, 300)}`,
          );
      }
      return { dir, token: tokens[0], setupMs: performance.now() - start };
    } finally {
      await server.stop();
    }
  })();
  return template;
}

/** Rows per INSERT statement (7 parameters each; SQLite allows 32766). */
const BATCH = 50;
const COLUMNS = `INSERT INTO connectors (${SEED_COLUMNS.join(', ')}) VALUES `;

/** Makes a folder with localgraph's schema and the three tenants, then the rows; see the module comment. */
export async function seedFolder(
  serverOptions: ServerOptions,
  options: SeedOptions,
  log: (message: string) => void,
): Promise<SeededFolder> {
  const empty = await emptyFolder(serverOptions);
  const dataDir = tempDir(options.label);
  const dbFile = join(dataDir, 'localgraph.db');
  try {
    cpSync(empty.dir, dataDir, { recursive: true });
    const insertStart = performance.now();
    const db = new Database(dbFile);
    let facts: Omit<SeedFacts, 'setupMs' | 'insertMs' | 'firstPage'>;
    let firstPage: string[];
    try {
      // A fixture, not data anyone keeps: no rollback journal, no syncs, a big page cache; WAL again at the end.
      db.pragma('journal_mode = MEMORY');
      db.pragma('synchronous = OFF');
      db.pragma('cache_size = -1048576');
      const groupOf = db.prepare<[string], { id: string }>(
        'SELECT id FROM connector_groups WHERE tenant_id = ? AND is_default = 1',
      );
      // Secondary indexes are dropped and rebuilt after the insert (a sort, much faster than a
      // million random index inserts); their DDL comes from the schema itself.
      const indexes = db
        .prepare<[], { name: string; sql: string }>(
          "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'connectors' AND sql IS NOT NULL",
        )
        .all();
      const insertOne = db.prepare(`${COLUMNS}(?, ?, ?, ?, ?, ?, ?)`);
      const insertBatch = db.prepare(COLUMNS + Array.from({ length: BATCH }, () => '(?, ?, ?, ?, ?, ?, ?)').join(', '));
      facts = db.transaction(() => {
        for (const index of indexes) db.exec(`DROP INDEX "${index.name}"`);
        let inactive = 0;
        const matches: Array<{ name: string; id: string }> = [];
        const values: unknown[] = [];
        for (const tenant of [MAIN_TENANT, ...OTHER_TENANTS]) {
          const group = groupOf.get(tenant)?.id;
          if (group === undefined) throw new Error(`seed: tenant ${tenant} has no default connector group`);
          const main = tenant === MAIN_TENANT;
          const n = main ? options.rows : options.otherRows;
          for (let i = 0; i < n; i++) {
            const { id, name, status: s, values: row } = seedRow(tenant, i, group);
            values.push(...row);
            if (values.length === 7 * BATCH) {
              insertBatch.run(values);
              values.length = 0;
            }
            if (main && s === 'inactive') {
              inactive++;
              if (name.startsWith(FILTER_PREFIX)) matches.push({ name, id });
            }
          }
        }
        for (let at = 0; at < values.length; at += 7) insertOne.run(values.slice(at, at + 7));
        for (const index of indexes) db.exec(index.sql);
        // Machine names are lower-case ASCII and unique: JS order is SQLite's byte order.
        matches.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : a.id < b.id ? -1 : 1));
        return {
          rows: options.rows,
          otherRows: options.otherRows,
          inactive,
          filtered: matches.length,
          filteredPage: matches.slice(0, PAGE).map((m) => m.id),
        };
      })();
      firstPage = db
        .prepare<[string, number], { id: string }>('SELECT id FROM connectors WHERE tenant_id = ? ORDER BY id LIMIT ?')
        .all(MAIN_TENANT, PAGE)
        .map((r) => r.id);
      db.pragma('journal_mode = WAL');
    } finally {
      db.close();
    }
    const insertMs = performance.now() - insertStart;
    log(`seeded ${options.rows} + 2 × ${options.otherRows} connectors in ${(insertMs / 1000).toFixed(1)} s`);
    return {
      dataDir,
      dbFile,
      token: empty.token,
      facts: { ...facts, firstPage, setupMs: empty.setupMs, insertMs },
      remove: () => removeTempDir(dataDir),
    };
  } catch (error) {
    removeTempDir(dataDir);
    throw error;
  }
}

/** Ids of a Graph or baseline collection page (`{ value: [{ id }, …] }`). */
export function pageIds(body: string): string[] {
  const parsed = JSON.parse(body) as { value?: Array<{ id?: unknown }> };
  if (!Array.isArray(parsed.value)) throw new Error(`not a collection page: ${body.slice(0, 200)}`);
  return parsed.value.map((v) => String(v.id));
}

/** Throws unless `body` is a page with exactly the `expected` ids, in order. */
export function expectPage(label: string, body: string, expected: string[]): void {
  const ids = pageIds(body);
  const same = ids.length === expected.length && ids.every((id, i) => id === expected[i]);
  if (!same) {
    const at = ids.findIndex((id, i) => id !== expected[i]);
    throw new Error(
      `${label}: the page is not the expected one (${ids.length} rows, expected ${expected.length}; first difference at ${at}: ${ids[at]} vs ${expected[at]})`,
    );
  }
}
