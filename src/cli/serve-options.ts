import { DEFAULT_HEARTBEAT_TIMEOUT_MS } from '../admin/heartbeats.js';
import { AUTH_MODES, DEFAULT_MAX_CLAIMS_TENANTS } from '../auth/authenticator.js';
import { DEFAULT_CONNECTION_LIMITS, MAX_TIMEOUT_MS } from '../http/connection-limits.js';
import { LOG_FORMATS, LOG_LEVELS } from '../http/logging.js';
import { DEFAULT_STATEMENT_TIMEOUT_MS } from '../store/query-deadline.js';
import { DEFAULT_DATA_DIR } from '../store/open.js';
import type { ConnectionValues } from './connection-options.js';
import type { ControlValues } from './control-options.js';
import { envName, type OptionDefinition, type OptionValue } from './option-definitions.js';
import { readConfigFile, resolveOptions, type ResolvedOptions } from './option-resolver.js';
import type { StorageValues } from './storage-options.js';

export const DEFAULT_PORT = 5080;

const limits = DEFAULT_CONNECTION_LIMITS;
const PORT = { type: 'integer', min: 0, max: 65535 } as const;

/**
 * Every option of `localgraph serve`, once. The command line, the environment
 * (`LOCALGRAPH_<FLAG>`), the config file (`--config FILE`, keys in camelCase), `serve --help`,
 * schema/localgraph.schema.json and docs/options.md are all made from this list.
 */
