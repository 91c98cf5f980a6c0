import { allPermissions } from '../auth/identity.js';
import { activeSigningKey } from '../auth/signing-key.js';
import { issueAccessToken } from '../auth/tokens.js';
import { isLoopbackName } from '../http/host-check.js';
import { hostName } from '../http/intercepted-hosts.js';
import { startServer } from '../server/start.js';
import { parseAuthOptions } from './auth-setup.js';
import { banner } from './banner.js';
import { CONNECTION_OPTIONS, connectionHelp, connectionUsage, parseConnectionOptions } from './connection-options.js';
import { CONTROL_OPTIONS, controlHelp, controlUsage, parseControlOptions } from './control-options.js';
import { describeLocation, STORAGE_OPTIONS, storageHelp, storageLocation } from './storage-options.js';
import { parseOptions, parsePort, UsageError } from './usage.js';

export const DEFAULT_PORT = 5080;
const SHUTDOWN_GRACE_MS = 5000;

export const serveHelp = `Usage: localgraph serve [--host H] [--port N] [--proxy-port N] [--data DIR | --database-url URL | --in-memory] [--https [--cert FILE --key FILE]]
                       [--dev-credentials [--allow-dev-credentials-on-network]] [--allowed-host NAME]...
                       [--auth strict|claims|off] [--trust-issuer [TENANT,...=]URL]... [--audience ID]...
                       [--max-claims-tenants N] [--status-codes live|docs]
                       ${connectionUsage}
                       ${controlUsage}

Serves Microsoft Graph beta's on-premises publishing API at http(s)://H:N/beta/, and Entra ID's
token endpoint for it at /{tenant}/oauth2/v2.0/token.

  --host H        address to listen on (default: 127.0.0.1)
  --port N        port to listen on; 0 picks a free one (default: ${DEFAULT_PORT})
  --proxy-port N  also serve an HTTPS proxy on this port (0 picks a free one; or
                  $LOCALGRAPH_PROXY_PORT) that intercepts graph.microsoft.com and
                  login.microsoftonline.com (and its aliases) with certificates of localgraph's
                  CA (localgraph ca) and refuses every other host: unchanged tools reach
                  localgraph with HTTPS_PROXY=http://H:N
  --allowed-host NAME
                  also answer requests whose Host is NAME (DNS rebinding protection: only
                  loopback names are answered otherwise, unless --host is not a loopback
                  address); repeatable
  --dev-credentials
                  provision the well-known development tenant, app and user (see
                  docs/identity.md); always on with --in-memory; refused on a non-loopback
                  --host unless --allow-dev-credentials-on-network
${storageHelp}
                           (the data folder, or the database, keeps the data, signing key,
                           registrations and TLS certificate across restarts; one server per
                           data folder, any number per database)
  --in-memory     keep nothing: data lives until the process ends; prints a ready token
  --https         serve TLS with a certificate for localhost, 127.0.0.1 and ::1 issued by
                  localgraph's CA (localgraph ca), made on first
                  use and kept in the data folder or database (localgraph cert prints it)
  --cert FILE, --key FILE
                  serve TLS with this certificate and key (PEM) instead
  --auth MODE     strict: tokens verified (signature, issuer, audience, lifetime, tenant) and
                  permissions enforced; claims: tokens only decoded, their tenant and
                  permissions believed; off: no token needed, every permission (default: strict)
  --trust-issuer [TENANT,...=]URL
                  also accept tokens of this OpenID issuer (https; its keys are fetched from
                  its discovery document, redirects not followed), in these tenants only
                  (made at start; a URL naming one tenant id needs no list); repeatable
  --audience ID   an audience accepted on trusted issuers' tokens besides Graph's; repeatable
  --max-claims-tenants N
                  with --auth claims: tokens of a new tenant are refused once the data holds N
                  tenants (default: 1000)
  --status-codes M  where Graph's docs and its live service disagree (connector group create
                  and update): 'live' answers 200 and 204 as the service does, 'docs' answers
                  201 and 200 with the group as the reference pages say (default: live)
${connectionHelp}
${controlHelp}
  -h, --help      this help

Prints "localgraph listening on URL" once it takes requests; a first start also prints the
default app's client secret and the default user's password, once. SIGTERM or SIGINT finishes
the requests in flight, closes the database and exits 0.`;

