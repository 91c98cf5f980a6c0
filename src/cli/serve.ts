import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ensureDevCredentials } from '../auth/dev-credentials.js';
import { allPermissions, defaultIdentity, ensureDefaultRegistrations } from '../auth/identity.js';
import { activeSigningKey } from '../auth/signing-key.js';
import { issueAccessToken } from '../auth/tokens.js';
import { onPremises } from '../family/on-premises.js';
import { createApp, randomIds } from '../http/app.js';
import { LeafIssuer, storeCertificateAuthority } from '../http/certificate-authority.js';
import { resolveConnectionLimits } from '../http/connection-limits.js';
import { createForwardProxy } from '../http/forward-proxy.js';
import { hostPolicy, isLoopbackName } from '../http/host-check.js';
import { hostName } from '../http/intercepted-hosts.js';
import { folderCertificate, generateCertificate, loadCertificateFiles, storeCertificate, type TlsMaterial } from '../http/tls.js';
import { lockFolder } from '../store/folder-lock.js';
import { openStore } from '../store/open.js';
import { buildAuthenticator, parseAuthOptions } from './auth-setup.js';
import { banner } from './banner.js';
import { CONNECTION_OPTIONS, connectionHelp, connectionUsage, parseConnectionOptions } from './connection-options.js';
import { CONTROL_OPTIONS, controlHelp, controlUsage, parseControlOptions, prepareControlPlane } from './control-options.js';
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
  const dataDir = location.kind === 'folder' ? location.dir : undefined;
  // One server per SQLite folder; short-lived commands do not take the lock and keep working.
  const unlock = dataDir !== undefined ? lockFolder(resolve(dataDir)) : undefined;
  process.once('exit', () => unlock?.());

  const store = await openStore(location, (message) => console.error(`localgraph: ${message}`));
  const plane = await prepareControlPlane(control, store, onPremises);
  const now = new Date();
  if (devCredentials) await ensureDevCredentials(store, randomIds, now);
  const identity = await defaultIdentity(store, randomIds, now);
  const created = await ensureDefaultRegistrations(store, identity, randomIds, now);
  const key = await activeSigningKey(store, now);
  // One CA for the proxy's leaves and the --https certificate: one thing for clients to trust.
  const issuer = proxyPort !== undefined || (https && values.cert === undefined) ? new LeafIssuer(await storeCertificateAuthority(store, now)) : undefined;
  const caFile = issuer && writeCaFile(issuer.ca.cert, dataDir);
  let tls: (TlsMaterial & { created: boolean; file: boolean }) | undefined;
  if (values.cert !== undefined) tls = { ...loadCertificateFiles(values.cert, values.key!), created: false, file: true };
  else if (https && location.kind === 'memory') tls = await memoryCertificate(issuer!);
  else if (https && dataDir !== undefined) tls = { ...(await folderCertificate(dataDir, issuer!, now)), file: true };
  else if (https) tls = { ...(await storeCertificate(store, 'kept in the database', issuer!)), file: false };

  // The tenants trusted issuers are mapped to exist from the start: their tokens never make one.
  for (const issuer of authOptions.trustIssuers) for (const tenant of issuer.tenants) await store.ensureTenant(tenant, now);
  const { authenticator, trusted } = buildAuthenticator(authOptions, store, identity);
  const unreachable = trusted ? await trusted.prefetch() : [];
  const app = createApp({
    store,
    serverOptions: { statusCodes },
    authenticator,
    https: tls && { cert: tls.cert, key: tls.key },
    connectionLimits,
    hosts: hostPolicy(host, allowedHosts),
    ...plane.appOptions,
  });
  // Once stopping, every answer closes its connection: an idle keep-alive connection would
  // otherwise hold the shutdown until the grace period ends.
  let stopping = false;
  app.addHook('onSend', (_request, reply, payload, done) => {
    if (stopping) reply.header('Connection', 'close');
    done(null, payload);
  });
  const address = await app.listen({ host, port });
  const origin = publicOrigin(address, https);
  let proxy: Server | undefined;
  let proxyUrl: string | undefined;
  if (proxyPort !== undefined) {
    const limits = resolveConnectionLimits(connectionLimits);
    proxy = createForwardProxy({
      target: app.server,
      targetTls: tls !== undefined,
      leaves: issuer!,
      handshakeTimeoutMs: limits.headersTimeoutMs,
      maxConnections: limits.maxConnections * 2,
      onRefused: (what, reason) => app.log.info({ proxy: what }, reason),
    });
    proxyUrl = await listenProxy(proxy, host, proxyPort);
  }

  const inMemoryToken =
    location.kind === 'memory'
      ? await issueAccessToken(
          key,
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
    proxyUrl,
    caFile,
    devCredentials,
    allowedHosts,
    host,
    trustedIssuers: (trusted?.specs ?? []).map(({ url, tenants }) => ({ url, tenants, reachable: !unreachable.includes(url) })),
    identity,
    created,
    dataDir,
    inMemoryToken,
    control: plane.bannerLines(origin),
  });
  await new Promise<void>((resolve) => {
    const stop = (signal: string) => {
      stopping = true;
      console.log(`localgraph: ${signal}, finishing requests in flight`);
      const force = setTimeout(() => {
        console.error('localgraph: requests still running after the grace period; exiting');
        process.exit(1);
      }, SHUTDOWN_GRACE_MS);
      force.unref();
      proxy?.close();
      proxy?.closeAllConnections();
      void app
        .close()
        .then(() => store.close())
        .then(() => unlock?.())
        .then(() => location.kind === 'memory' && tls?.file && rmSync(tls.source, { force: true }))
        .then(() => dataDir === undefined && caFile !== undefined && rmSync(caFile, { force: true }))
        .then(() => {
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

/**
 * With `--in-memory` the certificate is made anew at each start; only its public half is written
 * (to a temporary file, removed at exit) so that clients can be told to trust it.
 */
async function memoryCertificate(issuer: LeafIssuer): Promise<TlsMaterial & { created: boolean; file: boolean }> {
  const made = await generateCertificate(issuer);
  const source = join(tmpdir(), `localgraph-${process.pid}-cert.pem`);
  writeFileSync(source, made.cert);
  return { ...made, source, created: true, file: true };
}

/**
 * The CA certificate as a file clients can be pointed at (`NODE_EXTRA_CA_CERTS`, `--cacert`):
 * `DIR/ca.pem` beside a data folder (kept), a temporary file otherwise (removed at exit). Only
 * the public certificate: its key stays in the store.
 */
function writeCaFile(cert: string, dataDir: string | undefined): string {
  const file = dataDir !== undefined ? join(resolve(dataDir), 'ca.pem') : join(tmpdir(), `localgraph-${process.pid}-ca.pem`);
  if (!existsSync(file) || readFileSync(file, 'utf8') !== cert) writeFileSync(file, cert);
  return file;
}

function parseProxyPort(value: string): number {
  if (!/^\d+$/.test(value) || Number(value) > 65535) throw new UsageError(`--proxy-port must be a number from 0 to 65535, not '${value}'`);
  return Number(value);
}

/** Listens with the proxy; resolves with its URL (`http://127.0.0.1:5081`). */
function listenProxy(proxy: Server, host: string, port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    proxy.once('error', reject);
    proxy.listen(port, host, () => {
      proxy.off('error', reject);
      const address = proxy.address();
      const bound = typeof address === 'object' && address ? address : { address: host, port };
      const name = bound.address.includes(':') ? `[${bound.address}]` : bound.address;
      resolve(`http://${name}:${bound.port}`);
    });
  });
}

/**
 * The origin clients should use. Over TLS it names `localhost` whenever the server listens on
 * a loopback or every address, because that is the name the certificate is for.
 */
export function publicOrigin(address: string, https: boolean): string {
  const url = new URL(address);
  const loopbackOrAny = ['127.0.0.1', '[::1]', 'localhost', '0.0.0.0', '[::]'].includes(url.hostname);
  if (url.hostname === '[::1]' || (https && loopbackOrAny)) url.hostname = 'localhost';
  return url.origin;
}
