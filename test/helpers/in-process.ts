/**
 * End-to-end helpers: a server inside the test process, started through the library
 * (`startLocalgraph`), for the tests that need no process of its own (no signals, no banner, no
 * CLI command beside it). Storage follows the pass, as with `startServer` (test/helpers/backend.ts).
 */
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { startLocalgraph, type Localgraph, type LocalgraphOptions } from '../../src/index.js';
import { TEST_BACKEND } from './backend.js';
import { freshDatabaseUrl, tempDir } from './server.js';

/** The pass's storage: in memory (the library's default), a fresh data folder, or a fresh schema. */
export function passStorage(): LocalgraphOptions {
  if (TEST_BACKEND === 'sqlite') return { dataDir: join(tempDir(), 'data') };
  if (TEST_BACKEND === 'postgres') return { databaseUrl: freshDatabaseUrl() };
  return {};
}

export interface InProcessServer {
  /** `http://127.0.0.1:PORT`, without a trailing slash. */
  baseUrl: string;
  port: number;
  /** The tenant `token()` makes tokens for by default. */
  tenantId: string;
  adminKey: string;
  /** Whether it keeps nothing. */
  inMemory: boolean;
  /** The data folder, when it serves one. */
  dataDir: string | undefined;
  /** The PostgreSQL URL it serves from, when it does. */
  databaseUrl: string | undefined;
  localgraph: Localgraph;
  /** A token for `localgraph token`'s arguments (`--scopes`, `--roles`, `--tenant`); delegated admin by default. */
  token(args?: string[]): Promise<string>;
  stop(): Promise<void>;
}

/** Starts a server in this process on the pass's storage (or on `options`' own). */
export async function startInProcess(options: LocalgraphOptions = {}): Promise<InProcessServer> {
  const storage = options.dataDir !== undefined || options.databaseUrl !== undefined ? {} : passStorage();
  const given = { ...storage, ...options };
  const lg = await startLocalgraph(given);
  return {
    baseUrl: lg.url,
    port: Number(new URL(lg.url).port),
    tenantId: lg.tenantId,
    adminKey: lg.adminKey,
    inMemory: given.dataDir === undefined && given.databaseUrl === undefined,
    dataDir: given.dataDir,
    databaseUrl: given.databaseUrl,
    localgraph: lg,
    token(args = ['--scopes', 'Directory.ReadWrite.All']) {
      const { values } = parseArgs({
        args,
        options: { tenant: { type: 'string' }, scopes: { type: 'string' }, roles: { type: 'string' } },
      });
      return lg.token({ tenantId: values.tenant, scopes: values.scopes, roles: values.roles });
    },
    stop: () => lg.stop(),
  };
}
