import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Fixture } from '../admin/fixture.js';
import type { ImportSummary } from '../admin/fixture-import.js';
import { AUTH_MODES, DEFAULT_MAX_CLAIMS_TENANTS, type AuthMode } from '../auth/authenticator.js';
import { DEV_CREDENTIALS } from '../auth/dev-credentials.js';
import { allPermissions, userObjectId } from '../auth/identity.js';
import { activeSigningKey } from '../auth/signing-key.js';
import { issueAccessToken } from '../auth/tokens.js';
import { GraphError } from '../graph/errors.js';
import { DEFAULT_HEARTBEAT_TIMEOUT_MS } from '../admin/heartbeats.js';
import { readFaultRules, type FaultRule } from '../http/faults.js';
import { LOG_LEVELS, type LogLevel } from '../http/logging.js';
import { servedFamily } from '../family/served-family.js';
import { isGuid } from '../odata/guid.js';
import { startServer, type StartedServer } from '../server/start.js';
import type { StoreLocation } from '../store/open.js';

/**
 * `startLocalgraph()`: a localgraph server inside a test suite's own process, on a free port,
 * as WireMock's `WireMockServer` or json-server's `create()` are, with what a test needs to
 * reach it (URLs, credentials, tokens) and to put it in a known state (reset, seed).
 */
export interface LocalgraphOptions {
  /** Keep the data in this SQLite folder (one server per folder) instead of in memory. */
  dataDir?: string;
  /** Keep the data in this PostgreSQL database (`postgres://…`, `?schema=NAME` for a schema of its own) instead of in memory. */
  databaseUrl?: string;
  /** Serve HTTPS with a certificate of localgraph's own CA (`caCertificate`) for localhost, 127.0.0.1 and ::1. Default: false. */
  https?: boolean;
  /**
   * Provision the well-known development tenant, app and user, and hand out their credentials.
   * Default: true. With false, the credentials are the data's default app and user (their
   * secret and password are known only when this start made them).
   */
  devCredentials?: boolean;
  /** A fixture (as `localgraph admin export` writes it), or the path of one, loaded before the server answers. */
  seed?: Fixture | string;
  /** Start with the clock frozen at this time (the admin API can move it). */
  freezeClock?: Date | string;
  /** Inject faults on the Graph surface by these rules (as `serve --faults` takes them). */
  faults?: FaultRule[];
  /** Deterministic ids (and fault draws) from this seed. */
  idSeed?: string;
  /** Also serve the HTTPS-intercepting proxy on this port (0: a free one); its URL is `proxyUrl`. */
  proxyPort?: number;
  /** The port to listen on. Default: 0, a free one. */
  port?: number;
  /** How tokens are checked: strict (default), claims or off, as `serve --auth`. */
  auth?: AuthMode;
  /** The admin API's key. Default: a random one (`adminKey`). */
  adminKey?: string;
  /** Where Graph's docs and its live service disagree (connector group create and update): answer as the service does ('live', the default) or as the docs say ('docs'), as `serve --status-codes`. */
  statusCodes?: 'live' | 'docs';
  /** Request logs to stdout at this level. Default: 'silent'. */
  logLevel?: LogLevel;
}

/** What `token()` is asked for: a delegated token with `scopes` (the default: every scope), or an app-only one with `roles`. */
export interface TokenOptions {
  /** Delegated permissions (`scp`), for the user `username`: ["Directory.ReadWrite.All"] or "A B". */
  scopes?: string[] | string;
  /** Application permissions (`roles`), for the app `clientId` with no user. */
  roles?: string[] | string;
  /** Another tenant than `tenantId` (made if new). */
  tenantId?: string;
  /** Default: 3600. */
  lifetimeSeconds?: number;
}

export interface ResetOptions {
  /** Only this tenant; default: every tenant. */
  tenantId?: string;
  /** Also remove registered apps and users (the dev credentials come back at the next start only). Default: false. */
  registrations?: boolean;
}