/** `localgraph serve`: resolves with the exit code once the server has stopped. */
export async function serveCommand(args: string[]): Promise<number> {
  const values = parseOptions(args, {
    host: { type: 'string' },
    port: { type: 'string' },
    ...STORAGE_OPTIONS,
    'in-memory': { type: 'boolean' },
    https: { type: 'boolean' },
    cert: { type: 'string' },
    key: { type: 'string' },
    auth: { type: 'string' },
    'trust-issuer': { type: 'string', multiple: true },
    audience: { type: 'string', multiple: true },
    'max-claims-tenants': { type: 'string' },
    'status-codes': { type: 'string' },
    'proxy-port': { type: 'string' },
    'allowed-host': { type: 'string', multiple: true },
    'dev-credentials': { type: 'boolean' },
    'allow-dev-credentials-on-network': { type: 'boolean' },
    ...CONNECTION_OPTIONS,
    ...CONTROL_OPTIONS,
  });
  if (values.help) {
    console.log(serveHelp);
    return 0;
  }
  if ((values.cert === undefined) !== (values.key === undefined)) throw new UsageError('--cert and --key go together');
  const port = parsePort(values.port, DEFAULT_PORT);
  const statusCodes = values['status-codes'] ?? 'live';
  if (statusCodes !== 'live' && statusCodes !== 'docs') throw new UsageError(`--status-codes must be 'live' or 'docs', not '${statusCodes}'`);
  const authOptions = parseAuthOptions(values);
  const connectionLimits = parseConnectionOptions(values);
  const control = parseControlOptions(values);
  const https = values.https === true || values.cert !== undefined;
  const host = values.host ?? '127.0.0.1';
  const proxyPortText = values['proxy-port'] ?? (process.env.LOCALGRAPH_PROXY_PORT || undefined);
  const proxyPort = proxyPortText === undefined ? undefined : parseProxyPort(proxyPortText);
  const allowedHosts = values['allowed-host'] ?? [];
  for (const name of allowedHosts) if (!/^[a-z0-9.:[\]_-]+$/i.test(name)) throw new UsageError(`--allowed-host takes a host name, not '${name}'`);
  const devCredentials = values['dev-credentials'] === true || values['in-memory'] === true;
  if (devCredentials && !isLoopbackName(hostName(host)) && values['allow-dev-credentials-on-network'] !== true) {
    throw new UsageError(
      `the well-known dev credentials (--dev-credentials, always on with --in-memory) would guard a server reachable on ${host}; ` +
        'listen on a loopback address, or add --allow-dev-credentials-on-network if that is really meant',
    );
  }
  const location = storageLocation(values, values['in-memory'] === true);
  const server = await startServer({
    host,
    port,
    location,
    https,
    certFiles: values.cert === undefined ? undefined : { cert: values.cert, key: values.key! },
    proxyPort,
    allowedHosts,
    devCredentials,
    auth: authOptions,
    statusCodes,
    connectionLimits,
    control,
    onWait: (message) => console.error(`localgraph: ${message}`),
  });
  const { identity, origin, tls } = server;
  const now = new Date();
  const inMemoryToken =
    location.kind === 'memory'
      ? await issueAccessToken(
          await activeSigningKey(server.store, now),
          { tenantId: identity.tenantId, appId: identity.appId, user: { objectId: identity.userId, userPrincipalName: identity.userPrincipalName }, scopes: allPermissions().scopes, lifetimeSeconds: 24 * 3600 },
          now,
        )
      : undefined;
  const lines = banner({
    baseUrl: `${origin}/beta/`,
    origin,
    storage: describeLocation(location),
    auth: authOptions.mode,
    tls: tls && { source: tls.source, created: tls.created, file: tls.file },
    proxyUrl: server.proxyUrl,
    caFile: server.caFile,
    devCredentials,
    allowedHosts,
    host,
    trustedIssuers: (server.trusted?.specs ?? []).map(({ url, tenants }) => ({ url, tenants, reachable: !server.unreachable.includes(url) })),
    identity,
    created: server.created,
    dataDir: server.dataDir,
    inMemoryToken,
    control: server.control.bannerLines(origin),
  });
  await new Promise<void>((resolve) => {
    const stop = (signal: string) => {
      console.log(`localgraph: ${signal}, finishing requests in flight`);
      const force = setTimeout(() => {
        console.error('localgraph: requests still running after the grace period; exiting');
        process.exit(1);
      }, SHUTDOWN_GRACE_MS);
      force.unref();
      void server.stop().then(() => {
        clearTimeout(force);
        resolve();
      });
    };
    process.once('SIGTERM', () => stop('SIGTERM'));
    process.once('SIGINT', () => stop('SIGINT'));
    // The banner only once the handlers are in place: whoever waits for its last line may
    // signal at once (before, a SIGTERM right after the banner could kill the process outright).
    for (const line of lines) console.log(line);
  });
  return 0;
}

function parseProxyPort(value: string): number {
  if (!/^\d+$/.test(value) || Number(value) > 65535) throw new UsageError(`--proxy-port must be a number from 0 to 65535, not '${value}'`);
  return Number(value);
}