export const SERVE_OPTIONS: readonly OptionDefinition[] = [
  {
    flag: 'config',
    type: 'string',
    value: 'FILE',
    path: true,
    notInFile: true,
    section: 'Configuration',
    description:
      'read options from this JSON file (keys as in docs/options.md, e.g. {"port": 5080, "inMemory": true}); ' +
      'the command line and the environment override it; relative paths in it are relative to its folder',
  },
  {
    flag: 'host',
    type: 'string',
    value: 'H',
    default: '127.0.0.1',
    section: 'Network',
    description: 'address to listen on',
  },
  {
    flag: 'port',
    ...PORT,
    value: 'N',
    default: DEFAULT_PORT,
    section: 'Network',
    description: 'port to listen on; 0 picks a free one',
  },
  {
    flag: 'proxy-port',
    ...PORT,
    value: 'N',
    section: 'Network',
    description:
      "also serve an HTTPS proxy on this port (0 picks a free one) that intercepts graph.microsoft.com and login.microsoftonline.com (and its aliases) with certificates of localgraph's CA (localgraph ca) " +
      'and refuses every other host: unchanged tools reach localgraph with HTTPS_PROXY=http://H:N',
  },
  {
    flag: 'allowed-host',
    type: 'list',
    value: 'NAME',
    section: 'Network',
    description:
      'also answer requests whose Host is NAME (DNS rebinding protection: only loopback names are answered otherwise, unless --host is not a loopback address); repeatable',
  },
  {
    flag: 'data',
    type: 'string',
    value: 'DIR',
    path: true,
    defaultText: `./${DEFAULT_DATA_DIR}`,
    section: 'Storage',
    description:
      'SQLite data folder: keeps the data, signing key, registrations and TLS certificate across restarts; one server per data folder',
  },
  {
    flag: 'database-url',
    type: 'string',
    value: 'URL',
    section: 'Storage',
    description:
      'PostgreSQL instead, e.g. postgres://user@host:5432/db?schema=localgraph; any number of instances may share it',
  },
  {
    flag: 'pool-size',
    type: 'integer',
    min: 1,
    value: 'N',
    defaultText: '10',
    section: 'Storage',
    description: 'PostgreSQL connections per process',
  },
  {
    flag: 'statement-timeout',
    type: 'integer',
    min: 1,
    value: 'MS',
    defaultText: String(DEFAULT_STATEMENT_TIMEOUT_MS),
    section: 'Storage',
    description:
      "every database query's deadline in milliseconds, on SQLite as on PostgreSQL; a query past it answers 504",
  },
  {
    flag: 'in-memory',
    type: 'boolean',
    section: 'Storage',
    description:
      'keep nothing: data lives until the process ends; prints a ready token (excludes --data and --database-url)',
  },
  {
    flag: 'https',
    type: 'boolean',
    section: 'TLS',
    description:
      "serve TLS with a certificate for localhost, 127.0.0.1 and ::1 issued by localgraph's CA (localgraph ca), made on first use and kept in the data folder or database (localgraph cert prints it)",
  },
  {
    flag: 'cert-name',
    type: 'list',
    value: 'NAME',
    section: 'TLS',
    description:
      "with --https: a DNS name the certificate is also for (a CI service's host name), and a Host name answered (as --allowed-host); repeatable. " +
      "localgraph's CA cannot sign other names, so such a certificate comes with a CA of its own, for these names only: trust the certificate file the banner names",
  },
  {
    flag: 'cert',
    type: 'string',
    value: 'FILE',
    path: true,
    section: 'TLS',
    description: 'serve TLS with this certificate (PEM) instead; goes with --key',
  },
  {
    flag: 'key',
    type: 'string',
    value: 'FILE',
    path: true,
    section: 'TLS',
    description: 'the private key (PEM) of --cert',
  },
  {
    flag: 'auth',
    type: 'string',
    value: 'MODE',
    choices: AUTH_MODES,
    default: 'strict',
    section: 'Identity',
    description:
      'strict: tokens verified (signature, issuer, audience, lifetime, tenant) and permissions enforced; claims: tokens only decoded, their tenant and permissions believed; off: no token needed, every permission',
  },
  {
    flag: 'dev-credentials',
    type: 'boolean',
    section: 'Identity',
    description:
      'provision the well-known development tenant, app and user (see docs/identity.md); always on with --in-memory; refused on a non-loopback --host unless --allow-dev-credentials-on-network',
  },
  {
    flag: 'allow-dev-credentials-on-network',
    type: 'boolean',
    section: 'Identity',
    description: 'allow --dev-credentials on a --host reachable beyond this machine',
  },
  {
    flag: 'trust-issuer',
    type: 'list',
    value: '[TENANT,...=]URL',
    section: 'Identity',
    description:
      'also accept tokens of this OpenID issuer (https; its keys are fetched from its discovery document, redirects not followed), in these tenants only (a URL naming one tenant id needs no list); repeatable',
  },
  {
    flag: 'audience',
    type: 'list',
    value: 'ID',
    section: 'Identity',
    description: "an audience accepted on trusted issuers' tokens besides Graph's; repeatable",
  },
  {
    flag: 'max-claims-tenants',
    type: 'integer',
    min: 1,
    max: 9_999_999,
    value: 'N',
    defaultText: String(DEFAULT_MAX_CLAIMS_TENANTS),
    section: 'Identity',
    description: 'with --auth claims: tokens of a new tenant are refused once the data holds N tenants',
  },
  {
    flag: 'status-codes',
    type: 'string',
    value: 'M',
    choices: ['live', 'docs'],
    default: 'live',
    section: 'Behaviour',
    description:
      "where Graph's docs and its live service disagree (connector group create and update): live answers 200 and 204 as the service does, docs answers 201 and 200 with the group as the reference pages say",
  },
  {
    flag: 'max-connections',
    type: 'integer',
    value: 'N',
    defaultText: String(limits.maxConnections),
    section: 'Connections',
    description: 'connections served at once; one more is answered 503 with Retry-After, then closed; 0: no limit',
  },
  {
    flag: 'max-connections-per-source',
    type: 'integer',
    value: 'N',
    defaultText: `${limits.maxConnectionsPerSource}, or three quarters of --max-connections when that is lower`,
    section: 'Connections',
    description:
      'connections served at once from one client address (every local client is 127.0.0.1); past it, the same 503; 0: no limit',
  },
  {
    flag: 'max-requests-per-connection',
    type: 'integer',
    value: 'N',
    defaultText: String(limits.maxRequestsPerConnection),
    section: 'Connections',
    description:
      'requests served over one keep-alive connection; the last answer closes it and the client reconnects; 0: no limit',
  },
  {
    flag: 'headers-timeout',
    type: 'integer',
    max: MAX_TIMEOUT_MS,
    value: 'MS',
    defaultText: String(limits.headersTimeoutMs),
    section: 'Connections',
    description: "time a request's head may take to arrive; 408, then closed; 0: none",
  },
  {
    flag: 'request-timeout',
    type: 'integer',
    max: MAX_TIMEOUT_MS,
    value: 'MS',
    defaultText: String(limits.requestTimeoutMs),
    section: 'Connections',
    description: 'time a whole request, head and body, may take to arrive; 408, then closed; 0: none',
  },
  {
    flag: 'keep-alive-timeout',
    type: 'integer',
    min: 1,
    max: MAX_TIMEOUT_MS,
    value: 'MS',
    defaultText: String(limits.keepAliveTimeoutMs),
    section: 'Connections',
    description: 'how long an idle keep-alive connection is kept',
  },
  {
    flag: 'admin-key',
    type: 'string',
    value: 'K',
    defaultText: 'one made on first start, printed that once, and kept with the data as a hash',
    section: 'Control plane',
    description: "the admin API's key (at least 8 characters); a key given here is never printed nor stored",
  },
  {
    flag: 'seed',
    type: 'string',
    value: 'FILE',
    path: true,
    section: 'Control plane',
    description: 'load this fixture at every start (replaces the tenants it names; see localgraph admin import)',
  },
  {
    flag: 'id-seed',
    type: 'string',
    value: 'S',
    section: 'Control plane',
    description: 'deterministic ids (and fault draws) from this seed (localgraph admin ids)',
  },
  {
    flag: 'freeze-clock',
    type: 'string',
    value: 'ISO',
    section: 'Control plane',
    description: 'start with the clock frozen at this time (localgraph admin clock)',
  },
  {
    flag: 'faults',
    type: 'string',
    value: 'FILE',
    path: true,
    section: 'Control plane',
    description: 'inject faults on the Graph surface by these rules (JSON; localgraph admin faults)',
  },
  {
    flag: 'simulate-heartbeats',
    type: 'boolean',
    section: 'Control plane',
    description:
      'connectors, agents and sensors that stop sending heartbeats turn inactive, and active again when they resume',
  },
  {
    flag: 'heartbeat-timeout',
    type: 'string',
    value: 'D',
    defaultText: `${DEFAULT_HEARTBEAT_TIMEOUT_MS / 1000}s`,
    section: 'Control plane',
    description: 'with --simulate-heartbeats: how long without a heartbeat makes one inactive: 90s, 2m',
  },
  {
    flag: 'log-level',
    type: 'string',
    value: 'L',
    choices: LOG_LEVELS,
    default: 'info',
    section: 'Output',
    description: 'the least severe level logged; silent: none',
  },
  {
    flag: 'log-format',
    type: 'string',
    value: 'F',
    choices: LOG_FORMATS,
    defaultText: 'pretty on a terminal, json otherwise',
    section: 'Output',
    description:
      'json: one JSON object per line on stdout, among them a "ready" record with the --ready-file facts (the banner goes to stderr); pretty: short readable lines, the banner on stdout',
  },
  {
    flag: 'ready-file',
    type: 'string',
    value: 'FILE',
    path: true,
    section: 'Output',
    description:
      "once the server takes requests, write this JSON file (whole, by a rename): url, graphUrl, consoleUrl, tokenUrl, healthUrl, tenantId, clientId, username, pid, and proxyUrl, caFile and an in-memory server's token when there are; removed at start and when the server stops",
  },
];

