import { describeMode, type AuthMode } from '../auth/authenticator.js';
import type { DefaultIdentity, NewDefaultCredentials } from '../auth/identity.js';

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
  tls?: { source: string; created: boolean; file: boolean };
  trustedIssuers: { url: string; tenants: string[]; reachable: boolean }[];
  identity: DefaultIdentity;
  created: NewDefaultCredentials;
  /** The data folder (`--data`), absent in memory. */
  dataDir?: string;
  /** The ready token an in-memory server prints. */
  inMemoryToken?: string;
  /** The control plane's lines (health, admin API and key, seed, faults, heartbeats, logs). */
  control?: string[];
}

/** The banner's lines, in order. */
export function banner(facts: BannerFacts): string[] {
  const { identity, created } = facts;
  const lines = [`localgraph listening on ${facts.baseUrl}`, `  storage: ${facts.storage}`, `  auth: ${describeMode(facts.auth)}`];
  if (facts.tls) {
    const trust =
      facts.dataDir !== undefined ? `localgraph cert --data ${facts.dataDir}` : facts.inMemoryToken ? 'made anew at each start' : 'localgraph cert --database-url <the same URL>';
    lines.push(`  tls: ${facts.tls.created ? 'new self-signed certificate' : 'certificate'} ${facts.tls.source} (trust it: NODE_EXTRA_CA_CERTS; ${trust})`);
  }
  for (const issuer of facts.trustedIssuers) {
    lines.push(`  trusted issuer: ${issuer.url}${issuer.reachable ? '' : ' (not reachable yet; tried again when a token needs it)'}`);
    lines.push(`    its tokens act in: ${issuer.tenants.join(', ')}`);
  }
  lines.push(`  default tenant: ${identity.tenantId}`);
  lines.push(`  token endpoint: ${facts.origin}/${identity.tenantId}/oauth2/v2.0/token`);
  lines.push(
    `  default app: client id ${identity.appId}, ` +
      (created.clientSecret ? `client secret ${created.clientSecret} (shown once)` : 'client secret shown at first start (localgraph app add registers more)'),
  );
  lines.push(
    `  default user: ${identity.userPrincipalName}, ` +
      (created.password ? `password ${created.password} (shown once)` : 'password shown at first start (localgraph user add adds more)'),
  );
  if (created.clientSecret) {
    lines.push(
      `  e.g.: curl -s${facts.tls?.file ? ` --cacert ${facts.tls.source}` : ''} ${facts.origin}/${identity.tenantId}/oauth2/v2.0/token -d grant_type=client_credentials ` +
        `-d client_id=${identity.appId} --data-urlencode client_secret=${created.clientSecret} --data-urlencode scope=https://graph.microsoft.com/.default`,
    );
  }
  lines.push(...(facts.control ?? []));
  if (facts.inMemoryToken) lines.push(`  token (delegated, ${identity.userPrincipalName}, 24 h): ${facts.inMemoryToken}`);
  else {
    const where = facts.dataDir !== undefined ? `--data ${facts.dataDir}` : '--database-url <the same URL>';
    lines.push(`  get a token: localgraph token ${where} --scopes "Directory.ReadWrite.All"`);
  }
  return lines;
}
