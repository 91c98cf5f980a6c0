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
import { parseConnectionOptions } from './connection-options.js';
import { parseControlOptions, prepareControlPlane } from './control-options.js';
import { renderHelpOptions } from './option-docs.js';
import { parseFlags } from './option-resolver.js';
import { jsonRecord, readyFacts, removeReadyFile, writeReadyFile } from './ready.js';
import { resolveServeOptions, SERVE_OPTIONS } from './serve-options.js';
import { describeLocation, storageLocation } from './storage-options.js';
import { UsageError } from './usage.js';

export { DEFAULT_PORT } from './serve-options.js';
const SHUTDOWN_GRACE_MS = 5000;

export const serveHelp = `Usage: localgraph serve [--config FILE] [--host H] [--port N] [--data DIR | --database-url URL | --in-memory] [--https] [options]

Serves Microsoft Graph beta's on-premises publishing API at http(s)://H:N/beta/, and Entra ID's
token endpoint for it at /{tenant}/oauth2/v2.0/token.

Every option is also an environment variable (--port: LOCALGRAPH_PORT) and a key of the config
file (--config FILE: {"port": 5080}); the command line wins over the environment, the
environment over the file (docs/options.md).
${renderHelpOptions(SERVE_OPTIONS)}

  -h, --help      this help

Prints "localgraph listening on URL" once it takes requests; a first start also prints the
default app's client secret and the default user's password, once. SIGTERM or SIGINT finishes
the requests in flight, closes the database and exits 0.`;

/** `localgraph serve`: resolves with the exit code once the server has stopped. */
export async function serveCommand(args: string[]): Promise<number> {
  const flags = parseFlags(args, SERVE_OPTIONS);
  if (flags.help) {
    console.log(serveHelp);
    return 0;
  }
  const { values, sources } = resolveServeOptions(flags, process.env);
  if ((values.cert === undefined) !== (values.key === undefined)) throw new UsageError('--cert and --key go together');
  const port = Number(values.port);
  const statusCodes = values['status-codes'] ?? 'live';
  if (statusCodes !== 'live' && statusCodes !== 'docs') throw new UsageError(`--status-codes must be 'live' or 'docs', not '${statusCodes}'`);
  const authOptions = parseAuthOptions(values);
  const connectionLimits = parseConnectionOptions(values);
  const control = parseControlOptions(values, sources['admin-key']?.kind === 'env' ? '$LOCALGRAPH_ADMIN_KEY' : sources['admin-key']?.name);
  const https = values.https === true || values.cert !== undefined;
  const host = values.host ?? '127.0.0.1';
  const proxyPort = values['proxy-port'] === undefined ? undefined : Number(values['proxy-port']);
  const certNames = parseCertNames(values['cert-name'] ?? [], values.https === true && values.cert === undefined);
  const allowedHosts = [...(values['allowed-host'] ?? []), ...certNames];
  for (const name of allowedHosts) if (!/^[a-z0-9.:[\]_-]+$/i.test(name)) throw new UsageError(`--allowed-host takes a host name, not '${name}'`);
  const devCredentials = values['dev-credentials'] === true || values['in-memory'] === true;
  if (devCredentials && !isLoopbackName(hostName(host)) && values['allow-dev-credentials-on-network'] !== true) {
    throw new UsageError(
      `the well-known dev credentials (--dev-credentials, always on with --in-memory) would guard a server reachable on ${host}; ` +
        'listen on a loopback address, or add --allow-dev-credentials-on-network if that is really meant',
    );
  }
  const location = storageLocation(values, values['in-memory'] === true);
  const readyFile = values['ready-file'];
  if (readyFile !== undefined) removeReadyFile(readyFile);
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
  else if (https && location.kind === 'memory') tls = await memoryCertificate(issuer!, certNames);
  else if (https && dataDir !== undefined) tls = { ...(await folderCertificate(dataDir, issuer!, now, certNames)), file: true };
  else if (https) tls = { ...(await storeCertificate(store, 'kept in the database', issuer!, certNames)), file: false };

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
    tls: tls && { source: tls.source, created: tls.created, file: tls.file, names: certNames },
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
  // With JSON logs, stdout carries JSON lines only: the banner goes to stderr, and one "ready"
  // record (the --ready-file facts) joins the logs.
  const jsonLogs = control.logFormat === 'json';
  const ready = readyFacts(origin, identity, { proxyUrl, caFile, token: inMemoryToken });
  await new Promise<void>((resolve) => {
    const stop = (signal: string) => {
      stopping = true;
      if (readyFile !== undefined) removeReadyFile(readyFile);
      if (jsonLogs) process.stdout.write(jsonRecord(`${signal}, finishing requests in flight`, { event: 'stopping', signal }));
      else console.log(`localgraph: ${signal}, finishing requests in flight`);
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
    for (const line of lines) (jsonLogs ? console.error : console.log)(line);
    if (jsonLogs) process.stdout.write(jsonRecord(`localgraph listening on ${ready.graphUrl}`, { event: 'ready', ...ready }));
    if (readyFile !== undefined) writeReadyFile(readyFile, ready);
  });
  return 0;
}

/**
 * With `--in-memory` the certificate is made anew at each start; only its public half is written
 * (to a temporary file, removed at exit) so that clients can be told to trust it.
 */
async function memoryCertificate(issuer: LeafIssuer, certNames: string[]): Promise<TlsMaterial & { created: boolean; file: boolean }> {
  const made = await generateCertificate(issuer, certNames);
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

/** `--cert-name`: DNS names, with `--https` and its own certificate only. */
function parseCertNames(names: string[], ownCertificate: boolean): string[] {
  if (names.length > 0 && !ownCertificate) throw new UsageError('--cert-name goes with --https (and not with --cert, whose names are its own)');
  for (const name of names) {
    if (!/^(?=.{1,253}$)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/i.test(name) || /^[\d.]+$/.test(name)) {
      throw new UsageError(`--cert-name takes a DNS name (a host name such as localgraph or lg.ci.internal), not '${name}'`);
    }
  }
  return [...new Set(names.map((n) => n.toLowerCase()))];
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
