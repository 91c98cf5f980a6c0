import type { FastifyRequest } from 'fastify';
import { GRAPH_HOST, hostName, interceptedRole, LOGIN_ALIASES, LOGIN_HOST } from './intercepted-hosts.js';

/**
 * The URLs a tenant's identity documents and tokens show, as one function of the host the
 * request arrived for:
 * - through the proxy, on login.microsoftonline.com or another public-cloud alias, what Entra
 *   shows there: endpoints on the host asked, v2.0 issuer `https://login.microsoftonline.com/{tid}/v2.0`
 *   whatever the alias (Entra names one issuer per tenant), the public cloud's aliases;
 * - on the direct port, localgraph's own origin for all of them.
 * Access tokens carry `https://sts.windows.net/{tid}/` either way (src/auth/tokens.ts), so a
 * token from one is accepted on the other.
 */
export interface IdentityUrls {
  /** Where the endpoints (token, keys, authorize) are: `https://login.windows.net`, `http://127.0.0.1:5080`. */
  endpointOrigin: string;
  /** The origin of the v2.0 issuer (and of ID tokens' `iss`). */
  issuerOrigin: string;
  /** Instance discovery's aliases of the endpoint host (MSAL keys its cache by them). */
  aliases: string[];
  /** `cloud_instance_name` and `msgraph_host` of the discovery document. */
  cloudInstanceName: string;
  graphHost: string;
}

export function identityUrls(request: FastifyRequest): IdentityUrls {
  if (interceptedRole(request.host) === 'login') {
    return {
      endpointOrigin: `https://${hostName(request.host)}`,
      issuerOrigin: `https://${LOGIN_HOST}`,
      aliases: LOGIN_ALIASES,
      cloudInstanceName: 'microsoftonline.com',
      graphHost: GRAPH_HOST,
    };
  }
  const origin = `${request.protocol}://${request.host}`;
  return {
    endpointOrigin: origin,
    issuerOrigin: origin,
    aliases: [request.host],
    cloudInstanceName: request.host,
    graphHost: request.host,
  };
}
