import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { ensureDevCredentials } from '../auth/dev-credentials.js';
import {
  defaultIdentity,
  ensureDefaultRegistrations,
  type DefaultIdentity,
  type NewDefaultCredentials,
} from '../auth/identity.js';
import type { TrustedIssuers } from '../auth/trusted-issuers.js';
import type { Family } from '../family/family.js';
import { createApp, randomIds } from '../http/app.js';
import { LeafIssuer, storeCertificateAuthority } from '../http/certificate-authority.js';
import { resolveConnectionLimits, type ConnectionLimits } from '../http/connection-limits.js';
import { createForwardProxy } from '../http/forward-proxy.js';
import { hostPolicy } from '../http/host-check.js';
import {
  folderCertificate,
  generateCertificate,
  loadCertificateFiles,
  storeCertificate,
  type TlsMaterial,
} from '../http/tls.js';
import type { ServerOptions } from '../resources/server-options.js';
import { buildAuthenticator, type AuthOptions } from './authenticator-setup.js';
import { prepareControlPlane, type ControlSetup, type PreparedControlPlane } from './control-setup.js';
import { lockFolder } from '../store/folder-lock.js';
import { openStore, type StoreLocation } from '../store/open.js';
import type { Store } from '../store/store.js';

/**
 * Starting a localgraph server, as `localgraph serve` and the library (`startLocalgraph`) both
 * do it: open the store, provision the identities, make the certificates, listen (and the
 * proxy), and, on `stop()`, undo it all in order. Options arrive checked (the CLI parses
 * flags, the library its options object); nothing here reads the command line or prints.
 */
export interface StartOptions {
  /** The API family served; the store is migrated for it (the CLI's and the library's choice). */
  family: Family;
  host: string;
  /** 0 picks a free port. */
  port: number;
  location: StoreLocation;
  /** Serve TLS with a certificate of localgraph's CA (made and kept with the data), or with `certFiles`. */
  https: boolean;
  /** `--cert` / `--key`: serve TLS with this certificate and key instead. */
  certFiles?: { cert: string; key: string };
  /** With `https` (not `certFiles`): more DNS names the certificate is for (`--cert-name`). */
  certNames?: string[];
  /** Also serve the HTTPS-intercepting proxy on this port (0: a free one). */
  proxyPort?: number;
  allowedHosts: string[];
  /** Provision the well-known development tenant, app and user. */
  devCredentials: boolean;
  auth: AuthOptions;
  statusCodes: ServerOptions['statusCodes'];
  connectionLimits: Partial<ConnectionLimits>;
  control: ControlSetup;
  /** Hears why the start waits (PostgreSQL not reachable yet). */
  onWait?: (message: string) => void;
}

export interface StartedTls extends TlsMaterial {
  /** Made by this start (not found with the data). */
  created: boolean;
  /** `source` is a file a client can be pointed at. */
  file: boolean;
}

export interface StartedServer {
  app: FastifyInstance;
  store: Store;
  /** `http://127.0.0.1:PORT`, or `https://localhost:PORT` over TLS. */
  origin: string;
  /** The proxy's URL (`http://127.0.0.1:PORT`), when one was asked for. */
  proxyUrl?: string;
  tls?: StartedTls;
  /** localgraph's CA certificate (PEM), when one is in use (the proxy, or `https` without `certFiles`). */
  caCertificate?: string;
  /** The CA certificate as a file: beside a data folder, else a temporary file removed by `stop()`. */
  caFile?: string;
  /** The data folder, when serving one. */
  dataDir?: string;
  identity: DefaultIdentity;
  /** The default app's secret and user's password, when this start made them. */
  created: NewDefaultCredentials;
  trusted?: TrustedIssuers;
  /** Trusted issuers whose keys could not be fetched at start. */
  unreachable: string[];
  control: PreparedControlPlane;
  /** Finishes the requests in flight (each answer then closes its connection), closes the proxy, the server and the store, and removes temporary files. */
  stop(): Promise<void>;
}

/** Starts a server; on failure, whatever was opened is closed again. */
export async function startServer(options: StartOptions): Promise<StartedServer> {
  const cleanups: (() => void | Promise<void>)[] = [];
  const cleanUp = async () => {
    for (const step of cleanups.splice(0).reverse()) await step();
  };
  try {
    return await start(options, cleanups, cleanUp);
  } catch (error) {
    await cleanUp().catch(() => undefined);
    throw error;
  }
}

