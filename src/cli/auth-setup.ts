import { AUTH_MODES, DEFAULT_MAX_CLAIMS_TENANTS, type AuthMode } from '../auth/authenticator.js';
import { checkIssuerUrl, tenantsNamedIn, type TrustedIssuerSpec } from '../auth/trusted-issuers.js';
import { isGuid } from '../odata/guid.js';
import type { AuthOptions } from '../server/authenticator-setup.js';
import { UsageError } from './usage.js';

/**
 * One `--trust-issuer`: `TENANT[,TENANT...]=URL` (the tenants its tokens may act in), or a bare
 * URL whose path names its one tenant (`https://login.microsoftonline.com/{tid}/v2.0`). A URL
 * that names no tenant (`common`, `organizations`, a multi-tenant issuer) needs the list.
 */
export function parseTrustIssuer(value: string): TrustedIssuerSpec {
  const mapped = /^([0-9A-Fa-f-]{36}(?:,[0-9A-Fa-f-]{36})*)=(.+)$/.exec(value.trim());
  const url = mapped ? mapped[2] : value.trim();
  try {
    checkIssuerUrl(url);
  } catch (error) {
    throw new UsageError(
      `--trust-issuer ${url}: ${error instanceof TypeError ? 'not a URL' : (error as Error).message}`,
    );
  }
  if (mapped) {
    const tenants = mapped[1].split(',');
    const bad = tenants.find((t) => !isGuid(t));
    if (bad) throw new UsageError(`--trust-issuer ${value}: '${bad}' is not a tenant id (a GUID)`);
    return { url, tenants: [...new Set(tenants.map((t) => t.toLowerCase()))] };
  }
  const named = [...new Set(tenantsNamedIn(url))];
  if (named.length !== 1) {
    throw new UsageError(
      `--trust-issuer ${url}: name the tenants its tokens may act in, as TENANT[,TENANT...]=URL (the URL names ${named.length === 0 ? 'no tenant' : 'several'})`,
    );
  }
  return { url, tenants: named };
}

/** Reads `--auth`, `--trust-issuer`, `--audience` and `--max-claims-tenants`; a mistake is a {@link UsageError}. */
export function parseAuthOptions(values: {
  auth?: string;
  'trust-issuer'?: string[];
  audience?: string[];
  'max-claims-tenants'?: string;
}): AuthOptions {
  const mode = (values.auth ?? 'strict') as AuthMode;
  if (!AUTH_MODES.includes(mode))
    throw new UsageError(`--auth must be one of ${AUTH_MODES.join(', ')}, not '${values.auth}'`);
  const given = values['trust-issuer'] ?? [];
  const audiences = values.audience ?? [];
  if ((given.length > 0 || audiences.length > 0) && mode !== 'strict')
    throw new UsageError('--trust-issuer and --audience go with --auth strict');
  if (audiences.length > 0 && given.length === 0)
    throw new UsageError('--audience names audiences of trusted issuers: give --trust-issuer too');
  const trustIssuers = given.map(parseTrustIssuer);
  const limit = values['max-claims-tenants'];
  if (limit !== undefined && mode !== 'claims') throw new UsageError('--max-claims-tenants goes with --auth claims');
  if (limit !== undefined && !/^[1-9]\d{0,6}$/.test(limit))
    throw new UsageError(`--max-claims-tenants must be a whole number from 1 to 9999999, not '${limit}'`);
  return {
    mode,
    trustIssuers,
    audiences,
    maxClaimsTenants: limit === undefined ? DEFAULT_MAX_CLAIMS_TENANTS : Number(limit),
  };
}
