import { describeMode, type AuthMode } from '../auth/authenticator.js';
import { DEV_CREDENTIALS } from '../auth/dev-credentials.js';
import type { DefaultIdentity, NewDefaultCredentials } from '../auth/identity.js';
import { isLoopbackName } from '../http/host-check.js';
import { hostName, INTERCEPTED_HOSTS } from '../http/intercepted-hosts.js';

/**
 * What `localgraph serve` prints once it listens: where it is, how it keeps data and checks
 * tokens, and how to get a token. The first line and the last are stable (tests and scripts
 * wait for them): "localgraph listening on URL" first; then "get a token: ..." (data folder) or
 * "token (delegated, ...): JWT" (in memory) last.
 */
export interface BannerFacts {
  baseUrl: string;
  origin: string;
  storage: string;
  auth: AuthMode;
  /** `file`: the certificate is a file a client can be pointed at (not made in memory). */
  tls?: { source: string; created: boolean; file: boolean; names?: string[] };
  trustedIssuers: { url: string; tenants: string[]; reachable: boolean }[];
  identity: DefaultIdentity;
  created: NewDefaultCredentials;
  /** The data folder (`--data`), absent in memory. */
  dataDir?: string;
  /** The ready token an in-memory server prints. */
  inMemoryToken?: string;
  /** The control plane's lines (health, admin API and key, seed, faults, heartbeats, logs). */
  control?: string[];
  /** The proxy's URL (`--proxy-port`). */
  proxyUrl?: string;
  /** The CA certificate's file, when a CA is in use (proxy or --https). */
  caFile?: string;
  /** Whether the well-known dev credentials are provisioned. */
  devCredentials?: boolean;
  /** `--allowed-host` names. */
  allowedHosts?: string[];
  /** The address listened on (`--host`). */
  host?: string;
}

/** The banner's lines, in order. */
export function banner(facts: BannerFacts): string[] {
  const { identity, created } = facts;
  const lines = [
    `localgraph listening on ${facts.baseUrl}`,
    `  console: ${facts.origin}/console/ (${facts.origin}/ links the console, $metadata, /health and a quick start)`,
    `  storage: ${facts.storage}`,
    `  auth: ${describeMode(facts.auth)}`,
  ];
  lines.push(...warnings(facts));
  if (facts.tls) {
    const trust =
      facts.dataDir !== undefined
        ? `localgraph cert --data ${facts.dataDir}`
        : facts.inMemoryToken
          ? 'made anew at each start'
          : 'localgraph cert --database-url <the same URL>';
    const names = facts.tls.names ?? [];
    lines.push(
      names.length > 0
        ? `  tls: ${facts.tls.created ? 'new certificate' : 'certificate'} ${facts.tls.source} (also for ${names.join(', ')}: trust this file, NODE_EXTRA_CA_CERTS or --cacert; localgraph's CA does not cover these names; ${trust})`
        : `  tls: ${facts.tls.created ? 'new certificate' : 'certificate'} ${facts.tls.source} (trust it, or localgraph's CA: NODE_EXTRA_CA_CERTS; ${trust})`,
    );
  }
  if (facts.caFile) {
    const command =
      facts.dataDir !== undefined
        ? `localgraph ca --data ${facts.dataDir}`
        : facts.inMemoryToken
          ? 'made anew at each start'
          : 'localgraph ca --database-url <the same URL>';
    lines.push(
      `  ca: ${facts.caFile} (trust it once for the proxy and --https: NODE_EXTRA_CA_CERTS, SSL_CERT_FILE, ...; ${command})`,
    );
  }
  if (facts.proxyUrl) {
    lines.push(
      `  proxy: ${facts.proxyUrl} (HTTPS_PROXY; intercepts ${[...INTERCEPTED_HOSTS.keys()].join(', ')}; refuses every other host)`,
    );
  }
  if (facts.devCredentials) {
    const dev = DEV_CREDENTIALS;
    lines.push(
      `  dev credentials (well-known, public): tenant ${dev.tenantId}, client id ${dev.clientId}, client secret ${dev.clientSecret}, ` +
        `user ${dev.userPrincipalName}, password ${dev.password}`,
    );
  }
  for (const issuer of facts.trustedIssuers) {
    lines.push(
      `  trusted issuer: ${issuer.url}${issuer.reachable ? '' : ' (not reachable yet; tried again when a token needs it)'}`,
    );
    lines.push(`    its tokens act in: ${issuer.tenants.join(', ')}`);
  }
  lines.push(`  default tenant: ${identity.tenantId}`);
  lines.push(`  token endpoint: ${facts.origin}/${identity.tenantId}/oauth2/v2.0/token`);
  lines.push(
    `  default app: client id ${identity.appId}, ` +
      (created.clientSecret
        ? `client secret ${created.clientSecret} (shown once)`
        : 'client secret shown at first start (localgraph app add registers more)'),
  );
  lines.push(
    `  default user: ${identity.userPrincipalName}, ` +
      (created.password
        ? `password ${created.password} (shown once)`
        : 'password shown at first start (localgraph user add adds more)'),
  );
  if (created.clientSecret) {
    lines.push(
      `  e.g.: curl -s${facts.tls?.file ? ` --cacert ${facts.tls.source}` : ''} ${facts.origin}/${identity.tenantId}/oauth2/v2.0/token -d grant_type=client_credentials ` +
        `-d client_id=${identity.appId} --data-urlencode client_secret=${created.clientSecret} --data-urlencode scope=https://graph.microsoft.com/.default`,
    );
  }
  lines.push(...(facts.control ?? []));
  if (facts.inMemoryToken)
    lines.push(`  token (delegated, ${identity.userPrincipalName}, 24 h): ${facts.inMemoryToken}`);
  else {
    const where = facts.dataDir !== undefined ? `--data ${facts.dataDir}` : '--database-url <the same URL>';
    lines.push(`  get a token: localgraph token ${where} --scopes "Directory.ReadWrite.All"`);
  }
  return lines;
}

/**
 * Loud lines for configurations where anyone who reaches the server, or a web page in the
 * user's browser, may act without a real token.
 */
function warnings(facts: BannerFacts): string[] {
  const lines: string[] = [];
  const exposed = facts.host !== undefined && !isLoopbackName(hostName(facts.host));
  if (facts.auth !== 'strict') {
    lines.push(
      `  WARNING: --auth ${facts.auth}: anyone who reaches this server acts ${facts.auth === 'off' ? 'with every permission, no token needed' : 'with whatever claims an unsigned token states'}` +
        (exposed
          ? `, and it listens on ${facts.host}, beyond this machine`
          : ' (only loopback Host names are answered, against DNS rebinding)'),
    );
  }
  if (exposed) {
    lines.push(
      `  WARNING: listening on ${facts.host}, reachable beyond this machine; ` +
        (facts.allowedHosts && facts.allowedHosts.length > 0
          ? `Host names answered: loopback names and ${facts.allowedHosts.join(', ')}`
          : 'every Host name is answered (DNS rebinding is not guarded against: name the server with --allowed-host NAME)'),
    );
    if (facts.devCredentials)
      lines.push(
        '  WARNING: the well-known dev credentials are enabled on a reachable server (--allow-dev-credentials-on-network)',
      );
  }
  return lines;
}