export interface Localgraph {
  /** `http://127.0.0.1:PORT` (`https://localhost:PORT` with `https`), no trailing slash. */
  url: string;
  /** Graph's base URL, as SDKs take it: `${url}/beta`. */
  graphUrl: string;
  /** The token endpoint's authority (MSAL's `authority`): `${url}/${tenantId}`. */
  authority: string;
  tenantId: string;
  clientId: string;
  /** The client secret; undefined when `devCredentials` is false and an earlier start made the app. */
  clientSecret: string | undefined;
  /** The user's name (UPN), for the password grant. */
  username: string;
  /** The user's password; undefined when `devCredentials` is false and an earlier start made the user. */
  password: string | undefined;
  /** localgraph's CA certificate (PEM), with `https` or `proxyPort`: what clients must trust. */
  caCertificate: string | undefined;
  /** The proxy's URL (`http://127.0.0.1:PORT`), with `proxyPort`. */
  proxyUrl: string | undefined;
  /** The admin API's key (`x-localgraph-admin-key`, under `${url}/_admin/`). */
  adminKey: string;
  /** A Graph access token signed by this server: delegated (`scopes`, the default) or app-only (`roles`). */
  token(options?: TokenOptions): Promise<string>;
  /** Removes the Graph data (the admin API's reset): tenants, apps and users stay. */
  reset(options?: ResetOptions): Promise<void>;
  /** Loads a fixture (the admin API's import): each tenant it names is replaced by the fixture's. */
  seed(fixture: Fixture | string): Promise<ImportSummary>;
  /** Finishes the requests in flight and releases the port, the data and the temporary files. */
  stop(): Promise<void>;
}

const MAX_TOKEN_LIFETIME_SECONDS = 7 * 24 * 3600;

export async function startLocalgraph(options: LocalgraphOptions = {}): Promise<Localgraph> {
  const devCredentials = options.devCredentials ?? true;
  const adminKey = options.adminKey ?? randomBytes(24).toString('base64url');
  if (adminKey.trim().length < 8) throw new TypeError('adminKey must have at least 8 characters');
  const logLevel = options.logLevel ?? 'silent';
  if (!LOG_LEVELS.includes(logLevel))
    throw new TypeError(`logLevel must be one of ${LOG_LEVELS.join(', ')}, not '${logLevel}'`);
  const auth = options.auth ?? 'strict';
  if (!AUTH_MODES.includes(auth)) throw new TypeError(`auth must be one of ${AUTH_MODES.join(', ')}, not '${auth}'`);
  const freezeAt = options.freezeClock === undefined ? undefined : new Date(options.freezeClock);
  if (freezeAt && Number.isNaN(freezeAt.getTime()))
    throw new TypeError(
      `freezeClock must be a date or an ISO 8601 date and time, not '${String(options.freezeClock)}'`,
    );
  if (options.idSeed !== undefined && options.idSeed.length === 0) throw new TypeError('idSeed must not be empty');
  const statusCodes = options.statusCodes ?? 'live';
  if (statusCodes !== 'live' && statusCodes !== 'docs')
    throw new TypeError(`statusCodes must be 'live' or 'docs', not '${String(statusCodes)}'`);
  const port = checkPort(options.port ?? 0, 'port');
  const proxyPort = options.proxyPort === undefined ? undefined : checkPort(options.proxyPort, 'proxyPort');

  const server = await startServer({
    family: servedFamily,
    host: '127.0.0.1',
    port,
    location: storeLocation(options),
    https: options.https === true,
    proxyPort,
    allowedHosts: [],
    devCredentials,
    auth: { mode: auth, trustIssuers: [], audiences: [], maxClaimsTenants: DEFAULT_MAX_CLAIMS_TENANTS },
    statusCodes,
    connectionLimits: {},
    control: {
      adminKey: { key: adminKey.trim(), source: 'flag' },
      seedDocument: options.seed === undefined ? undefined : fixtureOf(options.seed),
      idSeed: options.idSeed,
      freezeAt,
      faultRules: options.faults === undefined ? undefined : faultRules(options.faults),
      heartbeats: { enabled: false, timeoutMs: DEFAULT_HEARTBEAT_TIMEOUT_MS },
      logLevel,
      logFormat: 'json',
    },
  });
  return running(server, devCredentials, adminKey.trim());
}