async function start(
  options: StartOptions,
  cleanups: (() => void | Promise<void>)[],
  cleanUp: () => Promise<void>,
): Promise<StartedServer> {
  const { location, host } = options;
  const dataDir = location.kind === 'folder' ? location.dir : undefined;
  // One server per SQLite folder; short-lived commands do not take the lock and keep working.
  if (dataDir !== undefined) {
    const unlock = lockFolder(resolve(dataDir));
    process.once('exit', unlock);
    cleanups.push(() => {
      process.off('exit', unlock);
      unlock();
    });
  }

  const { family } = options;
  const store = await openStore(location, family, options.onWait);
  cleanups.push(() => store.close());
  const control = await prepareControlPlane(options.control, store, family);
  const now = new Date();
  if (options.devCredentials) await ensureDevCredentials(store, family, randomIds, now);
  const identity = await defaultIdentity(store, randomIds, now);
  const created = await ensureDefaultRegistrations(store, identity, family, randomIds, now);
  // One CA for the proxy's leaves and the https certificate: one thing for clients to trust.
  const needsCa = options.proxyPort !== undefined || (options.https && options.certFiles === undefined);
  const issuer = needsCa ? new LeafIssuer(await storeCertificateAuthority(store, now)) : undefined;
  const caFile = issuer && writeCaFile(issuer.ca.cert, dataDir, cleanups);
  let tls: StartedTls | undefined;
  if (options.certFiles !== undefined)
    tls = { ...loadCertificateFiles(options.certFiles.cert, options.certFiles.key), created: false, file: true };
  else if (options.https && location.kind === 'memory')
    tls = await memoryCertificate(issuer!, cleanups, options.certNames ?? []);
  else if (options.https && dataDir !== undefined)
    tls = { ...(await folderCertificate(dataDir, issuer!, now, options.certNames ?? [])), file: true };
  else if (options.https)
    tls = { ...(await storeCertificate(store, 'kept in the database', issuer!, options.certNames ?? [])), file: false };

  // The tenants trusted issuers are mapped to exist from the start: their tokens never make one.
  for (const trustedIssuer of options.auth.trustIssuers)
    for (const tenant of trustedIssuer.tenants) await store.ensureTenant(tenant, now);
  const { authenticator, trusted } = buildAuthenticator(options.auth, store, identity, family);
  const unreachable = trusted ? await trusted.prefetch() : [];
  const app = createApp({
    store,
    family,
    serverOptions: { statusCodes: options.statusCodes },
    authenticator,
    https: tls && { cert: tls.cert, key: tls.key },
    connectionLimits: options.connectionLimits,
    hosts: hostPolicy(host, options.allowedHosts),
    ...control.appOptions,
  });
  // Once stopping, every answer closes its connection: an idle keep-alive connection would
  // otherwise hold the shutdown until the grace period ends.
  let stopping = false;
  app.addHook('onSend', (_request, reply, payload, done) => {
    if (stopping) reply.header('Connection', 'close');
    done(null, payload);
  });
  // Before the store closes: the app's own close hooks (the heartbeat sweeper) may still use it.
  cleanups.push(() => app.close());
  const address = await app.listen({ host, port: options.port });
  const origin = publicOrigin(address, tls !== undefined);
  let proxyUrl: string | undefined;
  if (options.proxyPort !== undefined) {
    const limits = resolveConnectionLimits(options.connectionLimits);
    const proxy = createForwardProxy({
      target: app.server,
      targetTls: tls !== undefined,
      leaves: issuer!,
      handshakeTimeoutMs: limits.headersTimeoutMs,
      maxConnections: limits.maxConnections * 2,
      onRefused: (what, reason) => app.log.info({ proxy: what }, reason),
    });
    cleanups.push(() => {
      proxy.close();
      proxy.closeAllConnections();
    });
    proxyUrl = await listenProxy(proxy, host, options.proxyPort);
  }

  let stopped: Promise<void> | undefined;
  return {
    app,
    store,
    origin,
    proxyUrl,
    tls,
    caCertificate: issuer?.ca.cert,
    caFile,
    dataDir,
    identity,
    created,
    trusted,
    unreachable,
    control,
    stop() {
      stopping = true;
      stopped ??= cleanUp();
      return stopped;
    },
  };
}

/**
 * In memory the certificate is made anew at each start; only its public half is written (to a
 * temporary file, removed on stop) so that clients can be told to trust it.
 */
async function memoryCertificate(
  issuer: LeafIssuer,
  cleanups: (() => void)[],
  certNames: string[],
): Promise<StartedTls> {
  const made = await generateCertificate(issuer, certNames);
  const source = temporaryFile('cert.pem');
  writeFileSync(source, made.cert);
  cleanups.push(() => rmSync(source, { force: true }));
  return { ...made, source, created: true, file: true };
}

/**
 * The CA certificate as a file clients can be pointed at (`NODE_EXTRA_CA_CERTS`, `--cacert`):
 * `DIR/ca.pem` beside a data folder (kept), a temporary file otherwise (removed on stop). Only
 * the public certificate: its key stays in the store.
 */
function writeCaFile(cert: string, dataDir: string | undefined, cleanups: (() => void)[]): string {
  const file = dataDir !== undefined ? join(resolve(dataDir), 'ca.pem') : temporaryFile('ca.pem');
  if (!existsSync(file) || readFileSync(file, 'utf8') !== cert) writeFileSync(file, cert, { mode: 0o600 });
  if (dataDir === undefined) cleanups.push(() => rmSync(file, { force: true }));
  return file;
}

/** A temporary file's name, unique even with several servers in one process. */
function temporaryFile(name: string): string {
  return join(tmpdir(), `localgraph-${process.pid}-${randomUUID().slice(0, 8)}-${name}`);
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
