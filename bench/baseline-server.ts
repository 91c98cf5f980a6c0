/**
 * The baseline the benchmark measures localgraph against: the least a Node server can do for the
 * same work. Plain `node:http`, better-sqlite3 with the same pragmas as localgraph (WAL,
 * synchronous=NORMAL, foreign keys on), no framework, no auth, no validation beyond parsing the JSON.
 *
 *   node dist/bench/baseline-server.js --db FILE --tenant GUID
 *
 * It serves a localgraph.db (whose connectors table has the baseline's columns and more), seeded
 * or empty, so that both servers read the same rows and write into the same table, with the same
 * indexes and the same foreign key (a new connector joins the tenant's default connector group,
 * as in localgraph). `--tenant` is the tenant whose connectors it serves.
 *
 * Listens on 127.0.0.1, port 0, and prints "baseline listening on http://127.0.0.1:PORT/".
 * SIGTERM closes the server and the database and exits 0.
 *
 * Routes (add one per scenario that needs it):
 *   POST /connectors   insert one connector row, 201 with the JSON
 *   GET  /connectors?top=N[&status=S][&startswith=P][&orderby=machineName]
 *                      one page: SELECT ... WHERE tenant_id = ? [AND status = ?]
 *                      [AND lower(machine_name) LIKE 'p%' ESCAPE '\'] ORDER BY [lower(machine_name),] id
 *                      LIMIT N, then JSON.stringify({ value: rows }). The same SQL shape localgraph
 *                      sends for the equivalent $filter/$orderby/$top (case-insensitive text), and
 *                      nothing else: no paging link, no validation.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';

const { values } = parseArgs({ options: { db: { type: 'string' }, tenant: { type: 'string' } } });
if (values.db === undefined || values.tenant === undefined) {
  console.error('usage: baseline-server --db FILE --tenant GUID');
  process.exit(2);
}
const file = values.db;
const TENANT_ID = values.tenant;

const db = new Database(file, { fileMustExist: true });
db.pragma('journal_mode = WAL');
db.pragma('synchronous = NORMAL');
db.pragma('foreign_keys = ON');

const DEFAULT_VERSION = '1.5.3437.0';
/** A connector row names its group: the tenant's default one, as localgraph's creates do. */
const defaultGroup = db
  .prepare<[string], { id: string }>('SELECT id FROM connector_groups WHERE tenant_id = ? AND is_default = 1')
  .get(TENANT_ID);
if (!defaultGroup) throw new Error(`tenant ${TENANT_ID} has no default connector group in ${file}`);
const insertConnector = db.prepare(
  'INSERT INTO connectors (tenant_id, id, external_ip, machine_name, status, version, connector_group_id) VALUES (?, ?, ?, ?, ?, ?, ?)',
);

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

async function createConnector(req: IncomingMessage, res: ServerResponse): Promise<void> {
  let input: { externalIp?: string; machineName?: string; status?: string; version?: string };
  try {
    input = JSON.parse(await readBody(req)) as typeof input;
  } catch {
    return send(res, 400, { error: 'invalid JSON' });
  }
  const row = {
    id: randomUUID(),
    externalIp: String(input.externalIp),
    machineName: String(input.machineName),
    status: String(input.status),
    version: input.version ?? DEFAULT_VERSION,
  };
  insertConnector.run(TENANT_ID, row.id, row.externalIp, row.machineName, row.status, row.version, defaultGroup!.id);
  send(res, 201, row);
}

const SELECT_CONNECTORS =
  'SELECT id, external_ip AS externalIp, machine_name AS machineName, status, version FROM connectors WHERE tenant_id = ?';
const listStatements = new Map<string, Database.Statement>();

async function listConnectors(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const query = new URL(req.url ?? '/', 'http://localhost').searchParams;
  const top = Number(query.get('top') ?? '100');
  const status = query.get('status');
  const prefix = query.get('startswith');
  const byName = query.get('orderby') === 'machineName';
  let sql = SELECT_CONNECTORS;
  const params: unknown[] = [TENANT_ID];
  if (status !== null) {
    sql += ' AND status = ?';
    params.push(status);
  }
  if (prefix !== null) {
    sql += " AND lower(machine_name) LIKE ? ESCAPE '\\'";
    params.push(`${prefix.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
  }
  sql += byName ? ' ORDER BY lower(machine_name), id LIMIT ?' : ' ORDER BY id LIMIT ?';
  params.push(top);
  let statement = listStatements.get(sql);
  if (!statement) {
    statement = db.prepare(sql);
    listStatements.set(sql, statement);
  }
  send(res, 200, { value: statement.all(...params) });
}

const server = createServer((req, res) => {
  const route = `${req.method} ${req.url?.split('?')[0]}`;
  const handle =
    route === 'POST /connectors' ? createConnector : route === 'GET /connectors' ? listConnectors : undefined;
  if (!handle) {
    req.resume();
    return send(res, 404, { error: `no route ${route}` });
  }
  handle(req, res).catch((error: unknown) => {
    if (!res.headersSent) send(res, 500, { error: (error as Error).message });
  });
});

server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  console.log(`baseline listening on http://127.0.0.1:${address.port}/`);
});

process.once('SIGTERM', () => {
  server.close(() => {
    db.close();
    process.exit(0);
  });
  server.closeAllConnections();
});