function running(server: StartedServer, devCredentials: boolean, adminKey: string): Localgraph {
  const { identity } = server;
  const who = devCredentials
    ? {
        tenantId: DEV_CREDENTIALS.tenantId,
        clientId: DEV_CREDENTIALS.clientId,
        clientSecret: DEV_CREDENTIALS.clientSecret as string | undefined,
        servicePrincipalId: DEV_CREDENTIALS.servicePrincipalId,
        userId: DEV_CREDENTIALS.userId,
        username: DEV_CREDENTIALS.userPrincipalName,
        password: DEV_CREDENTIALS.password as string | undefined,
      }
    : {
        tenantId: identity.tenantId,
        clientId: identity.appId,
        clientSecret: server.created.clientSecret,
        servicePrincipalId: identity.servicePrincipalId,
        userId: identity.userId,
        username: identity.userPrincipalName,
        password: server.created.password,
      };
  /** The admin API, called in-process: the same code (and checks) as over HTTP. */
  const admin = async (url: string, body: unknown): Promise<unknown> => {
    const response = await server.app.inject({
      method: 'POST',
      url,
      headers: { 'x-localgraph-admin-key': adminKey },
      payload: body as object,
    });
    const answer = response.json() as { error?: { message: string } };
    if (response.statusCode !== 200) throw new Error(`localgraph ${url}: ${answer.error?.message ?? response.body}`);
    return answer;
  };
  return {
    url: server.origin,
    graphUrl: `${server.origin}/beta`,
    authority: `${server.origin}/${who.tenantId}`,
    tenantId: who.tenantId,
    clientId: who.clientId,
    clientSecret: who.clientSecret,
    username: who.username,
    password: who.password,
    caCertificate: server.caCertificate,
    proxyUrl: server.proxyUrl,
    adminKey,
    async token(options = {}) {
      const scopes = permissionList(options.scopes, 'scopes');
      const roles = permissionList(options.roles, 'roles');
      if (scopes !== undefined && roles !== undefined)
        throw new TypeError('token(): give scopes (a delegated token) or roles (an app-only token), not both');
      const lifetimeSeconds = options.lifetimeSeconds ?? 3600;
      if (!Number.isInteger(lifetimeSeconds) || lifetimeSeconds < 1 || lifetimeSeconds > MAX_TOKEN_LIFETIME_SECONDS) {
        throw new TypeError(`token(): lifetimeSeconds must be a whole number from 1 to ${MAX_TOKEN_LIFETIME_SECONDS}`);
      }
      if (options.tenantId !== undefined && !isGuid(options.tenantId))
        throw new TypeError(`token(): tenantId must be a GUID, not '${options.tenantId}'`);
      const tenantId = options.tenantId?.toLowerCase() ?? who.tenantId;
      // Token lifetimes are checked against real time, whatever the server's clock says.
      const now = new Date();
      if (tenantId !== who.tenantId) await server.store.ensureTenant(tenantId, now);
      const key = await activeSigningKey(server.store, now);
      return issueAccessToken(
        key,
        {
          tenantId,
          appId: who.clientId,
          lifetimeSeconds,
          ...(roles !== undefined
            ? { roles, servicePrincipalId: who.servicePrincipalId }
            : {
                scopes: scopes ?? allPermissions(servedFamily).scopes,
                user: {
                  objectId: tenantId === who.tenantId ? who.userId : userObjectId(tenantId, who.username),
                  userPrincipalName: who.username,
                },
              }),
        },
        now,
      );
    },
    async reset(options = {}) {
      await admin('/_admin/reset', { tenantId: options.tenantId, registrations: options.registrations });
    },
    async seed(fixture) {
      return (await admin('/_admin/import', fixtureOf(fixture))) as ImportSummary;
    },
    stop: () => server.stop(),
  };
}

function storeLocation(options: LocalgraphOptions): StoreLocation {
  if (options.dataDir !== undefined && options.databaseUrl !== undefined)
    throw new TypeError('dataDir and databaseUrl exclude each other');
  if (options.databaseUrl !== undefined) {
    if (!/^postgres(ql)?:\/\//.test(options.databaseUrl))
      throw new TypeError(`databaseUrl must be a postgres:// URL, not '${options.databaseUrl}'`);
    return { kind: 'postgres', url: options.databaseUrl };
  }
  if (options.dataDir !== undefined) return { kind: 'folder', dir: options.dataDir };
  return { kind: 'memory', offEventLoop: true };
}

function checkPort(port: number, name: string): number {
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new TypeError(`${name} must be a whole number from 0 to 65535, not ${port}`);
  return port;
}

/** A fixture given as itself or as the path of its JSON file. */
function fixtureOf(fixture: Fixture | string): unknown {
  if (typeof fixture !== 'string') return fixture;
  const text = readFileSync(fixture, 'utf8');
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new Error(`seed ${fixture}: not JSON (${(error as Error).message})`);
  }
}

function faultRules(rules: FaultRule[]): FaultRule[] {
  try {
    return readFaultRules(rules);
  } catch (error) {
    if (error instanceof GraphError) throw new TypeError(`faults: ${error.message}`);
    throw error;
  }
}

function permissionList(value: string[] | string | undefined, name: string): string[] | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'string') return value.split(/[\s,]+/).filter(Boolean);
  if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return value;
  throw new TypeError(`token(): ${name} must be a list of permission names`);
}
