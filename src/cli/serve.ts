import { allPermissions } from '../auth/identity.js';
import { activeSigningKey } from '../auth/signing-key.js';
import { issueAccessToken } from '../auth/tokens.js';
import { isLoopbackName } from '../http/host-check.js';
import { hostName } from '../http/intercepted-hosts.js';
import { startServer } from '../server/start.js';
import { parseAuthOptions } from './auth-setup.js';
import { banner } from './banner.js';
import { parseConnectionOptions } from './connection-options.js';
import { parseControlOptions } from './control-options.js';
import { renderHelpOptions } from './option-docs.js';
import { parseFlags } from './option-resolver.js';
import { jsonRecord, readyFacts, removeReadyFile, writeReadyFile } from './ready.js';
import { resolveServeOptions, SERVE_OPTIONS } from './serve-options.js';
import { describeLocation, storageLocation } from './storage-options.js';
import { UsageError } from './usage.js';
import { servedFamily } from '../family/served-family.js';

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
  if (statusCodes !== 'live' && statusCodes !== 'docs')
    throw new UsageError(`--status-codes must be 'live' or 'docs', not '${statusCodes}'`);
  const authOptions = parseAuthOptions(values);
  const connectionLimits = parseConnectionOptions(values);
  const control = parseControlOptions(
    values,
    sources['admin-key']?.kind === 'env' ? '$LOCALGRAPH_ADMIN_KEY' : sources['admin-key']?.name,
  );
  const https = values.https === true || values.cert !== undefined;
  const host = values.host ?? '127.0.0.1';
  const proxyPort = values['proxy-port'] === undefined ? undefined : Number(values['proxy-port']);
  const certNames = parseCertNames(values['cert-name'] ?? [], values.https === true && values.cert === undefined);
  const allowedHosts = [...(values['allowed-host'] ?? []), ...certNames];
  for (const name of allowedHosts)
    if (!/^[a-z0-9.:[\]_-]+$/i.test(name)) throw new UsageError(`--allowed-host takes a host name, not '${name}'`);
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
  const server = await startServer({
    family: servedFamily,
    host,
    port,
    location,
    https,
    certFiles: values.cert === undefined ? undefined : { cert: values.cert, key: values.key! },
    proxyPort,
    certNames,
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
          {
            tenantId: identity.tenantId,
            appId: identity.appId,
            user: { objectId: identity.userId, userPrincipalName: identity.userPrincipalName },
            scopes: allPermissions(servedFamily).scopes,
            lifetimeSeconds: 24 * 3600,
          },
          now,
        )
      : undefined;
  const lines = banner({
    baseUrl: `${origin}/beta/`,
    origin,
    storage: describeLocation(location),
    auth: authOptions.mode,
    tls: tls && { source: tls.source, created: tls.created, file: tls.file, names: certNames },
    proxyUrl: server.proxyUrl,
    caFile: server.caFile,
    devCredentials,
    allowedHosts,
    host,
    trustedIssuers: (server.trusted?.specs ?? []).map(({ url, tenants }) => ({
      url,
      tenants,
      reachable: !server.unreachable.includes(url),
    })),
    identity,
    created: server.created,
    dataDir: server.dataDir,
    inMemoryToken,
    control: server.control.bannerLines(origin),
  });
  // With JSON logs, stdout carries JSON lines only: the banner goes to stderr, and one "ready"
  // record (the --ready-file facts) joins the logs.
  const jsonLogs = control.logFormat === 'json';
  const ready = readyFacts(origin, identity, {
    proxyUrl: server.proxyUrl,
    caFile: server.caFile,
    token: inMemoryToken,
  });
  await new Promise<void>((resolve) => {
    const stop = (signal: string) => {
      if (readyFile !== undefined) removeReadyFile(readyFile);
      if (jsonLogs)
        process.stdout.write(jsonRecord(`${signal}, finishing requests in flight`, { event: 'stopping', signal }));
      else console.log(`localgraph: ${signal}, finishing requests in flight`);
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
    for (const line of lines) (jsonLogs ? console.error : console.log)(line);
    if (jsonLogs)
      process.stdout.write(jsonRecord(`localgraph listening on ${ready.graphUrl}`, { event: 'ready', ...ready }));
    if (readyFile !== undefined) writeReadyFile(readyFile, ready);
  });
  return 0;
}

/** `--cert-name`: DNS names, with `--https` and its own certificate only. */
function parseCertNames(names: string[], ownCertificate: boolean): string[] {
  if (names.length > 0 && !ownCertificate)
    throw new UsageError('--cert-name goes with --https (and not with --cert, whose names are its own)');
  for (const name of names) {
    if (
      !/^(?=.{1,253}$)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/i.test(name) ||
      /^[\d.]+$/.test(name)
    ) {
      throw new UsageError(
        `--cert-name takes a DNS name (a host name such as localgraph or lg.ci.internal), not '${name}'`,
      );
    }
  }
  return [...new Set(names.map((n) => n.toLowerCase()))];
}
