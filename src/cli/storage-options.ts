import { existsSync } from 'node:fs';
import { DEFAULT_DATA_DIR, type StoreLocation } from '../store/open.js';
import { UsageError } from './usage.js';

/**
 * Where a command finds localgraph's data: a SQLite data folder (the default), or a PostgreSQL
 * database shared by several instances. Every command that opens the store takes the same options.
 */
export const STORAGE_OPTIONS = {
  data: { type: 'string' },
  'database-url': { type: 'string' },
  'pool-size': { type: 'string' },
  'statement-timeout': { type: 'string' },
} as const;

export const storageHelp = `  --data DIR               SQLite data folder (default: ./${DEFAULT_DATA_DIR}, or $LOCALGRAPH_DATA)
  --database-url URL       PostgreSQL instead (or $LOCALGRAPH_DATABASE_URL), e.g.
                           postgres://user@host:5432/db?schema=localgraph; several instances
                           may share it
  --pool-size N            PostgreSQL connections per process (default: 10)
  --statement-timeout MS   every database query's deadline in milliseconds, on SQLite as on
                           PostgreSQL; a query past it answers 504 (default: 10000)`;

export interface StorageValues {
  data?: string;
  'database-url'?: string;
  'pool-size'?: string;
  'statement-timeout'?: string;
}

function positive(option: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^[1-9]\d*$/.test(value)) throw new UsageError(`${option} must be a positive whole number, not '${value}'`);
  return Number(value);
}

/** The store location the options name; `inMemory` is `serve --in-memory`. */
export function storageLocation(values: StorageValues, inMemory = false): StoreLocation {
  const url =
    values['database-url'] ??
    (values.data === undefined && !inMemory ? process.env.LOCALGRAPH_DATABASE_URL : undefined);
  const chosen = [values.data !== undefined, values['database-url'] !== undefined, inMemory].filter(Boolean).length;
  if (chosen > 1) throw new UsageError('--data, --database-url and --in-memory exclude each other');
  if (url !== undefined) {
    if (!/^postgres(ql)?:\/\//.test(url))
      throw new UsageError(`--database-url must be a postgres:// URL, not '${url}'`);
    return {
      kind: 'postgres',
      url,
      poolSize: positive('--pool-size', values['pool-size']),
      statementTimeoutMs: positive('--statement-timeout', values['statement-timeout']),
    };
  }
  if (values['pool-size'] !== undefined) throw new UsageError('--pool-size goes with --database-url');
  const statementTimeoutMs = positive('--statement-timeout', values['statement-timeout']);
  if (inMemory) return { kind: 'memory', statementTimeoutMs, offEventLoop: true };
  return { kind: 'folder', dir: values.data ?? process.env.LOCALGRAPH_DATA ?? DEFAULT_DATA_DIR, statementTimeoutMs };
}

/**
 * The location of data that must exist already: the commands that work beside a server (token,
 * app, user) would otherwise make a fresh folder, and with it a tenant and signing key nobody
 * serves, from a mistyped path.
 */
export function existingStorage(values: StorageValues): StoreLocation {
  const location = storageLocation(values);
  if (location.kind === 'folder' && !existsSync(location.dir)) {
    throw new Error(
      `no data folder ${location.dir}: start a server on it first (localgraph serve --data ${location.dir}), or name the folder a server uses`,
    );
  }
  return location;
}

/** How the banner names a location (never the database password). */
export function describeLocation(location: StoreLocation): string {
  if (location.kind === 'memory') return 'in memory (nothing is kept)';
  if (location.kind === 'folder') return `SQLite in ${location.dir}`;
  const url = new URL(location.url);
  url.password = '';
  return `PostgreSQL at ${url.host}${url.pathname}${url.searchParams.get('schema') ? ` (schema ${url.searchParams.get('schema')})` : ''}`;
}