/** `--data`, `--database-url` and `--in-memory` exclude each other; the strongest source decides. */
export const SERVE_EXCLUSIVE = [['data', 'database-url', 'in-memory']] as const;

/**
 * The resolved values by flag, typed as serve reads them (integers as their decimal text); the
 * storage, connection and control options' own parsers declare theirs.
 */
export interface ServeValues extends StorageValues, ConnectionValues, ControlValues {
  config?: string;
  host?: string;
  port?: string;
  'proxy-port'?: string;
  'allowed-host'?: string[];
  'in-memory'?: boolean;
  https?: boolean;
  cert?: string;
  'cert-name'?: string[];
  key?: string;
  auth?: string;
  'dev-credentials'?: boolean;
  'allow-dev-credentials-on-network'?: boolean;
  'trust-issuer'?: string[];
  audience?: string[];
  'max-claims-tenants'?: string;
  'status-codes'?: string;
  'ready-file'?: string;
}

/**
 * serve's options from the command line's `flags` (parseFlags), the environment and the config
 * file the flags or the environment name.
 */
export function resolveServeOptions(
  flags: Record<string, OptionValue | undefined>,
  env: NodeJS.ProcessEnv,
): ResolvedOptions & { values: ServeValues } {
  const configOption = SERVE_OPTIONS.find((o) => o.flag === 'config')!;
  const fromFlag = typeof flags.config === 'string' ? flags.config : undefined;
  const path = fromFlag ?? (env[envName(configOption)] || undefined);
  const file =
    path === undefined ? undefined : readConfigFile(path, fromFlag !== undefined ? '--config' : envName(configOption));
  return resolveOptions(SERVE_OPTIONS, { flags, env, file, exclusive: SERVE_EXCLUSIVE }) as ResolvedOptions & {
    values: ServeValues;
  };
}
